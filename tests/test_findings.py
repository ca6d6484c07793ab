"""Findings beside the literature on constructed tables: what is concluded, and when N is too small to conclude."""

from __future__ import annotations

import pandas as pd

from analysis import findings, hierarchy


def _target(region: str, year: int, value: float, comparator: str = "exact") -> dict:
    return {"doc_id": f"{region}/{year}", "region": region, "doc_type": "work_report", "report_year": year,
            "role": "target", "period": str(year), "indicator": "gdp", "measure": "growth_pct", "value": value,
            "comparator": comparator, "stretch": False, "derived": False, "quote": f"{region}{year}"}


def _outcome(region: str, year: int, value: float) -> dict:
    return {**_target(region, year + 1, value), "role": "outcome", "period": str(year)}


def _docs(n_cities: int) -> pd.DataFrame:
    rows = [{"doc_id": "n", "region": "中国", "level": "national", "parent": ""},
            {"doc_id": "p", "region": "甲省", "level": "province", "parent": "中国"}]
    rows += [{"doc_id": f"c{i}", "region": f"城{i}市", "level": "prefecture", "parent": "甲省"} for i in range(n_cities)]
    return pd.DataFrame(rows)


def test_escalation_consistent_when_cities_set_higher_targets():
    years = range(2010, 2016)
    facts = [_target("甲省", y, 8.0) for y in years]
    facts += [_target(f"城{i}市", y, 8.0 + 0.5 + 0.1 * (i % 3)) for i in range(4) for y in years]
    found = findings.escalation(pd.DataFrame(facts), _docs(4))
    assert found.assessed and found.reason is None
    assert found.stats["prefecture_province_n"] == 24
    assert found.stats["prefecture_province_mean_low"] > 0
    comp = findings.comparisons([found]).set_index("paper")
    assert set(comp["conclusion"]) == {"consistent"}
    assert (comp["paper_figure"] == "not verified").all()  # no number was read from the escalation papers: said


def test_escalation_with_few_pairs_is_not_concluded():
    facts = pd.DataFrame([_target("甲省", 2012, 8.0), _target("城0市", 2012, 9.0)])
    found = findings.escalation(facts, _docs(1))
    assert found.assessed and found.reason == "small_n"
    assert set(findings.comparisons([found])["conclusion"]) == {"n_too_small"}


def test_escalation_not_assessed_without_parent_reports():
    facts = pd.DataFrame([_target("城0市", 2012, 9.0)])
    found = findings.escalation(facts, _docs(1).iloc[2:])
    assert not found.assessed and found.reason == "no_parent_in_corpus"


def test_achievement_and_bunching_findings():
    facts = []
    # 12 cities: targets 7, outcomes just above (7.1-7.3) — bunched above; 12 provinces miss by 1 point
    for i in range(12):
        facts += [_target(f"城{i}市", 2015, 7.0), _outcome(f"城{i}市", 2015, 7.1 + 0.1 * (i % 3))]
    docs = _docs(12)
    provinces = pd.DataFrame([{"doc_id": f"q{i}", "region": f"乙{i}省", "level": "province", "parent": "中国"}
                              for i in range(12)])
    for i in range(12):
        facts += [_target(f"乙{i}省", 2015, 8.0), _outcome(f"乙{i}省", 2015, 7.0)]
    tables = {"facts": pd.DataFrame(facts), "documents": pd.concat([docs, provinces], ignore_index=True)}
    found = {f.key: f for f in findings.all_findings(tables)}
    ach = found["achievement"].stats
    assert ach["pairs"] == 24 and ach["met"] == 12
    assert ach["prefecture_from_2013_share_met"] == 100.0 and ach["province_from_2013_share_met"] == 0.0
    comp = findings.comparisons(found.values()).set_index("paper")
    # half met (not more than half) and cities above provinces: the published pattern does not hold here
    assert comp.loc["吕冰洋 & 张兆强 2022", "conclusion"] == "not_consistent"
    assert found["bunching"].stats["just_above"] == 12 and found["bunching"].stats["just_below"] == 0
    assert comp.loc["Gong, Shen & Chen 2025", "conclusion"] == "consistent"


