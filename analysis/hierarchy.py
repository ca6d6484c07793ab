"""Targets across the administrative hierarchy, achievement, bunching and annual-against-plan targets.

Every function takes plain tables (the facts table, the documents table with ``level`` and ``parent``
columns, a gold table) and returns a table, so that each number the report states can be found in a
CSV and traced to its quotes:

- ``hierarchy_pairs`` (``hierarchy.csv``): a region's target beside its parent's target for the same
  indicator, measure, year and comparator class (prefecture with its province, province with the
  nation, district or county with its city);
- ``escalation_summary``: per indicator, level pair and year, N, mean and median escalation, shares
  stricter/equal/looser, with seeded 95% intervals from a cluster bootstrap by region (a region's
  years are resampled together, since they are not independent);
- ``achievement_pairs`` / ``achievement_rates``: the outcome of year Y against the target for Y,
  preliminary estimates marked, a later revised figure preferred and the choice recorded;
- ``gap_histogram`` / ``bunching_test``: outcome minus target near zero, and whether the band just
  above holds more than the band just below (an exact binomial test that can answer "no bunching");
- ``annual_vs_plan`` / ``annual_vs_plan_summary``: annual growth targets against the current
  five-year plan's average-growth target, by level.
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .codebook import directions
from .schema import bool_series

# Levels of the agreed documents table, top to bottom, and the parent level of each.
LEVELS = ("national", "province", "prefecture", "county_city", "district", "county")
PARENT_LEVEL = {"province": "national", "prefecture": "province", "district": "prefecture",
                "county": "prefecture", "county_city": "prefecture"}
# The nation as a parent: the documents table writes 中国; other names a reader may use for it.
NATION_NAMES = ("中国", "全国", "国务院", "中华人民共和国")
NATION = "中国"
# Province-level municipalities end in 市 like prefecture cities.
MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")

# Comparators that state one figure (左右, 约 and a bare figure) form one class; bounds and ranges their own.
COMPARATOR_CLASS = {"exact": "point", "approx": "point", "": "point", "at_least": "floor",
                    "at_most": "ceiling", "range": "range"}
# Only rates compare across levels: a province's GDP in 亿元 is not a prefecture's. "other" is no indicator.
COMPARABLE_MEASURES = ("growth_pct", "avg_growth_pct", "share_pct", "rate_pct")
UNCODED_INDICATORS = ("other", "")
# Two growth figures count as equal when they differ by less than this (percentage points).
EQUAL_TOLERANCE = 0.05
# The year the literature singles out: targets were de-emphasised from the 2013 leadership on.
PERIOD_SPLIT_YEAR = 2013
# Fewest pairs for which a mean, a share or a bunching test is reported as a result.
MIN_N = 10
BOOTSTRAP_SAMPLES = 2000
INTERVAL_PCT = 95  # percentile interval of the bootstrap draws
BOOTSTRAP_SEED = 20260101
# Bunching: the band just below [-BAND, 0) against the band just above [0, BAND), percentage points.
BUNCHING_BAND = 0.5
HISTOGRAM_BIN = 0.1

HIERARCHY_COLUMNS = ["indicator", "measure", "period", "level_pair", "region", "region_level", "parent",
                     "parent_level", "comparator_class", "value", "parent_value", "comparator", "parent_comparator",
                     "difference", "escalation", "doc_id", "parent_doc_id", "quote", "parent_quote", "checked"]
ACHIEVEMENT_COLUMNS = ["region", "level", "indicator", "measure", "year", "period_group", "comparator",
                       "target_value", "outcome_value", "outcome_comparator", "gap", "status", "met", "outcome_estimate", "outcome_choice",
                       "estimate_value", "target_doc_id", "outcome_doc_id", "outcome_report_year", "target_quote",
                       "outcome_quote", "checked"]
GOLD_ESCALATION_COLUMNS = ["region", "year", "parent", "comparator_class", "parent_value", "value", "value_high",
                           "comparator", "gold_value", "escalation", "gold_escalation", "difference", "relation",
                           "adjudication", "doc_id", "quote"]
PLAN_COLUMNS = ["region", "level", "indicator", "year", "plan_period", "annual_value", "plan_value", "difference",
                "relation", "annual_comparator", "plan_comparator", "annual_doc_id", "plan_doc_id", "annual_quote",
                "plan_quote"]


# ---------------------------------------------------------------- small helpers

def _bool(series: pd.Series) -> pd.Series:
    """A flag column as bool (empty → False), read the one way every table is read."""
    return bool_series(series)


def _text(series: pd.Series) -> pd.Series:
    return series.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip())


def _year(period: object) -> int | None:
    """A single-year period (2021, '2021', 2021.0) as int; spans and quarters → None."""
    text = str(period).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if re.fullmatch(r"(19|20)\d\d", text) else None


def _span(period: object) -> tuple[int, int] | None:
    m = re.fullmatch(r"((?:19|20)\d\d)-((?:19|20)\d\d)", str(period).strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def level_from_name(region: object) -> str:
    """Level of a region from its name alone, for documents tables without ``level``."""
    if not isinstance(region, str) or not region:
        return "unknown"
    if region in NATION_NAMES:
        return "national"
    if region in MUNICIPALITIES or region.endswith(("省", "自治区", "特别行政区")):
        return "province"
    if region.endswith(("市", "地区", "自治州", "盟")):
        return "prefecture"
    if region.endswith("区"):
        return "district"
    if region.endswith(("县", "旗")):
        return "county"
    return "unknown"


def region_table(documents: pd.DataFrame | None, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per region: ``region``, ``level``, ``parent`` (resolved as far as the tables allow).

    Level and parent come from the documents table when it has them; otherwise the level is read
    from the name's ending, a province's parent is the nation, and a district or county whose name
    begins with a prefecture's name in the corpus (广州市荔湾区) belongs to it. A prefecture without a
    ``parent`` stays unresolved: its province cannot be read from its name.
    """
    rows: dict[str, dict[str, str]] = {}
    sources = [t for t in (documents, facts) if t is not None and len(t) and "region" in t.columns]
    for table in sources:
        # one row per distinct region/level/parent: the facts table has a row per number
        table = table[[c for c in ("region", "level", "parent") if c in table.columns]].drop_duplicates()
        has_level = "level" in table.columns
        has_parent = "parent" in table.columns
        for i in range(len(table)):
            region = table["region"].iat[i]
            if not isinstance(region, str) or not region.strip():
                continue
            entry = rows.setdefault(region, {"region": region, "level": "", "parent": ""})
            lv = table["level"].iat[i] if has_level else None
            if not entry["level"] and isinstance(lv, str) and lv.strip():
                entry["level"] = lv.strip()
            par = table["parent"].iat[i] if has_parent else None
            if not entry["parent"] and isinstance(par, str) and par.strip():
                entry["parent"] = par.strip()
    for entry in rows.values():
        if not entry["level"]:
            entry["level"] = level_from_name(entry["region"])
        if entry["level"] == "national":
            entry["parent"] = ""
        elif entry["level"] == "province" and not entry["parent"]:
            entry["parent"] = NATION
    prefectures = sorted((r for r, e in rows.items() if e["level"] == "prefecture"), key=len, reverse=True)
    for region, entry in rows.items():
        if entry["level"] in ("district", "county", "county_city") and not entry["parent"]:
            entry["parent"] = next((p for p in prefectures if region.startswith(p) and region != p), "")
    table = pd.DataFrame(list(rows.values()), columns=["region", "level", "parent"])
    # the nation under whatever name the corpus gives it is the node the provinces point to
    table["node"] = [NATION if lv == "national" else r for r, lv in zip(table["region"], table["level"])]
    table["parent"] = table["parent"].map(lambda p: NATION if p in NATION_NAMES else p)
    return table.sort_values("region").reset_index(drop=True)


