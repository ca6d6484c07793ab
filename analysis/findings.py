"""The corpus's patterns set beside published ones, each computed only when the tables support it.

Every function takes the pipeline's tables (plain DataFrames with the agreed columns) and returns a
``Finding``: whether it could be assessed, the numbers behind it, and, when it could not, the reason
and the counts that fall short. ``findings_table`` lays all numbers out as one long table
(``findings.csv``) so that every number the written report states can be found in an output table.

Published patterns compared against:

- share of targets met: above half, lower for cities than provinces (吕冰洋 & 张兆强 2022);
- escalation of targets from a city to its districts, 层层加码 (Li, Liu, Weng & Zhou 2019;
  Chang, Wang & Xiong 2025); and province − nation escalation on the same province-years with Li et al.'s
  own hand-coded provincial targets and with ours, when that table is given;
- outcomes bunched just above targets (Lyu et al. 2018; Gong, Shen & Chen 2025);
- annual growth targets that repeat the five-year plan's average (魏建 & 鉴闻 2018).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping

import pandas as pd

from . import hierarchy
from .codebook import directions
from .paths import data_file
from .schema import bool_series

# Two growth targets count as the same when they differ by less than this (percentage points).
SAME_TARGET_TOLERANCE = 0.05

RATE_MEASURES = ("growth_pct", "avg_growth_pct", "share_pct")


@dataclass
class Finding:
    """One pattern: assessed or not, the numbers behind it, and the reason when it cannot be assessed."""

    key: str
    assessed: bool
    stats: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None  # a key of the report's sentence table, e.g. "no_city_reports"
    rows: pd.DataFrame | None = None  # the pairs or comparisons behind the numbers, when useful
    sources: dict[str, str] = field(default_factory=dict)  # statistic → how it was computed


# ---------------------------------------------------------------- formatting shared with the report

def fmt_number(value: Any, decimals: int = 2) -> str:
    """A number as the report writes it: at most ``decimals`` decimals, no trailing zeros, no separators."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return ""
    r = round(x, decimals)
    if r == 0:
        r = 0.0  # no "-0"
    if r == int(r):
        return str(int(r))
    return f"{r:.{decimals}f}".rstrip("0").rstrip(".")


def fmt_p(p: Any) -> str:
    """A p-value as text: three significant digits, ``<0.001`` below that."""
    try:
        x = float(p)
    except (TypeError, ValueError):
        return ""
    if math.isnan(x):
        return ""
    return "<0.001" if x < 0.001 else f"{x:.3g}"


