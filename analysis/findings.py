"""The corpus's patterns set beside published ones, each computed only when the tables support it.

Every function takes the pipeline's tables (plain DataFrames with the agreed columns) and returns a
``Finding``: whether it could be assessed, the numbers behind it, and, when it could not, the reason
and the counts that fall short. ``findings_table`` lays all numbers out as one long table
(``findings.csv``) so that every number the written report states can be found in an output table.

Published patterns compared against:

- share of targets met: above half, lower for cities than provinces (吕冰洋 & 张兆强 2022);
- escalation of targets from a city to its districts, 层层加码 (Li, Liu, Weng & Zhou 2019;
  Chang, Wang & Xiong 2025);
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

from .codebook import directions
from .paths import data_file

# Fewest met/missed pairs for which the distribution of gaps near zero says anything.
MIN_BUNCHING_PAIRS = 20
# Half-width of the "just above / just below" window: percentage points for rates, % of target for levels.
BUNCHING_WINDOW = 1.0
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


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` rounded to one decimal (None when ``whole`` is 0)."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)


# ---------------------------------------------------------------- helpers on the tables

def _bool(series: pd.Series) -> pd.Series:
    """A CSV boolean column (True/False/true/false/1/0/empty) as bool, empty → False."""
    return series.map(lambda v: str(v).strip().lower() in ("true", "1", "yes")).astype(bool)


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


# ---------------------------------------------------------------- the four findings

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


def escalation(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None) -> Finding:
    """District targets against their city's target for the same indicator, measure and period (层层加码).

    A district is paired with its city through the documents table's ``parent_region`` column, or when
    the district's name starts with the city's name (广州市荔湾区). Higher targets count as escalated for
    indicators where more is better; for ceilings (unemployment, energy use) lower targets do.
    """
    sources = {"city_reports": "documents.csv: regions at city level",
               "district_reports": "documents.csv: regions at district level",
               "pairs": "facts.csv: district target and its city's target, same indicator, measure, period",
               "escalated": "pairs where the district's target is stricter than the city's"}
    regions = list(_column(documents, "region").dropna()) if documents is not None else []
    if not regions and not _empty(facts):
        regions = list(facts["region"].dropna())
    levels = region_levels(documents, regions)
    n_city = sum(1 for lv in levels.values() if lv == "city")
    n_district = sum(1 for lv in levels.values() if lv == "district")
    stats: dict[str, Any] = {"city_reports": _count_docs(documents, levels, "city"),
                             "district_reports": _count_docs(documents, levels, "district"),
                             "cities": n_city, "districts": n_district}
    if n_city == 0:
        return Finding("escalation", False, stats, "no_city_reports", sources=sources)
    if n_district == 0:
        return Finding("escalation", False, stats, "no_district_reports", sources=sources)
    parents = _parents(documents, levels)
    if not parents:
        return Finding("escalation", False, stats, "no_parent_links", sources=sources)
    targets = _targets(facts)
    directions = indicator_directions()
    key = ["indicator", "measure", "period"]
    city_t = targets[targets["region"].map(levels) == "city"]
    dist_t = targets[targets["region"].map(parents).notna()].copy()
    dist_t["city"] = dist_t["region"].map(parents)
    merged = dist_t.merge(city_t[["region", *key, "value"]].rename(columns={"region": "city", "value": "city_value"}),
                          on=["city", *key], how="inner")
    stats["pairs"] = len(merged)
    if merged.empty:
        return Finding("escalation", False, stats, "no_common_targets", sources=sources)
    sign = merged["indicator"].map(lambda i: -1.0 if directions.get(i) == "lower" else 1.0)
    merged["escalation"] = (merged["value"] - merged["city_value"]) * sign
    stats["escalated"] = int((merged["escalation"] > 0).sum())
    stats["same"] = int((merged["escalation"] == 0).sum())
    stats["lower"] = int((merged["escalation"] < 0).sum())
    stats["escalated_pct"] = percent(stats["escalated"], len(merged))
    rows = merged[["city", "region", *key, "city_value", "value", "escalation"]].sort_values(
        ["city", "region", *key]).reset_index(drop=True)
    return Finding("escalation", True, stats, None, rows=rows, sources=sources)


def _count_docs(documents: pd.DataFrame | None, levels: Mapping[str, str], level: str) -> int:
    if _empty(documents) or "region" not in documents.columns:
        return 0
    ok = documents if "status" not in documents.columns else documents[documents["status"].fillna("ok") == "ok"]
    return int(ok["region"].map(levels).eq(level).sum())


def _parents(documents: pd.DataFrame | None, levels: Mapping[str, str]) -> dict[str, str]:
    """District → its city, from ``parent_region`` or from a district name that starts with the city's."""
    cities = sorted((r for r, lv in levels.items() if lv == "city"), key=len, reverse=True)
    parents: dict[str, str] = {}
    if documents is not None and "parent_region" in documents.columns:
        for reg, par in zip(documents["region"], documents["parent_region"]):
            if isinstance(reg, str) and isinstance(par, str) and par in levels:
                parents[reg] = par
    for reg, lv in levels.items():
        if lv == "district" and reg not in parents:
            for city in cities:
                if reg.startswith(city) and reg != city:
                    parents[reg] = city
                    break
    return parents


