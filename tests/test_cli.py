"""The command line, end to end on the seeds and on bad input (each step's own tests are elsewhere)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.paths import PROJECT_DIR, SEEDS_DIR

GOLD = PROJECT_DIR / "tests" / "data" / "seed_facts.csv"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_corpus_csv_has_one_row_per_seed_with_metadata(tmp_path):
    result = run_cli("corpus", str(SEEDS_DIR), "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(list(SEEDS_DIR.glob("*.txt")))
    assert list(rows[0])[:12] == ["doc_id", "region", "report_year", "doc_type", "encoding", "script", "raw_chars",
                                  "clean_chars", "boilerplate_chars", "duplicates_dropped", "status", "warnings"]
    assert {"level", "parent", "region_source", "report_year_source", "source_file", "reader"} <= set(rows[0])
    assert all(r["status"] == "ok" and r["region"] and r["report_year"] for r in rows)


def test_corpus_table_is_readable(tmp_path):
    result = run_cli("corpus", str(SEEDS_DIR), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "doc_id" in result.stdout and "荔湾区" in result.stdout


def test_bad_inputs_are_named_and_the_rest_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4)
    good = tmp_path / "good.txt"
    good.write_bytes((SEEDS_DIR / "002_27ec8666e20420ab.txt").read_bytes())
    result = run_cli("corpus", str(tmp_path), str(tmp_path / "missing.txt"), "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    statuses = {r["doc_id"]: r["status"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert statuses["good"] == "ok"
    assert statuses["empty"] != "ok" and statuses["scan"] != "ok" and statuses["missing"] != "ok"
    for name in ("empty.txt", "scan.txt", "missing.txt"):
        assert name in result.stderr


def test_no_readable_document_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run_cli("corpus", str(tmp_path))
    assert result.returncode != 0
    assert "no document could be read" in result.stderr


def test_normalize_writes_clean_texts(tmp_path):
    result = run_cli("normalize", str(SEEDS_DIR), "--out", str(tmp_path / "clean"))
    assert result.returncode == 0, result.stderr
    written = sorted(p.stem for p in (tmp_path / "clean").glob("*.txt"))
    assert written == sorted(p.stem for p in SEEDS_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("extract")
    result = run_cli("extract", str(SEEDS_DIR), "--out", str(out / "facts.csv"),
                     "--assessments", str(out / "assessments.csv"))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == len(list(SEEDS_DIR.glob("*.txt")))
    return out


def test_extract_then_score_prints_precision_recall_f1(extracted):
    result = run_cli("score", "--facts", str(extracted / "facts.csv"), "--gold", str(GOLD))
    assert result.returncode == 0, result.stderr
    text = result.stdout.lower()
    assert "precision" in text and "recall" in text and "f1" in text
    assert "assessments" in text


def test_extract_writes_parquet_when_asked(extracted, tmp_path):
    result = run_cli("extract", str(SEEDS_DIR / "002_27ec8666e20420ab.txt"), "--out", str(tmp_path / "f.parquet"))
    assert result.returncode == 0, result.stderr
    import pandas as pd
    assert len(pd.read_parquet(tmp_path / "f.parquet")) > 0


def test_match_writes_tables(extracted, tmp_path):
    result = run_cli("match", str(extracted / "facts.csv"), "--assessments", str(extracted / "assessments.csv"),
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("targets_vs_outcomes", "panel"):
        for ext in ("csv", "parquet", "dta"):
            assert (tmp_path / f"{name}.{ext}").is_file()


def test_emphasis_writes_tables(tmp_path):
    result = run_cli("emphasis", str(SEEDS_DIR), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("emphasis.csv", "distinctive.csv", "kwic.csv"):
        assert (tmp_path / name).is_file()


# ---------------------------------------------------------------- run: problems are one line

def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.mark.parametrize("args, message", [
    (["-p", "foo", "1"], "unknown parameter 'foo'"),
    (["-p", "lang", "xx"], "parameter lang: xx is not one of en, zh"),
    (["-p", "years", "twenty"], "parameter years takes four-digit years"),
    (["-p", "output_dir", "/tmp/elsewhere"], "parameter output_dir is set with --out"),
])
def test_run_refuses_bad_parameters_in_one_line(tmp_path, args, message):
    line = _one_line_error(run_cli("run", "--no-progress", "--out", str(tmp_path / "out"), *args, cwd=tmp_path))
    assert message in line
    assert not (tmp_path / "out").exists()


def test_run_resolves_relative_paths_against_the_working_folder(tmp_path):
    (tmp_path / "empty_corpus").mkdir()
    line = _one_line_error(run_cli("run", "--no-progress", "--corpus", "empty_corpus", "--out", "rel_out",
                                   cwd=tmp_path))
    assert f"{tmp_path / 'empty_corpus'}: no input files" in line


def test_run_with_out_on_a_file_is_one_line(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("x")
    line = _one_line_error(run_cli("run", "--no-progress", "--out", str(taken), cwd=tmp_path))
    assert line == f"error: {taken}: exists and is not a folder; choose another --out"


def test_problem_lines_name_the_path_once(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run_cli("corpus", str(tmp_path), str(tmp_path / "missing.txt"), cwd=tmp_path)
    lines = [line for line in result.stderr.splitlines()
             if ("empty.txt" in line or "missing.txt" in line) and not line.startswith("error:")]
    assert lines and all(line.count(str(tmp_path)) == 1 for line in lines), lines


def test_a_corpus_without_numbers_gives_a_report_and_says_no_facts(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(
        "某某区2023年政府工作报告\n\n各位代表：\n\n现在，我代表区人民政府，向大会报告工作，请予审议。\n\n"
        "一、过去一年的工作\n\n我们坚持稳中求进，推动经济持续健康发展。\n\n"
        "二、今年的主要任务\n\n全面推进城市更新，优化营商环境。\n", encoding="utf-8")
    result = run_cli("run", "--no-progress", "--corpus", "corpus", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "warning: 1 of 1 readable documents yielded no facts" in result.stderr
    assert (tmp_path / "out" / "report.md").exists() and (tmp_path / "out" / "report.pdf").exists()
    assert f"outputs in {tmp_path / 'out'}" in result.stdout


HOSTILE_REPORT = """某某区2023年政府工作报告

