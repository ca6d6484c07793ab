"""Pipeline overhead: the full pipeline on seeds/ against papermill running empty notebooks.

    .venv/bin/python benchmarks/bench_pipeline.py [--corpus seeds] [--jobs 2] [--repeat 1]

(a) times ``analysis.pipeline.run_pipeline`` on the corpus; (b) times papermill executing the same
number of notebooks that hold only a parameters cell, one after another — the floor set by kernel
start-up — and (c) the same empty notebooks, with the real notebooks' dependencies, through our runner (the same
process layout as (a): kernels started ahead, dependants as soon as their dependencies finish). Prints the
times and the ratio a/b. The goal is a/b ≤ 1.3. With ``--repeat N`` each is measured N times and the
fastest counts (the machine is shared: the minimum is the least disturbed measurement); every time is printed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
import papermill as pm

from analysis import pipeline
from analysis.paths import NOTEBOOKS_DIR, SEEDS_DIR, PROJECT_DIR


def _empty_notebooks(folder: Path, names: list[str], depends: dict[str, list] | None = None) -> list[Path]:
    """Notebooks holding only a parameters cell, with the real notebooks' ``depends_on`` (same layout)."""
    paths = []
    for name in names:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["depends_on"] = list((depends or {}).get(name, []))
        nb.cells = [nbformat.v4.new_code_cell('output_dir = "."', metadata={"tags": ["parameters"]})]
        path = folder / f"{name}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(SEEDS_DIR))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="measure each this many times; the fastest counts")
    args = parser.parse_args()
    notebooks = pipeline.list_notebooks(NOTEBOOKS_DIR)
    fulls, floors, runners = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty_dir = tmp / "empty"
        empty_dir.mkdir()
        depends = {p.stem: pipeline.read_notebook(p).metadata.get("depends_on", []) for p in notebooks}
        empties = _empty_notebooks(empty_dir, [p.stem for p in notebooks], depends)
        py_dir = tmp / "empty_py"
        py_dir.mkdir()
        for path in empties:
            jupytext.write(nbformat.read(path, as_version=4), py_dir / f"{path.stem}.py", fmt="py:percent")
        for i in range(max(1, args.repeat)):
            start = time.perf_counter()
            # A new output folder each time: the per-document cache beside it starts empty, as in a first run.
            pipeline.run_pipeline(Path(args.corpus), tmp / f"out{i}",
                                  {"gold": str(PROJECT_DIR / "tests" / "data" / "seed_facts.csv")},
                                  jobs=args.jobs, progress=False)
            fulls.append(time.perf_counter() - start)

            start = time.perf_counter()
            with pipeline._quiet_kernel(tmp / "kernel.log"):
                for path in empties:
                    pm.execute_notebook(str(path), str(tmp / f"done_{path.name}"), kernel_name="python3",
                                        progress_bar=False)
            floors.append(time.perf_counter() - start)

            start = time.perf_counter()
            pipeline.run_pipeline(tmp, tmp / f"out_empty{i}", notebooks_dir=py_dir, jobs=args.jobs, progress=False)
            runners.append(time.perf_counter() - start)

    full, floor, empty_runner = min(fulls), min(floors), min(runners)
    each = (lambda xs: "" if len(xs) == 1 else f"  (each: {', '.join(f'{x:.2f}' for x in xs)})")
    print(f"notebooks: {len(notebooks)}")
    print(f"(a) full pipeline on {args.corpus} (jobs={args.jobs}): {full:.2f} s{each(fulls)}")
    print(f"(b) papermill, {len(notebooks)} empty notebooks one after another: {floor:.2f} s{each(floors)}")
    print(f"(c) our runner, {len(notebooks)} empty notebooks with the real dependencies (jobs={args.jobs}): "
          f"{empty_runner:.2f} s{each(runners)}")
    print(f"ratio a/b: {full / floor:.2f}  (goal ≤ 1.3)")
    print(f"ratio a/c (same process layout): {full / empty_runner:.2f}")
    import resource

    print(f"peak RSS of one process (this one or a kernel): "
          f"{max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
