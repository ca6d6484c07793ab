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
    verified = findings.literature().set_index(["finding", "paper"])["verified"]  # a paper may back two findings
    read = pd.Series([verified[(f, p)] == "figure" for f, p in zip(lit["finding"], lit["paper"])], index=lit.index)
    assert (lit.loc[~read, "paper_figure"] == "not verified").all()
    assert (lit.loc[read, "paper_figure"] != "not verified").all() and read.any()


def test_literature_file_rows_are_well_formed():
    lit = findings.literature()
    assert set(lit["finding"]) <= set(findings.CONTEXT_FINDINGS)
    assert list(lit.columns) == ["finding", "paper", "reference", "claim_zh", "claim_en", "paper_figure", "where",
                                 "verified", "sample", "source"]  # a stray comma would add a column
    assert set(lit["verified"]) <= {"figure", "claim", "coding", "no"}
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


# ---------------------------------------------------------------- beside the hand-coded provincial targets

def _gold(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    """A hand-coded provincial table (province, year, gdp_growth_target) as read_gold gives it."""
    table = pd.DataFrame(rows, columns=["province", "year", "gdp_growth_target"])
    return hierarchy.gold_targets_from_provincial(table)


def _provinces(names: list[str]) -> pd.DataFrame:
    rows = [{"doc_id": "n", "region": "中国", "level": "national", "parent": ""}]
    return pd.DataFrame(rows + [{"doc_id": n, "region": n, "level": "province", "parent": "中国"} for n in names])


def test_gold_escalation_on_the_same_province_years():
    names = [f"乙{i}省" for i in range(12)]
    facts = [_target("中国", 2015, 7.0)] + [_target(n, 2015, 8.0) for n in names]
    facts[1] = _target(names[0], 2015, 9.0)  # ours 9, gold 8: a province-year whose values differ
    found = findings.gold_escalation(hierarchy.gold_escalation_pairs(
        pd.DataFrame(facts), _provinces(names), _gold([(n, 2015, 8.0) for n in names])))
    s = found.stats
    assert found.assessed and found.reason is None
    assert s["n"] == 12 and s["gold_province_years"] == 12 and s["not_paired"] == 0
    assert s["gold_mean"] == 1.0 and s["gold_share_above"] == 100.0  # gold 8, nation 7: +1 everywhere
    assert s["ours_mean"] == round(13 / 12, 4)  # eleven +1 and one +2
    assert s["diff_mean"] == round(1 / 12, 4)
    assert s["values_differ"] == 1 and s["differs"] == 1 and s["same"] == 11 and s["checked_disagrees"] == 1
    # the intervals are the escalation rows' cluster bootstrap by region
    want = hierarchy.describe_differences([2.0] + [1.0] * 11, clusters=names)
    assert (s["ours_mean_low"], s["ours_mean_high"]) == (want["mean_low"], want["mean_high"])
    comp = findings.comparisons([found]).set_index("finding")
    assert comp.loc["gold_escalation", "conclusion"] == "consistent" and comp.loc["gold_escalation", "n"] == 12
    assert "mean 1 pp" in comp.loc["gold_escalation", "paper_figure"]  # the coding's side, computed


def test_gold_escalation_names_coding_adjudicated_errors_and_missing_pairs():
    facts = pd.DataFrame([_target("中国", 2015, 7.0), _target("中国", 2016, 6.5, "range") | {"value_high": 7.0},
                          _target("甲省", 2015, 8.0), _target("甲省", 2016, 7.0, "range") | {"value_high": 7.5},
                          _target("乙省", 2015, 9.0), _target("丙省", 2015, 8.0, "at_least"),
                          _target("丁省", 2015, 8.5)])
    gold = _gold([("甲省", 2015, 8.0), ("甲省", 2016, 7.25), ("乙省", 2015, 10.0), ("丙省", 2015, 8.05),
                  ("丁省", 2015, 9.0), ("甲省", 2014, 9.0), ("戊省", 2015, 8.0)])
    adjudication = pd.DataFrame([
        {"province": "乙省", "year": "2015", "text_value": "9", "text_value_high": "",
         "reason": "report states 9%; gold 10 repeats the previous year"},
        {"province": "丁省", "year": "2015", "text_value": "8.5", "text_value_high": "",
         "reason": "corpus file is the next year's report; gold is right by year"}])
    rows = hierarchy.gold_escalation_pairs(facts, _provinces(["甲省", "乙省", "丙省", "丁省", "戊省"]), gold,
                                           adjudication).set_index(["region", "year"])
    assert rows.loc[("甲省", 2015), "relation"] == "same"
    assert rows.loc[("甲省", 2016), "relation"] == "coding"  # a range coded as its midpoint
    assert rows.loc[("甲省", 2016), "escalation"] == 0.5 and rows.loc[("甲省", 2016), "gold_escalation"] == 0.75
    assert rows.loc[("乙省", 2015), "relation"] == "gold_error"
    assert "repeats" in rows.loc[("乙省", 2015), "adjudication"]
    assert rows.loc[("丁省", 2015), "relation"] == "file_year"
    assert rows.loc[("甲省", 2014), "relation"] == "no_national"
    assert rows.loc[("戊省", 2015), "relation"] == "no_provincial"
    assert rows.loc[("丙省", 2015), "relation"] == "other_class"  # 8%以上 against 7%: not paired
    s = findings.gold_escalation(rows.reset_index()).stats
    assert (s["n"], s["values_differ"], s["coding"], s["gold_error"], s["file_year"], s["differs"]) == (4, 3, 1, 1, 1, 0)
    assert (s["no_national"], s["no_provincial"], s["other_class"], s["not_paired"]) == (1, 1, 1, 3)
    # without the adjudication file the same two are differences nobody explained
    plain = hierarchy.gold_escalation_pairs(facts, _provinces(["乙省", "丁省"]), gold)
    assert set(plain.loc[plain["region"].isin(["乙省", "丁省"]) & (plain["year"] == 2015), "relation"]) == {"differs"}
    assert findings.gold_escalation(rows.reset_index()).reason == "small_n"


def test_gold_escalation_cannot_be_assessed_without_a_gold_table():
    years = range(2010, 2016)
    facts = pd.DataFrame([_target("中国", y, 7.0) for y in years] + [_target("甲省", y, 8.0) for y in years])
    found = {f.key: f for f in findings.all_findings({"facts": facts, "documents": _provinces(["甲省"])})}
    assert not found["gold_escalation"].assessed and found["gold_escalation"].reason == "no_provincial_gold"
    table = findings.findings_table(found.values())
    lit = table[(table["finding"] == "gold_escalation") & (table["group"] == "literature")]
    assert list(lit["conclusion"]) == ["not_assessed"] and list(lit["paper_figure"]) == ["not verified"]
    # given the table (as the notebook passes it), the same facts are assessed
    given = findings.all_findings({"facts": facts, "documents": _provinces(["甲省"]),
                                   "provincial_gold": _gold([("甲省", y, 8.0) for y in years])})
    gold = next(f for f in given if f.key == "gold_escalation")
    assert gold.assessed and gold.stats["n"] == 6 and gold.stats["gold_mean"] == 1.0
    # a gold table none of whose province-years we can pair says so
    none = findings.gold_escalation(hierarchy.gold_escalation_pairs(facts, _provinces(["甲省"]),
                                                                     _gold([("乙省", 2012, 9.0)])))
    assert not none.assessed and none.reason == "no_gold_overlap" and none.stats["gold_province_years"] == 1


def test_report_section_states_the_gold_escalation():
    from analysis import report

    names = [f"乙{i}省" for i in range(12)]
    facts = pd.DataFrame([_target("中国", 2015, 7.0)] + [_target(n, 2015, 8.0 + (i == 0)) for i, n in
                                                         enumerate(names)])
    gold = hierarchy.gold_escalation_pairs(facts, _provinces(names), _gold([(n, 2015, 8.0) for n in names]))
    found = findings.all_findings({"facts": facts, "documents": _provinces(names), "gold_escalation": gold})
    for lang in ("zh", "en"):
        blocks = report.context_section(found, lang)
        text = "\n".join(b.text for b in blocks)
        assert report.say("finding_gold_escalation", lang)[1:] in text
        assert "1.08" in text  # ours: (11 × 1 + 2) / 12
        differing = [b.table for b in blocks if b.kind == "table" and b.table is not None
                     and "gold_value" in b.table.columns]
        assert len(differing) == 1 and list(differing[0]["region"]) == ["乙0省"]  # only the province-year that differs
    nothing = findings.all_findings({"facts": facts, "documents": _provinces(names)})
    text = "\n".join(b.text for b in report.context_section(nothing, "en"))
    assert report.say("reason_no_provincial_gold", "en") in text
