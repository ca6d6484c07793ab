#!/usr/bin/env python3
"""Quick start: ``python3 run.py report`` or ``python3 run.py test``.

Both create (or reuse) an isolated environment in ``.venv``, install the package with its
dependencies, then either run the whole pipeline on ``seeds/`` (report) or the test suite (test).
Extra arguments are passed on: ``python3 run.py report --corpus my_reports/ --out my_outputs/``.
Only the Python standard library is used here, so it works on a machine with just Python and pip.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-from"


def _requirements_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    """Create .venv and install the package (again only when pyproject.toml changed)."""
    if sys.version_info < (3, 10):
        sys.exit(f"Python 3.10 or newer is needed (this is {sys.version.split()[0]})")
    if not PYTHON.exists():
        print(f"creating the environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text().strip() == _requirements_hash():
        return
    print("installing the package and its dependencies (first run only)", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["--upgrade", "pip"], check=True)
    subprocess.run(pip + ["-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(_requirements_hash() + "\n")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"report", "test", "setup"}:
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "setup":
        return 0
    if command == "report":
        if not rest:  # the default run is the seeds, scored against their hand-checked facts
            rest = ["--gold", str(ROOT / "tests" / "data" / "seed_facts.csv")]
        # Run from the user's folder so that relative --corpus/--out/--gold paths mean what they typed.
        return subprocess.call([str(PYTHON), "-m", "analysis", "run", *rest])
    return subprocess.call([str(PYTHON), "-m", "pytest", "-q", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
