"""The papermill runner: order, parameters, failure messages, manifest, output comparison."""

from __future__ import annotations

import json
import os
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
    failed = tmp_path / ".out.failed"
    assert (failed / "notebooks" / "01_broken.ipynb").exists() and str(failed) in message
    assert not (failed / "notebooks" / "02_never.ipynb").exists()
    assert not out.exists()  # nothing half-written where the outputs go


def test_a_kernel_that_dies_is_named_and_the_message_says_whether_a_notebook_was_kept(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "out"
    nbs.mkdir()
    _notebook(nbs, "01_dies.py", "import os\nos._exit(3)")
    with pytest.raises(pipeline.PipelineError) as info:
        pipeline.run_pipeline(tmp_path, out, notebooks_dir=nbs, progress=False)
    message = str(info.value)
    assert "01_dies" in message
    kept = tmp_path / ".out.failed" / "notebooks" / "01_dies.ipynb"
    assert ("is kept at" in message) == kept.exists()
    assert not out.exists()


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


# ---------------------------------------------------------------- atomic runs

def _writer(nbs: Path, body: str = "") -> None:
    _notebook(nbs, "01_write.py", 'from pathlib import Path\n'
              'Path(output_dir, f"{tag}.txt").write_text(tag)\n' + body, 'output_dir = "."\ntag = "a"')


def test_a_rerun_replaces_the_folder_and_no_earlier_file_survives(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "out"
    nbs.mkdir()
    _writer(nbs)
    pipeline.run_pipeline(tmp_path, out, {"tag": "first"}, notebooks_dir=nbs, progress=False)
    (out / "README.md").write_text("tracked note")
    manifest = pipeline.run_pipeline(tmp_path, out, {"tag": "second"}, notebooks_dir=nbs, progress=False)
    assert sorted(p.name for p in out.glob("*.txt")) == ["second.txt"]
    assert set(manifest["outputs"]) == {"second.txt"}
    assert (out / "README.md").read_text() == "tracked note"
    assert not list(tmp_path.glob(".out.*"))  # no staging folder or lock left behind


def test_a_failed_run_leaves_the_previous_output_untouched(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "out"
    nbs.mkdir()
    _writer(nbs, 'if tag == "bad":\n    raise RuntimeError("disk full")')
    pipeline.run_pipeline(tmp_path, out, {"tag": "good"}, notebooks_dir=nbs, progress=False)
    before = pipeline._hash_tree(out)
    with pytest.raises(pipeline.PipelineError, match="disk full"):
        pipeline.run_pipeline(tmp_path, out, {"tag": "bad"}, notebooks_dir=nbs, progress=False)
    assert pipeline._hash_tree(out) == before


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    out = tmp_path / "out"
    lock = tmp_path / ".out.lock"
    lock.write_text(f"{os.getppid()}\n")  # a live process holds the folder
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _writer(nbs)
    with pytest.raises(pipeline.PipelineError, match="another run .* is writing into this folder"):
        pipeline.run_pipeline(tmp_path, out, notebooks_dir=nbs, progress=False)
    lock.write_text("999999999\n")  # left by a killed run: taken over
    (tmp_path / ".out.staging-999999999").mkdir()
    pipeline.run_pipeline(tmp_path, out, notebooks_dir=nbs, progress=False)
    assert (out / "a.txt").exists() and not lock.exists()
    assert not (tmp_path / ".out.staging-999999999").exists()


def test_a_run_killed_while_swapping_folders_gets_the_previous_output_back(tmp_path):
    final = tmp_path / "out"
    previous = tmp_path / ".out.old-999999999"
    previous.mkdir()
    (previous / "facts.csv").write_text("x\n")
    pipeline._remove_leftovers(final)
    assert (final / "facts.csv").exists() and not previous.exists()


@pytest.mark.parametrize("given, message", [
    ({"foo": 1}, "unknown parameter 'foo'"),
    ({"lang": "xx"}, "parameter lang: xx is not one of en, zh"),
    ({"years": ["twenty"]}, "parameter years takes four-digit years"),
    ({"indicators": ["gpd"]}, "parameter indicators: gpd is not one of"),
    ({"output_dir": "/elsewhere"}, "parameter output_dir is set with --out"),
    ({"gold": "/no/such/gold.csv"}, "gold file not found"),
    ({"provincial_gold": "/no/such/provincial.csv"}, "provincial gold file not found"),
])
def test_bad_parameters_stop_before_the_first_notebook(tmp_path, given, message):
    with pytest.raises(pipeline.PipelineError, match=message):
        pipeline.run_pipeline(tmp_path, tmp_path / "out", given, progress=False)
    assert not (tmp_path / "out").exists()


def test_list_parameters_take_one_value_or_a_comma_list():
    nbs = pipeline.list_notebooks()
    assert pipeline.check_parameters({"years": 2021, "regions": "荔湾区,越秀区"}, nbs) == \
        {"years": [2021], "regions": ["荔湾区", "越秀区"]}


def test_a_misspelled_region_is_named(tmp_path):
    docs = tmp_path / "documents.csv"
    docs.write_text("doc_id,region,status\na,荔湾区,ok\n", encoding="utf-8")
    pipeline.check_regions(["荔湾区"], docs)
    with pytest.raises(pipeline.PipelineError, match="荔弯区 is not a region of the corpus"):
        pipeline.check_regions(["荔弯区"], docs)


def test_an_empty_corpus_and_a_bad_out_are_one_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(pipeline.PipelineError, match="no input files"):
        pipeline.run_pipeline(empty, tmp_path / "out", progress=False)
    a_file = tmp_path / "taken.txt"
    a_file.write_text("x")
    with pytest.raises(pipeline.PipelineError, match="exists and is not a folder"):
        pipeline.run_pipeline(None, a_file, progress=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_out_is_one_line(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(pipeline.PipelineError, match="not writable"):
            pipeline.run_pipeline(None, ro / "out", progress=False)
    finally:
        ro.chmod(0o700)


def test_an_unreadable_input_is_named_in_the_manifest_not_a_crash(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("x")

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pipeline, "sha256_file", refuse)
    assert pipeline._hash_tree(tmp_path) == {"a.txt": "unreadable: Permission denied"}


def test_many_documents_without_facts_are_counted(tmp_path):
    (tmp_path / "documents.csv").write_text("doc_id,region,status\na,x,ok\nb,x,ok\nc,x,ok\n", encoding="utf-8")
    (tmp_path / "facts.csv").write_text("doc_id,role,indicator\na,target,gdp\n", encoding="utf-8")
    assert pipeline.yield_warnings(tmp_path) == [
        "2 of 3 readable documents yielded no facts (e.g. b); see documents.csv and facts.csv"]


def test_a_read_only_place_is_one_line_without_root(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.os, "access", lambda path, mode: False)
    with pytest.raises(pipeline.PipelineError, match=r"out: not writable; choose another --out"):
        pipeline._check_output_folder(tmp_path / "out")


def test_a_killed_run_and_a_concurrent_run_leave_the_previous_output_untouched(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    nbs, out = tmp_path / "nbs", tmp_path / "out"
    nbs.mkdir()
    _writer(nbs, 'import time\nif tag == "slow":\n    time.sleep(120)')
    pipeline.run_pipeline(tmp_path, out, {"tag": "first"}, notebooks_dir=nbs, progress=False)
    before = pipeline._hash_tree(out)
    code = ("from pathlib import Path\nfrom analysis import pipeline\n"
            f"pipeline.run_pipeline(Path({str(tmp_path)!r}), Path({str(out)!r}), {{'tag': 'slow'}}, "
            f"notebooks_dir=Path({str(nbs)!r}), progress=False)")
    slow = subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while not list(tmp_path.glob(".out.staging-*/notebooks/kernel.log")) and time.time() < deadline:
            time.sleep(0.2)
        with pytest.raises(pipeline.PipelineError, match="another run .* is writing into this folder"):
            pipeline.run_pipeline(tmp_path, out, {"tag": "second"}, notebooks_dir=nbs, progress=False)
    finally:
        os.killpg(slow.pid, signal.SIGKILL)
        slow.wait()
    assert pipeline._hash_tree(out) == before  # the killed run changed nothing
    pipeline.run_pipeline(tmp_path, out, {"tag": "third"}, notebooks_dir=nbs, progress=False)
    assert sorted(p.name for p in out.glob("*.txt")) == ["third.txt"]
    assert not list(tmp_path.glob(".out.staging-*")) and not (tmp_path / ".out.lock").exists()


def test_a_corpus_where_nothing_is_readable_is_one_line(tmp_path):
    docs = tmp_path / "documents.csv"
    docs.write_text("doc_id,region,status\na,,binary\nb,,not_a_report\nc,,binary\n", encoding="utf-8")
    with pytest.raises(pipeline.PipelineError, match=r"none of its 3 files could be read \(2 binary, 1 not_a_report\)"):
        pipeline.check_readable(tmp_path, docs)
    docs.write_text("doc_id,region,status\na,x,ok\nb,,binary\n", encoding="utf-8")
    pipeline.check_readable(tmp_path, docs)


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("years of work")
    with pytest.raises(pipeline.PipelineError, match="holds files that are not an earlier run's outputs"):
        pipeline._check_output_folder(mine)
    (mine / "thesis.docx").unlink()
    (mine / "README.md").write_text("note")
    pipeline._check_output_folder(mine)  # empty but for the tracked note: fine


def test_a_corpus_glob_is_accepted(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2021.md").write_text("x")
    assert pipeline.check_corpus(tmp_path / "*" / "*.md") == [tmp_path / "a" / "2021.md"]
    with pytest.raises(pipeline.PipelineError, match="no input files"):
        pipeline.check_corpus(tmp_path / "*" / "*.txt")


def test_progress_reaches_the_terminal_and_no_progress_silences_it(tmp_path, capfd):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs, "01_bar.py", "import sys\nfrom tqdm import tqdm\nprint('a warning', file=sys.stderr)\n"
                                "for _ in tqdm(range(3), desc='documents', file=sys.stderr):\n    pass")
    _notebook(nbs, "02_after.py", "x = 1")
    pipeline.run_pipeline(tmp_path, tmp_path / "loud", notebooks_dir=nbs, progress=True)
    err = capfd.readouterr().err
    assert "01_bar: running" in err and "02_after: done in" in err
    assert err.index("01_bar: done in") < err.index("02_after: running")
    assert "documents: 100%" in err and "3/3" in err  # the kernel's progress bar is relayed
    assert "a warning" not in err  # other stderr stays in the executed notebook
    pipeline.run_pipeline(tmp_path, tmp_path / "quiet", notebooks_dir=nbs, progress=False)
    assert capfd.readouterr().err == ""


def test_dependants_start_when_their_own_dependencies_finish(tmp_path):
    """04 needs only 03, which needs only 01: both run beside the slow 02 instead of waiting for it."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs, "01_a.py", "x = 1")
    for name, needs, extra in (("02_slow", "01", "time.sleep(8)\n"), ("03_quick", "01", ""), ("04_next", "03", "")):
        body = (f"import time\nfrom pathlib import Path\nstart = time.time()\n{extra}"
                f'Path(output_dir, "{name}").write_text(f"{{start}} {{time.time()}}")')
        path = _notebook(nbs, f"{name}.py", body)
        path.write_text(path.read_text().replace("# jupyter:\n", f"# jupyter:\n#   depends_on:\n#   - '{needs}'\n", 1))
    out = tmp_path / "out"
    pipeline.run_pipeline(tmp_path, out, notebooks_dir=nbs, jobs=2, progress=False)
    times = {n: tuple(map(float, (out / n).read_text().split())) for n in ("02_slow", "03_quick", "04_next")}
    assert times["03_quick"][1] <= times["04_next"][0]  # its dependency first
    assert times["04_next"][1] < times["02_slow"][1]  # but not behind the slow notebook it does not need
