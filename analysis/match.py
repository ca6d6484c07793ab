"""Targets vs outcomes: pair each promise with its result, score it, and shape the comparison tables.

Rules (docs/codebook.md, "Matching targets with outcomes"):

* A target (region, indicator, measure, period) pairs with the outcome of the same key, wherever each
  was found (target in report P, outcome in report P+1, or both in one document).
* Span targets (``2021-2025``) are compared with every single-year outcome inside the span
  (``comparison = span_year``; an ``avg_growth_pct`` target meets ``growth_pct`` outcomes, a per-year
  ``count``/``level`` target meets the same measure), and once with the whole span (``period`` = the span):
  a stated span outcome, or one computed from all years of the span when every year is known
  (``span_computed``: geometric mean growth, sum for ``cumulative``, mean for per-year values); until then
  that row is ``pending``. ``cumulative`` targets are also compared with the running sum of the yearly
  outcomes (``running_sum``: ``pending`` until the sum reaches the target, then ``met``), with ``progress``
  (share done) and ``required_pace`` (per remaining year); a sum that reaches the target before the span
  ends makes the span row ``met`` (``running_sum_reached``, 提前完成).
* ``comparison`` says how a row was formed: ``same_period``, ``span_year``, ``running_sum``,
  ``span_computed``, ``running_sum_reached``, ``parity_gdp``, or ``none`` (pending / no_target). Counting
  "targets met" once per target and year means leaving out ``running_sum`` rows (progress diagnostics).
* Values are compared in canonical units (analysis/units.py); pairs whose units cannot be converted into
  each other are ``not_comparable``.
* ``status``: ``met`` / ``missed`` (by comparator and the indicator's direction), ``pending`` (no outcome
  yet; never dropped), ``no_target`` (an outcome no target speaks of), ``qualitative`` (a target without a
  number: kept with the outcome evidence and the report's own assessment beside it, but not scored),
  ``not_comparable`` (units differ, or an outcome stated only as a bound that does not settle the test).
* A qualitative ``parity`` target (居民收入增长与经济增长基本同步) is scored against GDP growth of the same
  period (``comparison = parity_gdp``): met when the indicator's growth is at least GDP growth − 0.5 pp.
* The report's own assessment (高于预期0.7个百分点, 目标完成率111.8%, 超额完成) is put beside the pair
  (``report_assessment``, ``report_verdict``, ``report_implied_target``) and ``assessment_agrees`` says
  whether its verdict matches ours. When an assessment implies a target that no target row states, a
  derived target (``derived = True``, comparator ``exact``) is added, as the codebook prescribes.
* The same fact in two documents with different values is a revision: both are kept in
  :func:`revisions_table`, the later document (later ``report_year``, then ``doc_id``) is used for
  scoring and the pair is flagged ``revised``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .codebook import directions
from .paths import data_file
from .periods import parse_period
from .schema import STATUSES, bool_series, text_series, write_table
from .units import FLOW_UNITS, canonical_unit, to_canonical

Fact = dict[str, Any]  # one normalised fact row (a record of normalise_facts' table)
# The fields of a fact that pairing reads (a record of only these is cheaper to build).
_PAIR_FIELDS = ("region", "indicator", "indicator_name", "ikey", "measure", "period", "comparator", "stretch",
                "derived", "value_canonical", "value_high_canonical", "unit_canonical", "doc_id", "report_year",
                "quote", "revised", "_order")

# One row of targets_vs_outcomes = one (target, outcome) pair; the description doubles as the Stata label.
TVO_DESCRIPTIONS: dict[str, str] = {
    "region": "Issuing government (simplified Chinese)",
    "indicator": "Indicator code (codebook)",
    "indicator_name": "Chinese indicator name as written (for code other)",
    "measure": "Measure of the target (of the outcome for no_target rows)",
    "outcome_measure": "Measure of the outcome compared",
    "period": "Period of the outcome (of the target when pending)",
    "target_period": "Period of the target (a span for plan targets)",
    "comparison": "How the pair was formed",
    "comparator": "Target comparator",
    "stretch": "Aspirational half of a two-tier target",
    "derived": "Target implied by an assessment, not stated",
    "target_value": "Target value, canonical unit (low end of a range)",
    "target_value_high": "Target high end of a range, canonical unit",
    "target_unit": "Canonical unit of the target",
    "outcome_value": "Outcome value, canonical unit",
    "outcome_comparator": "Outcome comparator (bound stated in the text)",
    "outcome_unit": "Canonical unit of the outcome",
    "gap": "Outcome minus target (pp for rates, canonical unit for levels)",
    "status": "met, missed, pending, no_target, qualitative, not_comparable",
    "progress": "Running sum / cumulative target",
    "required_pace": "Per-year amount still needed to finish the span",
    "target_doc": "Document stating the target",
    "outcome_doc": "Document stating the outcome",
    "target_report_year": "Report year of the target document",
    "outcome_report_year": "Report year of the outcome document",
    "target_quote": "Source clause of the target",
    "outcome_quote": "Source clause of the outcome",
    "report_assessment": "The report's own assessment of the result",
    "report_verdict": "Verdict implied by the report's assessment",
    "report_implied_target": "Target implied by the report's assessment",
    "assessment_agrees": "Report verdict equals our status",
    "revised": "Target or outcome revised by a later document",
    "note": "How the pair was scored when not obvious",
}
TVO_COLUMNS: list[str] = list(TVO_DESCRIPTIONS)

RATE_MEASURES = frozenset({"growth_pct", "avg_growth_pct", "share_pct"})
_PARITY_TOLERANCE = 0.5  # percentage points below the reference still counted as 持平/同步
_APPROX_RATE_TOLERANCE = 0.5  # percentage points
_APPROX_LEVEL_TOLERANCE = 0.01  # share of the target
_REQUIRED_FACT_COLUMNS = ("region", "role", "period", "indicator", "measure", "value")


# --------------------------------------------------------------------------- vocabularies

def _read_vocabulary(name: str) -> pd.DataFrame:
    return pd.read_csv(data_file(name), comment="#", dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def indicator_directions() -> dict[str, str]:
    """Indicator code → ``higher`` or ``lower`` (which way is better), from analysis/data/codebook.csv."""
    return directions()


@lru_cache(maxsize=1)
def panel_indicators() -> pd.DataFrame:
    """The panel's indicator lines (indicator, measure, stem, label, headline) from analysis/data."""
    table = _read_vocabulary("panel_indicators.csv")
    bad = [s for s in table["stem"] if not re.fullmatch(r"[a-z][a-z0-9_]{0,11}", s)]
    if bad:
        raise ValueError(f"panel_indicators.csv: stems must be ASCII and ≤12 characters: {bad}")
    return table