各位代表：

现在，我代表区人民政府，向大会报告工作，请予审议，并请区政协委员和其他列席人员提出意见。

一、2022年工作回顾

过去一年，我们坚持稳中求进工作总基调，统筹疫情防控和经济社会发展，扎实做好稳增长、促改革、调结构、惠民生、防风险各项工作，全区经济社会保持平稳健康发展。

全区地区生产总值完成512.3亿元，增长6.1%<img src=x onerror=alert(1)>。一般公共预算收入42.5亿元，增长3.2%👍\ufe0f。
=HYPERLINK("http://example.invalid","点击")新增就业1.2万人。

二、2023年主要目标

今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%，新增就业1万人以上。
我们将坚持以人民为中心的发展思想，持续优化营商环境，推进城市更新，加强生态环境保护，办好民生实事。
"""


def test_hostile_file_names_and_quotes_are_harmless(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = "=1+2<img src=x onerror=alert(1)>"
    (corpus / f"{name}.txt").write_text(HOSTILE_REPORT, encoding="utf-8")
    result = run_cli("run", "--no-progress", "--corpus", "corpus", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    out = tmp_path / "out"
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    with open(out / "documents.csv", encoding="utf-8", newline="") as fh:
        doc_ids = [row["doc_id"] for row in csv.DictReader(fh)]
    assert doc_ids == ["'" + name]  # the spreadsheet shows text, not a formula
    from analysis import schema

    assert schema.read_table(out / "documents.csv")["doc_id"].tolist() == [name]
    facts = __import__("pandas").read_parquet(out / "facts.parquet")
    assert len(facts) and facts["doc_id"].eq(name).all()


@pytest.mark.parametrize("command", ["corpus", "extract"])
def test_jobs_1_and_2_give_identical_output(tmp_path, command):
    """corpus and extract use the pipeline's map over documents: the worker count changes nothing."""
    corpus_dir = tmp_path / "corpus"
    for sub in ("a", "b"):  # ten files, enough for a worker pool
        shutil.copytree(SEEDS_DIR, corpus_dir / sub)
    outputs = []
    for jobs in ("1", "2"):
        args = [command, str(corpus_dir), "--jobs", jobs]
        if command == "corpus":
            args += ["--format", "csv"]
        else:
            args += ["--out", str(tmp_path / f"facts{jobs}.csv"), "--assessments", str(tmp_path / f"assess{jobs}.csv")]
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        files = [] if command == "corpus" else [(tmp_path / f"{n}{jobs}.csv").read_bytes() for n in ("facts", "assess")]
        outputs.append((result.stdout, files))
    assert outputs[0] == outputs[1]
    stdout = outputs[0][0]
    assert stdout.count("\n") >= 10 and ("copy" in stdout)
    if command == "extract":
        assert len(outputs[0][1][0].splitlines()) > 100  # facts were written, not two empty tables


def test_run_starts_without_the_iri_grammars_and_still_validates_notebooks():
    """``python -m analysis run`` keeps jsonschema from compiling rfc3987_syntax's grammars (a second at
    every start); notebooks still read and validate."""
    code = ("import sys; from analysis.__main__ import _skip_iri_checker; _skip_iri_checker()\n"
            "import nbformat; from analysis import pipeline\n"
            "for p in pipeline.list_notebooks(pipeline.NOTEBOOKS_DIR): nbformat.validate(pipeline.read_notebook(p))\n"
            "print(sys.modules.get('rfc3987_syntax', 'absent'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
