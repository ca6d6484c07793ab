"""The command line, end to end on the seeds and on bad input (each step's own tests are elsewhere)."""

from __future__ import annotations

import csv
import io
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
