"""The whole shared corpus end to end: wall time and peak memory of the pipeline (every notebook).

    .venv/bin/python benchmarks/bench_corpus.py [--corpus /tmp/gwr] [--jobs 0] [--sample N] [--out DIR]
                                                 [--no-cache] [--keep]

The corpus is ``--corpus`` (a folder of reports), else ``/tmp/gwr`` when unpacked there, else the
archives in ``$GWR_SHARED/corpora`` (default ``../shared/corpora`` beside the project), unpacked into a
temporary folder. ``--sample N`` takes a fixed sample of N reports (every k-th file in path order), as
CI does. When ``$GWR_SHARED/gold/provincial_gdp_targets.csv`` exists it is passed as ``provincial_gold`` (with
``tests/data/provincial_gold_adjudication.csv``), so the report sets the hand-coded escalation beside ours.
Prints the wall time per notebook and in all, the goal (≤ 10 min), and the peak resident memory
of the whole process tree (this process, the notebook kernels and their worker pools, sampled every
0.2 s; goal < 4 GB), plus what was read and written. Not a timed test.

A second run into the same ``--out`` reuses the cache: ``--keep`` keeps the output folder for that.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import pipeline  # noqa: E402
from analysis.paths import PROJECT_DIR  # noqa: E402

GOAL_SECONDS = 600
GOAL_RSS_GB = 4.0


def shared_dir() -> Path:
    return Path(os.environ.get("GWR_SHARED") or PROJECT_DIR / ".." / "shared")


def gold_parameters() -> dict[str, str]:
    """The hand-coded provincial GDP targets and their adjudicated errors, when the shared gold is there:
    the run then sets its province − nation escalation beside the hand-coded one (gold_escalation.csv)."""
    gold = shared_dir() / "gold" / "provincial_gdp_targets.csv"
    if not gold.is_file():
        return {}
    params = {"provincial_gold": str(gold.resolve())}
    adjudication = PROJECT_DIR / "tests" / "data" / "provincial_gold_adjudication.csv"
    if adjudication.is_file():
        params["gold_adjudication"] = str(adjudication.resolve())
    return params


def find_corpus(given: str | None, tmp: Path) -> Path | None:
    """The corpus folder: given, /tmp/gwr, or the shared archives unpacked under ``tmp``."""
    if given:
        return Path(given)
    if Path("/tmp/gwr").is_dir() and any(Path("/tmp/gwr").iterdir()):
        return Path("/tmp/gwr")
    archives = sorted((shared_dir() / "corpora").glob("*.tar.xz"))
    if not archives:
        return None
    target = tmp / "gwr"
    target.mkdir()
    for archive in archives:
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
    return target


def sample_corpus(corpus: Path, n: int, tmp: Path) -> Path:
    """A fixed sample of ``n`` reports (every k-th file in path order), copied with their folders."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    step = max(1, len(files) // n)
    chosen = files[::step][:n]
    target = tmp / "sample"
    for f in chosen:
        dest = target / f.relative_to(corpus)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    return target


def _pss(pid: int) -> int:
    """A process's proportional set size in bytes (0 where /proc/PID/smaps_rollup is not there)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakTreeRSS:
    """Peak of the summed resident memory of this process and all its descendants (psutil), and of their
    summed proportional set size (PSS, Linux): forked kernels share their parent's pages, which RSS
    counts once in every process that maps them and PSS divides among them."""

    def __init__(self, interval: float = 0.2):
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self.at_peak: list[tuple[int, int, str]] = []  # (RSS, PSS, command) of each process at the RSS peak
        self.started = time.perf_counter()
        self.peak_at = 0.0  # seconds from the start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> tuple[int, int]:
        import psutil

        total = pss = 0
        each = []
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                rss = p.memory_info().rss
                share = _pss(p.pid)
                name = p.name()  # a forked kernel is named after its notebook (analysis.kernel_fork)
                label = " ".join(p.cmdline())[-60:]
                each.append((rss, share, label if name.startswith("python") else f"{name} ({label[-30:]})"))
                total += rss
                pss += share
            except psutil.Error:
                pass
        if total > self.peak:
            self.at_peak = sorted(each, reverse=True)
            self.peak_at = time.perf_counter() - self.started
        return total, pss

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss = self._sample()
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakTreeRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0 = cores available)")
    parser.add_argument("--sample", type=int, help="a fixed sample of this many reports")
    parser.add_argument("--out", help="output folder (default: a temporary folder)")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the output folder")
    args = parser.parse_args()
    from analysis.parallel import default_jobs

    jobs = args.jobs or default_jobs()
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = find_corpus(args.corpus, tmp)
        if corpus is None:
            print(f"skipped: no corpus (/tmp/gwr is empty and {shared_dir() / 'corpora'} has no archives)")
            return 0
        if args.sample:
            corpus = sample_corpus(corpus, args.sample, tmp)
        files = [p for p in corpus.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        out = Path(args.out) if args.out else tmp / "out"
        print(f"corpus: {corpus} ({len(files)} files, {size / 1e6:.0f} MB); jobs {jobs}; "
              f"cache {'off' if args.no_cache else 'on'}; output {out}", flush=True)
        params = {"jobs": jobs, "use_cache": not args.no_cache, **gold_parameters()}
        if "provincial_gold" in params:
            print(f"provincial gold: {params['provincial_gold']}", flush=True)
        start = time.perf_counter()
        with PeakTreeRSS() as rss:
            manifest = pipeline.run_pipeline(corpus, out, params, jobs=min(2, jobs), progress=False)
        wall = time.perf_counter() - start
        for name, seconds in manifest["timings_seconds"].items():
            print(f"  {name:<28} {seconds:8.1f} s")
        print(f"wall time: {wall:.1f} s ({wall / 60:.1f} min; goal ≤ {GOAL_SECONDS / 60:.0f} min: "
              f"{'met' if wall <= GOAL_SECONDS else 'NOT met'})")
        print(f"peak RSS of the process tree: {rss.peak / 1e9:.2f} GB (goal < {GOAL_RSS_GB:.0f} GB: "
              f"{'met' if rss.peak / 1e9 < GOAL_RSS_GB else 'NOT met'}); peak PSS (shared pages counted once): "
              f"{rss.peak_pss / 1e9:.2f} GB; the RSS peak {rss.peak_at:.0f} s from the start")
        for each_rss, each_pss, command in rss.at_peak[:8]:
            print(f"    at the peak: RSS {each_rss / 1e9:.2f} GB, PSS {each_pss / 1e9:.2f} GB  …{command}")
        for name in ("documents.csv", "facts.csv", "targets_vs_outcomes.csv", "report.pdf", "facts_table.html"):
            p = out / name
            if p.exists():
                rows = sum(1 for _ in open(p, encoding="utf-8", errors="replace")) - 1 if p.suffix == ".csv" else None
                print(f"  {name:<28} {p.stat().st_size / 1e6:8.1f} MB" + (f"  {rows} rows" if rows is not None else ""))
        if (out / "report.pdf").exists():
            import pypdf

            print(f"  report.pdf pages: {len(pypdf.PdfReader(out / 'report.pdf').pages)}")
        if args.keep and not args.out:
            kept = Path(tempfile.mkdtemp(prefix="bench-corpus-out-"))
            shutil.copytree(out, kept, dirs_exist_ok=True)
            print(f"outputs kept in {kept}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
