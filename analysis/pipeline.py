"""Run the numbered notebooks end to end with papermill and write the manifest.

The notebooks are the jupytext percent files ``notebooks/NN_name.py``; they are read with jupytext
and handed to papermill as notebook objects, so the ``.ipynb`` twins never have to be in sync for a
run (a test checks that they are). Each notebook receives only the parameters its ``parameters``
cell declares. Notebooks whose inputs are ready run side by side (two at a time by default): a
notebook's header metadata ``depends_on`` lists the notebooks whose outputs it reads.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from . import kernel_fork, scheduler, warmup
from .paths import NOTEBOOKS_DIR, OUTPUTS_DIR, SEEDS_DIR

# Package versions recorded in the manifest.
RECORDED_PACKAGES = (
    "pandas", "pyarrow", "matplotlib", "papermill", "jupytext", "nbclient", "ipykernel",
    "opencc-python-reimplemented", "jieba", "rjieba", "charset-normalizer", "weasyprint", "mplfonts",
)

KERNEL_LOG = "kernel.log"


class PipelineError(RuntimeError):
    """A run cannot start or did not finish; the message is one line naming the cause (plus where to look)."""


@dataclass
class NotebookRun:
    """What happened to one notebook."""

    name: str
    output: Path
    seconds: float
    parameters: dict[str, Any] = field(default_factory=dict)


def list_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The pipeline's notebooks in order: ``NN_*.py`` percent files."""
    return sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.py"))


def read_notebook(path: Path):
    """Read a percent-format notebook with jupytext (papermill cannot read ``.py``)."""
    import jupytext

    nb = jupytext.read(path)
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    return nb


