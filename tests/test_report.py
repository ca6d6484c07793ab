"""The written report: every number it states can be recomputed from the output tables.

Unit tests build small tables with known answers for each section; one end-to-end test runs the
pipeline on the seeds and recomputes every number of the summary, quality and findings sections.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import findings as findings_module
from analysis import report, schema, scorefile
from analysis.paths import PROJECT_DIR, SEEDS_DIR

GOLD = PROJECT_DIR / "tests" / "data" / "seed_facts.csv"
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")


def _numbers(text: str) -> list[float]:
    return [float(x) for x in NUMBER.findall(text)]


def _section(md: str, heading: str) -> str:
    m = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", md, flags=re.S | re.M)
    assert m, f"no section {heading!r} in report.md"
    return m.group(1)


def _explained(x: float, values: set[float]) -> bool:
    """``x`` (as the report writes it, at most 2 decimals) is one of ``values`` rounded the same way."""
    return any(abs(round(v, 2) - x) < 1e-9 or abs(round(v, 1) - x) < 1e-9 for v in values)


# ---------------------------------------------------------------- quality section

def _gold_and_facts(tmp_path: Path) -> tuple[Path, Path]:
    rows = [{"doc_id": "a", "role": "outcome", "period": "2021", "indicator": "gdp", "measure": "growth_pct",
             "stretch": "false", "derived": "false", "value": 8.5, "comparator": "exact", "unit": "%",
             "quote": "增长8.5%"},
            {"doc_id": "a", "role": "target", "period": "2022", "indicator": "gdp", "measure": "growth_pct",
             "stretch": "true", "derived": "false", "value": 6, "comparator": "at_least", "unit": "%",
             "quote": "力争6%以上"}]
    gold = tmp_path / "gold_facts.csv"
    pd.DataFrame(rows).to_csv(gold, index=False)
    out = tmp_path / "out"
    schema.write_table(pd.DataFrame(rows[:1]), out / "facts.csv")  # finds 1 of 2
    return gold, out


def test_quality_section_shows_what_analysis_score_computes(tmp_path):
    gold, out = _gold_and_facts(tmp_path)
    result, text = scorefile.write_score(out, gold)
    assert result["facts"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "found": 1, "false_positives": 0,
                               "missed": 1, "wrong_values": 0}
    assert "recall 0.500" in text  # the same numbers the CLI prints
    score, reason = report.load_score(out, gold)
    assert score == result and reason == ""
    md = report.render_markdown(report.quality_section(score, gold, "en"))
    assert "gold_facts.csv" in md
    assert sorted(_numbers(md)) == sorted([1, 0.5, 0.667, 1, 0, 1, 0])


def test_a_false_flag_in_the_gold_file_is_false(tmp_path):
    """Gold flags are read as booleans: "false" must not match a stretch target (bool("false") is True)."""
    gold, out = _gold_and_facts(tmp_path)
    (out / "score.json").unlink(missing_ok=True)
    score, _ = report.load_score(out, gold)  # scored from the tables when no score.json exists
    assert score["facts"]["found"] == 1


def test_quality_section_without_gold_or_without_score(tmp_path):
    md = report.render_markdown(report.quality_section(None, None, "en"))
    assert "No gold file" in md
    score, reason = report.load_score(tmp_path, tmp_path / "missing.csv")
    assert score is None and "not found" in reason
    md = report.render_markdown(report.quality_section(score, tmp_path / "missing.csv", "en", reason))
    assert "missing.csv" in md and "not found" in md


# ---------------------------------------------------------------- escaping and glyphs

def test_markdown_escapes_raw_html_and_table_pipes():
    hostile = '<img src=x onerror=alert(1)>'
    blocks = [report.Block("p", f"file {hostile}"), report.Block("ul", items=[hostile]),
              report.Block("table", table=pd.DataFrame({"quote": [hostile + "|x", "a*b_c"]}))]
    md = report.render_markdown(blocks)
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "\\|x" in md and "a\\*b_c" in md


def test_a_pre_block_cannot_close_its_fence_early():
    md = report.render_markdown([report.Block("pre", "a\n```\n<b>")])
    assert md.startswith("````\n") and md.rstrip().endswith("````")


def test_emoji_variation_selector_does_not_abort_the_pdf(tmp_path):
    page = report.render_html([report.Block("h1", "报告"), report.Block("p", "点赞👍\ufe0f ❤\ufe0f 完成")])
    assert report.printable("❤\ufe0f") == "❤"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = report.render_pdf(page, tmp_path / "r.pdf")
    assert path.read_bytes().startswith(b"%PDF")


# ---------------------------------------------------------------- sections with known answers

def _tables() -> dict[str, pd.DataFrame]:
    docs = pd.DataFrame({"doc_id": ["a", "b"], "region": ["荔湾区", "荔湾区"], "report_year": [2021, 2022],
                         "doc_type": ["work_report"] * 2, "status": ["ok", "ok"]})
    tvo = pd.DataFrame({"region": ["荔湾区"] * 3, "indicator": ["gdp", "gdp", "new_jobs"],
                        "measure": ["growth_pct", "growth_pct", "count"], "period": ["2021", "2022", "2021"],
                        "target_period": ["2021", "2022", "2021"], "status": ["met", "pending", "missed"],
                        "stretch": [False, False, False], "derived": [False, False, False],
                        "target_value": [6.0, 5.5, 2.0], "outcome_value": [8.5, None, 1.5]})
    facts = pd.DataFrame({"doc_id": ["a", "b", "b", "b"], "region": ["荔湾区"] * 4, "report_year": [2021, 2022, 2022, 2022],
                          "doc_type": ["work_report"] * 4, "role": ["target", "outcome", "target", "outcome"],
                          "indicator": ["gdp", "gdp", "gdp", "new_jobs"], "period": ["2021", "2021", "2022", "2021"],
                          "measure": ["growth_pct", "growth_pct", "growth_pct", "count"], "value": [6.0, 8.5, 5.5, 1.5],
                          "unit": ["%", "%", "%", "万人"], "comparator": ["approx", "exact", "approx", "exact"],
                          "stretch": [False] * 4, "derived": [False] * 4, "quote": ["q"] * 4})
    return {"documents": docs, "targets_vs_outcomes": tvo, "facts": facts,
            "assessments": pd.DataFrame(columns=["doc_id"])}


def test_summary_numbers_come_from_the_tables():
    tables = _tables()
    found = report.fnd.all_findings(tables)
    text = " ".join(report.summary_sentences(found, tables, "en"))
    # 2 documents, 4 facts (2 targets, 2 outcomes), 3 pairs (1 met, 1 missed, 1 pending), 50 % met,
    # the GDP sentence 2021: 6 → 8.5.
    for n in (2, 4, 3, 1, 50, 2021, 6, 8.5):
        assert n in _numbers(text), (n, text)
    assert 5.5 not in _numbers(text)  # the pending GDP target has no outcome sentence


def test_many_regions_get_one_summary_sentence_over_all_pairs():
    tables = _tables()
    n = report.SUMMARY_GDP_PAIRS + 2
    regions = [f"区{i}" for i in range(n)]
    tables["targets_vs_outcomes"] = pd.DataFrame({
        "region": regions, "indicator": ["gdp"] * n, "measure": ["growth_pct"] * n, "period": ["2021"] * n,
        "target_period": ["2021"] * n, "status": ["met"] * (n - 3) + ["missed"] * 3, "stretch": [False] * n,
        "derived": [False] * n, "target_value": [6.0] * n, "outcome_value": [6.5] * (n - 3) + [5.0] * 3})
    tables["emphasis"] = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "region": regions,
                                       "report_year": [2021] * n, "area": ["reform"] * (n - 1) + ["livelihood"],
                                       "per_10k": [30.0] * n})
    found = report.fnd.all_findings(tables)
    text = " ".join(report.summary_sentences(found, tables, "en"))
    assert "区0" not in text and "区1 " not in text  # no region singled out
    numbers = set(_numbers(text))
    assert {float(n), float(n - 3), 0.5} <= numbers, text  # pairs, met, median gap 6.5 − 6
    assert round(100 * (n - 3) / n, 1) in numbers
    assert "(9)" in text and "(1)" in text  # reports whose most-mentioned area it is


def test_a_corpus_without_pairs_still_gives_a_report():
    tables = _tables()
    tables["targets_vs_outcomes"] = tables["targets_vs_outcomes"].iloc[0:0]
    found = report.fnd.all_findings(tables)
    blocks = report.report_blocks(tables, found, Path("/nonexistent"), "en")
    assert "pairs" in report.render_markdown(blocks).lower()


# ---------------------------------------------------------------- end to end on the seeds

@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    from analysis import pipeline

    out = tmp_path_factory.mktemp("seed_run") / "out"
    pipeline.run_pipeline(SEEDS_DIR, out, {"gold": str(GOLD)}, progress=False)
    return out


def _recomputed(out: Path) -> set[float]:
    """Numbers the summary may state, computed here from the output tables."""
    docs = schema.read_table(out / "documents.csv")
    facts = schema.read_table(out / "facts.csv")
    assessments = schema.read_table(out / "assessments.csv")
    tvo = schema.read_table(out / "targets_vs_outcomes.csv")
    emphasis = schema.read_table(out / "emphasis.csv")
    ok = docs[docs["status"] == "ok"]
    values = {len(docs), len(ok), ok["region"].nunique(), len(facts), len(assessments), len(tvo)}
    values |= set(docs["report_year"].dropna().astype(float))
    values |= set((facts["role"].value_counts()).astype(float))
    values |= set(tvo["status"].value_counts().astype(float))
    scored = tvo[tvo["status"].isin(["met", "missed"]) & ~tvo["stretch"].fillna(False).astype(bool)]
    met, missed = (scored["status"] == "met").sum(), (scored["status"] == "missed").sum()
    values |= {float(met), float(missed), float(met + missed)}
    if met + missed:
        values.add(100 * met / (met + missed))
    gdp = tvo[(tvo["indicator"] == "gdp") & tvo["status"].isin(["met", "missed"])]
    values |= set(gdp["target_value"].dropna()) | set(gdp["outcome_value"].dropna())
    values |= {float(str(p)[:4]) for p in gdp["period"].dropna()}
    values |= set(emphasis["per_10k"].dropna())
    return values


def test_every_number_of_the_seed_report_is_recomputed_from_the_tables(seed_run):
    md = (seed_run / "report.md").read_text(encoding="utf-8")
    summary = _section(md, "摘要")
    values = _recomputed(seed_run)
    unexplained = [x for x in _numbers(summary) if not _explained(x, values)]
    assert unexplained == [], f"summary numbers not found in the tables: {unexplained}"

    expected, _ = scorefile.score_run(seed_run, GOLD)
    assert json.loads((seed_run / "score.json").read_text(encoding="utf-8")) == expected
    quality = _section(md, "抽取质量")
    shown = sorted(_numbers(quality.split("\n", 2)[-1]))
    want = sorted(round(float(v), 3) for name in ("facts", "assessments") if name in expected
                  for v in expected[name].values())
    assert shown == want
    assert expected["facts"]["found"] > 0  # the seeds' hand-checked facts are found

    findings = schema.read_table(seed_run / "findings.csv")
    allowed = values | {float(v) for v in findings["value"] if NUMBER.fullmatch(str(v))}
    facts = schema.read_table(seed_run / "facts.csv")
    allowed |= set(facts["value"].dropna()) | set(facts["period"].dropna().str[:4].astype(float))
    gdp_targets = facts[(facts["indicator"] == "gdp") & (facts["role"] == "target")]["value"].dropna()
    allowed |= {a - b for a in gdp_targets for b in gdp_targets}  # annual minus five-year target
    # Years of the cited studies are part of the fixed text (report_strings.csv), not results.
    allowed |= {float(x) for key, row in report._strings().items() if key.startswith("ctx_ref_")
                for x in NUMBER.findall(row["zh"])}
    # So are the published papers' references and claims (data/literature_findings.csv).
    allowed |= {float(x) for _, row in findings_module.literature().iterrows()
                for col in ("paper", "reference", "claim_zh", "claim_en", "paper_figure", "where")
                for x in NUMBER.findall(str(row.get(col, "")))}
    context = _section(md, "与已有研究对照")
    unexplained = [x for x in _numbers(context) if not _explained(x, allowed)]
    assert unexplained == [], f"findings numbers not in findings.csv or the tables: {unexplained}"


def test_the_seed_report_embeds_every_figure_the_run_wrote(seed_run):
    from analysis import pipeline

    # notebook 05's figures included, although the seeds cannot assess escalation or bunching
    assert (seed_run / "figures" / "hierarchy_gap_histogram.png").exists()
    assert pipeline.figures_missing_from_html(seed_run) == []


def test_the_seed_pdf_tables_fit_the_page_and_keep_short_values_whole(seed_run):
    from _pdf_layout import assert_nothing_overflows, boxes_of, broken_short_values

    document = report.layout_pdf((seed_run / "report.html").read_text(encoding="utf-8"))
    tables = list(boxes_of(document, "TableBox"))
    assert tables and all(t.style["table_layout"] == "fixed" for t in tables)
    assert_nothing_overflows(document)
    # The seeds' list of documents has two dozen columns and must break words; the others need not.
    assert broken_short_values(document, max_columns=13) == []


def test_the_seed_pdf_is_reproduced_byte_for_byte(seed_run, tmp_path):
    page = (seed_run / "report.html").read_text(encoding="utf-8")
    again = report.render_pdf(page, tmp_path / "report.pdf")
    assert again.read_bytes() == (seed_run / "report.pdf").read_bytes()


def test_the_seed_outputs_pass_validation(seed_run):
    from analysis import validate

    assert validate.validate_outputs(seed_run) == []
    manifest = json.loads((seed_run / "manifest.json").read_text(encoding="utf-8"))
    for name, n in manifest["row_counts"].items():
        assert len(schema.read_table(seed_run / f"{name}.csv")) == n


def test_no_csv_cell_of_the_seed_run_starts_a_formula(seed_run):
    import csv

    for path in sorted(seed_run.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        for row in rows[1:]:
            for cell in row:
                try:
                    float(cell)
                    continue  # numbers (-1.5) are numbers, not formulas
                except ValueError:
                    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (path.name, cell)