# --------------------------------------------------------------------------- input normalisation

def _as_text(series: pd.Series) -> pd.Series:
    return text_series(series, "", strip=True)


def _normalise_period(v: object) -> str:
    """A period in its one spelling (analysis.periods); other text is kept (and rejected for facts)."""
    period = parse_period(v)
    if period is not None:
        return str(period)
    return "" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else re.sub(r"\s+", "", str(v))


def _as_number(series: pd.Series, name: str) -> pd.Series:
    numbers = pd.to_numeric(series, errors="coerce")
    given = series.notna() & (_as_text(series) != "")
    bad = series[given & numbers.isna()]
    if len(bad):
        raise ValueError(f"column {name!r}: not a number: {bad.iloc[0]!r}")
    return numbers.astype(float)


def normalise_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts table with checked types, ``period`` as text and canonical values filled in.

    Raises ValueError naming a missing column or a value that cannot be read.
    """
    if not isinstance(facts, pd.DataFrame):
        raise TypeError("facts must be a pandas DataFrame")
    missing = [c for c in _REQUIRED_FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise ValueError(f"facts table lacks column(s): {', '.join(missing)}")
    out = facts.copy().reset_index(drop=True)
    for col in ("doc_id", "region", "doc_type", "role", "indicator", "measure", "unit", "comparator",
                "indicator_name", "quote"):
        out[col] = _as_text(out[col]) if col in out.columns else ""
    out["period"] = out["period"].map(_normalise_period).astype(object)
    bad_period = out.loc[out["period"].map(parse_period).isna(), "period"]
    if len(bad_period):
        raise ValueError(f"column 'period': not YYYY, YYYY-YYYY or YYYYQn: {bad_period.iloc[0]!r}")
    bad_role = out.loc[~out["role"].isin(["target", "outcome"]), "role"]
    if len(bad_role):
        raise ValueError(f"column 'role': expected target or outcome, got {bad_role.iloc[0]!r}")
    for col in ("stretch", "derived"):
        out[col] = bool_series(out[col], missing=False, name=col) if col in out.columns else False
    for col in ("value", "value_high"):
        out[col] = _as_number(out[col], col) if col in out.columns else float("nan")
    out["report_year"] = (_as_number(out["report_year"], "report_year") if "report_year" in out.columns
                          else float("nan"))
    out["char_start"] = (pd.to_numeric(out["char_start"], errors="coerce") if "char_start" in out.columns
                         else float("nan"))
    # Canonical values: trust given ones, fill what is absent (analysis/units.py is the one rule).
    unit_c = out["unit"].map(lambda u: canonical_unit(u) or "")
    if "unit_canonical" in out.columns:
        given = _as_text(out["unit_canonical"])
        unit_c = given.where(given != "", unit_c)
    out["unit_canonical"] = unit_c.astype(object)
    for col, src in (("value_canonical", "value"), ("value_high_canonical", "value_high")):
        computed = pd.Series([to_canonical(v, u) for v, u in zip(out[src], out["unit"])],
                             index=out.index, dtype=float)
        if col in out.columns:
            given = pd.to_numeric(out[col], errors="coerce")
            computed = given.where(given.notna(), computed)
        out[col] = computed.astype(float)
    # 'other' facts only match when they name the same thing.
    out["ikey"] = [f"other:{n}" if i == "other" else i for i, n in zip(out["indicator"], out["indicator_name"])]
    out["_order"] = range(len(out))
    return out


def normalise_assessments(assessments: pd.DataFrame | None) -> pd.DataFrame:
    """The assessments table with checked types (an empty table when None)."""
    cols = ["doc_id", "region", "report_year", "period", "indicator", "kind", "value", "quote"]
    if assessments is None or len(assessments) == 0:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "report_year") else object)
                             for c in cols})
    missing = [c for c in ("region", "period", "indicator", "kind") if c not in assessments.columns]
    if missing:
        raise ValueError(f"assessments table lacks column(s): {', '.join(missing)}")
    out = assessments.copy().reset_index(drop=True)
    for col in ("doc_id", "region", "indicator", "kind", "quote"):
        out[col] = _as_text(out[col]) if col in out.columns else ""
    out["period"] = out["period"].map(_normalise_period).astype(object)
    out["value"] = _as_number(out["value"], "value") if "value" in out.columns else float("nan")
    out["report_year"] = (_as_number(out["report_year"], "report_year") if "report_year" in out.columns
                          else float("nan"))
    return out[cols]


# --------------------------------------------------------------------------- periods

def _span(period: str) -> tuple[int, int] | None:
    """(first, last) year of a year or span period; None for a quarter."""
    p = parse_period(period)
    return None if p is None or p.quarter else (p.start, p.end)


def _is_year(period: str) -> bool:
    return bool(re.fullmatch(r"\d{4}", period))


# --------------------------------------------------------------------------- revisions

_KEY = ["region", "ikey", "measure", "period", "role", "stretch", "derived", "unit_canonical"]


def _doc_rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered oldest document first (report_year, then doc_id), first occurrence first."""
    ranked = frame.assign(_ry=frame["report_year"].fillna(-1), _cs=frame["char_start"].fillna(-1))
    return ranked.sort_values(["_ry", "doc_id", "_cs", "_order"], kind="mergesort").drop(columns=["_ry", "_cs"])


