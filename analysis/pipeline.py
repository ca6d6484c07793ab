"""Run the numbered notebooks end to end with papermill and write the manifest.

The notebooks are the jupytext percent files ``notebooks/NN_name.py``; they are read with jupytext
and handed to papermill as notebook objects, so the ``.ipynb`` twins never have to be in sync for a
run (a test checks that they are). Each notebook receives only the parameters its ``parameters``
cell declares. Notebooks whose inputs are ready run side by side (two at a time by default): a
notebook's header metadata ``depends_on`` lists the notebooks whose outputs it reads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from .paths import NOTEBOOKS_DIR, OUTPUTS_DIR, SEEDS_DIR

# Package versions recorded in the manifest.
RECORDED_PACKAGES = (
    "pandas", "pyarrow", "matplotlib", "papermill", "jupytext", "nbclient", "ipykernel",
    "opencc-python-reimplemented", "jieba", "charset-normalizer", "weasyprint", "mplfonts",
)

KERNEL_LOG = "kernel.log"


class PipelineError(RuntimeError):
    """A notebook failed; the message names the notebook, the cell and the error."""


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
    return (f"notebook {nb_name} failed at {where}: {ename}: {evalue}\n"
            f"  the executed notebook is kept at {executed_path}")


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
                     progress: bool = True) -> NotebookRun:
    """Execute one notebook with papermill; raise PipelineError naming notebook and cell on failure."""
    import papermill as pm

    nb = read_notebook(path)
    wanted = declared_parameters(nb)
    params = {k: v for k, v in parameters.items() if k in wanted}
    executed_dir.mkdir(parents=True, exist_ok=True)
    out = executed_dir / f"{path.stem}.ipynb"
    start = time.perf_counter()
    try:
        with _quiet_kernel(executed_dir / KERNEL_LOG):
            pm.execute_notebook(
                nb, str(out), parameters=params, kernel_name="python3", cwd=str(path.parent),
                progress_bar={"desc": path.stem, "leave": True} if progress else False,
                start_timeout=120,
            )
    except Exception as exc:  # papermill's error, nbclient's DeadKernelError/CellTimeoutError, anything
        raise PipelineError(_failed_cell_message(path.stem, exc, out)) from None
    return NotebookRun(path.stem, out, time.perf_counter() - start, params)


def _execute_in_worker(args: tuple[str, dict[str, Any], str, bool]) -> NotebookRun:
    path, parameters, executed_dir, progress = args
    return execute_notebook(Path(path), parameters, Path(executed_dir), progress)


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


def run_pipeline(corpus_dir: Path | None = None, output_dir: Path | None = None,
                 parameters: Mapping[str, Any] | None = None, notebooks_dir: Path = NOTEBOOKS_DIR,
                 jobs: int = 2, progress: bool = True) -> dict[str, Any]:
    """Execute every notebook in order (independent ones side by side) and write the manifest.

    Returns the manifest. Raises PipelineError if a notebook fails (the run stops there).
    """
    params = default_parameters(corpus_dir, output_dir)
    params.update(parameters or {})
    out_dir = Path(params["output_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    executed_dir = out_dir / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    (executed_dir / KERNEL_LOG).write_text("", encoding="utf-8")
    notebooks = list_notebooks(notebooks_dir)
    if not notebooks:
        raise PipelineError(f"no notebooks found in {notebooks_dir}")
    prefixes = [_prefix(p) for p in notebooks]
    needs = {p: notebook_dependencies(p, prefixes) for p in notebooks}
    done: set[str] = set()
    runs: list[NotebookRun] = []
    started = time.perf_counter()
    pending = list(notebooks)
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        while pending:
            ready = [p for p in pending if needs[p] <= done]
            if not ready:
                raise PipelineError(f"notebook dependencies cannot be met: {[p.name for p in pending]}")
            batch = ready[: max(1, jobs)]
            if len(batch) == 1:
                results = [execute_notebook(batch[0], params, executed_dir, progress)]
            else:
                futures = [pool.submit(_execute_in_worker, (str(p), dict(params), str(executed_dir), progress))
                           for p in batch]
                results = []
                errors = []
                for fut in futures:
                    try:
                        results.append(fut.result())
                    except PipelineError as exc:
                        errors.append(str(exc))
                if errors:
                    raise PipelineError("\n".join(errors))
            for run in results:
                runs.append(run)
                done.add(run.name[:2])
            pending = [p for p in pending if _prefix(p) not in done]
    total = time.perf_counter() - started
    manifest = build_manifest(params, runs, total, notebooks_dir)
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                           encoding="utf-8")
    return manifest


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _hash_tree(root: Path, skip: Sequence[str] = ()) -> dict[str, str]:
    if not root.exists():
        return {}
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    base = root.parent if root.is_file() else root
    return {p.relative_to(base).as_posix(): sha256_file(p)
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
                   notebooks_dir: Path = NOTEBOOKS_DIR) -> dict[str, Any]:
    """Inputs and outputs with their sha256, parameters, versions and timings."""
    out_dir = Path(parameters["output_dir"])
    corpus = Path(parameters["corpus_dir"])
    return {
        "parameters": dict(parameters),
        "inputs": _hash_tree(corpus),
        "notebooks": {p.name: sha256_file(p) for p in list_notebooks(notebooks_dir)},
        "outputs": _hash_tree(out_dir, skip=("manifest.json", "notebooks/", "cache/")),
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
