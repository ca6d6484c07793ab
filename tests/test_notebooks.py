"""The notebooks: jupytext pairs in sync, outputs stripped, parameters and kernelspec present."""

from __future__ import annotations

import json

import jupytext
import nbformat
import pytest

from analysis import pipeline
from analysis.paths import NOTEBOOKS_DIR

NOTEBOOKS = pipeline.list_notebooks(NOTEBOOKS_DIR)


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_pipeline_has_the_numbered_notebooks():
    names = [p.stem for p in NOTEBOOKS]
    assert names[0].startswith("01_") and names[-1].startswith("09_")
    assert len(names) >= 5


@pytest.mark.parametrize("py_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_pair_in_sync_and_without_outputs(py_path):
    ipynb_path = py_path.with_suffix(".ipynb")
    assert ipynb_path.exists(), f"{ipynb_path.name} missing: run `jupytext --sync {py_path}`"
    from_py = jupytext.read(py_path)
    from_ipynb = nbformat.read(ipynb_path, as_version=4)
    assert _cells(from_py) == _cells(from_ipynb), (
        f"{py_path.name} and {ipynb_path.name} differ: run `jupytext --sync notebooks/*.py`")
    raw = json.loads(ipynb_path.read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, "commit notebooks without outputs"


@pytest.mark.parametrize("py_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_and_kernelspec(py_path):
    nb = jupytext.read(py_path)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    params = pipeline.declared_parameters(nb)
    assert "output_dir" in params
    assert py_path.stem.startswith("09_") or "corpus_dir" in params


def test_declared_parameters_reads_only_the_tagged_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell('a = "1"\nb: int = 2\n# c = 3', metadata={"tags": ["parameters"]})]
    assert pipeline.declared_parameters(nb) == {"a", "b"}
