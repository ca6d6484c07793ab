"""Matching targets with outcomes: the gold seeds and small hand-made fixtures (tests/data/match_*.csv)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import match

DATA = Path(__file__).parent / "data"


def _facts(name: str = "seed_facts.csv") -> pd.DataFrame:
    # CSV as a user would hand it over: booleans as text, periods read as numbers where they look like one.
    return pd.read_csv(DATA / name)


@pytest.fixture(scope="module")
def seed_tvo() -> pd.DataFrame:
    return match.match_targets(_facts(), pd.read_csv(DATA / "seed_assessments.csv"))


@pytest.fixture(scope="module")
def span_tvo() -> pd.DataFrame:
    return match.match_targets(_facts("match_spans.csv"), pd.read_csv(DATA / "match_spans_assessments.csv"))


def _rows(tvo: pd.DataFrame, **where: object) -> pd.DataFrame:
    mask = pd.Series(True, index=tvo.index)
    for col, value in where.items():
        mask &= tvo[col] == value
    return tvo[mask]


def _one(tvo: pd.DataFrame, **where: object) -> pd.Series:
    rows = _rows(tvo, **where)
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}:\n{rows}"
    return rows.iloc[0]


# --------------------------------------------------------------------------- gold seeds

def test_columns_and_statuses(seed_tvo):
    assert list(seed_tvo.columns) == match.TVO_COLUMNS
    assert set(seed_tvo["status"]) <= set(match.STATUSES)


def test_liwan_2021_gdp_against_plan_average(seed_tvo):
    row = _one(seed_tvo, region="荔湾区", indicator="gdp", period="2021", target_period="2021-2025")
    assert row["measure"] == "avg_growth_pct" and row["outcome_measure"] == "growth_pct"
    assert row["comparison"] == "span_year"
    assert row["target_value"] == pytest.approx(6.0) and row["outcome_value"] == pytest.approx(8.5)
    assert row["gap"] == pytest.approx(2.5)
    assert row["status"] == "met"
    assert row["target_doc"].startswith("004") and row["outcome_doc"].startswith("000")


def test_plan_span_itself_stays_pending(seed_tvo):
    row = _one(seed_tvo, region="荔湾区", indicator="gdp", measure="avg_growth_pct", period="2021-2025")
    assert row["status"] == "pending" and pd.isna(row["outcome_value"])


def test_yuexiu_2020_gdp_derived_target(seed_tvo):
    row = _one(seed_tvo, region="越秀区", indicator="gdp", measure="growth_pct", period="2020",
               target_period="2020")
    assert bool(row["derived"]) and row["target_value"] == pytest.approx(2.0)
    assert row["gap"] == pytest.approx(0.7) and row["status"] == "met"
    assert row["report_assessment"] == "gap_pp +0.7" and row["report_verdict"] == "met"
    assert bool(row["assessment_agrees"]) is True


def test_liwan_2021_new_jobs_with_completion_rate(seed_tvo):
    row = _one(seed_tvo, region="荔湾区", indicator="new_jobs", measure="count", period="2021",
               target_period="2021")
    # Canonical unit for people is 人: 2.06万人 → 20600, 1.84万人 → 18400.
    assert row["target_unit"] == "人" and row["outcome_unit"] == "人"
    assert row["outcome_value"] == pytest.approx(20600) and row["target_value"] == pytest.approx(18400)
    assert row["status"] == "met" and row["gap"] == pytest.approx(2200)
    assert "111.8" in row["report_assessment"]
    assert bool(row["assessment_agrees"]) is True
    # The report's rate implies the target within rounding of the derived one.
    assert row["report_implied_target"] == pytest.approx(row["target_value"], rel=0.005)


def test_2022_targets_of_liwan_and_haizhu_pending(seed_tvo):
    for region in ("荔湾区", "海珠区"):
        rows = _rows(seed_tvo, region=region, target_period="2022")
        assert len(rows) > 0
        assert set(rows["status"]) == {"pending"}
        assert rows["outcome_value"].isna().all()
    # Base and stretch GDP targets are separate rows.
    liwan = _rows(seed_tvo, region="荔湾区", indicator="gdp", period="2022")
    assert sorted(liwan["stretch"].astype(bool)) == [False, True]


def test_every_target_and_outcome_survives(seed_tvo):
    facts = _facts()
    n_targets = (facts["role"] == "target").sum()
    # Every target row yields at least one pair (plus span/pending rows), so none is dropped.
    target_keys = facts[facts["role"] == "target"][["region", "indicator", "measure"]].astype(str)
    have = set(map(tuple, seed_tvo[seed_tvo["target_doc"] != ""][["region", "indicator", "measure"]].to_numpy()))
    assert set(map(tuple, target_keys.to_numpy())) <= have
    assert (seed_tvo["target_doc"] != "").sum() >= n_targets
    outcome_quotes = set(facts.loc[facts["role"] == "outcome", "quote"])
    assert outcome_quotes <= set(seed_tvo["outcome_quote"])


def test_tianhe_2019_gdp_has_no_target(seed_tvo):
    rows = _rows(seed_tvo, region="天河区", indicator="gdp", period="2019")
    assert len(rows) == 2  # level and growth
    assert set(rows["status"]) == {"no_target"}
    assert (rows["target_doc"] == "").all() and rows["target_value"].isna().all()


def test_cumulative_plan_target_running_sum(seed_tvo):
    row = _one(seed_tvo, region="荔湾区", indicator="new_jobs", measure="cumulative", period="2021")
    assert row["comparison"] == "running_sum" and row["status"] == "pending"
    assert row["progress"] == pytest.approx(20600 / 80000)
    assert row["required_pace"] == pytest.approx((80000 - 20600) / 4)


def test_qualitative_target_kept_beside_evidence(seed_tvo):
    row = _one(seed_tvo, region="荔湾区", indicator="energy_intensity", period="2021")
    assert row["status"] == "qualitative" and row["outcome_value"] == pytest.approx(-18.6)
    assert row["report_assessment"] == "exceeded"
    assert pd.isna(row["assessment_agrees"])


def test_derived_targets_rebuilt_from_assessments_when_absent(seed_tvo):
    facts = _facts()
    facts = facts[~facts["derived"].astype(str).str.lower().eq("true")]
    tvo = match.match_targets(facts, pd.read_csv(DATA / "seed_assessments.csv"))
    derived = tvo[tvo["derived"].fillna(False).astype(bool)]
    got = {(r, i): (v, st) for r, i, v, st in zip(derived["region"], derived["indicator"],
                                                   derived["target_value"], derived["status"])}
    assert got == {("越秀区", "gdp"): (pytest.approx(2.0), "met"),
                   ("荔湾区", "new_jobs"): (pytest.approx(18400), "met"),
                   ("荔湾区", "reemployment"): (pytest.approx(15100), "met")}


# --------------------------------------------------------------------------- hand-made fixture

def test_avg_growth_span_each_year_and_computed_average(span_tvo):
    years = _rows(span_tvo, region="甲区", indicator="gdp", comparison="span_year")
    assert list(years["period"]) == ["2016", "2017", "2018", "2019", "2020"]
    # approx 7 with 0.5 pp tolerance: met at ≥ 6.5.
    expected = {p: ("met" if v >= 6.5 else "missed") for p, v in zip(years["period"], years["outcome_value"])}
    assert dict(zip(years["period"], years["status"])) == expected
    whole = _one(span_tvo, region="甲区", indicator="gdp", comparison="span_computed")
    growth = math.prod(1 + v / 100 for v in years["outcome_value"])
    assert whole["outcome_value"] == pytest.approx((growth ** (1 / 5) - 1) * 100, abs=1e-4)
    assert whole["period"] == "2016-2020" and whole["status"] == "missed"


def test_revision_later_document_wins(span_tvo):
    row = _one(span_tvo, region="甲区", indicator="gdp", comparison="span_year", period="2019")
    assert row["outcome_value"] == pytest.approx(6.1) and row["outcome_doc"] == "wr2021"
    assert bool(row["revised"]) and row["status"] == "missed"
    revisions = match.revisions_table(_facts("match_spans.csv"))
    assert sorted(revisions["value"]) == [6.1, 6.8]
    assert list(revisions.sort_values("report_year")["used_for_scoring"]) == [False, True]
    unrevised = _one(span_tvo, region="甲区", indicator="gdp", comparison="span_year", period="2018")
    assert not bool(unrevised["revised"])


def test_cumulative_running_sum_and_completion(span_tvo):
    running = _rows(span_tvo, region="甲区", indicator="new_jobs", comparison="running_sum")
    assert list(running["outcome_value"]) == [21000, 41000, 63000, 86000, 105000]  # 万人 and 人 mixed
    assert list(running["status"]) == ["pending"] * 4 + ["met"]
    assert running["required_pace"].iloc[0] == pytest.approx((100000 - 21000) / 4)
    whole = _one(span_tvo, region="甲区", indicator="new_jobs", measure="cumulative", period="2016-2020")
    assert whole["status"] == "met" and whole["gap"] == pytest.approx(5000)


def test_units_convert_before_comparing(span_tvo):
    level = _one(span_tvo, region="甲区", indicator="gdp", measure="level", period="2020")
    assert level["target_value"] == pytest.approx(12000) and level["target_unit"] == "亿元"
    assert level["gap"] == pytest.approx(100) and level["status"] == "met"
    firms = _one(span_tvo, region="甲区", indicator="high_tech_enterprises", period="2019")
    assert firms["outcome_value"] == pytest.approx(60) and firms["status"] == "met"


def test_units_that_do_not_convert_are_not_comparable(span_tvo):
    row = _one(span_tvo, region="甲区", indicator="new_jobs", measure="count", target_period="2019")
    assert row["status"] == "not_comparable" and "个" in row["note"]


def test_lower_is_better_and_comparators(span_tvo):
    at_most = _one(span_tvo, region="甲区", indicator="unemployment_rate", period="2019")
    assert at_most["status"] == "met" and at_most["gap"] == pytest.approx(-0.3)
    approx = _one(span_tvo, region="甲区", indicator="unemployment_rate", period="2020")
    assert approx["status"] == "missed"  # 4.2 > 3.5 + 0.5
    fall = _one(span_tvo, region="甲区", indicator="energy_intensity", period="2019")
    assert fall["status"] == "met"  # 下降4.1% meets 下降3%以上
    flat = _one(span_tvo, region="甲区", indicator="budget_revenue", period="2019")
    assert flat["status"] == "met"  # -0.4 within 基本持平


def test_base_and_stretch_scored_separately(span_tvo):
    rows = _rows(span_tvo, region="甲区", indicator="gdp", measure="growth_pct", period="2020",
                 target_period="2020")
    assert sorted(zip(rows["stretch"].astype(bool), rows["status"])) == [(False, "missed"), (True, "missed")]
    assert sorted(rows["gap"]) == [pytest.approx(-4.5), pytest.approx(-4.0)]


def test_parity_with_gdp_growth(span_tvo):
    row = _one(span_tvo, region="甲区", indicator="resident_income", period="2019")
    assert row["comparison"] == "parity_gdp"
    assert row["target_value"] == pytest.approx(6.1)  # the revised GDP growth
    assert row["gap"] == pytest.approx(-0.1) and row["status"] == "met"


def test_outcome_bound_that_does_not_settle(span_tvo):
    row = _one(span_tvo, region="甲区", indicator="fixed_asset_investment", period="2019")
    assert row["status"] == "not_comparable"


def test_no_target_and_report_disagreement(span_tvo):
    assert _one(span_tvo, region="甲区", indicator="retail_sales")["status"] == "no_target"
    tax = _one(span_tvo, region="乙区", indicator="tax_revenue")
    assert tax["status"] == "missed" and tax["report_verdict"] == "met"
    assert bool(tax["assessment_agrees"]) is False
    gdp = _one(span_tvo, region="乙区", indicator="gdp", target_period="2020")
    assert bool(gdp["derived"]) and gdp["target_value"] == pytest.approx(2.0) and gdp["status"] == "met"


# --------------------------------------------------------------------------- input handling, determinism

def test_bool_columns_as_text_or_bool_give_same_result():
    facts = _facts("match_spans.csv")
    as_bool = facts.assign(stretch=facts["stretch"].astype(str).str.lower() == "true",
                           derived=facts["derived"].astype(str).str.lower() == "true")
    pd.testing.assert_frame_equal(match.match_targets(facts), match.match_targets(as_bool))


def test_order_of_input_rows_does_not_matter():
    facts = _facts()
    shuffled = facts.sample(frac=1.0, random_state=7)
    assessments = pd.read_csv(DATA / "seed_assessments.csv")
    pd.testing.assert_frame_equal(match.match_targets(facts, assessments),
                                  match.match_targets(shuffled, assessments.iloc[::-1]))


def test_bad_input_names_the_problem():
    facts = _facts()
    with pytest.raises(ValueError, match="period"):
        match.match_targets(facts.drop(columns=["period"]))
    with pytest.raises(ValueError, match="stretch"):
        match.match_targets(facts.assign(stretch="maybe"))
    with pytest.raises(ValueError, match="role"):
        match.match_targets(facts.assign(role="promise"))


def test_empty_facts_give_empty_table():
    tvo = match.match_targets(_facts().iloc[0:0])
    assert list(tvo.columns) == match.TVO_COLUMNS and tvo.empty
    assert match.build_panel(tvo).empty
    assert (match.summarise_matches(tvo)["pairs"] == 0).all()


# --------------------------------------------------------------------------- panel and summary

def test_panel_one_row_per_region_year(seed_tvo):
    panel = match.build_panel(seed_tvo)
    assert not panel.duplicated(["region", "year"]).any()
    row = panel[(panel["region"] == "荔湾区") & (panel["year"] == 2022)].iloc[0]
    assert row["gdp_g_target"] == pytest.approx(5.5) and row["gdp_g_stretch"] == pytest.approx(6.0)
    assert pd.isna(row["gdp_g_outcome"]) and pd.isna(row["gdp_g_met"])
    liwan21 = panel[(panel["region"] == "荔湾区") & (panel["year"] == 2021)].iloc[0]
    assert liwan21["gdp_g_tsource"] == "plan" and liwan21["gdp_g_gap"] == pytest.approx(2.5)
    assert liwan21["gdp_g_met"] == 1
    assert all(len(c) <= 32 and c.isascii() for c in panel.columns)


def test_panel_indicator_selection(seed_tvo):
    panel = match.build_panel(seed_tvo, ["gdp:growth_pct"])
    assert [c for c in panel.columns if c not in ("region", "year")] == [
        f"gdp_g_{s}" for s in ("target", "stretch", "outcome", "gap", "met", "tsource")]
    with pytest.raises(ValueError, match="no_such"):
        match.build_panel(seed_tvo, ["no_such"])


def test_summary_counts_add_up(seed_tvo):
    summary = match.summarise_matches(seed_tvo)
    total = summary[summary["scope"] == "all"].iloc[0]
    assert total["pairs"] == len(seed_tvo)
    assert sum(total[s] for s in match.STATUSES) == len(seed_tvo)
    assert total["met"] == (seed_tvo["status"] == "met").sum()
    per_region = summary[summary["scope"] == "region"]
    assert per_region["pairs"].sum() == len(seed_tvo)
    scored = total["met"] + total["missed"]
    assert total["share_met"] == pytest.approx(total["met"] / scored)


def test_import_prints_nothing():
    out = subprocess.run([sys.executable, "-c", "import analysis.match, analysis.export"],
                         capture_output=True, text=True, check=True)
    assert out.stdout == "" and out.stderr == ""


def test_cumulative_target_reached_before_span_ends():
    rows = [("p", 2021, "target", "2021-2025", "cumulative", 100, "家", "exact", "累计新增高企100家")]
    rows += [(f"w{y}", y + 1, "outcome", str(y), "count", v, "家", "exact", f"新增高企{v}家")
             for y, v in ((2021, 40), (2022, 70))]
    facts = pd.DataFrame(rows, columns=["doc_id", "report_year", "role", "period", "measure", "value", "unit",
                                        "comparator", "quote"]).assign(region="丙区", indicator="high_tech_enterprises")
    tvo = match.match_targets(facts)
    running = _rows(tvo, comparison="running_sum")
    assert list(running["status"]) == ["pending", "met"]
    span = _one(tvo, period="2021-2025")
    assert span["status"] == "met" and span["comparison"] == "running_sum_reached"
    assert span["outcome_value"] == pytest.approx(110)


def _pairs(targets: list[tuple], outcomes: list[tuple]) -> pd.DataFrame:
    """Single-year pairs from (indicator, measure, value, value_high, unit, comparator) tuples."""
    cols = ["indicator", "measure", "value", "value_high", "unit", "comparator"]
    t = pd.DataFrame(targets, columns=cols).assign(role="target", period="2023", doc_id="t", report_year=2023)
    o = pd.DataFrame(outcomes, columns=cols).assign(role="outcome", period="2023", doc_id="o", report_year=2024)
    facts = pd.concat([t, o], ignore_index=True).assign(region="丁区", quote="…")
    return match.match_targets(facts)


@pytest.mark.parametrize("target, outcome, status", [
    (("gdp", "growth_pct", 6, 6.5, "%", "range"), 6.2, "met"),
    (("gdp", "growth_pct", 6, 6.5, "%", "range"), 5.9, "missed"),
    (("budget_revenue", "level", 100, None, "亿元", "approx"), 99.2, "met"),      # within 1 %
    (("budget_revenue", "level", 100, None, "亿元", "approx"), 98.9, "missed"),
    (("gdp", "growth_pct", 6, None, "%", "approx"), 5.5, "met"),                  # within 0.5 pp
    (("gdp", "growth_pct", 6, None, "%", "approx"), 5.4, "missed"),
    (("unemployment_rate", "share_pct", 3.5, None, "%", "exact"), 3.6, "missed"),  # lower is better
    (("unemployment_rate", "share_pct", 3.5, None, "%", "exact"), 3.4, "met"),
    (("tax_revenue", "growth_pct", 0, None, "%", "parity"), -0.6, "missed"),
])
def test_comparator_rules(target, outcome, status):
    indicator, measure, _, _, unit, _ = target
    tvo = _pairs([target], [(indicator, measure, outcome, None, unit, "exact")])
    row = _one(tvo, comparison="same_period")
    assert row["status"] == status
    assert row["gap"] == pytest.approx(outcome - target[2])


def test_other_indicators_match_only_by_name():
    targets = [("other", "count", 10, None, "个", "exact")]
    outcomes = [("other", "count", 12, None, "个", "exact"), ("other", "count", 3, None, "个", "exact")]
    facts = pd.concat([
        pd.DataFrame(targets, columns=["indicator", "measure", "value", "value_high", "unit", "comparator"])
        .assign(role="target", indicator_name="社区微型消防站", doc_id="t", report_year=2023),
        pd.DataFrame(outcomes, columns=["indicator", "measure", "value", "value_high", "unit", "comparator"])
        .assign(role="outcome", indicator_name=["社区微型消防站", "碧道"], doc_id="o", report_year=2024),
    ]).assign(region="丁区", period="2023", quote="…")
    tvo = match.match_targets(facts)
    paired = _one(tvo, comparison="same_period")
    assert paired["indicator_name"] == "社区微型消防站" and paired["outcome_value"] == 12
    assert _one(tvo, indicator_name="碧道")["status"] == "no_target"
