"""Score extracted facts and assessments against a hand-checked (gold) file.

A fact is *found* when the extractor has a row with the gold row's identity — document, role,
period, indicator, measure, stretch, derived — and the same value (both empty for qualitative
rows). A row with the right identity but another value is a **wrong value**: it counts as both
a false positive and a miss, and is listed on its own, because a wrong number is worse than a
missing one. Comparator and unit agreement are reported over found facts. Only codebook
indicators are scored (``other`` rows are not in the gold files).

Assessments are matched on document, period, indicator, kind and value, as a multiset.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

FACT_KEY = ("doc_id", "role", "period", "indicator", "measure", "stretch", "derived")
ASSESSMENT_KEY = ("doc_id", "period", "indicator", "kind")


@dataclass
class Score:
    found: int
    false_positives: int
    missed: int
    wrong_values: int = 0
    comparator_agree: int = 0
    unit_agree: int = 0
    misses: pd.DataFrame = field(default_factory=pd.DataFrame)
    extras: pd.DataFrame = field(default_factory=pd.DataFrame)
    wrong: pd.DataFrame = field(default_factory=pd.DataFrame)
    per_doc: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def precision(self) -> float:
        d = self.found + self.false_positives
        return self.found / d if d else 1.0

    @property
    def recall(self) -> float:
        d = self.found + self.missed
        return self.found / d if d else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _same_value(a, b) -> bool:
    a_na = a is None or (isinstance(a, float) and math.isnan(a))
    b_na = b is None or (isinstance(b, float) and math.isnan(b))
    if a_na or b_na:
        return a_na and b_na
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _norm(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def _key(row, cols) -> tuple:
    return tuple(str(bool(row[c])) if c in ("stretch", "derived") else _norm(row[c]) for c in cols)


def _match(pred: pd.DataFrame, gold: pd.DataFrame, key_cols: tuple[str, ...], check_value: bool = True):
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, row in pred.iterrows():
        by_key[_key(row, key_cols)].append(i)
    found, wrong, missed = [], [], []
    used: set[int] = set()
    for gi, g in gold.iterrows():
        cands = [i for i in by_key.get(_key(g, key_cols), []) if i not in used]
        hit = next((i for i in cands if _same_value(pred.at[i, "value"], g["value"])), None)
        if hit is not None:
            used.add(hit)
            found.append((gi, hit))
        elif cands and check_value:
            used.add(cands[0])
            wrong.append((gi, cands[0]))
        else:
            missed.append(gi)
    extras = [i for i in pred.index if i not in used]
    return found, wrong, missed, extras


def _score(pred: pd.DataFrame, gold: pd.DataFrame, key_cols: tuple[str, ...]) -> Score:
    pred = pred.reset_index(drop=True)
    gold = gold.reset_index(drop=True)
    found, wrong, missed, extras = _match(pred, gold, key_cols)
    s = Score(found=len(found), false_positives=len(extras) + len(wrong), missed=len(missed) + len(wrong),
              wrong_values=len(wrong))
    if "comparator" in gold.columns:
        s.comparator_agree = sum(_norm(pred.at[p, "comparator"]) == _norm(gold.at[g, "comparator"]) for g, p in found)
        s.unit_agree = sum(_norm(pred.at[p, "unit"]) == _norm(gold.at[g, "unit"]) for g, p in found)
    show = [c for c in (*key_cols, "value", "comparator", "quote") if c in gold.columns]
    s.misses = gold.loc[missed, show]
    s.extras = pred.loc[extras, [c for c in show if c in pred.columns]]
    w = pd.DataFrame({"gold_value": [gold.at[g, "value"] for g, _ in wrong],
                      "extracted_value": [pred.at[p, "value"] for _, p in wrong]})
    s.wrong = pd.concat([gold.loc[[g for g, _ in wrong], list(key_cols)].reset_index(drop=True), w], axis=1)
    rows = []
    for doc in sorted(set(gold["doc_id"]) | set(pred["doc_id"])):
        f = sum(gold.at[g, "doc_id"] == doc for g, _ in found)
        rows.append({"doc_id": doc, "gold": int((gold["doc_id"] == doc).sum()),
                     "extracted": int((pred["doc_id"] == doc).sum()), "found": f})
    s.per_doc = pd.DataFrame(rows, columns=["doc_id", "gold", "extracted", "found"])
    return s


def score_facts(facts: pd.DataFrame, gold: pd.DataFrame) -> Score:
    """Facts against gold, over the documents the gold file covers and codebook indicators only."""
    docs = set(gold["doc_id"])
    pred = facts[(facts["indicator"] != "other") & facts["doc_id"].isin(docs)]
    return _score(pred, gold[gold["indicator"] != "other"], FACT_KEY)


def score_assessments(assessments: pd.DataFrame, gold: pd.DataFrame) -> Score:
    """Assessments against gold, over the documents the gold file covers."""
    docs = set(gold["doc_id"])
    return _score(assessments[assessments["doc_id"].isin(docs)], gold, ASSESSMENT_KEY)


def score_table(score: Score) -> pd.DataFrame:
    """The headline numbers as a one-row table."""
    return pd.DataFrame([{
        "found": score.found, "false_positives": score.false_positives, "missed": score.missed,
        "wrong_values": score.wrong_values, "precision": round(score.precision, 4),
        "recall": round(score.recall, 4), "f1": round(score.f1, 4),
    }])


def format_score(score: Score, title: str = "facts", max_rows: int = 40) -> str:
    """A plain-text report: headline numbers, then the wrong values, misses and extras."""
    lines = [f"{title}: precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}",
             f"  found {score.found}, false positives {score.false_positives}, missed {score.missed}, "
             f"wrong values {score.wrong_values}"]
    if score.found and score.comparator_agree:
        lines.append(f"  comparator agrees on {score.comparator_agree}/{score.found}, unit on {score.unit_agree}/{score.found}")
    with pd.option_context("display.width", 200, "display.max_colwidth", 50, "display.max_rows", max_rows):
        for name, table in (("wrong values", score.wrong), ("missed", score.misses), ("not in gold", score.extras)):
            if len(table):
                lines.append(f"\n{name} ({len(table)}):")
                lines.append(table.head(max_rows).to_string(index=False))
    return "\n".join(lines)
