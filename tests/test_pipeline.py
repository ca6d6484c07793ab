"""The papermill runner: order, parameters, failure messages, manifest, output comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import pipeline

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""


def _notebook(folder: Path, name: str, body: str, params: str = 'output_dir = "."') -> Path:
    path = folder / name
    path.write_text(f'{HEADER}\n# %% tags=["parameters"]\n{params}\n\n# %%\n{body}\n', encoding="utf-8")
    return path


def test_runs_notebooks_in_order_with_their_declared_parameters(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "out"
    nbs.mkdir()
    _notebook(nbs, "01_first.py", 'from pathlib import Path\nPath(output_dir, "a.txt").write_text(greeting)',
              'output_dir = "."\ngreeting = "default"')
    _notebook(nbs, "02_second.py",
              'from pathlib import Path\nPath(output_dir, "b.txt").write_text(Path(output_dir, "a.txt").read_text() + "!")')
    manifest = pipeline.run_pipeline(tmp_path, out, {"greeting": "你好"}, notebooks_dir=nbs, progress=False)
    assert (out / "b.txt").read_text(encoding="utf-8") == "你好!"
    assert (out / "notebooks" / "01_first.ipynb").exists()
    saved = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert saved["outputs"]["b.txt"] == pipeline.sha256_file(out / "b.txt")
    assert set(saved["timings_seconds"]) == {"01_first", "02_second", "total"}
    assert saved["versions"]["papermill"] != "not installed"
    assert manifest["parameters"]["greeting"] == "你好"


def test_failing_notebook_names_notebook_and_cell_and_keeps_it(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "out"
    nbs.mkdir()
    _notebook(nbs, "01_broken.py", "x = 1\n\n# %%\nraise ValueError('no such indicator')")
    _notebook(nbs, "02_never.py", "open('never-ran', 'w')")
    with pytest.raises(pipeline.PipelineError) as info:
        pipeline.run_pipeline(tmp_path, out, notebooks_dir=nbs, progress=False)
    message = str(info.value)
    assert "01_broken" in message and "ValueError" in message and "no such indicator" in message
    assert "cell" in message
    assert (out / "notebooks" / "01_broken.ipynb").exists()
    assert not (out / "notebooks" / "02_never.ipynb").exists()


def test_compare_outputs_ignores_only_volatile_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        (d / "notebooks").mkdir(parents=True)
        (d / "facts.csv").write_text("x\n1\n")
    (a / "manifest.json").write_text("1")
    (b / "manifest.json").write_text("2")
    (a / "notebooks" / "n.ipynb").write_text("1")
    assert pipeline.compare_outputs(a, b) == []
    (b / "facts.csv").write_text("x\n2\n")
    (b / "extra.svg").write_text("")
    assert pipeline.compare_outputs(a, b) == ["only in " + str(b) + ": extra.svg", "differs: facts.csv"]