def _with_regions(facts: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """Facts with ``level``, ``parent`` and ``node`` joined on doc_id (or region when doc_id is unknown)."""
    regions = region_table(documents, facts)
    f = facts.copy()
    if documents is not None and len(documents) and {"doc_id", "region"} <= set(documents.columns) \
            and "doc_id" in f.columns:
        doc_region = dict(zip(documents["doc_id"].astype(str), documents["region"]))
        f["region"] = [doc_region.get(str(d), r) for d, r in zip(f["doc_id"], f["region"])]
    f = f.drop(columns=[c for c in ("level", "parent", "node") if c in f.columns])
    return f.merge(regions, on="region", how="left")


def _numeric_targets(facts: pd.DataFrame, role: str = "target") -> pd.DataFrame:
    """Numeric rows of one role, stretch tiers dropped, with year, comparator class and report year."""
    if facts is None or len(facts) == 0 or "role" not in facts.columns:
        return pd.DataFrame()
    t = facts[facts["role"] == role].copy()
    if "stretch" in t.columns:
        t = t[~_bool(t["stretch"])]
    t["value"] = pd.to_numeric(t["value"], errors="coerce")
    t = t[t["value"].notna()]
    t["comparator"] = _text(t["comparator"]) if "comparator" in t.columns else ""
    t["comparator_class"] = t["comparator"].map(lambda c: COMPARATOR_CLASS.get(c, ""))
    t["year"] = t["period"].map(_year)
    t["report_year"] = pd.to_numeric(t.get("report_year"), errors="coerce")
    for col in ("doc_id", "quote", "doc_type", "measure", "indicator"):
        t[col] = _text(t[col]) if col in t.columns else ""
    t["estimate"] = _bool(t["estimate"]) if "estimate" in t.columns else False
    return t


def _one_per_key(rows: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """One figure per key: a work report of the period's own year first, then the earliest report."""
    if rows.empty:
        return rows
    r = rows.assign(_own=(rows["report_year"] == rows["year"]).astype(int),
                    _wr=(rows["doc_type"].isin(["work_report", ""])).astype(int))
    r = r.sort_values([*key, "_own", "_wr", "report_year", "doc_id"], ascending=[True] * len(key) + [False, False, True, True],
                      kind="mergesort")
    return r.drop_duplicates(list(key), keep="first").drop(columns=["_own", "_wr"])


def _sign(indicator: str, dirs: Mapping[str, str]) -> float:
    """+1 where more is better, −1 for ceilings (unemployment, CPI, energy use)."""
    return -1.0 if dirs.get(indicator) == "lower" else 1.0


# ---------------------------------------------------------------- gold: which facts a person checked

def gold_targets_from_provincial(table: pd.DataFrame) -> pd.DataFrame:
    """A hand-coded provincial GDP table (province, year, gdp_growth_target) as gold target rows."""
    g = pd.DataFrame({"region": table["province"], "period": table["year"].astype(str),
                      "indicator": "gdp", "measure": "growth_pct",
                      "value": pd.to_numeric(table["gdp_growth_target"], errors="coerce"), "role": "target"})
    return g[g["value"].notna()].reset_index(drop=True)


def _checked_keys(gold: pd.DataFrame | None) -> dict[tuple, set[float]]:
    """(role, region, period, indicator, measure) → gold values, from a gold facts table."""
    keys: dict[tuple, set[float]] = {}
    if gold is None or len(gold) == 0:
        return keys
    g = gold.copy()
    if "role" not in g.columns:
        g["role"] = "target"
    for role, region, period, ind, meas, val in zip(g["role"], g["region"], g["period"], g["indicator"],
                                                    g["measure"], pd.to_numeric(g["value"], errors="coerce")):
        if isinstance(val, float) and math.isnan(val):
            continue
        y = _year(period)
        keys.setdefault((str(role), str(region), str(y if y else period), str(ind), str(meas)), set()).add(round(float(val), 4))
    return keys


def _check(keys: Mapping[tuple, set[float]], role: str, region: str, period: object, indicator: str,
           measure: str, value: float, comparator: str = "", value_high: object = None) -> str:
    """``agrees`` / ``disagrees`` with a gold row, or ``extraction`` when no person checked this fact.

    Besides the value itself, the codings of the hand-coded provincial GDP table count as agreement
    (its NOTES: a range is stored as its midpoint, 以上 sometimes as X + 0.05), as bench_provincial
    counts them; a value that is neither still disagrees.
    """
    y = _year(period)
    found = keys.get((role, str(region), str(y if y else period), indicator, measure))
    if not found:
        return "extraction"
    accepted = {round(float(value), 4)}
    if comparator == "at_least":
        accepted.add(round(float(value) + 0.05, 4))
    high = pd.to_numeric(value_high, errors="coerce")
    if comparator == "range" and pd.notna(high):
        accepted.add(round((float(value) + float(high)) / 2, 4))
    return "agrees" if accepted & found else "disagrees"


# ---------------------------------------------------------------- hierarchy pairs and escalation

def _paired_targets(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The pairs of ``hierarchy_pairs`` with every column of both targets (``value_high`` too), unchecked."""
    if facts is None or len(facts) == 0:
        return pd.DataFrame(columns=HIERARCHY_COLUMNS)
    t = _numeric_targets(_with_regions(facts, documents))
    if t.empty:
        return pd.DataFrame(columns=HIERARCHY_COLUMNS)
    t = t[t["year"].notna() & (t["comparator_class"] != "") & t["measure"].isin(COMPARABLE_MEASURES)
          & ~t["indicator"].isin(UNCODED_INDICATORS)]
    key = ["node", "indicator", "measure", "year", "comparator_class"]
    t = _one_per_key(t, key)
    parents = t.drop(columns=["parent", "region"]).rename(columns={"node": "parent", "level": "parent_level", "value": "parent_value",
                                "comparator": "parent_comparator", "doc_id": "parent_doc_id",
                                "quote": "parent_quote"})
    parents = parents.rename(columns={"value_high": "parent_value_high"})
    if "parent_value_high" not in parents.columns:
        parents["parent_value_high"] = math.nan
    parents = parents[["parent", "parent_level", "indicator", "measure", "year", "comparator_class", "parent_value",
                       "parent_value_high", "parent_comparator", "parent_doc_id", "parent_quote"]]
    children = t[t["parent"].fillna("") != ""].rename(columns={"level": "region_level"})
    pairs = children.merge(parents, on=["parent", "indicator", "measure", "year", "comparator_class"], how="inner")
    # a parent must sit at the level above (a prefecture's parent is a province, not another prefecture)
    pairs = pairs[[PARENT_LEVEL.get(c) == p or (c in ("district", "county", "county_city") and p == "prefecture")
                   for c, p in zip(pairs["region_level"], pairs["parent_level"])]]
    if pairs.empty:
        return pd.DataFrame(columns=HIERARCHY_COLUMNS)
    dirs = directions()
    pairs = pairs.assign(period=pairs["year"].astype(int).astype(str),
                         level_pair=pairs["region_level"] + "/" + pairs["parent_level"],
                         difference=(pairs["value"] - pairs["parent_value"]).round(4))
    pairs["escalation"] = [round(d * _sign(i, dirs), 4) for d, i in zip(pairs["difference"], pairs["indicator"])]
    return pairs


def hierarchy_pairs(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None,
                    gold: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each region's target beside its parent's: same indicator, rate measure, year and comparator class.

    ``difference`` is region minus parent; ``escalation`` turns it so that positive means the lower
    government set the stricter target (higher growth, or a lower ceiling). ``checked`` says whether
    a person checked the two facts: ``both``, ``one``, ``none`` against ``gold`` (a gold facts table
    with region, period, indicator, measure, value), ``disagrees`` when a gold value differs.
    """
    pairs = _paired_targets(facts, documents)
    if pairs.empty:
        return pd.DataFrame(columns=HIERARCHY_COLUMNS)
    keys = _checked_keys(gold)
    checks = []
    for r in pairs.itertuples():
        a = _check(keys, "target", r.region, r.period, r.indicator, r.measure, r.value, r.comparator,
                   getattr(r, "value_high", None))
        b = _check(keys, "target", r.parent, r.period, r.indicator, r.measure, r.parent_value, r.parent_comparator,
                   r.parent_value_high)
        n = (a == "agrees") + (b == "agrees")
        checks.append("disagrees" if "disagrees" in (a, b) else ("both" if n == 2 else "one" if n else "none"))
    pairs["checked"] = checks
    return (pairs[HIERARCHY_COLUMNS].sort_values(["indicator", "measure", "level_pair", "period", "region"])
            .reset_index(drop=True))


# Relations of a gold province-year for which we have no province − nation pair.
NOT_PAIRED = ("no_national", "no_provincial", "other_class")
# An adjudication reason with these words: the corpus file holds the next year's report, the gold is right.
NEXT_YEAR_FILE = "next year's report"
# Which pair stands for a province-year when it has several comparator classes: the gold codes one figure.
_CLASS_ORDER = {"point": 0, "floor": 1, "range": 2, "ceiling": 3}


def gold_escalation_pairs(facts: pd.DataFrame | None, documents: pd.DataFrame | None, gold: pd.DataFrame | None,
                          adjudication: pd.DataFrame | None = None, indicator: str = "gdp",
                          measure: str = "growth_pct") -> pd.DataFrame:
    """Province − nation escalation twice on the same province-years: our provincial target and the gold's.

    One row per province-year of ``gold`` (gold target rows as ``read_gold`` gives them). Where our
    province − nation pair of that year exists (``hierarchy_pairs``' rule: same comparator class),
    ``escalation`` uses our provincial target and ``gold_escalation`` the hand-coded one, both against
    the same national target (ours); ``difference`` is ours minus gold. ``relation`` says how the two
    provincial values relate: ``same``; ``coding`` (the gold's coding of our target: a range's
    midpoint, X以上 as X + 0.05); ``gold_error`` (an ``adjudication`` row, as ``score.read_adjudication``
    reads it, says the report states our value); ``file_year`` (the adjudication says the same, but the
    corpus file is the next year's report: the gold is right by year, our target is another year's);
    ``differs``; and, when we have no pair that year, ``no_national`` (no national target of ours),
    ``no_provincial`` (none of the province) or ``other_class`` (the two differ in comparator class,
    e.g. 8%以上 against 7%左右). ``adjudication`` holds the reason.
    """
    from .score import _matches_text, target_agrees  # score imports the corpus reader: only when needed

    if gold is None or len(gold) == 0:
        return pd.DataFrame(columns=GOLD_ESCALATION_COLUMNS)
    g = gold.copy()
    keep = (g["indicator"].astype(str) == indicator) & (g["measure"].astype(str) == measure)
    if "role" in g.columns:
        keep &= g["role"].astype(str) == "target"
    if "stretch" in g.columns:
        keep &= ~_bool(g["stretch"])
    g = g[keep].assign(year=g["period"].map(_year), gold_value=pd.to_numeric(g["value"], errors="coerce"))
    g = g[g["year"].notna() & g["gold_value"].notna()]
    g = g[g["region"].map(level_from_name) == "province"]
    g = g.drop_duplicates(["region", "year"])[["region", "year", "gold_value"]]
    if g.empty:
        return pd.DataFrame(columns=GOLD_ESCALATION_COLUMNS)
    g["year"] = g["year"].astype(int)
    f = facts if facts is None or not len(facts) else facts[facts["indicator"].astype(str) == indicator]
    pairs = _paired_targets(f, documents)
    if not pairs.empty:
        pairs = pairs[(pairs["level_pair"] == "province/national") & (pairs["measure"] == measure)]
        pairs = pairs.assign(year=pairs["year"].astype(int), _o=pairs["comparator_class"].map(_CLASS_ORDER))
        pairs = pairs.sort_values(["region", "year", "_o"], kind="mergesort").drop_duplicates(["region", "year"])
    if "value_high" not in pairs.columns:
        pairs["value_high"] = math.nan
    cols = ["region", "year", "parent", "comparator_class", "parent_value", "value", "value_high", "comparator",
            "escalation", "doc_id", "quote"]
    rows = g.merge(pairs[cols] if not pairs.empty else pd.DataFrame(columns=cols), on=["region", "year"], how="left")
    # why a gold province-year has no pair: which of the two targets we lack, or their classes differ
    t = _numeric_targets(_with_regions(f, documents)) if f is not None and len(f) else pd.DataFrame()
    if not t.empty:
        t = t[(t["measure"] == measure) & t["year"].notna() & (t["comparator_class"] != "")]
    national = set() if t.empty else set(t.loc[t["level"] == "national", "year"].astype(int))
    provincial = set() if t.empty else set(zip(t.loc[t["level"] == "province", "region"],
                                               t.loc[t["level"] == "province", "year"].astype(int)))
    sign = _sign(indicator, directions())
    adj = {} if adjudication is None else {(str(r.province), int(r.year)): r for r in adjudication.itertuples()}
    relations, reasons, gold_esc = [], [], []
    for r in rows.itertuples():
        if pd.isna(r.value):
            relations.append("no_national" if int(r.year) not in national else
                             "no_provincial" if (r.region, int(r.year)) not in provincial else "other_class")
            reasons.append("")
            gold_esc.append(math.nan)
            continue
        gold_esc.append(round(sign * (r.gold_value - float(r.parent_value)), 4))
        fact = {"value": float(r.value), "value_high": None if pd.isna(r.value_high) else float(r.value_high),
                "comparator": r.comparator}
        case = adj.get((r.region, int(r.year)))
        if abs(float(r.value) - r.gold_value) < 1e-6:
            relation = "same"
        elif target_agrees(fact, r.gold_value):
            relation = "coding"
        elif case is not None and _matches_text(fact, case):
            # the adjudication found the text states our value; when the file is the next year's report
            # (四川) the gold is right by year and our target belongs to another year
            relation = "file_year" if NEXT_YEAR_FILE in str(case.reason) else "gold_error"
        else:
            relation = "differs"
        relations.append(relation)
        reasons.append(str(case.reason) if relation in ("gold_error", "file_year") else "")
    rows["gold_escalation"] = gold_esc
    rows["difference"] = (pd.to_numeric(rows["escalation"], errors="coerce") - rows["gold_escalation"]).round(4)
    rows["relation"] = relations
    rows["adjudication"] = reasons
    return rows[GOLD_ESCALATION_COLUMNS].sort_values(["region", "year"]).reset_index(drop=True)


def _cluster_draws(clusters: np.ndarray, samples: int, seed: int) -> np.ndarray:
    """How often each cluster is drawn in each bootstrap sample: an array ``samples × clusters``.

    A draw picks as many clusters as there are, with replacement, so every observation of a drawn
    region comes along (a region drawn twice counts twice).
    """
    k = len(clusters)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, k, size=(samples, k))
    counts = np.zeros((samples, k), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(samples), k), picks.ravel()), 1)
    return counts