def test_findings_table_carries_the_literature_rows():
    table = findings.findings_table(findings.all_findings({"facts": None, "documents": None}))
    lit = table[table["group"] == "literature"]
    assert set(lit["finding"]) == set(findings.CONTEXT_FINDINGS)
    assert set(lit["conclusion"]) == {"not_assessed"}
    assert lit["paper"].str.len().gt(0).all()
    # a paper's figure is shown only where one was read from the paper; every other row says "not verified"
    verified = findings.literature().set_index("paper")["verified"]
    read = lit["paper"].map(verified) == "figure"
    assert (lit.loc[~read, "paper_figure"] == "not verified").all()
    assert (lit.loc[read, "paper_figure"] != "not verified").all() and read.any()


def test_literature_file_rows_are_well_formed():
    lit = findings.literature()
    assert set(lit["finding"]) <= set(findings.CONTEXT_FINDINGS)
    assert list(lit.columns) == ["finding", "paper", "reference", "claim_zh", "claim_en", "paper_figure", "where",
                                 "verified", "sample", "source"]  # a stray comma would add a column
    assert set(lit["verified"]) <= {"figure", "claim", "no"}
    # a figure may only be given where it was read from the paper, and every row says where it was read
    assert (lit.loc[lit["paper_figure"] != "", "verified"] == "figure").all()
    assert (lit.loc[lit["verified"] == "figure", "paper_figure"] != "").all()
    assert lit["where"].str.len().gt(0).all() and lit["source"].str.len().gt(0).all()
    # the papers the issue named, with the details that could be confirmed
    refs = dict(zip(lit["paper"], lit["reference"]))
    assert "129(623): 2888-2915" in refs["Li, Liu, Weng & Zhou 2019"]
    assert "105349" in refs["Gong, Shen & Chen 2025"]
    assert refs["Lyu et al. 2018"].startswith("not located")
    assert hierarchy.MIN_N >= 10


def test_report_section_states_our_numbers_and_unverified_figures():
    from analysis import report

    years = range(2010, 2016)
    facts = [_target("甲省", y, 8.0) for y in years]
    facts += [_target(f"城{i}市", y, 9.0) for i in range(3) for y in years]
    found = findings.all_findings({"facts": pd.DataFrame(facts), "documents": _docs(3)})
    for lang in ("zh", "en"):
        blocks = report.context_section(found, lang)
        text = "\n".join(b.text for b in blocks)
        assert "18" in text  # the 18 prefecture/province pairs
        table = next(b.table for b in blocks if b.kind == "table" and b.table is not None and "paper" in b.table)
        assert "not verified" in set(table["paper_figure"])
    esc = next(f for f in found if f.key == "escalation")
    assert esc.stats["prefecture_province_mean"] == 1.0 and esc.stats["prefecture_province_share_above"] == 100.0


def test_bunching_resting_on_exact_hits_is_only_partly_consistent():
    facts = []
    for i in range(30):  # 20 exact hits, 5 just above, 5 just below: the excess is the hits
        gap = 0.0 if i < 20 else (0.2 if i < 25 else -0.2)
        facts += [_target(f"城{i}市", 2015, 7.0), _outcome(f"城{i}市", 2015, 7.0 + gap)]
    found = findings.all_findings({"facts": pd.DataFrame(facts), "documents": _docs(30)})
    bunch = next(f for f in found if f.key == "bunching")
    assert bunch.stats["_verdict"] == "bunching_above" and bunch.stats["_nonzero_verdict"] == "no_bunching"
    comp = findings.comparisons(found).set_index("paper")
    assert comp.loc["Gong, Shen & Chen 2025", "conclusion"] == "partly_consistent"
