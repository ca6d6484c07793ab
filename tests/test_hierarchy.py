"""Hierarchy pairs, escalation, achievement, bunching and annual-against-plan on constructed tables.

Every table here is built by hand so that the right answer is known by construction.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import hierarchy as h


def _fact(region: str, year: int, role: str, value: float, *, period: object = None, indicator: str = "gdp",
          measure: str = "growth_pct", comparator: str = "exact", estimate: bool = False, doc_type: str = "work_report",
          stretch: bool = False, report_year: int | None = None) -> dict:
    report_year = report_year or year
    return {"doc_id": f"{region}/{report_year}/{doc_type}", "region": region, "doc_type": doc_type,
            "report_year": report_year, "role": role, "period": str(period if period is not None else year),
            "indicator": indicator, "measure": measure, "value": value, "value_high": None, "unit": "%",
            "comparator": comparator, "stretch": stretch, "derived": False, "estimate": estimate,
            "quote": f"{region}{year}{role}{value}"}


DOCS = pd.DataFrame([
    {"doc_id": "x", "region": "国务院", "level": "national", "parent": ""},
    {"doc_id": "y", "region": "甲省", "level": "province", "parent": "中国"},
    {"doc_id": "z", "region": "乙市", "level": "prefecture", "parent": "甲省"},
    {"doc_id": "w", "region": "丙市", "level": "prefecture", "parent": "甲省"},
    {"doc_id": "v", "region": "丁区", "level": "district", "parent": "乙市"},
])


def test_parent_resolution_from_table_and_from_names():
    regions = h.region_table(DOCS).set_index("region")
    assert regions.loc["甲省", "parent"] == "中国"
    assert regions.loc["国务院", "node"] == "中国"  # the nation under another name is still the provinces' parent
    assert regions.loc["丁区", "parent"] == "乙市"
    # without level/parent columns: level from the name ending, district parent from a name prefix
    bare = pd.DataFrame({"region": ["广州市", "广州市荔湾区", "河北省", "上海市", "某某县"]})
    r = h.region_table(bare).set_index("region")
    assert r.loc["广州市", "level"] == "prefecture" and r.loc["上海市", "level"] == "province"
    assert r.loc["广州市荔湾区", "parent"] == "广州市"
    assert r.loc["河北省", "parent"] == "中国"
    assert r.loc["某某县", "parent"] == ""  # no prefecture's name starts it: left unresolved, not guessed


def test_escalation_sign_and_comparator_class():
    facts = pd.DataFrame([
        _fact("国务院", 2012, "target", 7.5, comparator="approx"),
        _fact("甲省", 2012, "target", 9.0),             # point vs point: +1.5 over the nation
        _fact("乙市", 2012, "target", 10.0),            # +1 over the province
        _fact("丙市", 2012, "target", 8.0),             # −1: looser than the province
        _fact("丁区", 2012, "target", 12.0, comparator="at_least"),  # a floor: no point target above it
        _fact("甲省", 2012, "target", 3.5, indicator="unemployment_rate", measure="share_pct", comparator="at_most"),
        _fact("乙市", 2012, "target", 3.0, indicator="unemployment_rate", measure="share_pct", comparator="at_most"),
    ])
    pairs = h.hierarchy_pairs(facts, DOCS)
    gdp = pairs[pairs["indicator"] == "gdp"].set_index("region")
    assert gdp.loc["甲省", "level_pair"] == "province/national"
    assert gdp.loc["甲省", "difference"] == pytest.approx(1.5)
    assert gdp.loc["乙市", "escalation"] == pytest.approx(1.0)
    assert gdp.loc["丙市", "escalation"] == pytest.approx(-1.0)
    assert "丁区" not in gdp.index  # at_least is not compared with a point target
    ue = pairs[pairs["indicator"] == "unemployment_rate"].iloc[0]
    assert ue["difference"] == pytest.approx(-0.5) and ue["escalation"] == pytest.approx(0.5)  # lower ceiling = stricter
    summary = h.escalation_summary(pairs)
    row = summary[(summary["indicator"] == "gdp") & (summary["level_pair"] == "prefecture/province")
                  & (summary["year"] == "all")].iloc[0]
    assert row["n"] == 2 and row["mean"] == pytest.approx(0.0)
    assert row["share_above"] == 50.0 and row["share_below"] == 50.0 and row["small_n"]
    assert summary.iloc[0]["indicator"] == "gdp"


def test_bootstrap_is_seeded_and_covers_the_mean():
    values = [0.5, 1.0, 1.5, 2.0, 0.0, 1.0, 1.0, 0.5, 1.5, 1.0]
    a = h.bootstrap_interval(values, "mean")
    assert a == h.bootstrap_interval(values, "mean")
    assert a[0] < 0.9 < 1.0 < a[1]
    assert math.isnan(h.bootstrap_interval([1.0], "mean")[0])


def test_cluster_bootstrap_is_wider_than_pairs_when_regions_repeat():
    # 20 regions, each the same value in 30 years: only 20 independent numbers, not 600
    effects = np.linspace(-2.0, 2.0, 20)
    values = np.repeat(effects, 30).tolist()
    regions = np.repeat([f"r{i}" for i in range(20)], 30).tolist()
    pair = h.bootstrap_interval(values, "mean")
    cluster = h.bootstrap_interval(values, "mean", clusters=regions)
    assert cluster == h.bootstrap_interval(values, "mean", clusters=regions)  # seeded
    expected = 2 * 1.96 * effects.std() / math.sqrt(20)  # the interval of a mean of 20 independent values
    assert cluster[1] - cluster[0] == pytest.approx(expected, rel=0.2)
    assert cluster[1] - cluster[0] > 4 * (pair[1] - pair[0])  # resampling pairs pretends there are 600
    with pytest.raises(ValueError):
        h.bootstrap_interval(values, "mean", clusters=regions[:-1])
    assert math.isnan(h.bootstrap_interval([1.0, 2.0], "mean", clusters=["a", "a"])[0])  # one region


def test_cluster_bootstrap_covers_the_true_mean_where_pairs_do_not():
    # 100 panels of 15 regions x 10 years, true mean 0, region effects dominate: a 95% interval that
    # respects the regions covers 0 about 95 times in 100; one that resamples pairs covers far fewer
    rng = np.random.default_rng(7)
    covered_cluster = covered_pair = 0
    for i in range(100):
        y = (np.repeat(rng.normal(0, 1, 15), 10) + rng.normal(0, 0.1, 150)).tolist()
        regions = np.repeat(np.arange(15), 10).tolist()
        low, high = h.bootstrap_interval(y, "mean", samples=500, seed=i, clusters=regions)
        covered_cluster += low <= 0 <= high
        low, high = h.bootstrap_interval(y, "mean", samples=500, seed=i)
        covered_pair += low <= 0 <= high
    assert covered_cluster >= 85 and covered_pair <= 65


def test_weighted_median_equals_the_median_of_the_drawn_sample():
    x = np.array([-1.0, 0.0, 0.5, 2.0, 3.0])
    weights = np.array([[1, 0, 2, 0, 1], [0, 1, 0, 0, 0], [2, 0, 0, 1, 1], [0, 0, 0, 3, 3]])
    expected = [np.median(np.repeat(x, w)) for w in weights]
    assert h._weighted_median(x, weights).tolist() == pytest.approx(expected)


def test_escalation_intervals_resample_regions():
    pairs = pd.DataFrame({"indicator": "gdp", "measure": "growth_pct", "level_pair": "prefecture/province",
                          "region": np.repeat(["a市", "b市", "c市", "d市"], 5), "period": [str(2010 + i % 5) for i in range(20)],
                          "escalation": np.repeat([0.0, 1.0, 2.0, 3.0], 5)})
    row = h.escalation_summary(pairs).query("year == 'all'").iloc[0]
    by_region = h.bootstrap_interval(pairs["escalation"].tolist(), "mean", clusters=pairs["region"].tolist())
    assert (row["mean_low"], row["mean_high"]) == by_region
    assert by_region != h.bootstrap_interval(pairs["escalation"].tolist(), "mean")


def test_met_follows_the_matching_rule():
    facts = pd.DataFrame([
        _fact("甲省", 2015, "target", 7.0, comparator="approx"),      # 7%左右
        _fact("甲省", 2015, "outcome", 6.6, report_year=2016),         # 0.4 below: met within the 0.5 pp tolerance
        _fact("乙市", 2015, "target", 7.0, comparator="approx"),
        _fact("乙市", 2015, "outcome", 6.4, report_year=2016),         # 0.6 below: missed
        _fact("丙市", 2015, "target", 7.0),                            # a bare figure: no tolerance
        _fact("丙市", 2015, "outcome", 6.9, report_year=2016),
        _fact("甲省", 2015, "target", 4.5, indicator="unemployment_rate", measure="share_pct", comparator="at_most"),
        _fact("甲省", 2015, "outcome", 4.2, indicator="unemployment_rate", measure="share_pct", report_year=2016),
        _fact("丁区", 2015, "target", 9.0),
        _fact("丁区", 2015, "outcome", 8.0, comparator="at_least", report_year=2016),  # 增长8%以上: does not settle it
    ])
    ach = h.achievement_pairs(facts, DOCS).set_index(["region", "indicator"])
    assert ach.loc[("甲省", "gdp"), "status"] == "met" and bool(ach.loc[("甲省", "gdp"), "met"])
    assert ach.loc[("甲省", "gdp"), "gap"] == pytest.approx(-0.4)  # the gap itself is not moved by the tolerance
    assert ach.loc[("乙市", "gdp"), "status"] == "missed" and ach.loc[("丙市", "gdp"), "status"] == "missed"
    assert ach.loc[("甲省", "unemployment_rate"), "status"] == "met"
    assert ach.loc[("丁区", "gdp"), "status"] == "not_comparable" and not bool(ach.loc[("丁区", "gdp"), "met"])
    rates = h.achievement_rates(ach.reset_index(), by=("indicator",)).set_index("indicator")
    assert rates.loc["gdp", "n"] == 3 and rates.loc["gdp", "met"] == 1 and rates.loc["gdp", "not_comparable"] == 1
    # the same pairs scored by the targets-vs-outcomes table get the same verdicts: one rule, not two
    from analysis import match

    tvo = match.match_targets(facts)
    tvo = tvo[(tvo["comparison"] == "same_period") & tvo["status"].isin(["met", "missed", "not_comparable"])]
    theirs = dict(zip(zip(tvo["region"], tvo["indicator"]), tvo["status"]))
    assert theirs == {k: v for k, v in ach["status"].items()}


def test_met_uses_the_one_scoring_helper(monkeypatch):
    from analysis import match

    monkeypatch.setattr(match, "score_outcome", lambda *a, **k: (0.0, "missed", ""))
    facts = pd.DataFrame([_fact("甲省", 2015, "target", 7.0), _fact("甲省", 2015, "outcome", 9.0, report_year=2016)])
    assert h.achievement_pairs(facts, DOCS)["status"].tolist() == ["missed"]


def test_estimate_or_revised_choice():
    facts = pd.DataFrame([
        _fact("甲省", 2020, "target", 6.0),
        _fact("甲省", 2020, "outcome", 5.8, report_year=2021, estimate=True),   # preliminary: missed
        _fact("甲省", 2020, "outcome", 6.1, report_year=2022),                  # revised: met
        _fact("甲省", 2021, "target", 6.0, report_year=2021),
        _fact("甲省", 2021, "outcome", 6.2, report_year=2022, estimate=True),   # only an estimate
        _fact("乙市", 2021, "target", 7.0, report_year=2021),
        _fact("乙市", 2021, "outcome", 6.5, report_year=2022),                  # final, missed
        _fact("乙市", 2021, "outcome", 9.9, report_year=2021),                  # same-year figure is not an outcome of Y
    ])
    ach = h.achievement_pairs(facts, DOCS).set_index(["region", "year"])
    rev = ach.loc[("甲省", 2020)]
    assert rev["outcome_value"] == pytest.approx(6.1) and rev["outcome_choice"] == "revised"
    assert rev["estimate_value"] == pytest.approx(5.8) and bool(rev["met"]) and not bool(rev["outcome_estimate"])
    est = ach.loc[("甲省", 2021)]
    assert est["outcome_choice"] == "estimate_only" and bool(est["outcome_estimate"])
    city = ach.loc[("乙市", 2021)]
    assert city["gap"] == pytest.approx(-0.5) and not bool(city["met"]) and city["outcome_choice"] == "only"
    rates = h.achievement_rates(ach.reset_index()).set_index("level")
    assert rates.loc["province", "met"] == 2 and rates.loc["province", "revised"] == 1
    assert rates.loc["prefecture", "share_met"] == 0.0


def test_histogram_has_an_edge_at_zero():
    hist = h.gap_histogram([-0.1, 0.0, 0.0, 0.1, 0.25], bin_width=0.1, limit=1.0)
    assert 0.0 in set(hist["bin_start"])
    assert int(hist.loc[hist["bin_start"] == 0.0, "count"].iloc[0]) == 2  # 0.0 twice: in [0, 0.1)
    assert int(hist.loc[hist["bin_start"] == -0.1, "count"].iloc[0]) == 1
    assert int(hist["count"].sum()) == 5


def test_bunching_counts_and_verdicts():
    bunched = [0.1] * 30 + [0.2] * 10 + [-0.2] * 4 + [2.0] * 5
    res = h.bunching_test(bunched)
    assert res["just_above"] == 40 and res["just_below"] == 4 and res["verdict"] == "bunching_above"
    assert res["p_value"] < 0.001
    smooth = [-0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4, -0.25, 0.25, -0.15, 0.15]
    res = h.bunching_test(smooth)
    assert res["verdict"] == "no_bunching" and res["just_above"] == 7 and res["just_below"] == 6
    assert h.bunching_test([0.1, 0.2])["verdict"] == "too_few"


def test_annual_against_plan_by_level():
    facts = pd.DataFrame([
        _fact("甲省", 2016, "target", 7.0, period="2016-2020", measure="avg_growth_pct", doc_type="fyp_outline"),
        _fact("甲省", 2016, "target", 7.5, period="2016-2020", measure="avg_growth_pct"),  # outline wins
        _fact("甲省", 2016, "target", 7.0),
        _fact("甲省", 2017, "target", 7.5),
        _fact("甲省", 2021, "target", 6.0),  # outside the plan's span: not compared
        _fact("乙市", 2016, "target", 8.0, period="2016-2020", measure="avg_growth_pct"),
        _fact("乙市", 2018, "target", 7.0),
    ])
    rows = h.annual_vs_plan(facts, DOCS)
    assert list(zip(rows["region"], rows["year"], rows["relation"])) == [
        ("乙市", 2018, "below"), ("甲省", 2016, "equal"), ("甲省", 2017, "above")]
    assert set(rows["plan_value"]) == {7.0, 8.0}
    summary = h.annual_vs_plan_summary(rows).set_index("level")
    assert summary.loc["province", "equal"] == 1 and summary.loc["province", "above"] == 1
    assert summary.loc["prefecture", "below"] == 1 and summary.loc["all", "n"] == 3


def test_gold_checked_pairs():
    facts = pd.DataFrame([_fact("国务院", 2012, "target", 7.5), _fact("甲省", 2012, "target", 9.0),
                          _fact("乙市", 2012, "target", 10.0)])
    gold = h.gold_targets_from_provincial(pd.DataFrame({"province": ["甲省"], "year": [2012],
                                                        "gdp_growth_target": [9.0]}))
    pairs = h.hierarchy_pairs(facts, DOCS, gold=gold).set_index("region")
    assert pairs.loc["甲省", "checked"] == "one" and pairs.loc["乙市", "checked"] == "one"
    wrong = gold.assign(value=8.5)
    assert h.hierarchy_pairs(facts, DOCS, gold=wrong).set_index("region").loc["甲省", "checked"] == "disagrees"


def test_empty_inputs_give_empty_tables():
    assert h.hierarchy_pairs(None).empty and h.achievement_pairs(pd.DataFrame()).empty
    assert h.escalation_summary(pd.DataFrame()).empty and h.annual_vs_plan(None).empty


def test_provincial_gold_codings_agree():
    # the hand-coded provincial table stores 以上 as X + 0.05 and a range by its midpoint: not disagreements
    facts = pd.DataFrame([_fact("国务院", 2016, "target", 6.5, comparator="range"),
                          _fact("甲省", 2016, "target", 7.0, comparator="range"),
                          _fact("乙市", 2016, "target", 8.0, comparator="at_least"),
                          _fact("乙市", 2016, "outcome", 8.2, report_year=2017)])
    facts["value_high"] = [7.0, 7.5, None, None]
    gold = pd.DataFrame({"region": ["中国", "甲省", "乙市"], "period": "2016", "indicator": "gdp",
                         "measure": "growth_pct", "value": [6.75, 7.25, 8.05], "role": "target"})
    pairs = h.hierarchy_pairs(facts, DOCS, gold=gold).set_index("region")
    assert pairs.loc["甲省", "checked"] == "both"  # both ranges agree with their midpoints
    ach = h.achievement_pairs(facts, DOCS, gold=gold).set_index("region")
    assert ach.loc["乙市", "checked"] == "one"  # 8以上 agrees with 8.05; no gold outcome
    wrong = gold.assign(value=[6.75, 7.25, 8.5])
    assert h.achievement_pairs(facts, DOCS, gold=wrong).set_index("region").loc["乙市", "checked"] == "disagrees"