def bunching(tvo: pd.DataFrame | None, min_pairs: int = MIN_BUNCHING_PAIRS,
             window: float = BUNCHING_WINDOW) -> Finding:
    """Outcomes just above their targets against just below, on a common scale.

    The gap is taken in percentage points for rates and in per cent of the target for levels and counts,
    turned so that positive means better than the target (ceilings flip sign).
    """
    sources = {"pairs": "targets_vs_outcomes.csv: met or missed rows with a numeric gap (stretch tier excluded)",
               "just_above": f"gap in [0, {fmt_number(window)}) (pp for rates, % of target for levels)",
               "just_below": f"gap in [-{fmt_number(window)}, 0)"}
    pairs = _evaluated_pairs(tvo) if not _empty(tvo) else pd.DataFrame()
    if not pairs.empty and "gap" in pairs.columns:
        pairs = pairs.assign(gap=pd.to_numeric(pairs["gap"], errors="coerce"),
                             target_value=pd.to_numeric(_column(pairs, "target_value"), errors="coerce"))
        pairs = pairs[pairs["gap"].notna()]
    else:
        pairs = pd.DataFrame(columns=["gap"])
    stats: dict[str, Any] = {"pairs": len(pairs), "needed": min_pairs, "window": window}
    if len(pairs) < min_pairs:
        return Finding("bunching", False, stats, "too_few_pairs", sources=sources)
    directions = indicator_directions()
    std_gaps = []
    for _, r in pairs.iterrows():
        gap = float(r["gap"])
        if r.get("measure") not in RATE_MEASURES:
            tv = r.get("target_value")
            gap = 100.0 * gap / abs(tv) if tv and not math.isnan(tv) else math.nan
        if directions.get(r.get("indicator")) == "lower":
            gap = -gap
        std_gaps.append(gap)
    g = pd.Series(std_gaps).dropna()
    above = int(((g >= 0) & (g < window)).sum())
    below = int(((g < 0) & (g >= -window)).sum())
    stats.update({"scaled_pairs": len(g), "just_above": above, "just_below": below,
                  "just_above_pct": percent(above, len(g))})
    if above + below:
        stats["above_share_near_zero_pct"] = percent(above, above + below)
    return Finding("bunching", True, stats, None, sources=sources)