def _weighted_median(x_sorted: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Median of each row's sample, where ``weights[i, j]`` copies of ``x_sorted[j]`` were drawn."""
    cum = np.cumsum(weights, axis=1)
    total = cum[:, -1]
    low_k = (total + 1) // 2  # 1-based positions of the middle element(s): equal when total is odd
    high_k = total // 2 + 1
    low = x_sorted[np.argmax(cum >= low_k[:, None], axis=1)]
    high = x_sorted[np.argmax(cum >= high_k[:, None], axis=1)]
    return (low + high) / 2.0


def bootstrap_interval(values: Sequence[float], statistic: str = "mean", samples: int = BOOTSTRAP_SAMPLES,
                       seed: int = BOOTSTRAP_SEED, clusters: Sequence[object] | None = None) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of ``statistic`` (mean, median, or share_above/equal/below).

    ``clusters`` (one label per value, e.g. the region) makes it a cluster bootstrap: each resample
    draws whole regions with replacement, so a region's many years move together. A region's
    targets are correlated across years, and resampling single pairs then gives intervals that are
    too narrow. Without ``clusters`` every value is its own cluster (the pair bootstrap). Seeded,
    so the same values give the same interval on every run.
    """
    raw = list(values)
    labels = list(clusters) if clusters is not None else list(range(len(raw)))
    if len(labels) != len(raw):
        raise ValueError("clusters must give one label per value")
    keep = [i for i, v in enumerate(raw) if v is not None and not math.isnan(v)]
    x = np.asarray([raw[i] for i in keep], dtype=float)
    if len(x) < 2:
        return (math.nan, math.nan)
    codes, ids = np.unique(np.asarray([str(labels[i]) for i in keep], dtype=object), return_inverse=True)
    if len(codes) < 2:
        return (math.nan, math.nan)  # one region: nothing to resample between
    counts = _cluster_draws(codes, samples, seed)  # samples × clusters
    n_per = np.bincount(ids, minlength=len(codes)).astype(float)
    drawn_n = counts @ n_per

    def mean_of(indicator: np.ndarray) -> np.ndarray:
        return (counts @ np.bincount(ids, weights=indicator, minlength=len(codes))) / drawn_n

    if statistic == "mean":
        stat = mean_of(x)
    elif statistic == "median":
        order = np.argsort(x, kind="mergesort")
        stat = _weighted_median(x[order], counts[:, ids[order]])
    elif statistic == "share_above":
        stat = 100.0 * mean_of((x >= EQUAL_TOLERANCE).astype(float))
    elif statistic == "share_equal":
        stat = 100.0 * mean_of((np.abs(x) < EQUAL_TOLERANCE).astype(float))
    elif statistic == "share_below":
        stat = 100.0 * mean_of((x <= -EQUAL_TOLERANCE).astype(float))
    else:
        raise ValueError(f"unknown statistic {statistic!r}")
    tail = (100 - INTERVAL_PCT) / 2
    low, high = np.percentile(stat, [tail, 100 - tail])
    return (round(float(low), 4), round(float(high), 4))


def describe_differences(values: Sequence[float], seed: int = BOOTSTRAP_SEED,
                         clusters: Sequence[object] | None = None) -> dict[str, float]:
    """N, mean, median, shares above/equal/below (per cent) and their bootstrap intervals.

    ``clusters`` (the region of each value) makes the intervals a cluster bootstrap by region.
    """
    x = pd.Series(list(values), dtype=float)
    labels = list(clusters) if clusters is not None else None
    if labels is not None:
        labels = [lab for lab, v in zip(labels, x) if not math.isnan(v)]
    x = x.dropna()
    n = len(x)
    out: dict[str, float] = {"n": n}
    if n == 0:
        return out
    out.update({"mean": round(float(x.mean()), 4), "median": round(float(x.median()), 4),
                "share_above": round(100.0 * float((x >= EQUAL_TOLERANCE).mean()), 1),
                "share_equal": round(100.0 * float((x.abs() < EQUAL_TOLERANCE).mean()), 1),
                "share_below": round(100.0 * float((x <= -EQUAL_TOLERANCE).mean()), 1)})
    for stat in ("mean", "median", "share_above", "share_equal", "share_below"):
        low, high = bootstrap_interval(x.tolist(), stat, seed=seed, clusters=labels)
        out[f"{stat}_low"], out[f"{stat}_high"] = low, high
    return out


def escalation_summary(pairs: pd.DataFrame, indicators: Sequence[str] | None = None,
                       seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    """Per indicator (GDP first), measure, level pair and year, and over all years (``year`` = all).

    Intervals are a seeded cluster bootstrap by region (the lower government): a region's pairs of
    all years are drawn together.
    """
    cols = ["indicator", "measure", "level_pair", "year", "n", "mean", "median", "share_above", "share_equal",
            "share_below", "mean_low", "mean_high", "median_low", "median_high", "share_above_low",
            "share_above_high", "share_equal_low", "share_equal_high", "share_below_low", "share_below_high",
            "regions", "first_year", "last_year", "small_n"]
    if pairs is None or pairs.empty:
        return pd.DataFrame(columns=cols)
    p = pairs if not indicators else pairs[pairs["indicator"].isin(list(indicators))]
    rows = []
    for (ind, meas, lp), g in p.groupby(["indicator", "measure", "level_pair"], sort=True):
        groups = [("all", g)] + [(str(y), gy) for y, gy in g.groupby("period", sort=True)]
        for year, gy in groups:
            years = gy["period"].astype(int)
            row = {"indicator": ind, "measure": meas, "level_pair": lp, "year": year,
                   **describe_differences(gy["escalation"].tolist(), seed=seed, clusters=gy["region"].tolist()),
                   "regions": int(gy["region"].nunique()), "first_year": int(years.min()),
                   "last_year": int(years.max()), "small_n": len(gy) < MIN_N}
            rows.append(row)
    out = pd.DataFrame(rows).reindex(columns=cols)
    order = {"gdp": 0}
    out["_o"] = out["indicator"].map(lambda i: order.get(i, 1))
    out["_y"] = out["year"].map(lambda y: -1 if y == "all" else int(y))
    return out.sort_values(["_o", "indicator", "measure", "level_pair", "_y"]).drop(columns=["_o", "_y"]) \
        .reset_index(drop=True)


def level_means(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None, indicator: str = "gdp",
                measure: str = "growth_pct") -> pd.DataFrame:
    """Mean annual target by level and year (point targets only): nation → province → prefecture lines."""
    cols = ["level", "year", "n", "mean"]
    if facts is None or len(facts) == 0:
        return pd.DataFrame(columns=cols)
    t = _numeric_targets(_with_regions(facts, documents))
    if t.empty:
        return pd.DataFrame(columns=cols)
    t = t[(t["indicator"] == indicator) & (t["measure"] == measure) & t["year"].notna()
          & (t["report_year"] == t["year"]) & (t["comparator_class"] == "point")]
    t = _one_per_key(t, ["node", "year"])
    if t.empty:
        return pd.DataFrame(columns=cols)
    g = t.groupby(["level", "year"])["value"].agg(["size", "mean"]).reset_index()
    g.columns = cols
    g["year"] = g["year"].astype(int)
    g["mean"] = g["mean"].round(4)
    g["_o"] = g["level"].map(lambda lv: LEVELS.index(lv) if lv in LEVELS else len(LEVELS))
    return g.sort_values(["_o", "year"]).drop(columns="_o").reset_index(drop=True)


# ---------------------------------------------------------------- achievement and bunching

def _chosen_outcomes(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One outcome per region, indicator, measure and year, from the reports after that year.

    A figure given in a later report is a revision of an earlier one: the latest report's figure is
    used. ``outcome_choice`` records ``revised`` (a later figure replaced a preliminary estimate),
    ``latest`` (several figures, the latest kept), ``estimate_only`` (only preliminary figures) or
    ``only``; ``estimate_value`` keeps the replaced estimate (or the estimate used).
    """
    key = ["node", "indicator", "measure", "year"]
    o = outcomes[outcomes["year"].notna() & (outcomes["report_year"] > outcomes["year"])]
    if o.empty:
        return o.assign(outcome_choice=pd.Series(dtype=str), estimate_value=pd.Series(dtype=float))
    o = o.sort_values([*key, "report_year", "doc_id"], kind="mergesort")
    # within one report the first statement counts (restatements repeat it)
    o = o.drop_duplicates([*key, "report_year"], keep="first")
    chosen = o.drop_duplicates(key, keep="last").set_index(key)
    earlier = o[o.duplicated(key, keep="last")]
    earlier_estimates = earlier[earlier["estimate"]].drop_duplicates(key, keep="last").set_index(key)["value"]
    counts = o.groupby(key).size()
    all_estimates = o.groupby(key)["estimate"].all()
    n = counts.reindex(chosen.index)
    est = chosen["estimate"].astype(bool)
    replaced = earlier_estimates.reindex(chosen.index)
    chosen["outcome_choice"] = np.select(
        [n == 1, est & all_estimates.reindex(chosen.index), ~est & replaced.notna()],
        [np.where(est, "estimate_only", "only"), "estimate_only", "revised"], default="latest")
    chosen["estimate_value"] = np.where(chosen["outcome_choice"] == "revised", replaced,
                                        np.where(est, chosen["value"], np.nan))
    return chosen.reset_index()


def achievement_pairs(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None,
                      gold: pd.DataFrame | None = None, indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """The target for year Y (report of year Y) against the outcome of Y (a later report of the same region).

    ``gap`` is outcome minus target, turned so that positive is better than the target (ceilings flip).
    A range is judged against its lower end (upper for ceilings), an ``at_most`` target as a ceiling.
    ``status`` and ``met`` come from :func:`analysis.match.score_outcome`, the rule that scores
    targets_vs_outcomes (facts.md): an ``approx`` (左右/约) target is met within 0.5 pp below it for
    rates (1 % of the target for levels), ``parity`` within 0.5 pp, the rest at or beyond the target in
    the better direction; an outcome stated only as a bound that does not settle it is ``not_comparable``
    (``met`` False, and left out of the shares). ``checked`` says whether the target and the outcome
    agree with a gold set: ``both``, ``one``, ``none`` or ``disagrees``.
    """
    if facts is None or len(facts) == 0:
        return pd.DataFrame(columns=ACHIEVEMENT_COLUMNS)
    f = _with_regions(facts, documents)
    t = _numeric_targets(f, "target")
    o = _numeric_targets(f, "outcome")
    if t.empty or o.empty:
        return pd.DataFrame(columns=ACHIEVEMENT_COLUMNS)
    if indicators:
        t, o = t[t["indicator"].isin(list(indicators))], o[o["indicator"].isin(list(indicators))]
    t = t[t["year"].notna() & (t["report_year"] == t["year"]) & (t["comparator_class"] != "")]
    t = _one_per_key(t, ["node", "indicator", "measure", "year"])
    chosen = _chosen_outcomes(o)
    if t.empty or chosen.empty:
        return pd.DataFrame(columns=ACHIEVEMENT_COLUMNS)
    m = t.merge(chosen[["node", "indicator", "measure", "year", "value", "comparator", "estimate", "outcome_choice",
                        "estimate_value", "doc_id", "report_year", "quote"]]
                .rename(columns={"value": "outcome_value", "comparator": "outcome_comparator",
                                 "estimate": "outcome_estimate", "doc_id": "outcome_doc_id",
                                 "report_year": "outcome_report_year", "quote": "outcome_quote"}),
                on=["node", "indicator", "measure", "year"], how="inner")
    if m.empty:
        return pd.DataFrame(columns=ACHIEVEMENT_COLUMNS)
    from .match import RATE_MEASURES, score_outcome  # match imports nothing from here: no cycle

    dirs = directions()
    highs = pd.to_numeric(m["value_high"], errors="coerce") if "value_high" in m.columns \
        else pd.Series(math.nan, index=m.index)
    units = _text(m["unit"]) if "unit" in m.columns else pd.Series("", index=m.index)
    gaps, statuses = [], []
    for r, high, unit in zip(m.itertuples(), highs, units):
        sign = -1.0 if r.comparator == "at_most" else _sign(r.indicator, dirs)
        target = high if r.comparator == "range" and sign < 0 and pd.notna(high) else r.value
        gaps.append(round(sign * (r.outcome_value - target), 4))
        is_rate = r.measure in RATE_MEASURES or unit == "%"
        statuses.append(score_outcome(r.value, high, r.comparator, dirs.get(r.indicator, "higher"), is_rate,
                                      r.outcome_value, r.outcome_comparator)[1])
    keys = _checked_keys(gold)
    m = m.assign(gap=gaps, status=statuses, target_value=m["value"], target_doc_id=m["doc_id"],
                 target_quote=m["quote"], year=m["year"].astype(int),
                 period_group=m["year"].map(lambda y: f"before_{PERIOD_SPLIT_YEAR}" if y < PERIOD_SPLIT_YEAR
                                            else f"from_{PERIOD_SPLIT_YEAR}"))
    m["met"] = m["status"] == "met"
    m["target_high"] = highs.to_numpy()
    checks = []
    for r in m.itertuples():
        a = _check(keys, "target", r.region, r.year, r.indicator, r.measure, r.target_value, r.comparator, r.target_high)
        b = _check(keys, "outcome", r.region, r.year, r.indicator, r.measure, r.outcome_value, r.outcome_comparator)
        n = (a == "agrees") + (b == "agrees")
        checks.append("disagrees" if "disagrees" in (a, b) else ("both" if n == 2 else "one" if n else "none"))
    m["checked"] = checks
    return m[ACHIEVEMENT_COLUMNS].sort_values(["indicator", "measure", "level", "region", "year"]).reset_index(drop=True)


def scored(pairs: pd.DataFrame) -> pd.DataFrame:
    """Achievement pairs the rule could score (met or missed): what shares and bunching are computed on."""
    if pairs is None or pairs.empty or "status" not in pairs.columns:
        return pairs
    return pairs[pairs["status"].isin(["met", "missed"])]


def achievement_rates(pairs: pd.DataFrame, by: Sequence[str] = ("indicator", "measure", "level", "period_group"),
                      seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    """Share met by level and period (before/after 2013) with a seeded cluster bootstrap interval by region.

    ``n`` counts the pairs the rule scored (met or missed); ``not_comparable`` the pairs left out.
    """
    cols = [*by, "n", "met", "share_met", "share_met_low", "share_met_high", "estimates", "revised",
            "not_comparable", "small_n"]
    if pairs is None or pairs.empty:
        return pd.DataFrame(columns=cols)
    left_out = pairs[~pairs.index.isin(scored(pairs).index)].groupby(list(by)).size()
    rows = []
    for keys, g in scored(pairs).groupby(list(by), sort=True):
        keys = keys if isinstance(keys, tuple) else (keys,)
        met = g["met"].astype(bool)
        low, high = bootstrap_interval([1.0 if v else -1.0 for v in met], "share_above", seed=seed,
                                       clusters=g["region"].tolist())
        rows.append({**dict(zip(by, keys)), "n": len(g), "met": int(met.sum()),
                     "share_met": round(100.0 * met.mean(), 1), "share_met_low": low, "share_met_high": high,
                     "estimates": int(g["outcome_estimate"].astype(bool).sum()),
                     "revised": int((g["outcome_choice"] == "revised").sum()),
                     "not_comparable": int(left_out.get(keys if len(keys) > 1 else keys[0], 0)),
                     "small_n": len(g) < MIN_N})
    return pd.DataFrame(rows, columns=cols)


def gap_histogram(gaps: Iterable[float], bin_width: float = HISTOGRAM_BIN, limit: float = 5.0) -> pd.DataFrame:
    """Counts of gaps in bins ``[k·w, (k+1)·w)``: 0 is always a bin edge; beyond ±limit in the end bins."""
    x = np.round(np.asarray([g for g in gaps if g is not None and not math.isnan(g)], dtype=float), 6)
    n_side = int(round(limit / bin_width))
    edges = np.round(np.arange(-n_side, n_side + 1) * bin_width, 6)
    idx = np.floor(np.round(x / bin_width, 6)).astype(int) if len(x) else np.array([], dtype=int)
    idx = np.clip(idx, -n_side, n_side - 1)
    counts = np.bincount(idx + n_side, minlength=2 * n_side)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "count": counts.astype(int)})


def _binomial_two_sided(k: int, n: int) -> float:
    """Exact two-sided binomial test of k successes in n trials with p = 0.5."""
    if n == 0:
        return 1.0
    probs = [math.comb(n, i) / 2 ** n for i in range(n + 1)]
    observed = probs[k]
    return min(1.0, sum(p for p in probs if p <= observed * (1 + 1e-9)))


def bunching_test(gaps: Iterable[float], band: float = BUNCHING_BAND, min_n: int = MIN_N,
                  alpha: float = 0.05) -> dict[str, object]:
    """Outcomes just above the target ``[0, band)`` against just below ``[-band, 0)``.

    Without bunching a smooth distribution puts about as many gaps in either narrow band; an exact
    binomial test of the share above against one half says ``bunching_above``, ``bunching_below``,
    ``no_bunching`` (the bands do not differ at ``alpha``) or ``too_few`` (fewer than ``min_n`` gaps in
    the two bands). Gaps are in the indicator's units (percentage points for growth rates).
    """
    x = np.round(np.asarray([g for g in gaps if g is not None and not math.isnan(g)], dtype=float), 6)
    above = int(((x >= 0) & (x < band)).sum())
    below = int(((x < 0) & (x >= -band)).sum())
    n = above + below
    out: dict[str, object] = {"n_gaps": int(len(x)), "band": band, "just_above": above, "just_below": below,
                              "share_above": round(100.0 * above / n, 1) if n else math.nan,
                              "p_value": float(f"{_binomial_two_sided(above, n):.4g}") if n else math.nan,
                              "exact_zero": int((x == 0).sum())}
    if n < min_n:
        out["verdict"] = "too_few"
    elif out["p_value"] >= alpha:
        out["verdict"] = "no_bunching"
    else:
        out["verdict"] = "bunching_above" if above > below else "bunching_below"
    return out


# ---------------------------------------------------------------- annual targets against the five-year plan

def annual_vs_plan(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None,
                   indicator: str = "gdp") -> pd.DataFrame:
    """Each annual growth target beside the average-growth target of the plan whose span holds the year.

    The plan target is taken once per region and span: from a five-year-plan outline when there is
    one, else the earliest report stating it. ``relation`` is equal (within 0.05 pp), above or below.
    """
    if facts is None or len(facts) == 0:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    t = _numeric_targets(_with_regions(facts, documents))
    if t.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    t = t[t["indicator"] == indicator]
    plans = t[(t["measure"] == "avg_growth_pct") & t["period"].map(lambda p: _span(p) is not None)].copy()
    annual = t[(t["measure"] == "growth_pct") & t["year"].notna() & (t["report_year"] == t["year"])]
    annual = _one_per_key(annual, ["node", "year"])
    if plans.empty or annual.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    plans["plan_period"] = plans["period"].astype(str).str.strip()
    plans["_outline"] = (plans["doc_type"] == "fyp_outline").astype(int)
    plans = plans.sort_values(["node", "plan_period", "_outline", "report_year", "doc_id"],
                              ascending=[True, True, False, True, True], kind="mergesort")
    plans = plans.drop_duplicates(["node", "plan_period"], keep="first")
    rows = []
    for a in annual.itertuples():
        for p in plans[plans["node"] == a.node].itertuples():
            start, end = _span(p.plan_period)
            if not start <= int(a.year) <= end:
                continue
            diff = round(float(a.value) - float(p.value), 4)
            relation = "equal" if abs(diff) < EQUAL_TOLERANCE else ("above" if diff > 0 else "below")
            rows.append({"region": a.region, "level": a.level, "indicator": indicator, "year": int(a.year),
                         "plan_period": p.plan_period, "annual_value": float(a.value), "plan_value": float(p.value),
                         "difference": diff, "relation": relation, "annual_comparator": a.comparator,
                         "plan_comparator": p.comparator, "annual_doc_id": a.doc_id, "plan_doc_id": p.doc_id,
                         "annual_quote": a.quote, "plan_quote": p.quote})
    if not rows:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    return pd.DataFrame(rows, columns=PLAN_COLUMNS).sort_values(["level", "region", "year", "plan_period"]) \
        .reset_index(drop=True)


def annual_vs_plan_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Shares of annual targets equal to, above and below the plan average, by level (and ``all``)."""
    cols = ["level", "n", "regions", "equal", "above", "below", "share_equal", "share_above", "share_below",
            "first_year", "last_year", "small_n"]
    if rows is None or rows.empty:
        return pd.DataFrame(columns=cols)
    out = []
    groups = [(lv, g) for lv, g in rows.groupby("level", sort=False)] + [("all", rows)]
    for level, g in groups:
        counts = g["relation"].value_counts()
        n = len(g)
        out.append({"level": level, "n": n, "regions": int(g["region"].nunique()),
                    **{k: int(counts.get(k, 0)) for k in ("equal", "above", "below")},
                    **{f"share_{k}": round(100.0 * counts.get(k, 0) / n, 1) for k in ("equal", "above", "below")},
                    "first_year": int(g["year"].min()), "last_year": int(g["year"].max()), "small_n": n < MIN_N})
    out_df = pd.DataFrame(out, columns=cols)
    out_df["_o"] = out_df["level"].map(lambda lv: LEVELS.index(lv) if lv in LEVELS else len(LEVELS))
    return out_df.sort_values("_o", kind="mergesort").drop(columns="_o").reset_index(drop=True)


# ---------------------------------------------------------------- all at once, for the notebook

def read_gold(path: str | None) -> pd.DataFrame | None:
    """A gold file as gold target rows: a hand-coded provincial GDP table or a gold facts table; None for ''."""
    if not path:
        return None
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if {"province", "year", "gdp_growth_target"} <= set(table.columns):
        return gold_targets_from_provincial(table)
    missing = {"region", "period", "indicator", "measure", "value"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: a gold file needs columns region, period, indicator, measure, value "
                         f"(or province, year, gdp_growth_target); missing {sorted(missing)}")
    return table


def hierarchy_tables(facts: pd.DataFrame | None, documents: pd.DataFrame | None = None,
                     gold: pd.DataFrame | None = None, indicators: Sequence[str] | None = None,
                     levels: Sequence[str] | None = None, years: Sequence | None = None,
                     regions: Sequence[str] | None = None, seed: int = BOOTSTRAP_SEED,
                     provincial_gold: pd.DataFrame | None = None,
                     adjudication: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every table of this module for the selected indicators, levels, years and regions (empty = all).

    A region selection keeps pairs where either side is a selected region; a level selection keeps
    rows whose (lower) region is of a selected level. With ``provincial_gold`` (gold target rows of a
    hand-coded provincial table) the tables include ``gold_escalation`` (``gold_escalation_pairs``).
    """
    from .filters import _as_strings  # the notebooks' parameter convention: a list or "a,b"

    f = facts if facts is not None else pd.DataFrame()
    if len(f) and _as_strings(indicators):
        f = f[f["indicator"].astype(str).isin(_as_strings(indicators))]
    pairs = hierarchy_pairs(f, documents, gold=gold)
    achieved = achievement_pairs(f, documents, gold=gold)
    plan = annual_vs_plan(f, documents)
    means = level_means(f, documents)
    wanted_levels, wanted_years, wanted_regions = _as_strings(levels), _as_strings(years), _as_strings(regions)
    if wanted_levels:
        pairs = pairs[pairs["region_level"].isin(wanted_levels)]
        achieved = achieved[achieved["level"].isin(wanted_levels)]
        plan = plan[plan["level"].isin(wanted_levels)]
        means = means[means["level"].isin(wanted_levels | {"national"})]
    if wanted_years:
        pairs = pairs[pairs["period"].astype(str).isin(wanted_years)]
        achieved = achieved[achieved["year"].astype(str).isin(wanted_years)]
        plan = plan[plan["year"].astype(str).isin(wanted_years)]
        means = means[means["year"].astype(str).isin(wanted_years)]
    if wanted_regions:
        pairs = pairs[pairs["region"].isin(wanted_regions) | pairs["parent"].isin(wanted_regions)]
        achieved = achieved[achieved["region"].isin(wanted_regions)]
        plan = plan[plan["region"].isin(wanted_regions)]
    extra: dict[str, pd.DataFrame] = {}
    if provincial_gold is not None:
        g = gold_escalation_pairs(f, documents, provincial_gold, adjudication)
        if wanted_levels and "province" not in wanted_levels:
            g = g.iloc[0:0]
        if wanted_years:
            g = g[g["year"].astype(str).isin(wanted_years)]
        if wanted_regions:
            g = g[g["region"].isin(wanted_regions)]
        extra["gold_escalation"] = g.reset_index(drop=True)
    gdp = scored(achieved[(achieved["indicator"] == "gdp") & (achieved["measure"] == "growth_pct")])
    bunch = bunching_test(gdp["gap"].tolist())
    return {**extra, "hierarchy": pairs.reset_index(drop=True),
            "escalation": escalation_summary(pairs, seed=seed),
            "level_means": means.reset_index(drop=True),
            "achievement": achieved.reset_index(drop=True),
            "achievement_rates": achievement_rates(achieved, seed=seed),
            "gap_histogram": gap_histogram(gdp["gap"].tolist()),
            "bunching": pd.DataFrame([bunch]),
            "annual_vs_plan": plan.reset_index(drop=True),
            "annual_vs_plan_summary": annual_vs_plan_summary(plan)}


def write_hierarchy_tables(tables: Mapping[str, pd.DataFrame], out_dir) -> list:
    """Write each table as ``<name>.csv`` in ``out_dir`` through the schema (formula-safe); returns the paths."""
    from pathlib import Path

    from .schema import write_table

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [p for name, table in tables.items() for p in write_table(table, out / f"{name}.csv", name)]
