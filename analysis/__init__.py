"""Government work reports (政府工作报告) as data: read, normalise, extract, match, analyse, report.

The package follows the data: ``corpus`` (read and normalise) → ``extract`` (facts and
assessments) → ``match`` (targets vs outcomes) → ``text`` (policy emphasis) → ``figures``
→ ``report``; ``pipeline`` runs the notebooks with papermill and ``__main__`` is the CLI.
Importing the package is quiet and cheap: submodules are imported on use.
"""

__version__ = "0.1.0"