def _current_and_revisions(facts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facts used for scoring (one per key: the latest document's) and the table of revised facts."""
    ranked = _doc_rank(facts)
    # One row per fact per document: the first occurrence.
    per_doc = ranked.drop_duplicates(_KEY + ["doc_id"], keep="first")
    current = per_doc.drop_duplicates(_KEY, keep="last").copy()
    sig = per_doc.assign(_sig=[f"{v!r}|{h!r}|{c}" for v, h, c in
                               zip(per_doc["value_canonical"], per_doc["value_high_canonical"],
                                   per_doc["comparator"])])
    n_sig = sig.groupby(_KEY, dropna=False)["_sig"].transform("nunique")
    revised_rows = sig[n_sig > 1].drop(columns=["_sig"])
    revised_keys = set(map(tuple, revised_rows[_KEY].astype(str).to_numpy()))
    current["revised"] = [tuple(map(str, k)) in revised_keys for k in current[_KEY].to_numpy()]
    used = set(current["_order"])
    revisions = revised_rows.assign(used_for_scoring=revised_rows["_order"].isin(used))
    return current.sort_values("_order").reset_index(drop=True), revisions


def revisions_table(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts stated with different values in different documents: every version, oldest first.

    ``used_for_scoring`` marks the version the matching uses (the latest document's).
    """
    _, revisions = _current_and_revisions(normalise_facts(facts))
    cols = ["region", "indicator", "indicator_name", "measure", "period", "role", "stretch", "derived",
            "doc_id", "report_year", "value", "value_high", "unit", "value_canonical", "unit_canonical",
            "comparator", "quote", "used_for_scoring"]
    if revisions.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    revisions = revisions.assign(report_year=revisions["report_year"].round().astype("Int64"))
    out = revisions[cols].sort_values(["region", "indicator", "indicator_name", "measure", "period", "role",
                                       "stretch", "derived", "report_year", "doc_id"], kind="mergesort")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- derived targets

def _decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text:
        return 6
    frac = text.split(".")[1].rstrip("0") if "." in text else ""
    return len(frac)


def _derived_targets(current: pd.DataFrame, assessments: pd.DataFrame) -> pd.DataFrame:
    """Target rows implied by gap_pp / completion_rate assessments where no target of the key exists."""
    rows = []
    targets = current[current["role"] == "target"]
    have = set(zip(targets["region"], targets["ikey"], targets["measure"], targets["period"]))
    outcomes = current[current["role"] == "outcome"]
    # Outcomes by (region, indicator, period): one lookup per assessment, never a scan.
    by_key: dict[tuple, list[int]] = {}
    for pos, key in enumerate(zip(outcomes["region"], outcomes["ikey"], outcomes["period"])):
        by_key.setdefault(key, []).append(pos)
    for a in assessments.itertuples(index=False):
        if a.kind not in ("gap_pp", "completion_rate") or a.indicator in ("", "other") or pd.isna(a.value):
            continue
        if a.kind == "completion_rate" and a.value <= 0:
            continue
        hits = outcomes.iloc[by_key.get((a.region, a.indicator, a.period), [])]
        hits = hits[hits["measure"].isin(RATE_MEASURES) if a.kind == "gap_pp" else
                    hits["measure"].isin(["count", "level", "cumulative"])]
        for _, o in hits.iterrows():
            key = (o["region"], o["ikey"], o["measure"], o["period"])
            if key in have or pd.isna(o["value"]):
                continue
            implied = o["value"] - a.value if a.kind == "gap_pp" else o["value"] / (a.value / 100.0)
            value = round(implied, _decimals(o["value"]))
            row = o.to_dict()
            row.update(role="target", value=value, value_high=float("nan"), comparator="exact",
                       stretch=False, derived=True, doc_id=a.doc_id or o["doc_id"], quote=a.quote or o["quote"],
                       value_canonical=to_canonical(value, o["unit"]) if o["unit"] else value,
                       value_high_canonical=float("nan"), revised=False,
                       report_year=a.report_year if not pd.isna(a.report_year) else o["report_year"])
            have.add(key)
            rows.append(row)
    if not rows:
        return current.iloc[0:0]
    added = pd.DataFrame(rows, columns=current.columns)
    added["_order"] = range(int(current["_order"].max()) + 1 if len(current) else 0,
                            (int(current["_order"].max()) + 1 if len(current) else 0) + len(added))
    return added


# --------------------------------------------------------------------------- scoring

def _score(t_value: float, t_high: float, comparator: str, direction: str, is_rate: bool,
           o_value: float, o_comparator: str) -> tuple[float, str, str]:
    """(gap, status, note) of one outcome against one numeric target."""
    if pd.isna(o_value):
        return float("nan"), "pending", ""
    gap = round(o_value - t_value, 10)
    lower = direction == "lower"
    comparator = comparator or "exact"
    # 下降3%以上 is coded as at_least -3: the qualifier bounds the size of the fall, so flip the test.
    if t_value < 0 and comparator in ("at_least", "at_most"):
        comparator = "at_most" if comparator == "at_least" else "at_least"
    if comparator == "at_least":
        met = o_value >= t_value
    elif comparator == "at_most":
        met = o_value <= t_value
    elif comparator == "approx":
        tol = _APPROX_RATE_TOLERANCE if is_rate else abs(t_value) * _APPROX_LEVEL_TOLERANCE
        met = o_value <= t_value + tol if lower else o_value >= t_value - tol
    elif comparator == "parity":
        met = o_value <= t_value + _PARITY_TOLERANCE if lower else o_value >= t_value - _PARITY_TOLERANCE
    elif comparator == "range":
        met = o_value <= (t_high if not pd.isna(t_high) else t_value) if lower else o_value >= t_value
    else:  # exact: at or beyond the value in the better direction
        met = o_value <= t_value if lower else o_value >= t_value
    note = ""
    # An outcome stated as a bound (超680亿元, 双位数增长) settles the test only one way.
    if o_comparator == "at_least" and not met and not lower:
        return gap, "not_comparable", "outcome is a lower bound below the target"
    if o_comparator == "at_most" and not met and lower:
        return gap, "not_comparable", "outcome is an upper bound above the target"
    if o_comparator in ("at_least", "at_most", "approx"):
        note = f"outcome stated as {o_comparator}"
    return gap, "met" if met else "missed", note


# The one scoring rule of the package: hierarchy's achievement pairs call it too (never a second copy).
score_outcome = _score


def _pair(t: Fact | None, o: Fact | None, **extra: object) -> dict:
    """A targets_vs_outcomes row from a target and/or an outcome fact (extra fields override)."""
    row: dict = dict.fromkeys(TVO_COLUMNS, None)
    base = t if t is not None else o
    row.update(region=base["region"], indicator=base["indicator"], indicator_name=base["indicator_name"],
               measure=base["measure"], period=(o if o is not None else t)["period"],
               revised=bool((t is not None and t["revised"]) or (o is not None and o["revised"])))
    if t is not None:
        row.update(target_period=t["period"], comparator=t["comparator"], stretch=bool(t["stretch"]),
                   derived=bool(t["derived"]), target_value=t["value_canonical"],
                   target_value_high=t["value_high_canonical"], target_unit=t["unit_canonical"],
                   target_doc=t["doc_id"], target_report_year=t["report_year"], target_quote=t["quote"])
    if o is not None:
        row.update(outcome_measure=o["measure"], outcome_value=o["value_canonical"],
                   outcome_comparator=o["comparator"], outcome_unit=o["unit_canonical"],
                   outcome_doc=o["doc_id"], outcome_report_year=o["report_year"], outcome_quote=o["quote"])
    row.update(extra)
    return row


def _scored(t: Fact, o: Fact, direction: str, comparison: str, note: str = "") -> dict:
    """The row of a numeric target scored against one outcome."""
    if t["unit_canonical"] and o["unit_canonical"] and t["unit_canonical"] != o["unit_canonical"]:
        return _pair(t, o, comparison=comparison, status="not_comparable",
                     note=f"units differ: {t['unit_canonical']} vs {o['unit_canonical']}")
    if pd.isna(t["value_canonical"]):
        return _pair(t, o, comparison=comparison, status="not_comparable", note="target has no value")
    is_rate = t["measure"] in RATE_MEASURES or t["unit_canonical"] == "%"
    gap, status, why = _score(t["value_canonical"], t["value_high_canonical"], t["comparator"], direction,
                              is_rate, o["value_canonical"], o["comparator"])
    return _pair(t, o, comparison=comparison, gap=gap, status=status, note="; ".join(x for x in (note, why) if x))


def _computed_outcome(template: Fact, value: float, measure: str, rows: list[Fact], how: str) -> Fact:
    """A span outcome computed from the yearly outcomes ``rows`` (evidence: their documents)."""
    out = template.copy()
    docs = sorted({r["doc_id"] for r in rows})
    out["measure"] = measure
    out["period"] = template["period"]
    out["value_canonical"] = value
    out["comparator"] = ""
    out["unit_canonical"] = rows[0]["unit_canonical"]
    out["doc_id"] = ";".join(docs)
    out["report_year"] = max(r["report_year"] for r in rows)
    out["quote"] = f"{how}: " + " | ".join(f"{r['period']} {r['value_canonical']:g}" for r in rows)
    out["revised"] = any(bool(r["revised"]) for r in rows)
    return out


def _pairs_for_target(t: Fact, outcomes: dict, used: set[int], direction: str,
                      by_region_indicator: dict[tuple, list[tuple]] | None = None) -> list[dict]:
    """All rows a target yields (see the module docstring for the rules)."""
    key = (t["region"], t["ikey"])

    def find(measure: str, period: str) -> list[Fact]:
        rows = outcomes.get(key + (measure, period), [])
        same_unit = [r for r in rows if r["unit_canonical"] == t["unit_canonical"] or not t["unit_canonical"]]
        return same_unit or rows

    if t["measure"] == "qualitative":
        return _qualitative_pairs(t, outcomes, used, by_region_indicator)
    span = _span(t["period"])
    if span is None or span[0] == span[1]:
        found = find(t["measure"], t["period"])
        if not found:
            return [_pair(t, None, comparison="none", status="pending")]
        used.update(int(o["_order"]) for o in found)
        return [_scored(t, o, direction, "same_period") for o in found]

    first, last = span
    yearly_measure = {"avg_growth_pct": "growth_pct", "cumulative": None}.get(t["measure"], t["measure"])
    rows: list[dict] = []
    yearly: list[Fact] = []
    if t["measure"] == "cumulative":
        # Sum the yearly additions (count); failing those, yearly flow amounts (money, areas), never stocks.
        for measure in ("count", "level"):
            for year in range(first, last + 1):
                yearly += [o for o in find(measure, str(year))
                           if measure == "count" or o["unit_canonical"] in FLOW_UNITS][:1]
            if yearly:
                break
        running = 0.0
        target = t["value_canonical"]
        for o in yearly:
            year = int(o["period"])
            if t["unit_canonical"] and o["unit_canonical"] != t["unit_canonical"]:
                rows.append(_pair(t, o, comparison="running_sum", status="not_comparable",
                                  note=f"units differ: {t['unit_canonical']} vs {o['unit_canonical']}"))
                continue
            running = round(running + o["value_canonical"], 10)
            years_in = [int(y["period"]) for y in yearly if int(y["period"]) <= year]
            gaps = sorted(set(range(first, year + 1)) - set(years_in))
            remaining = last - year
            progress = round(running / target, 6) if target else float("nan")
            pace = round((target - running) / remaining, 6) if remaining > 0 else float("nan")
            reached = running >= target
            o2 = o.copy()
            o2["value_canonical"] = running
            rows.append(_pair(t, o2, comparison="running_sum", gap=round(running - target, 10),
                              status="met" if reached else "pending", progress=progress,
                              required_pace=max(pace, 0.0) if not pd.isna(pace) else pace,
                              outcome_quote=o["quote"],
                              note=(f"running sum {first}-{year}" + (f"; years missing: {gaps}" if gaps else ""))))
        used.update(int(o["_order"]) for o in yearly)
    else:
        for year in range(first, last + 1):
            found = find(yearly_measure, str(year))
            if found:
                yearly.append(found[0])
                used.update(int(o["_order"]) for o in found)
                rows += [_scored(t, o, direction, "span_year") for o in found]

    # The whole span: a stated span outcome, else one computed from every year, else pending.
    stated = find(t["measure"], t["period"])
    if stated:
        used.update(int(o["_order"]) for o in stated)
        rows += [_scored(t, o, direction, "same_period") for o in stated]
    elif len({int(o["period"]) for o in yearly}) == last - first + 1 and \
            all(not t["unit_canonical"] or o["unit_canonical"] == t["unit_canonical"] for o in yearly):
        values = [o["value_canonical"] for o in yearly]
        if t["measure"] == "avg_growth_pct":
            growth = 1.0
            for v in values:
                growth *= 1 + v / 100
            value, how = round((growth ** (1 / len(values)) - 1) * 100, 4), "geometric mean of yearly growth"
        elif t["measure"] == "cumulative":
            value, how = round(sum(values), 10), "sum of yearly outcomes"
        else:
            value, how = round(sum(values) / len(values), 10), "mean of yearly outcomes"
        o = _computed_outcome(t, value, t["measure"], yearly, how)
        rows.append(_scored(t, o, direction, "span_computed", note=how))
    else:
        last_sum = next((r for r in reversed(rows) if r["comparison"] == "running_sum"
                         and r["status"] != "not_comparable"), None)
        if last_sum is not None and last_sum["status"] == "met":
            # 提前完成: a cumulative target reached before the span ends is met for the span.
            rows.append(dict(last_sum, period=t["period"], comparison="running_sum_reached",
                             note=f"reached in {last_sum['period']}, before the span ends"))
        else:
            extra: dict = {}
            if last_sum is not None:
                extra = {"progress": last_sum["progress"], "required_pace": last_sum["required_pace"]}
            rows.append(_pair(t, None, comparison="none", status="pending",
                              note="span not complete" if yearly else "", **extra))
    return rows


def _qualitative_pairs(t: Fact, outcomes: dict, used: set[int],
                      by_region_indicator: dict[tuple, list[tuple]] | None = None) -> list[dict]:
    """Rows of a target without a number: parity with GDP growth is scored, the rest shown beside evidence.

    ``by_region_indicator`` maps (region, ikey) to the keys of ``outcomes`` it has (built once per run,
    so a target looks only at its own region's outcomes).
    """
    if by_region_indicator is None:
        by_region_indicator = _outcome_keys_by_region_indicator(outcomes)
    by_period: dict[tuple, list] = {}
    for r, i, _m, p in by_region_indicator.get((t["region"], t["ikey"]), []):
        by_period.setdefault((r, i, p), []).append(outcomes[(r, i, _m, p)])
    span = _span(t["period"])
    periods = [t["period"]] if span is None else sorted({t["period"]} | {str(y) for y in range(span[0], span[1] + 1)})
    rows: list[dict] = []
    for period in periods:
        found = sorted((o for os_ in by_period.get((t["region"], t["ikey"], period), []) for o in os_),
                       key=lambda o: (o["measure"], o["_order"]))
        if not found:
            continue
        used.update(int(o["_order"]) for o in found)
        comparison = "same_period" if period == t["period"] else "span_year"
        gdp = outcomes.get((t["region"], "gdp", "growth_pct", period), [])
        for o in found:
            if t["comparator"] == "parity" and t["ikey"] != "gdp" and gdp and o["measure"] == "growth_pct":
                ref = gdp[0]
                gap = round(o["value_canonical"] - ref["value_canonical"], 10)
                rows.append(_pair(t, o, comparison="parity_gdp", target_value=ref["value_canonical"],
                                  target_unit="%", gap=gap,
                                  status="met" if gap >= -_PARITY_TOLERANCE else "missed",
                                  note=f"target = GDP growth of {period} ({ref['doc_id']})"))
            else:
                rows.append(_pair(t, o, comparison=comparison, status="qualitative",
                                  note="qualitative target: not scored"))
    if not rows or (span is not None and span[0] != span[1]
                    and not any(r["period"] == t["period"] for r in rows)):
        rows.append(_pair(t, None, comparison="none", status="pending",
                          note="qualitative target" if not rows else "qualitative target; span not complete"))
    return rows


def _outcome_keys_by_region_indicator(outcomes: dict) -> dict[tuple, list[tuple]]:
    index: dict[tuple, list[tuple]] = {}
    for key in outcomes:
        index.setdefault(key[:2], []).append(key)
    return index


# --------------------------------------------------------------------------- report assessments

def _verdict(kind: str, value: float) -> str | None:
    if kind == "gap_pp":
        return None if pd.isna(value) else ("met" if value >= 0 else "missed")
    if kind == "completion_rate":
        return None if pd.isna(value) else ("met" if value >= 100 else "missed")
    if kind in ("exceeded", "met"):
        return "met"
    return None


def _describe(kind: str, value: float) -> str:
    if pd.isna(value):
        return kind
    if kind == "gap_pp":
        return f"gap_pp {value:+g}"
    if kind == "completion_rate":
        return f"completion_rate {value:g}%"
    return f"{kind} {value:g}"


def _attach_assessments(tvo: pd.DataFrame, assessments: pd.DataFrame) -> pd.DataFrame:
    """Fill report_assessment, report_verdict, report_implied_target and assessment_agrees."""
    tvo = tvo.copy()
    tvo["assessment_agrees"] = pd.Series(pd.NA, index=tvo.index, dtype="boolean")
    if assessments.empty or tvo.empty:
        return tvo
    known = assessments[~assessments["indicator"].isin(["", "other"])]
    by_key: dict[tuple, list] = {}
    for a in known.sort_values(["doc_id", "kind", "value"], kind="mergesort").itertuples(index=False):
        by_key.setdefault((a.region, a.indicator, a.period), []).append(a)
    # An assessment speaks of the year's own target: not of plan spans judged year by year.
    own_year = tvo["comparison"].isin(["same_period", "none", "span_computed"]) | (tvo["status"] == "qualitative")
    keyed = pd.Series([k in by_key for k in zip(tvo["region"], tvo["indicator"], tvo["period"])], index=tvo.index)
    for i, row in tvo[own_year & keyed].iterrows():
        found = by_key.get((row["region"], row["indicator"], row["period"]), [])
        measure = row["outcome_measure"] or row["measure"]
        fits = [a for a in found
                if (a.kind != "gap_pp" or measure in RATE_MEASURES)
                and (a.kind != "completion_rate" or measure not in RATE_MEASURES)]
        if not fits:
            continue
        tvo.at[i, "report_assessment"] = "; ".join(_describe(a.kind, a.value) for a in fits)
        verdicts = {v for v in (_verdict(a.kind, a.value) for a in fits) if v}
        verdict = verdicts.pop() if len(verdicts) == 1 else None
        tvo.at[i, "report_verdict"] = verdict
        o = row["outcome_value"]
        for a in fits:
            if a.kind == "gap_pp" and not pd.isna(a.value) and o is not None and not pd.isna(o):
                tvo.at[i, "report_implied_target"] = round(o - a.value, 10)
            elif a.kind == "completion_rate" and a.value and o is not None and not pd.isna(o):
                tvo.at[i, "report_implied_target"] = round(o / (a.value / 100), 6)
        if verdict and row["status"] in ("met", "missed"):
            tvo.at[i, "assessment_agrees"] = verdict == row["status"]
    return tvo


# --------------------------------------------------------------------------- the tables

_SORT = ["region", "indicator", "indicator_name", "measure", "period", "target_period", "comparison",
         "outcome_measure", "stretch", "derived", "target_doc", "outcome_doc", "target_value", "outcome_value"]


def _typed(tvo: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes per column so CSV/Parquet/Stata output does not depend on which rows exist."""
    out = tvo.reindex(columns=TVO_COLUMNS)
    for col in ("target_value", "target_value_high", "outcome_value", "gap", "progress", "required_pace",
                "report_implied_target"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in ("target_report_year", "outcome_report_year"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
    for col in ("stretch", "derived", "assessment_agrees"):
        out[col] = out[col].astype("boolean")
    out["revised"] = out["revised"].fillna(False).astype(bool)
    for col in TVO_COLUMNS:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = text_series(out[col], "")
    return out


def match_targets(facts: pd.DataFrame, assessments: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``targets_vs_outcomes`` table (columns TVO_COLUMNS): one row per target–outcome pair.

    Every target appears (``pending`` when no outcome is known yet) and every outcome appears
    (``no_target`` when no target speaks of it). Rows are sorted by region, indicator, measure, period.
    """
    facts = normalise_facts(facts)
    assess = normalise_assessments(assessments)
    if facts.empty:
        return _typed(pd.DataFrame(columns=TVO_COLUMNS))
    current, _ = _current_and_revisions(facts)
    derived = _derived_targets(current, assess)
    if len(derived):
        current = pd.concat([current, derived], ignore_index=True)
    directions = indicator_directions()
    # Facts travel as plain dicts (row["field"] as on a Series): building a Series per row dominated
    # the run time at corpus scale.
    outcomes: dict[tuple, list[dict]] = {}
    fields = [c for c in _PAIR_FIELDS if c in current.columns]
    out_records = _doc_rank(current[(current["role"] == "outcome")])[fields].to_dict("records")
    for o in out_records:
        outcomes.setdefault((o["region"], o["ikey"], o["measure"], o["period"]), []).append(o)
    by_region_indicator = _outcome_keys_by_region_indicator(outcomes)
    used: set[int] = set()
    rows: list[dict] = []
    for t in _doc_rank(current[current["role"] == "target"])[fields].to_dict("records"):
        rows += _pairs_for_target(t, outcomes, used, directions.get(t["indicator"], "higher"), by_region_indicator)
    for o in out_records:
        if int(o["_order"]) not in used:
            rows.append(_pair(None, o, comparison="none", status="no_target"))
    tvo = _typed(pd.DataFrame(rows, columns=TVO_COLUMNS))
    tvo = _attach_assessments(tvo, assess)
    tvo = _typed(tvo)
    return _sorted(tvo)


def _period_order(period: str) -> str:
    """Sort key: by last year, a single year before the span ending in it, quarters after their year."""
    p = parse_period(period)
    if p is None:
        return ""
    return f"{p.end:04d}{9999 - p.start:04d}{p.quarter or 0}"


def _sorted(tvo: pd.DataFrame) -> pd.DataFrame:
    keyed = tvo.assign(period=tvo["period"].map(_period_order),
                       target_period=tvo["target_period"].map(_period_order))
    order = keyed.sort_values(_SORT, kind="mergesort", na_position="first").index
    return tvo.loc[order].reset_index(drop=True)


def build_panel(tvo: pd.DataFrame, indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """Wide region × year panel: per headline indicator its target, stretch target, outcome, gap, met flag.

    ``indicators``: codebook codes (all their lines in analysis/data/panel_indicators.csv) or
    ``code:measure``; default: the lines marked ``headline``. Only single-year periods enter the panel.
    The target for a year is the year's own stated base target, else a derived one, else the plan's
    span target (``<stem>_tsource``: stated / derived / plan).
    """
    lines = panel_indicators()
    if indicators is None:
        chosen = lines[lines["headline"] == "yes"]
    else:
        picks = []
        for spec in indicators:
            code, _, measure = str(spec).partition(":")
            hit = lines[(lines["indicator"] == code) & ((lines["measure"] == measure) if measure else True)]
            if hit.empty:
                raise ValueError(f"no panel line for indicator {spec!r}; add it to "
                                 "analysis/data/panel_indicators.csv (known: "
                                 + ", ".join(sorted(set(lines["indicator"]))) + ")")
            picks.append(hit)
        chosen = pd.concat(picks).drop_duplicates()
    tvo = _typed(tvo) if len(tvo) else _typed(pd.DataFrame(columns=TVO_COLUMNS))
    yearly = tvo[tvo["period"].str.fullmatch(r"\d{4}")]
    yearly = yearly.assign(_om=yearly["outcome_measure"].where(yearly["outcome_measure"] != "", yearly["measure"]))
    wanted = set(zip(chosen["indicator"], chosen["measure"]))
    keys = sorted({(r, int(p)) for r, p, i, m in zip(yearly["region"], yearly["period"], yearly["indicator"],
                                                      yearly["_om"]) if (i, m) in wanted})
    panel = pd.DataFrame(keys, columns=["region", "year"]).astype({"region": object, "year": "int64"})
    # One pass over the rows into groups keyed (indicator, measure, region, period): no scan per cell.
    cols = ["indicator", "_om", "region", "period", "target_period", "measure", "comparison", "stretch",
            "derived", "target_value", "outcome_value", "gap", "status"]
    groups: dict[tuple, list[dict]] = {}
    for rec in yearly[cols].to_dict("records"):
        groups.setdefault((rec["indicator"], rec["_om"], rec["region"], rec["period"]), []).append(rec)

    def flag(v: object) -> bool:
        return False if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else bool(v)

    def first(rows: list[dict], test) -> dict | None:
        return next((r for r in rows if test(r)), None)

    for line in chosen.itertuples(index=False):
        values: dict[str, list] = {s: [] for s in ("target", "stretch", "outcome", "gap", "met", "tsource")}
        for region, year in keys:
            g = groups.get((line.indicator, line.measure, region, str(year)), [])
            own = [r for r in g if r["target_period"] == r["period"] and r["measure"] == line.measure]
            stated = first(own, lambda r: not flag(r["stretch"]) and not flag(r["derived"]))
            derived_ = first(own, lambda r: not flag(r["stretch"]) and flag(r["derived"]))
            plan = first(g, lambda r: r["comparison"] == "span_year" and not flag(r["stretch"]))
            stretch_row = first(own, lambda r: flag(r["stretch"]))
            row, source = ((stated, "stated") if stated else (derived_, "derived") if derived_
                           else (plan, "plan") if plan else (None, ""))
            outcome = first(g, lambda r: not pd.isna(r["outcome_value"]))
            values["target"].append(row["target_value"] if row is not None else float("nan"))
            values["stretch"].append(stretch_row["target_value"] if stretch_row else float("nan"))
            values["outcome"].append(outcome["outcome_value"] if outcome else float("nan"))
            values["gap"].append(row["gap"] if row is not None else float("nan"))
            status = row["status"] if row is not None else ""
            values["met"].append(1 if status == "met" else 0 if status == "missed" else pd.NA)
            values["tsource"].append(source)
        for suffix, vals in values.items():
            col = f"{line.stem}_{suffix}"
            panel[col] = (pd.array(vals, dtype="Int8") if suffix == "met" else
                          pd.Series(vals, dtype=object) if suffix == "tsource" else pd.Series(vals, dtype=float))
    return panel.reset_index(drop=True)


def panel_labels(panel: pd.DataFrame) -> dict[str, str]:
    """Variable labels (≤80 characters) for the panel's columns, for Stata."""
    labels = {"region": "Issuing government (simplified Chinese)", "year": "Year of the outcome"}
    words = {"target": "target", "stretch": "stretch target", "outcome": "outcome", "gap": "gap (outcome - target)",
             "met": "target met (1/0)", "tsource": "target source: stated/derived/plan"}
    for line in panel_indicators().itertuples(index=False):
        for suffix, word in words.items():
            labels[f"{line.stem}_{suffix}"] = f"{line.label}: {word}"[:80]
    return {c: labels[c] for c in panel.columns if c in labels}


def summarise_matches(tvo: pd.DataFrame) -> pd.DataFrame:
    """Counts per status and the share met (met / (met + missed)) per region × indicator, per region,
    per indicator and overall (``scope`` says which; ``(all)`` fills the aggregated key)."""
    tvo = _typed(tvo) if len(tvo) else _typed(pd.DataFrame(columns=TVO_COLUMNS))
    cols = ["scope", "region", "indicator", "pairs", *STATUSES, "share_met", "mean_gap_pp"]
    frames = []
    for scope, keys in (("region×indicator", ["region", "indicator"]), ("region", ["region"]),
                        ("indicator", ["indicator"]), ("all", [])):
        grouped = tvo.assign(_all="(all)").groupby(keys or ["_all"], sort=True, dropna=False)
        for key, g in grouped:
            key = key if isinstance(key, tuple) else (key,)
            row = {"scope": scope, "region": "(all)", "indicator": "(all)", "pairs": len(g)}
            row.update(dict(zip(keys, key)))
            for s in STATUSES:
                row[s] = int((g["status"] == s).sum())
            scored = row["met"] + row["missed"]
            row["share_met"] = round(row["met"] / scored, 4) if scored else float("nan")
            rates = g[g["status"].isin(["met", "missed"]) & (g["target_unit"] == "%")]["gap"].dropna()
            row["mean_gap_pp"] = round(float(rates.mean()), 4) if len(rates) else float("nan")
            frames.append(row)
    return pd.DataFrame(frames, columns=cols)


def write_match_outputs(tvo: pd.DataFrame, panel: pd.DataFrame, out_dir: Path | str,
                        revisions: pd.DataFrame | None = None) -> list[Path]:
    """Write targets_vs_outcomes and panel (and revisions when given) as CSV, Parquet and Stata .dta.

    The formats are the tables' (analysis.schema); the labels become the Stata variable labels.
    """
    out = Path(out_dir)
    paths = write_table(_typed(tvo), out / "targets_vs_outcomes", labels=TVO_DESCRIPTIONS)
    paths += write_table(panel, out / "panel", labels=panel_labels(panel))
    if revisions is not None:
        paths += write_table(revisions, out / "revisions", labels=None)
    return paths
