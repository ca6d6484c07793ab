"""The written report summarises at any corpus size; every fact is in the separate facts_table.html."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import report

N_DOCS = 3000
LEVELS = ("province", "prefecture", "district", "county")


def _large_output_folder(out: Path, n_docs: int = N_DOCS) -> dict[str, int]:
    """The tables the pipeline writes, for ``n_docs`` synthetic reports of n_docs/10 regions over ten years."""
    rng = random.Random(7)
    out.mkdir(parents=True, exist_ok=True)
    n_regions = n_docs // 10
    docs, facts, assessments, tvo, emphasis, distinctive, commitments, removed = ([] for _ in range(8))
    for i in range(n_docs):
        region, year = f"测试{i % n_regions:03d}区", 2011 + i // n_regions
        doc_id = f"{region}/{year}"
        docs.append({"doc_id": doc_id, "region": region, "report_year": year, "doc_type": "work_report",
                     "level": LEVELS[i % 4], "parent": f"省{i % 31:02d}", "status": "ok" if i % 50 else "copy",
                     "raw_chars": 30000, "clean_chars": 28000, "warnings": ""})
        removed.append({"doc_id": doc_id, "reason": "navigation", "raw_start": 0, "raw_end": 100, "chars": 100,
                        "excerpt": "首页"})
        for k in range(12):
            v = round(rng.uniform(3, 10), 1)
            facts.append({"doc_id": doc_id, "region": region, "report_year": year, "role": "target",
                          "period": str(year), "indicator": "gdp", "measure": "growth_pct", "value": v,
                          "unit": "%", "comparator": "approx", "stretch": False, "derived": False,
                          "indicator_name": "", "quote": f"地区生产总值增长{v}%左右（{k}）",
                          "char_start": k * 100, "char_end": k * 100 + 20, "raw_start": k * 100, "raw_end": k * 100 + 20})
        assessments.append({"doc_id": doc_id, "region": region, "report_year": year, "period": str(year - 1),
                            "indicator": "gdp", "kind": "gap_pp", "value": 0.5, "quote": "高于预期0.5个百分点",
                            "char_start": 5, "char_end": 15, "raw_start": 5, "raw_end": 15})
        for code in ("gdp", "budget_revenue", "fixed_asset_investment"):
            t, o = round(rng.uniform(5, 9), 1), round(rng.uniform(2, 12), 1)
            tvo.append({"region": region, "indicator": code, "measure": "growth_pct", "period": str(year),
                        "target_period": str(year), "comparison": "same_period", "comparator": "approx",
                        "target_value": t, "target_unit": "%", "outcome_value": o, "outcome_unit": "%",
                        "gap": round(o - t, 1), "status": "met" if o >= t else "missed", "stretch": False,
                        "derived": False, "target_doc": doc_id, "outcome_doc": doc_id,
                        "target_quote": "…", "outcome_quote": "…"})
        for area in ("growth", "innovation", "ecology"):
            emphasis.append({"doc_id": doc_id, "region": region, "report_year": year, "doc_type": "work_report",
                             "area": area, "area_en": area, "mentions": 5, "per_10k": round(rng.uniform(0, 9), 2),
                             "share": 0.3})
            commitments.append({"doc_id": doc_id, "region": region, "report_year": year, "area": area,
                                "commitments": 2})
    for r in range(n_regions):
        for k in range(30):
            distinctive.append({"region": f"测试{r:03d}区", "term": f"词{(r + k) % 97}", "count": 5, "zscore": 30 - k})
    for name, rows in (("documents", docs), ("facts", facts), ("assessments", assessments),
                       ("targets_vs_outcomes", tvo), ("emphasis", emphasis), ("distinctive", distinctive),
                       ("commitments", commitments), ("removed_spans", removed)):
        pd.DataFrame(rows).to_csv(out / f"{name}.csv", index=False)
    return {"facts": len(facts), "assessments": len(assessments), "pairs": len(tvo)}


@pytest.fixture(scope="module")
def large_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("large")
    counts = _large_output_folder(out)
    paths = report.build_report(out)
    return out, paths, counts


def test_pdf_stays_short_at_three_thousand_reports(large_report):
    import pypdf

    _, paths, _ = large_report
    pages = len(pypdf.PdfReader(paths["pdf"]).pages)
    assert pages <= 30, f"{pages} pages"


def test_markdown_summarises_instead_of_listing(large_report):
    _, paths, counts = large_report
    md = paths["md"].read_text(encoding="utf-8")
    table_lines = sum(1 for line in md.splitlines() if line.startswith("|"))
    assert table_lines < 600  # the documents, pairs and facts are not listed one per line
    assert "facts_table.html" in md
    assert str(counts["pairs"]) in md  # the pairs count is stated, the rows are in the CSV


def test_facts_table_html_holds_every_fact_and_is_self_contained(large_report):
    out, paths, counts = large_report
    page = paths["facts_table"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # no CDN, no network
    blobs = re.findall(r'<script type="application/json">(.*?)</script>', page, flags=re.S)
    tables = [json.loads(b.replace("<\\/", "</")) for b in blobs]
    assert [len(t["rows"]) for t in tables] == [counts["facts"], counts["assessments"]]
    assert "quote" in tables[0]["columns"] and "doc_id" in tables[0]["columns"]
    assert "addEventListener" in page and "sort(" in page  # searchable and sortable in the page itself


def test_documents_counted_by_year_and_level():
    docs = pd.DataFrame({"doc_id": list("abcd"), "report_year": [2020, 2020, 2021, None],
                         "level": ["province", "district", "district", "district"]})
    table = report.documents_by_year_table(docs)
    assert list(table["report_year"]) == ["2020", "2021", "?"]
    assert table.set_index("report_year").loc["2020", "district"] == 1
    assert list(table["total"]) == [2, 1, 1]


def test_documents_counted_by_type_without_level():
    docs = pd.DataFrame({"doc_id": list("ab"), "report_year": [2020, 2020], "doc_type": ["work_report", "fyp_outline"]})
    table = report.documents_by_year_table(docs)
    assert set(table.columns) == {"report_year", "work_report", "fyp_outline", "total"}


def test_small_facts_table_escapes_script_ends(tmp_path):
    facts = pd.DataFrame({"doc_id": ["a"], "quote": ["</script><b>x"], "indicator": ["gdp"]})
    path = report.write_facts_table(tmp_path, facts, None)
    page = path.read_text(encoding="utf-8")
    assert page.count("</script>") == 3  # two data blocks and the code, none from the quote