def p_equals(p: Any) -> str:
    """``=0.023`` or ``<0.001``: what follows a ``p`` in a sentence."""
    text = fmt_p(p)
    return text if text.startswith("<") else f"={text}"


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` rounded to one decimal (None when ``whole`` is 0)."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)


# ---------------------------------------------------------------- helpers on the tables

def _bool(series: pd.Series) -> pd.Series:
    """A flag column as bool (empty → False), read the one way every table is read."""
    return bool_series(series)


def _column(df: pd.DataFrame | None, name: str) -> pd.Series:
    if df is None or name not in df.columns:
        return pd.Series([None] * (0 if df is None else len(df)), index=None if df is None else df.index,
                         dtype=object)
    return df[name]


def _empty(df: pd.DataFrame | None) -> bool:
    return df is None or len(df) == 0


@lru_cache(maxsize=1)
def _region_rules() -> tuple[dict[str, str], list[tuple[str, str]]]:
    names: dict[str, str] = {}
    suffixes: list[tuple[str, str]] = []
    with open(data_file("region_levels.csv"), encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            if row["kind"] == "name":
                names[row["pattern"]] = row["level"]
            else:
                suffixes.append((row["pattern"], row["level"]))
    suffixes.sort(key=lambda s: -len(s[0]))
    return names, suffixes


def region_level(region: str | None) -> str:
    """``province``, ``city`` or ``district`` from the region's name (``unknown`` if it says nothing)."""
    if not isinstance(region, str) or not region:
        return "unknown"
    names, suffixes = _region_rules()
    if region in names:
        return names[region]
    for suffix, level in suffixes:
        if region.endswith(suffix):
            return level
    return "unknown"


def region_levels(documents: pd.DataFrame | None, regions: Iterable[str]) -> dict[str, str]:
    """Level of each region: the documents table's ``region_level`` column when present, else the name."""
    given: dict[str, str] = {}
    if documents is not None and "region_level" in documents.columns:
        for reg, lev in zip(documents["region"], documents["region_level"]):
            if isinstance(reg, str) and isinstance(lev, str) and lev:
                given[reg] = lev
    return {r: given.get(r, region_level(r)) for r in sorted({r for r in regions if isinstance(r, str)})}


def _evaluated_pairs(tvo: pd.DataFrame) -> pd.DataFrame:
    """Pairs judged met or missed, without the stretch tier of a two-tier target (it restates the target)."""
    if _empty(tvo) or "status" not in tvo.columns:
        return pd.DataFrame(columns=list(tvo.columns) if tvo is not None else [])
    keep = tvo["status"].isin(["met", "missed"])
    if "stretch" in tvo.columns:
        keep &= ~_bool(tvo["stretch"])
    return tvo[keep]


# ---------------------------------------------------------------- the findings

def share_met(tvo: pd.DataFrame | None, documents: pd.DataFrame | None = None) -> Finding:
    """Share of targets met among targets with an outcome, overall and by administrative level."""
    sources = {"met": "targets_vs_outcomes.csv: rows with status met (stretch tier excluded)",
               "missed": "targets_vs_outcomes.csv: rows with status missed (stretch tier excluded)",
               "share_met_pct": "100 × met / (met + missed), one decimal"}
    if _empty(tvo):
        return Finding("share_met", False, {"pairs": 0, "pending": 0}, "no_pairs", sources=sources)
    pairs = _evaluated_pairs(tvo)
    pending = int((tvo["status"] == "pending").sum()) if "status" in tvo.columns else 0
    if pairs.empty:
        return Finding("share_met", False, {"pairs": 0, "pending": pending}, "no_pairs", sources=sources)
    levels = region_levels(documents, pairs["region"])
    stats: dict[str, Any] = {}
    met = int((pairs["status"] == "met").sum())
    missed = int((pairs["status"] == "missed").sum())
    stats.update({"evaluated": met + missed, "met": met, "missed": missed,
                  "share_met_pct": percent(met, met + missed), "pending": pending})
    if "derived" in pairs.columns:
        stats["derived"] = int(_bool(pairs["derived"]).sum())
    by_level = pairs.assign(level=pairs["region"].map(levels))
    for level in ("province", "city", "district"):
        sub = by_level[by_level["level"] == level]
        if len(sub):
            m = int((sub["status"] == "met").sum())
            stats[f"{level}_met"] = m
            stats[f"{level}_missed"] = len(sub) - m
            stats[f"{level}_share_met_pct"] = percent(m, len(sub))
    stats["levels_compared"] = sum(1 for lv in ("province", "city", "district") if f"{lv}_met" in stats)
    return Finding("share_met", True, stats, None, sources=sources)


def _targets(facts: pd.DataFrame | None) -> pd.DataFrame:
    """Numeric, stated (non-stretch) target rows of the facts table."""
    if _empty(facts) or "role" not in facts.columns:
        return pd.DataFrame(columns=["region", "indicator", "measure", "period", "value"])
    t = facts[facts["role"] == "target"].copy()
    if "stretch" in t.columns:
        t = t[~_bool(t["stretch"])]
    t["value"] = pd.to_numeric(t.get("value_canonical", t["value"]), errors="coerce")
    return t[t["value"].notna()]


def _regions_by_level(facts: pd.DataFrame | None, documents: pd.DataFrame | None) -> dict[str, Any]:
    """How many regions of each level the tables hold and how many have a parent: why pairs may be missing."""
    regions = hierarchy.region_table(documents, facts)
    stats: dict[str, Any] = {f"regions_{lv}": int((regions["level"] == lv).sum()) for lv in hierarchy.LEVELS}
    nodes = set(regions["node"])
    stats["parents_known"] = int((regions["parent"].fillna("") != "").sum())
    stats["parents_in_corpus"] = int(regions["parent"].isin(nodes).sum())
    return stats


def escalation(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None,
               pairs: pd.DataFrame | None = None, gold: pd.DataFrame | None = None,
               indicator: str = "gdp", measure: str = "growth_pct") -> Finding:
    """A region's growth target against its parent's (层层加码), per level pair, from ``hierarchy.csv``.

    ``pairs`` is the hierarchy table when the pipeline wrote one (it carries the gold check);
    otherwise it is built from the facts and documents tables.
    """
    sources = {"pairs": "hierarchy.csv: rows (all indicators and rate measures)",
               "gdp_pairs": f"hierarchy.csv: {indicator} {measure} rows",
               "n": f"hierarchy.csv: {indicator} {measure} pairs of the level pair, all years",
               "mean": "mean of escalation (region minus parent; ceilings turned), percentage points",
               "median": "median of escalation, percentage points",
               "share_above": "per cent of pairs where the lower government's target is stricter by 0.05 pp or more",
               "share_equal": "per cent of pairs within 0.05 pp", "share_below": "per cent of pairs looser by 0.05 pp",
               "low": "95% interval, cluster bootstrap by region (2000 resamples of regions with all their years, "
                      "seed 20260101)",
               "checked": "hierarchy.csv column checked: both / one / none of the two targets agree with a gold set"}
    stats = _regions_by_level(facts, documents)
    stats.update({"interval_pct": hierarchy.INTERVAL_PCT, "bootstrap_samples": hierarchy.BOOTSTRAP_SAMPLES})
    sources.update({"interval_pct": "level of every interval of the findings",
                    "bootstrap_samples": "resamples of whole regions (cluster bootstrap by region), seed 20260101"})
    if pairs is None:
        pairs = hierarchy.hierarchy_pairs(facts, documents, gold=gold)
    stats["pairs"] = len(pairs)
    for status in ("both", "one", "none", "disagrees"):
        stats[f"checked_{status}"] = int((pairs.get("checked", pd.Series(dtype=str)) == status).sum())
    gdp = pairs[(pairs["indicator"] == indicator) & (pairs["measure"] == measure)] if len(pairs) else pairs
    stats["gdp_pairs"] = len(gdp)
    if gdp.empty:
        reason = "no_hierarchy_pairs" if stats["parents_in_corpus"] else "no_parent_in_corpus"
        return Finding("escalation", False, stats, reason, sources=sources)
    summary = hierarchy.escalation_summary(gdp)
    overall = summary[summary["year"] == "all"]
    for r in overall.itertuples():
        lp = r.level_pair.replace("/", "_")
        for stat in ("n", "mean", "median", "share_above", "share_equal", "share_below", "mean_low", "mean_high",
                     "share_above_low", "share_above_high", "regions", "first_year", "last_year"):
            stats[f"{lp}_{stat}"] = getattr(r, stat)
    stats["level_pairs"] = len(overall)
    stats["largest_n"] = int(overall["n"].max())
    stats["min_n"] = hierarchy.MIN_N
    f = Finding("escalation", True, stats, None, rows=summary, sources=sources)
    if stats["largest_n"] < hierarchy.MIN_N:
        f.reason = "small_n"
    return f


GOLD_RELATIONS = ("same", "coding", "gold_error", "file_year", "differs")


def gold_escalation(rows: pd.DataFrame | None) -> Finding:
    """Province − nation escalation of GDP growth targets on the same province-years, with the hand-coded
    provincial targets (Li, Liu, Weng & Zhou 2019's coding) and with ours, against our national target.

    ``rows`` is ``gold_escalation.csv`` (``hierarchy.gold_escalation_pairs``); None when no provincial
    gold table was given, and the finding then cannot be assessed.
    """
    table = "gold_escalation.csv"
    sources = {"gold_province_years": f"{table}: rows (province-years of the hand-coded table)",
               "n": f"{table}: province-years with our province − nation pair",
               "not_paired": f"{table}: province-years without our pair (relations no_national, no_provincial, "
                             "other_class)",
               "no_national": f"{table}: relation no_national (no national target of ours that year)",
               "no_provincial": f"{table}: relation no_provincial (no target of ours for the province-year)",
               "other_class": f"{table}: relation other_class (both targets, different comparator classes)",
               "gold_mean": f"{table}: mean of gold_escalation (hand-coded provincial target minus our national "
                            "target), percentage points",
               "ours_mean": f"{table}: mean of escalation (our provincial target minus our national target)",
               "diff_mean": f"{table}: mean of difference (ours minus hand-coded), percentage points",
               "low": "95% interval, cluster bootstrap by region (2000 resamples of regions with all their years, "
                      "seed 20260101)",
               "values_differ": f"{table}: province-years whose two provincial values differ",
               "same": f"{table}: relation same", "coding": f"{table}: relation coding (a range's midpoint or "
                                                          "X以上 as X + 0.05, the gold's coding of our target)",
               "gold_error": f"{table}: relation gold_error (the adjudication file says the report states our value)",
               "file_year": f"{table}: relation file_year (the adjudication file says the corpus file is the next "
                            "year's report: the gold is right by year)",
               "differs": f"{table}: relation differs (not explained by coding or adjudication)",
               "checked_agrees": f"{table}: relation same or coding (our target agrees with the gold)",
               "checked_disagrees": f"{table}: relations gold_error, file_year and differs",
               "adjudicated": f"{table}: rows whose adjudication column gives a reason"}
    stats: dict[str, Any] = {"interval_pct": hierarchy.INTERVAL_PCT, "bootstrap_samples": hierarchy.BOOTSTRAP_SAMPLES}
    if rows is None:
        return Finding("gold_escalation", False, stats, "no_provincial_gold", sources=sources)
    relation = _column(rows, "relation").fillna("")
    paired = rows[~relation.isin(hierarchy.NOT_PAIRED)]
    stats.update({"gold_province_years": len(rows), "n": len(paired), "not_paired": len(rows) - len(paired)})
    for rel in hierarchy.NOT_PAIRED:
        stats[rel] = int((relation == rel).sum())
    counts = paired["relation"].value_counts() if len(paired) else pd.Series(dtype=int)
    for rel in GOLD_RELATIONS:
        stats[rel] = int(counts.get(rel, 0))
    stats["values_differ"] = len(paired) - stats["same"]
    stats["checked_agrees"] = stats["same"] + stats["coding"]
    stats["checked_disagrees"] = stats["gold_error"] + stats["file_year"] + stats["differs"]
    stats["adjudicated"] = int((_column(paired, "adjudication").fillna("").astype(str).str.strip() != "").sum())
    if paired.empty:
        return Finding("gold_escalation", False, stats, "no_gold_overlap", sources=sources)
    years = pd.to_numeric(paired["year"], errors="coerce")
    stats.update({"regions": int(paired["region"].nunique()), "first_year": int(years.min()),
                  "last_year": int(years.max())})
    clusters = paired["region"].tolist()
    for prefix, col in (("gold", "gold_escalation"), ("ours", "escalation"), ("diff", "difference")):
        d = hierarchy.describe_differences(pd.to_numeric(paired[col], errors="coerce").tolist(), clusters=clusters)
        for stat in ("mean", "median", "share_above", "share_equal", "share_below", "mean_low", "mean_high",
                     "share_above_low", "share_above_high"):
            if stat in d:
                stats[f"{prefix}_{stat}"] = d[stat]
    f = Finding("gold_escalation", True, stats, None, rows=paired.reset_index(drop=True), sources=sources)
    if len(paired) < hierarchy.MIN_N:
        f.reason = "small_n"
    return f


def achievement(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None,
                pairs: pd.DataFrame | None = None, indicator: str = "gdp", measure: str = "growth_pct") -> Finding:
    """The target for year Y against the outcome of Y from a later report of the same region, by level and period."""
    sources = {"pairs": f"achievement pairs: {indicator} {measure} target of year Y (report of Y) and outcome of Y "
                        "(a later report; the latest report's figure when revised)",
               "met": "scored by match.score_outcome, the targets_vs_outcomes rule: at or beyond the target in the "
                      "better direction; an approx (左右/约) target within 0.5 pp below it",
               "not_comparable": "pairs whose outcome is stated only as a bound that does not settle the test "
                                 "(left out of the shares)",
               "estimates": "outcomes stated as preliminary (预计/初步核算) with no later figure",
               "revised": "outcomes where a later report's figure replaced a preliminary estimate"}
    if pairs is None:
        pairs = hierarchy.achievement_pairs(facts, documents, indicators=[indicator])
    pairs = pairs[pairs["measure"] == measure] if len(pairs) else pairs
    not_comparable = len(pairs) - len(hierarchy.scored(pairs)) if len(pairs) else 0
    pairs = hierarchy.scored(pairs) if len(pairs) else pairs
    stats: dict[str, Any] = {"pairs": len(pairs), "not_comparable": not_comparable}
    if pairs.empty:
        return Finding("achievement", False, stats, "no_consecutive_reports", sources=sources)
    met = int(pairs["met"].astype(bool).sum())
    stats.update({"met": met, "share_met_pct": percent(met, len(pairs)),
                  "estimates": int(pairs["outcome_estimate"].astype(bool).sum()),
                  "revised": int((pairs["outcome_choice"] == "revised").sum()),
                  "first_year": int(pairs["year"].min()), "last_year": int(pairs["year"].max())})
    rates = hierarchy.achievement_rates(pairs, by=("level", "period_group"))
    for r in rates.itertuples():
        key = f"{r.level}_{r.period_group}"
        stats[f"{key}_n"], stats[f"{key}_met"], stats[f"{key}_share_met"] = r.n, r.met, r.share_met
        stats[f"{key}_low"], stats[f"{key}_high"] = r.share_met_low, r.share_met_high
    f = Finding("achievement", True, stats, None, rows=rates, sources=sources)
    if len(pairs) < hierarchy.MIN_N:
        f.reason = "small_n"
    return f


def bunching(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None,
             pairs: pd.DataFrame | None = None, indicator: str = "gdp", measure: str = "growth_pct",
             band: float = hierarchy.BUNCHING_BAND) -> Finding:
    """GDP growth outcome minus target: just above ``[0, band)`` against just below ``[-band, 0)``, tested."""
    sources = {"n_gaps": "achievement pairs of GDP growth with a gap",
               "just_above": f"gap in [0, {fmt_number(band)}) percentage points",
               "just_below": f"gap in [-{fmt_number(band)}, 0) percentage points",
               "p_value": "exact two-sided binomial test of just_above among just_above + just_below against 1/2",
               "verdict": "bunching_above / bunching_below at 5%, no_bunching, or too_few (under 10 in the bands)"}
    if pairs is None:
        pairs = hierarchy.achievement_pairs(facts, documents, indicators=[indicator])
    rows = hierarchy.scored(pairs[pairs["measure"] == measure]) if len(pairs) \
        else pd.DataFrame(columns=["gap", "outcome_estimate"])
    gaps = pd.to_numeric(rows["gap"], errors="coerce")
    test = hierarchy.bunching_test(gaps.tolist(), band=band)
    stats = {k: v for k, v in test.items() if k != "verdict"}
    stats["needed"] = hierarchy.MIN_N
    stats["_verdict"] = test["verdict"]
    # robustness: preliminary estimates often restate the target (预计增长7.5%); exact hits may be rounding
    final = hierarchy.bunching_test(gaps[~rows["outcome_estimate"].astype(bool)].tolist(), band=band)
    nonzero = hierarchy.bunching_test(gaps[gaps.round(6) != 0].tolist(), band=band)
    for prefix, t in (("final", final), ("nonzero", nonzero)):
        stats.update({f"{prefix}_just_above": t["just_above"], f"{prefix}_just_below": t["just_below"],
                      f"{prefix}_p_value": t["p_value"]})
        stats[f"_{prefix}_verdict"] = t["verdict"]
    sources.update({"final_just_above": "as just_above, outcomes that are not preliminary estimates only",
                    "nonzero_just_above": "as just_above, gaps of exactly 0 left out"})
    if test["verdict"] == "too_few":
        return Finding("bunching", False, stats, "too_few_gaps", sources=sources)
    hist = hierarchy.gap_histogram(gaps.tolist())
    near = hist[(hist["bin_start"] >= -band - 1e-9) & (hist["bin_end"] <= band + 1e-9)].reset_index(drop=True)
    return Finding("bunching", True, stats, None, rows=near, sources=sources)


def fyp_repeat(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None, indicator: str = "gdp") -> Finding:
    """Annual growth targets against the current five-year plan's average-growth target, by level (魏建 & 鉴闻 2018)."""
    sources = {"compared": f"facts.csv: {indicator} growth_pct targets of year Y (report of Y) inside a plan span "
                           "with an avg_growth_pct target of the same region",
               "equal": f"annual target within {fmt_number(SAME_TARGET_TOLERANCE)} pp of the plan average"}
    t = _targets(facts)
    t = t[t["indicator"] == indicator] if not t.empty else t
    stats: dict[str, Any] = {
        "fyp_targets": int(((t["measure"] == "avg_growth_pct")
                            & t["period"].astype(str).str.fullmatch(r"\d{4}-\d{4}")).sum()) if len(t) else 0,
        "annual_targets": int((t["measure"] == "growth_pct").sum()) if len(t) else 0}
    if not stats["fyp_targets"]:
        return Finding("fyp_repeat", False, stats, "no_fyp_targets", sources=sources)
    if not stats["annual_targets"]:
        return Finding("fyp_repeat", False, stats, "no_annual_targets", sources=sources)
    rows = hierarchy.annual_vs_plan(facts, documents, indicator=indicator)
    stats["compared"] = len(rows)
    if rows.empty:
        return Finding("fyp_repeat", False, stats, "no_overlap", sources=sources)
    summary = hierarchy.annual_vs_plan_summary(rows)
    for r in summary.itertuples():
        for stat in ("n", "equal", "above", "below", "share_equal", "share_above", "share_below", "regions"):
            stats[f"{r.level}_{stat}"] = getattr(r, stat)
    stats.update({"equal": stats["all_equal"], "above": stats["all_above"], "below": stats["all_below"],
                  "regions": stats["all_regions"], "first_year": int(rows["year"].min()),
                  "last_year": int(rows["year"].max())})
    f = Finding("fyp_repeat", True, stats, None, rows=summary, sources=sources)
    if len(rows) < hierarchy.MIN_N:
        f.reason = "small_n"
    return f


# ---------------------------------------------------------------- corpus overview and limitations

def corpus_overview(documents: pd.DataFrame | None, facts: pd.DataFrame | None,
                    assessments: pd.DataFrame | None, tvo: pd.DataFrame | None) -> Finding:
    """Counts the summary opens with: documents, regions, years, facts, pairs by status."""
    stats: dict[str, Any] = {}
    sources = {"documents": "documents.csv: rows", "usable": "documents.csv: status ok",
               "regions": "documents.csv: distinct regions of usable documents",
               "first_year": "documents.csv: earliest report_year", "last_year": "documents.csv: latest report_year",
               "facts": "facts.csv: rows", "targets": "facts.csv: role target", "outcomes": "facts.csv: role outcome",
               "assessments": "assessments.csv: rows", "pairs": "targets_vs_outcomes.csv: rows"}
    if not _empty(documents):
        ok = documents if "status" not in documents.columns else documents[documents["status"].fillna("ok") == "ok"]
        stats["documents"] = len(documents)
        stats["usable"] = len(ok)
        stats["regions"] = int(ok["region"].nunique()) if "region" in ok.columns else 0
        years = pd.to_numeric(_column(ok, "report_year"), errors="coerce").dropna()
        if len(years):
            stats["first_year"] = int(years.min())
            stats["last_year"] = int(years.max())
    else:
        stats["documents"] = 0
    if not _empty(facts):
        stats["facts"] = len(facts)
        role = _column(facts, "role")
        stats["targets"] = int((role == "target").sum())
        stats["outcomes"] = int((role == "outcome").sum())
    else:
        stats["facts"] = 0
    stats["assessments"] = 0 if _empty(assessments) else len(assessments)
    stats["pairs"] = 0 if _empty(tvo) else len(tvo)
    if not _empty(tvo) and "status" in tvo.columns:
        for status, n in sorted(tvo["status"].fillna("").value_counts().items()):
            if status:
                stats[f"status_{status}"] = int(n)
                sources[f"status_{status}"] = f"targets_vs_outcomes.csv: status {status}"
    return Finding("corpus", True, stats, None, sources=sources)


def limitations(documents: pd.DataFrame | None, tvo: pd.DataFrame | None) -> Finding:
    """What the corpus cannot answer: years without a work report, pending targets, single-report regions."""
    sources = {"missing_year": "documents.csv: years between the corpus's first and last work report "
                               "with no work report for the region",
               "single_report_regions": "documents.csv: regions with one usable document",
               "pending": "targets_vs_outcomes.csv: status pending",
               "no_target": "targets_vs_outcomes.csv: status no_target"}
    stats: dict[str, Any] = {}
    missing_rows = []
    single: list[str] = []
    if not _empty(documents) and "region" in documents.columns:
        ok = documents if "status" not in documents.columns else documents[documents["status"].fillna("ok") == "ok"]
        ok = ok[ok["region"].notna()]
        wr = ok if "doc_type" not in ok.columns else ok[ok["doc_type"].fillna("work_report") == "work_report"]
        years = pd.to_numeric(_column(wr, "report_year"), errors="coerce") if len(wr) else pd.Series(dtype=float)
        if len(years.dropna()):
            span = range(int(years.min()), int(years.max()) + 1)
            have = wr.assign(y=years).groupby("region")["y"].apply(lambda s: {int(v) for v in s.dropna()})
            for region in sorted(ok["region"].unique()):
                for y in span:
                    if y not in have.get(region, set()):
                        missing_rows.append({"region": region, "year": y})
        counts = ok.groupby("region").size()
        single = sorted(counts[counts == 1].index)
        stats["regions"] = int(len(counts))
    stats["missing_years"] = len(missing_rows)
    stats["single_report_regions"] = len(single)
    if not _empty(tvo) and "status" in tvo.columns:
        stats["pending"] = int((tvo["status"] == "pending").sum())
        stats["no_target"] = int((tvo["status"] == "no_target").sum())
    else:
        stats["pending"] = 0
        stats["no_target"] = 0
    rows = pd.DataFrame(missing_rows, columns=["region", "year"])
    f = Finding("limitations", True, stats, None, rows=rows, sources=sources)
    f.stats["_single_regions"] = single  # names, not numbers: kept out of the findings table
    return f


# ---------------------------------------------------------------- all together

def indicator_directions() -> dict[str, str]:
    """Indicator code → ``higher`` or ``lower`` (which way is better), from the codebook."""
    return directions()


def all_findings(tables: Mapping[str, pd.DataFrame | None]) -> list[Finding]:
    """Overview, the published patterns and the limitations, from the named tables.

    ``tables`` keys: ``documents``, ``facts``, ``assessments``, ``targets_vs_outcomes``, and optionally
    ``hierarchy`` (the pairs table a pipeline run wrote, with its gold check), ``gold`` (gold target
    rows: region, period, indicator, measure, value), ``gold_escalation`` (the table notebook 05 writes
    when given a provincial gold table) or, instead of it, ``provincial_gold`` (gold target rows) with
    ``gold_adjudication`` (``score.read_adjudication``); any may be None.
    """
    docs = tables.get("documents")
    facts = tables.get("facts")
    tvo = tables.get("targets_vs_outcomes")
    pairs = tables.get("hierarchy")
    achieved = hierarchy.achievement_pairs(facts, docs, gold=tables.get("gold"), indicators=["gdp"])
    gold_rows = tables.get("gold_escalation")
    if gold_rows is None and tables.get("provincial_gold") is not None:
        gold_rows = hierarchy.gold_escalation_pairs(facts, docs, tables["provincial_gold"],
                                                    tables.get("gold_adjudication"))
    return [
        corpus_overview(docs, facts, tables.get("assessments"), tvo),
        share_met(tvo, docs),
        escalation(facts, docs, pairs=pairs, gold=tables.get("gold")),
        gold_escalation(gold_rows),
        achievement(facts, docs, pairs=achieved),
        bunching(facts, docs, pairs=achieved),
        fyp_repeat(facts, docs),
        limitations(docs, tvo),
    ]


# ---------------------------------------------------------------- beside the literature

CONTEXT_FINDINGS = ("escalation", "gold_escalation", "achievement", "bunching", "fyp_repeat")


def literature() -> pd.DataFrame:
    """The published findings compared against (``data/literature_findings.csv``), one row per paper and finding."""
    with open(data_file("literature_findings.csv"), encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return pd.DataFrame(list(csv.DictReader(lines))).fillna("")


def _years(stats: Mapping[str, Any], prefix: str = "") -> str:
    first, last = stats.get(f"{prefix}first_year"), stats.get(f"{prefix}last_year")
    return f"{first}-{last}" if first is not None and last is not None else ""


def _compare(f: Finding) -> tuple[str, int, str, str]:
    """Our figure (as text), its N, the years and the conclusion for one finding."""
    s = f.stats
    if not f.assessed:
        return "", 0, "", "not_assessed"
    if f.key == "escalation":
        parts, best, n_best = [], None, -1
        for lp in ("province_national", "prefecture_province", "district_prefecture", "county_prefecture"):
            if f"{lp}_n" in s:
                parts.append(f"{lp.replace('_', '/')}: N={s[f'{lp}_n']}, mean {fmt_number(s[f'{lp}_mean'])} pp "
                             f"[{fmt_number(s[f'{lp}_mean_low'])}, {fmt_number(s[f'{lp}_mean_high'])}], "
                             f"{fmt_number(s[f'{lp}_share_above'])}% stricter")
                if s[f"{lp}_n"] > n_best:
                    best, n_best = lp, s[f"{lp}_n"]
        years = _years(s, f"{best}_")
        if n_best < hierarchy.MIN_N:
            return "; ".join(parts), n_best, years, "n_too_small"
        low, high = s[f"{best}_mean_low"], s[f"{best}_mean_high"]
        verdict = "consistent" if low > 0 else ("opposite" if high < 0 else "inconclusive")
        return "; ".join(parts), int(s.get("gdp_pairs", n_best)), years, verdict
    if f.key == "gold_escalation":
        text = (f"same {s['n']} province-years, our national target: our provincial targets mean "
                f"{fmt_number(s['ours_mean'])} pp [{fmt_number(s['ours_mean_low'])}, {fmt_number(s['ours_mean_high'])}], "
                f"{fmt_number(s['ours_share_above'])}% stricter; ours minus hand-coded "
                f"{fmt_number(s['diff_mean'])} pp [{fmt_number(s['diff_mean_low'])}, {fmt_number(s['diff_mean_high'])}]; "
                f"provincial values differ in {s['values_differ']} ({s['coding']} coding, {s['gold_error']} gold errors, "
                f"{s['file_year']} next year's file, {s['differs']} other)")
        if s["n"] < hierarchy.MIN_N:
            return text, s["n"], _years(s), "n_too_small"
        sides = {"consistent" if s[f"{p}_mean_low"] > 0 else "opposite" if s[f"{p}_mean_high"] < 0 else "inconclusive"
                 for p in ("gold", "ours")}
        return text, s["n"], _years(s), sides.pop() if len(sides) == 1 else "not_consistent"
    if f.key == "achievement":
        text = f"{fmt_number(s['share_met_pct'])}% met of {s['pairs']}"
        by = {lv: (sum(s.get(f"{lv}_{pg}_met", 0) for pg in ("before_2013", "from_2013")),
                   sum(s.get(f"{lv}_{pg}_n", 0) for pg in ("before_2013", "from_2013")))
              for lv in ("province", "prefecture")}
        for lv, (m, n) in by.items():
            if n:
                text += f"; {lv} {fmt_number(percent(m, n))}% of {n}"
        if s["pairs"] < hierarchy.MIN_N or min(n for _, n in by.values()) < hierarchy.MIN_N:
            return text, s["pairs"], _years(s), "n_too_small"
        more_than_half = s["share_met_pct"] > 50
        cities_lower = percent(*by["prefecture"]) < percent(*by["province"])
        verdict = "consistent" if more_than_half and cities_lower else (
            "partly_consistent" if more_than_half or cities_lower else "not_consistent")
        return text, s["pairs"], _years(s), verdict
    if f.key == "bunching":
        text = (f"{s['just_above']} just above vs {s['just_below']} just below "
                f"(±{fmt_number(s['band'])} pp), p{p_equals(s['p_value'])}")
        verdict = {"bunching_above": "consistent", "no_bunching": "no_bunching_detected",
                   "bunching_below": "opposite"}.get(s["_verdict"], "n_too_small")
        if verdict == "consistent" and "bunching_above" not in {s.get("_final_verdict")} & {s.get("_nonzero_verdict")}:
            verdict = "partly_consistent"  # the excess rests on preliminary estimates or on exact hits
        text += (f"; final figures only {s['final_just_above']} vs {s['final_just_below']}, "
                 f"p{p_equals(s['final_p_value'])}; without exact hits {s['nonzero_just_above']} vs "
                 f"{s['nonzero_just_below']}, p{p_equals(s['nonzero_p_value'])}")
        return text, s["just_above"] + s["just_below"], "", verdict
    if f.key == "fyp_repeat":
        text = "; ".join(f"{lv}: {fmt_number(s[f'{lv}_share_equal'])}% equal of {s[f'{lv}_n']}"
                         for lv in hierarchy.LEVELS if f"{lv}_n" in s)
        n_pref = s.get("prefecture_n", 0)
        verdict = "n_too_small" if n_pref < hierarchy.MIN_N else "descriptive"
        return text, s["compared"], _years(s), verdict
    return "", 0, "", "not_assessed"


def comparisons(found: Iterable[Finding]) -> pd.DataFrame:
    """Each published finding beside ours: paper, its figure (or that it is unverified), ours, N, years, verdict."""
    lit = literature()
    by_key = {f.key: f for f in found}
    rows = []
    for _, paper in lit.iterrows():
        f = by_key.get(paper["finding"])
        if f is None:
            continue
        ours, n, years, verdict = _compare(f)
        figure = paper["paper_figure"] or "not verified"
        if f.key == "gold_escalation" and f.assessed:  # the paper's side computed from its own hand coding
            s = f.stats
            figure = (f"hand-coded provincial targets: mean {fmt_number(s['gold_mean'])} pp "
                      f"[{fmt_number(s['gold_mean_low'])}, {fmt_number(s['gold_mean_high'])}], "
                      f"{fmt_number(s['gold_share_above'])}% stricter")
        rows.append({"finding": paper["finding"], "paper": paper["paper"], "reference": paper["reference"],
                     "paper_figure": figure, "paper_where": paper["where"],
                     "verified": paper["verified"], "paper_sample": paper["sample"], "our_figure": ours, "n": n,
                     "years": years, "conclusion": verdict,
                     "reason": "" if f.assessed else (f.reason or "")})
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


COMPARISON_COLUMNS = ["finding", "paper", "reference", "paper_figure", "paper_where", "verified", "paper_sample",
                      "our_figure", "n", "years", "conclusion", "reason"]
FINDINGS_COLUMNS = ["finding", "group", "statistic", "value", "assessed", "source", "paper", "paper_figure",
                    "paper_where", "n", "years", "sample", "conclusion"]
# Tables behind a finding whose rows also go into findings.csv: finding → columns naming a row's group.
_ROW_GROUPS = {"escalation": ("indicator", "measure", "level_pair", "year"), "achievement": ("level", "period_group"),
               "bunching": ("bin_start",), "fyp_repeat": ("level",)}


def findings_table(findings: Iterable[Finding]) -> pd.DataFrame:
    """Every number behind the findings, one row each, and one row per published paper: ``findings.csv``.

    ``value`` is written as the report writes it (``fmt_number``), so a number in the report's text
    can be looked up in this table as a string. Rows with ``group`` = ``literature`` set a paper's
    figure (or "not verified") beside ours, with N, years, the paper's sample and a conclusion.
    """
    findings = list(findings)
    rows = []
    for f in findings:
        for stat, value in f.stats.items():
            if stat.startswith("_") or value is None:
                continue
            rows.append({"finding": f.key, "group": "all", "statistic": stat, "value": fmt_number(value),
                         "assessed": f.assessed, "source": f.sources.get(stat, f.sources.get(stat.split("_", 1)[-1], ""))})
        if f.key in _ROW_GROUPS and f.assessed and f.rows is not None:
            group_cols = [c for c in _ROW_GROUPS[f.key] if c in f.rows.columns]
            for _, r in f.rows.iterrows():
                group = " ".join(fmt_number(r[c]) for c in group_cols)
                for col in f.rows.columns:
                    if col in group_cols or isinstance(r[col], (bool, str)) or pd.isna(r[col]):
                        continue
                    rows.append({"finding": f.key, "group": group, "statistic": col, "value": fmt_number(r[col]),
                                 "assessed": True, "source": f.sources.get(col, "")})
        if f.key == "limitations" and f.rows is not None:
            for _, r in f.rows.iterrows():
                rows.append({"finding": f.key, "group": r["region"], "statistic": "missing_year",
                             "value": fmt_number(r["year"]), "assessed": True, "source": f.sources["missing_year"]})
        if f.key == "limitations":
            for region in f.stats.get("_single_regions", []):
                rows.append({"finding": f.key, "group": region, "statistic": "single_report_region", "value": "1",
                             "assessed": True, "source": f.sources["single_report_regions"]})
    for _, c in comparisons(findings).iterrows():
        rows.append({"finding": c["finding"], "group": "literature", "statistic": "comparison",
                     "value": c["our_figure"], "assessed": c["conclusion"] != "not_assessed",
                     "source": c["reference"], "paper": c["paper"], "paper_figure": c["paper_figure"],
                     "paper_where": c["paper_where"], "n": fmt_number(c["n"]), "years": c["years"],
                     "sample": c["paper_sample"], "conclusion": c["conclusion"]})
    return pd.DataFrame(rows, columns=FINDINGS_COLUMNS)