def declared_parameters(nb) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return set(re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=", cell.source, flags=re.M))
    return set()


def parameter_defaults(nb) -> dict[str, Any]:
    """Name → default value of the notebook's ``parameters`` cell (literals only; others map to None)."""
    for cell in nb.cells:
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        defaults: dict[str, Any] = {}
        for node in ast.parse(cell.source).body:
            target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            value = getattr(node, "value", None)
            if isinstance(target, ast.Name) and value is not None:
                try:
                    defaults[target.id] = ast.literal_eval(value)
                except ValueError:
                    defaults[target.id] = None
        return defaults
    return {}


# Parameters set by the command line's own options, never by -p.
RESERVED_PARAMETERS = {"corpus_dir": "--corpus", "output_dir": "--out"}


def _parameter_choices() -> dict[str, set[str]]:
    """Allowed values of the parameters that name things (languages, indicators, policy areas)."""
    from .codebook import codebook_frame
    from .report import LANGS
    from .text import area_labels

    return {"lang": set(LANGS), "indicators": set(codebook_frame()["code"]) | {"other"},
            "areas": set(area_labels("en"))}


# Parameters naming a hand-coded file: it must exist (a typo would silently skip the comparison).
GOLD_PARAMETERS = ("gold", "provincial_gold", "gold_adjudication")


def check_parameters(given: Mapping[str, Any], notebooks: Sequence[Path]) -> dict[str, Any]:
    """``given`` checked against the notebooks' parameters cells and coerced to their defaults' types.

    Raises PipelineError (one line) for an unknown name, a value of the wrong type or an unknown
    language, indicator or area. A list parameter takes one value or a comma-separated string
    (``-p years 2021`` → ``[2021]``, ``-p regions 荔湾区,越秀区``).
    """
    defaults: dict[str, Any] = {}
    for path in notebooks:
        for name, value in parameter_defaults(read_notebook(path)).items():
            defaults.setdefault(name, value)
    checked: dict[str, Any] = {}
    choices: dict[str, set[str]] | None = None
    for name, value in given.items():
        if name not in defaults:
            known = ", ".join(sorted(n for n in defaults if n not in RESERVED_PARAMETERS))
            raise PipelineError(f"unknown parameter {name!r} (the notebooks take: {known})")
        default = defaults[name]
        if isinstance(default, list):
            if isinstance(value, str):
                value = [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
            elif not isinstance(value, list):
                value = [value]
            if name == "years" and not all(re.fullmatch(r"\d{4}", str(v)) for v in value):
                raise PipelineError(f"parameter years takes four-digit years, not {value!r}")
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise PipelineError(f"parameter {name} takes true or false, not {value!r}")
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise PipelineError(f"parameter {name} takes a number, not {value!r}")
        elif isinstance(default, str):
            if isinstance(value, (list, dict)):
                raise PipelineError(f"parameter {name} takes one value, not {value!r}")
            value = str(value)
        if name in ("lang", "indicators", "areas"):
            choices = choices or _parameter_choices()
            wrong = sorted({str(v) for v in (value if isinstance(value, list) else [value])} - choices[name])
            if wrong:
                raise PipelineError(f"parameter {name}: {', '.join(wrong)} is not one of "
                                    f"{', '.join(sorted(choices[name]))}")
        checked[name] = value
    for name in GOLD_PARAMETERS:
        if checked.get(name) and not Path(checked[name]).is_file():
            raise PipelineError(f"{checked[name]}: {name.replace('_', ' ')} file not found")
    return checked


def check_readable(corpus_dir: Path, documents_csv: Path) -> None:
    """Raise PipelineError when not one document of the corpus could be read (the statuses say why)."""
    if not documents_csv.exists():
        return
    from . import schema

    docs = schema.read_table(documents_csv, "documents")
    if len(docs) and not (docs["status"] == "ok").any():
        why = ", ".join(f"{n} {status}" for status, n in docs["status"].value_counts().sort_index().items())
        raise PipelineError(f"{corpus_dir}: none of its {len(docs)} files could be read ({why}); "
                            f"see documents.csv")


def check_regions(regions: Sequence[str], documents_csv: Path) -> None:
    """Raise PipelineError when a selected region is not in the corpus (a misspelling gives empty tables)."""
    if not regions or not documents_csv.exists():
        return
    from . import schema

    known = set(schema.read_table(documents_csv, "documents")["region"].dropna())
    wrong = [r for r in regions if str(r) not in known]
    if wrong:
        raise PipelineError(f"parameter regions: {', '.join(map(str, wrong))} is not a region of the corpus "
                            f"(regions: {', '.join(sorted(known)) or 'none'})")


def default_parameters(corpus_dir: Path | None = None, output_dir: Path | None = None) -> dict[str, Any]:
    """The shared parameters every notebook may declare, as absolute paths."""
    return {
        "corpus_dir": str(Path(corpus_dir or SEEDS_DIR).resolve()),
        "output_dir": str(Path(output_dir or OUTPUTS_DIR).resolve()),
    }


def _failed_cell_message(nb_name: str, exc: BaseException, executed_path: Path) -> str:
    """One message: notebook, cell and error, and where the failed notebook was kept."""
    cell = getattr(exc, "exec_count", None)
    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None) or str(exc).strip().splitlines()[-1:] or ""
    if isinstance(evalue, list):
        evalue = evalue[0] if evalue else ""
    where = f"cell {cell}" if cell is not None else "kernel"
    kept = (f"the executed notebook is kept at {executed_path}" if executed_path.exists()
            else "the kernel ended before the executed notebook was written")
    return f"notebook {nb_name} failed at {where}: {ename}: {evalue}\n  {kept}"


@contextlib.contextmanager
def _quiet_kernel(log_path: Path) -> Iterator[None]:
    """Send kernel and jupyter chatter (fd 2 of child processes, library logs) to a log file.

    The kernel subprocess inherits file descriptor 2, so it is pointed at the log; Python-level
    ``sys.stderr`` keeps a duplicate of the terminal so progress bars still show.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved_fd = os.dup(2)
    terminal = os.fdopen(os.dup(saved_fd), "w", buffering=1)
    old_stderr = sys.stderr
    with open(log_path, "a", encoding="utf-8") as log:
        os.dup2(log.fileno(), 2)
        sys.stderr = terminal
        handler = logging.StreamHandler(log)
        noisy = [logging.getLogger(n) for n in ("papermill", "traitlets", "jupyter_client", "nbclient", "asyncio")]
        saved = [(lg, lg.level, lg.propagate) for lg in noisy]
        for lg in noisy:
            lg.addHandler(handler)
            lg.setLevel(logging.WARNING)
            lg.propagate = False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield
        finally:
            for lg, level, propagate in saved:
                lg.removeHandler(handler)
                lg.setLevel(level)
                lg.propagate = propagate
            sys.stderr = old_stderr
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
            terminal.close()


def execute_notebook(path: Path, parameters: Mapping[str, Any], executed_dir: Path,
                     progress: bool = True, km: Any = None, stderr_file: Any = None) -> NotebookRun:
    """Execute one notebook with papermill; raise PipelineError naming notebook and cell on failure.

    ``km``: a started kernel manager to run in (``analysis.scheduler``), else papermill starts one.
    ``stderr_file``: receives the notebook's stderr as it runs. ``progress``: papermill's cell bar.
    """
    import papermill as pm

    nb = read_notebook(path)
    wanted = declared_parameters(nb)
    params = {k: v for k, v in parameters.items() if k in wanted}
    executed_dir.mkdir(parents=True, exist_ok=True)
    out = executed_dir / f"{path.stem}.ipynb"
    start = time.perf_counter()
    extra = {"km": km} if km is not None else {}
    try:
        pm.execute_notebook(
            nb, str(out), parameters=params, kernel_name="python3", cwd=str(path.parent),
            progress_bar={"desc": path.stem, "leave": True} if progress else False,
            start_timeout=120, stderr_file=stderr_file,
            # Written once at the end (and on a cell's error) rather than twice per cell: re-serialising a
            # notebook with its figures after every cell took most of this process's time.
            request_save_on_cell_execute=False, **extra,
        )
    except Exception as exc:  # papermill's error, nbclient's DeadKernelError/CellTimeoutError, anything
        raise PipelineError(_failed_cell_message(path.stem, exc, out)) from None
    return NotebookRun(path.stem, out, time.perf_counter() - start, params)


# A tqdm progress bar as a kernel sends it (``documents:  40%|████      | 2/5 [00:00<…``).
_PROGRESS_BAR = re.compile(r"\|\s*\d+/\d+ \[")


class ProgressRelay:
    """A notebook's stderr of which only progress bars reach the terminal (warnings stay in the notebook)."""

    def __init__(self, terminal: Any):
        self.terminal = terminal
        self.open = False  # a bar was drawn and its line not yet ended

    def write(self, text: str) -> None:
        if _PROGRESS_BAR.search(text):
            self.terminal.write(text)
            self.open = True

    def flush(self) -> None:
        self.terminal.flush()

    def close_line(self) -> None:
        if self.open:
            self.terminal.write("\n")
            self.open = False


def _prefix(path: Path) -> str:
    return path.name[:2]


def notebook_dependencies(path: Path, all_prefixes: Sequence[str]) -> set[str]:
    """Numbers of the notebooks that must finish before this one starts.

    A notebook names them in its header metadata (``depends_on: ["02"]``, whose outputs it reads);
    one that names none waits for every notebook numbered below it, which is always safe.
    """
    declared = read_notebook(path).metadata.get("depends_on")
    if declared is None:
        return {p for p in all_prefixes if p < _prefix(path)}
    return {str(d) for d in declared if str(d) in all_prefixes}


def _check_output_folder(final: Path) -> None:
    """One line when ``--out`` cannot be an output folder (a file, or a place we may not write)."""
    if final.exists() and not final.is_dir():
        raise PipelineError(f"{final}: exists and is not a folder; choose another --out")
    parent = final.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"{parent}: cannot create the output folder's parent ({exc.strerror})") from None
    if not os.access(parent, os.W_OK | os.X_OK) or (final.exists() and not os.access(final, os.W_OK | os.X_OK)):
        raise PipelineError(f"{final}: not writable; choose another --out")
    if final.is_dir() and not (final / "manifest.json").exists():
        # The folder is replaced as a whole: never one that holds something other than an earlier run.
        others = sorted(p.name for p in final.iterdir() if p.name != "README.md")
        if others:
            raise PipelineError(f"{final}: holds files that are not an earlier run's outputs (e.g. {others[0]}); "
                                f"choose a new or empty folder for --out")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def output_lock(final: Path) -> Iterator[Path]:
    """Hold ``.<out>.lock`` beside the output folder; refuse (one line) while another live run holds it."""
    lock = final.parent / f".{final.name}.lock"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                pid = int(lock.read_text(encoding="utf-8").strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and _pid_alive(pid):
                raise PipelineError(f"{final}: another run (process {pid}) is writing into this folder; "
                                    f"wait for it to finish (lock {lock})") from None
            lock.unlink(missing_ok=True)  # left by a run that was killed
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{os.getpid()}\n")
        break
    else:
        raise PipelineError(f"{final}: cannot take the lock {lock}")
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def _remove_leftovers(final: Path) -> None:
    """Folders of earlier runs that were killed (their process is gone).

    A staging folder is removed. A run killed between the two renames of ``_replace_folder`` left the
    previous output as ``.<out>.old-<pid>`` and no ``<out>``: it is put back.
    """
    def dead(folder: Path) -> bool:
        pid = folder.name.rsplit("-", 1)[-1]
        return not (pid.isdigit() and _pid_alive(int(pid))) or int(pid) == os.getpid()

    for old in final.parent.glob(f".{final.name}.staging-*"):
        if dead(old):
            shutil.rmtree(old, ignore_errors=True)
    for old in sorted(final.parent.glob(f".{final.name}.old-*")):
        if dead(old):
            if not final.exists():
                old.rename(final)
            else:
                shutil.rmtree(old, ignore_errors=True)


def cache_folder(final: Path) -> Path:
    """Where a run into ``final`` caches per-document results (``.<out>.cache`` beside it)."""
    return final.parent / f".{final.name}.cache"


def _replace_folder(staging: Path, final: Path) -> None:
    """Put the finished run in place of ``final`` (the tracked ``README.md`` note is carried over)."""
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        note = final / "README.md"
        if note.is_file() and not (staging / "README.md").exists():
            shutil.copy2(note, staging / "README.md")
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def check_corpus(corpus_dir: Path, glob: str | None = None) -> list[Path]:
    """The corpus's input files; PipelineError (one line) when there are none."""
    from .corpus import expand_inputs

    if not Path(corpus_dir).exists() and not any(ch in str(corpus_dir) for ch in "*?["):
        raise PipelineError(f"{corpus_dir}: no such corpus folder or file")
    files = [p for p in expand_inputs(corpus_dir, glob=glob) if p.is_file()]
    if not files:
        where = f" matching {glob}" if glob else ""
        raise PipelineError(f"{corpus_dir}: no input files{where} (the corpus is empty)")
    return files


# A warning when at least this share of the readable documents gave no fact at all.
NO_FACTS_WARNING_SHARE = 0.2


def yield_warnings(output_dir: Path) -> list[str]:
    """Plain warnings about a finished run: many readable documents without any fact."""
    from . import schema

    docs_path, facts_path = Path(output_dir) / "documents.csv", Path(output_dir) / "facts.csv"
    if not docs_path.exists() or not facts_path.exists():
        return []
    docs = schema.read_table(docs_path, "documents")
    ok = docs[docs["status"] == "ok"]
    with_facts = set(schema.read_table(facts_path, "facts")["doc_id"])
    empty = sorted(set(ok["doc_id"]) - with_facts)
    if ok.empty or len(empty) < max(1, NO_FACTS_WARNING_SHARE * len(ok)):
        return []
    return [f"{len(empty)} of {len(ok)} readable documents yielded no facts (e.g. {empty[0]}); "
            f"see documents.csv and facts.csv"]


def run_pipeline(corpus_dir: Path | None = None, output_dir: Path | None = None,
                 parameters: Mapping[str, Any] | None = None, notebooks_dir: Path = NOTEBOOKS_DIR,
                 jobs: int = 2, progress: bool = True) -> dict[str, Any]:
    """Execute every notebook in order (independent ones side by side), validate, and write the manifest.

    The run writes into a staging folder beside ``output_dir`` and replaces ``output_dir`` only when
    every notebook and the output validation succeeded; a lock refuses a second run into the same
    folder. Returns the manifest. Raises PipelineError (one line first) when the run cannot start
    or fails; the previous output folder is then left as it was.
    """
    params = default_parameters(corpus_dir, output_dir)
    given = dict(parameters or {})
    for name, option in RESERVED_PARAMETERS.items():
        if name in given and str(Path(given[name]).resolve()) != params[name]:
            raise PipelineError(f"parameter {name} is set with {option}, not -p {name}")
        given.pop(name, None)
    notebooks = list_notebooks(notebooks_dir)
    if not notebooks:
        raise PipelineError(f"no notebooks found in {notebooks_dir}")
    params.update(check_parameters(given, notebooks))
    final = Path(params["output_dir"])
    corpus = Path(params["corpus_dir"])
    if any(nb for nb in notebooks if "corpus_dir" in declared_parameters(read_notebook(nb))):
        check_corpus(corpus, params.get("glob") or None)
    _check_output_folder(final)
    with output_lock(final):
        _remove_leftovers(final)
        staging = final.parent / f".{final.name}.staging-{os.getpid()}"
        staging.mkdir()
        try:
            manifest = _run_into(staging, final, params, notebooks, jobs, progress)
        except BaseException as exc:
            failed = final.parent / f".{final.name}.failed"
            shutil.rmtree(failed, ignore_errors=True)
            staging.rename(failed)
            if isinstance(exc, PipelineError):
                raise PipelineError(str(exc).replace(str(staging), str(failed))
                                    + f"\n  {final} was left as it was") from None
            raise
        _replace_folder(staging, final)
    return manifest


def _run_into(staging: Path, final: Path, params: dict[str, Any], notebooks: Sequence[Path], jobs: int,
              progress: bool) -> dict[str, Any]:
    """Run the notebooks with ``output_dir`` = ``staging``; finalise, describe and validate the outputs."""
    from . import schema, validate

    # Per-document results are cached beside the output folder, which a run replaces as a whole.
    run_params = dict(params, output_dir=str(staging), cache_dir=str(cache_folder(final)))
    executed_dir = staging / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    (executed_dir / KERNEL_LOG).write_text("", encoding="utf-8")
    prefixes = [_prefix(p) for p in notebooks]
    needs = {p: notebook_dependencies(p, prefixes) for p in notebooks}
    warm = {p: warmup.notebook_imports(c.source for c in read_notebook(p).cells if c.cell_type == "code")
            for p in notebooks}
    started = time.perf_counter()
    lock = threading.Lock()
    with _quiet_kernel(executed_dir / KERNEL_LOG):
        terminal = sys.stderr  # the terminal; the kernels' own stderr goes to the log

        def say(line: str) -> None:
            if progress:
                with lock:
                    terminal.write(line + "\n")
                    terminal.flush()

        def execute(path: Path, km: Any) -> NotebookRun:
            relay = ProgressRelay(terminal) if progress else None
            try:
                return execute_notebook(path, run_params, executed_dir, progress=False, km=km, stderr_file=relay)
            finally:
                if relay:
                    with lock:
                        relay.close_line()

        def finished(run: NotebookRun) -> None:
            say(f"{run.name}: done in {run.seconds:.1f} s")
            check_readable(Path(params["corpus_dir"]), staging / "documents.csv")
            check_regions(params.get("regions") or [], staging / "documents.csv")

        # Kernels are forked from a server that imports each notebook's modules as its kernel is asked
        # for: a kernel then maps little more than what the notebooks before it used.
        try:
            with kernel_fork.fork_server():
                runs = scheduler.run_graph(notebooks, needs, execute, jobs=jobs, warm=warm,
                                           on_start=lambda name: say(f"{name}: running"), on_finish=finished)
        except PipelineError:
            raise
        except RuntimeError as exc:  # dependencies that cannot be met
            raise PipelineError(str(exc)) from None
    runs.sort(key=lambda r: r.name)
    for csv_path in sorted(staging.glob("*.csv")):
        schema.make_csv_file_safe(csv_path)
    total = time.perf_counter() - started
    manifest = build_manifest(dict(params, output_dir=str(final)), runs, total, notebooks[0].parent,
                              outputs_dir=staging)
    manifest["row_counts"] = validate.row_counts(staging)
    manifest["warnings"] = yield_warnings(staging)
    (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                                           + "\n", encoding="utf-8")
    problems = validate.validate_outputs(staging)
    if problems:
        raise PipelineError(f"output validation failed: {problems[0]}"
                            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return manifest


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _hash_or_problem(path: Path) -> str:
    """sha256 of a file, or ``unreadable: …`` (an unreadable input must not stop the manifest)."""
    try:
        return sha256_file(path)
    except OSError as exc:
        return f"unreadable: {exc.strerror or type(exc).__name__}"


def _hash_tree(root: Path, skip: Sequence[str] = ()) -> dict[str, str]:
    if not root.exists():
        return {}
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    base = root.parent if root.is_file() else root
    return {p.relative_to(base).as_posix(): _hash_or_problem(p)
            for p in files if not any(p.relative_to(base).as_posix().startswith(s) for s in skip)}


def package_versions(names: Sequence[str] = RECORDED_PACKAGES) -> dict[str, str]:
    """Installed versions of the packages the results depend on."""
    versions = {"python": sys.version.split()[0]}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    try:
        versions["gov-work-reports"] = metadata.version("gov-work-reports")
    except metadata.PackageNotFoundError:
        pass
    return versions


def build_manifest(parameters: Mapping[str, Any], runs: Sequence[NotebookRun], total_seconds: float,
                   notebooks_dir: Path = NOTEBOOKS_DIR, outputs_dir: Path | None = None) -> dict[str, Any]:
    """Inputs and outputs with their sha256, parameters, versions and timings.

    ``outputs_dir`` is where the outputs are now (the staging folder); ``parameters`` name the final one.
    """
    out_dir = Path(outputs_dir or parameters["output_dir"])
    corpus = Path(parameters["corpus_dir"])
    return {
        "parameters": dict(parameters),
        "inputs": _hash_tree(corpus),
        "notebooks": {p.name: sha256_file(p) for p in list_notebooks(notebooks_dir)},
        "outputs": _hash_tree(out_dir, skip=("manifest.json", "notebooks/", "README.md", "cache/")),
        "executed_notebooks": _hash_tree(out_dir / "notebooks", skip=(KERNEL_LOG,)),
        "versions": package_versions(),
        "timings_seconds": {r.name: round(r.seconds, 3) for r in runs} | {"total": round(total_seconds, 3)},
    }


# Files a rerun may change: timings and the executed notebooks' timestamps.
# README.md is the tracked note in outputs/, not something the pipeline writes.
# cache/ holds per-document results kept between runs (analysis.cache), not results.
VOLATILE_OUTPUTS = ("manifest.json", "notebooks/", "README.md", "cache/")


def compare_outputs(first: Path, second: Path, volatile: Sequence[str] = VOLATILE_OUTPUTS) -> list[str]:
    """Differences between two output folders, ignoring the files a rerun may change.

    An empty list means the runs are byte-identical.
    """
    a, b = _hash_tree(Path(first), skip=volatile), _hash_tree(Path(second), skip=volatile)
    problems = [f"only in {first}: {name}" for name in sorted(a.keys() - b.keys())]
    problems += [f"only in {second}: {name}" for name in sorted(b.keys() - a.keys())]
    problems += [f"differs: {name}" for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    return problems


def figures_missing_from_html(output_dir: Path) -> list[str]:
    """Figures under ``figures/`` that ``report.html`` does not embed (by name, as data or inline SVG)."""
    html_path = Path(output_dir) / "report.html"
    html = html_path.read_text(encoding="utf-8")
    names = sorted({p.stem for p in (Path(output_dir) / "figures").glob("*.png")})
    missing = [n for n in names if f'data-figure="{n}"' not in html]
    if 'src="figures/' in html or "src='figures/" in html:
        missing.append("report.html links figures instead of embedding them")
    return missing