def fyp_repeat(facts: pd.DataFrame | None, indicator: str = "gdp") -> Finding:
    """Annual growth targets against the same region's five-year-plan average growth target (魏建 & 鉴闻 2018)."""
    sources = {"fyp_targets": f"facts.csv: {indicator} avg_growth_pct targets over a span",
               "annual_targets": f"facts.csv: {indicator} growth_pct targets for one year inside that span",
               "equal": f"annual target within {fmt_number(SAME_TARGET_TOLERANCE)} pp of the plan average"}
    t = _targets(facts)
    t = t[t["indicator"] == indicator] if not t.empty else t
    fyp = t[(t["measure"] == "avg_growth_pct") & t["period"].astype(str).str.fullmatch(r"\d{4}-\d{4}")]
    annual = t[(t["measure"] == "growth_pct") & t["period"].astype(str).str.fullmatch(r"\d{4}")]
    stats: dict[str, Any] = {"fyp_targets": len(fyp), "annual_targets": len(annual)}
    if fyp.empty:
        return Finding("fyp_repeat", False, stats, "no_fyp_targets", sources=sources)
    if annual.empty:
        return Finding("fyp_repeat", False, stats, "no_annual_targets", sources=sources)
    rows = []
    for _, f in fyp.iterrows():
        start, end = (int(x) for x in str(f["period"]).split("-"))
        same = annual[(annual["region"] == f["region"])
                      & annual["period"].astype(str).astype(int).between(start, end)]
        for _, a in same.iterrows():
            diff = round(float(a["value"]) - float(f["value"]), 4)
            rows.append({"region": f["region"], "target_period": str(f["period"]), "fyp_value": float(f["value"]),
                         "period": str(a["period"]), "annual_value": float(a["value"]), "difference": diff})
    stats["compared"] = len(rows)
    if not rows:
        return Finding("fyp_repeat", False, stats, "no_overlap", sources=sources)
    df = pd.DataFrame(rows).drop_duplicates().sort_values(["region", "period", "target_period"]).reset_index(drop=True)
    stats["compared"] = len(df)
    stats["equal"] = int((df["difference"].abs() < SAME_TARGET_TOLERANCE).sum())
    stats["above"] = int((df["difference"] >= SAME_TARGET_TOLERANCE).sum())
    stats["below"] = int((df["difference"] <= -SAME_TARGET_TOLERANCE).sum())
    stats["regions"] = int(df["region"].nunique())
    return Finding("fyp_repeat", True, stats, None, rows=df, sources=sources)


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
        years = pd.to_numeric(wr.get("report_year"), errors="coerce") if len(wr) else pd.Series(dtype=float)
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
    """Overview, the four published patterns and the limitations, from the named tables.

    ``tables`` keys: ``documents``, ``facts``, ``assessments``, ``targets_vs_outcomes`` (any may be None).
    """
    docs = tables.get("documents")
    facts = tables.get("facts")
    tvo = tables.get("targets_vs_outcomes")
    return [
        corpus_overview(docs, facts, tables.get("assessments"), tvo),
        share_met(tvo, docs),
        escalation(facts, docs),
        bunching(tvo),
        fyp_repeat(facts),
        limitations(docs, tvo),
    ]


FINDINGS_COLUMNS = ["finding", "group", "statistic", "value", "assessed", "source"]


def findings_table(findings: Iterable[Finding]) -> pd.DataFrame:
    """Every number behind the findings, one row each: ``findings.csv``.

    ``value`` is written as the report writes it (``fmt_number``), so a number in the report's text
    can be looked up in this table as a string.
    """
    rows = []
    for f in findings:
        for stat, value in f.stats.items():
            if stat.startswith("_") or value is None:
                continue
            rows.append({"finding": f.key, "group": "all", "statistic": stat, "value": fmt_number(value),
                         "assessed": f.assessed, "source": f.sources.get(stat, f.sources.get(stat.split("_", 1)[-1], ""))})
        if f.key == "limitations" and f.rows is not None:
            for _, r in f.rows.iterrows():
                rows.append({"finding": f.key, "group": r["region"], "statistic": "missing_year",
                             "value": fmt_number(r["year"]), "assessed": True, "source": f.sources["missing_year"]})
        if f.key == "limitations":
            for region in f.stats.get("_single_regions", []):
                rows.append({"finding": f.key, "group": region, "statistic": "single_report_region", "value": "1",
                             "assessed": True, "source": f.sources["single_report_regions"]})
    return pd.DataFrame(rows, columns=FINDINGS_COLUMNS)
