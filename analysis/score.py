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
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .corpus import Document, load_document
from .metadata import CN_DIGITS
from .periods import PLAN_NAME_OR_TEN, plan_number, plan_span

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


# ------------------------------------------------------------------ agreement with hand-coded GDP targets

_REVIEW_TITLE_RE = re.compile(r"^\W{0,4}(?:[一二三四五六七八九十]、)?(?:关于)?(\d{4})年(?:的)?(?:政府)?(?:主要)?工作(?:回顾)?\W{0,4}$", re.M)
_PLAN_REVIEW_TITLE_RE = re.compile(rf"^\W{{0,4}}(?:[一二三四五六七八九十]、)?“?(?P<plan>{PLAN_NAME_OR_TEN})”?(?:时期)?(?:的)?工作回顾\W{{0,4}}$", re.M)
_DATE_LINE_RE = re.compile(r"([12]\d{3}|[〇零○一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月")


def meeting_year(text: str, head_chars: int = 800) -> int | None:
    """The year of the date line at the head of a report (二〇一二年一月六日 → 2012), else None."""
    m = _DATE_LINE_RE.search(text[:head_chars])
    if not m:
        return None
    digits = "".join(str(CN_DIGITS.get(c, c)) for c in m.group(1))
    return int(digits) if digits.isdigit() else None


def corpus_report(root: str | Path, rel_path: str) -> Document:
    """A report of the shared corpus, its metadata completed from the folder layout where the reader
    gives none: region from the folder, level from the top folder, report year from the date line
    (a file may be named after the year it reviews) or the file name, ``work_report`` as type.
    doc_id is the path relative to the corpus root without extension."""
    root = Path(root)
    doc = load_document(root / rel_path)
    doc.doc_id = str(Path(rel_path).with_suffix("")).replace("\\", "/")
    parts = Path(rel_path).parts
    if not getattr(doc, "level", None) and len(parts) >= 2:
        top = parts[0]
        doc.level = "national" if "国务院" in top else "province" if "省" in top else None  # type: ignore[attr-defined]
    if getattr(doc, "level", None) != "national":
        doc.region = parts[-2] if len(parts) >= 3 else doc.region
    file_year = re.match(r"(\d{4})", Path(rel_path).stem)
    stated = meeting_year(doc.text) if doc.text else None
    if stated is None and doc.text:
        review = _REVIEW_TITLE_RE.search(doc.text[:4000])  # **2013年工作回顾** opens the 2014 report
        stated = int(review.group(1)) + 1 if review else None
        plan = _PLAN_REVIEW_TITLE_RE.search(doc.text[:4000])  # **一、“十五”工作回顾** opens the 2006 report
        if stated is None and plan:
            span = plan_span(plan_number(plan.group("plan"), bare_ten=True))
            stated = span[1] + 1 if span else None
    if file_year:
        fy = int(file_year.group(1))
        doc.report_year = stated if stated in (fy, fy + 1) else fy
    if doc.doc_type is None or parts[0].startswith("政府工作报告"):
        doc.doc_type = "work_report"  # the folder says what every file in it is
    if doc.status == "not_a_report" and len(doc.text) > 2000:
        doc.status = "ok"  # a report whose title line the generic reader did not recognise
    if doc.status == "no_metadata" and doc.region and doc.report_year and doc.text:
        doc.status = "ok"  # the folder layout supplied the region and year the text did not state
    return doc


def headline_growth_target(facts: pd.DataFrame | list[dict], year: int, indicator: str = "gdp") -> dict | None:
    """The document's stated (non-stretch, non-derived) growth target of ``indicator`` for ``year``:
    the first such row, as the target list comes first."""
    rows = facts.to_dict("records") if isinstance(facts, pd.DataFrame) else facts
    for f in rows:
        if (f["indicator"] == indicator and f["role"] == "target" and f["measure"] == "growth_pct"
                and str(f["period"]) == str(year) and not f["stretch"] and not f["derived"]
                and f["value"] is not None and not (isinstance(f["value"], float) and math.isnan(f["value"]))):
            return f
    return None


def target_agrees(fact: dict | None, gold: float) -> bool:
    """Whether an extracted target matches a hand-coded one under the gold's coding conventions:
    a range as its midpoint; ``X以上`` as X or X + 0.05 (the provincial gold writes most 以上 targets so)."""
    if fact is None:
        return False
    value = float(fact["value"])
    high = fact.get("value_high")
    if high is not None and not (isinstance(high, float) and math.isnan(high)):
        value = (value + float(high)) / 2
    candidates = [value]
    if fact.get("comparator") == "at_least":
        candidates.append(value + 0.05)
    return any(abs(v - float(gold)) < 1e-6 for v in candidates)


ADJUDICATION_COLUMNS = ("province", "year", "gold", "text_value", "text_value_high", "file_start", "file_end", "reason")


def read_adjudication(*paths: str | Path) -> pd.DataFrame:
    """Adjudicated gold errors (province, year, gold, text_value, …, reason) from the files that exist;
    a row without a written reason is ignored."""
    frames = []
    for p in paths:
        p = Path(p)
        if p.exists():
            df = pd.read_csv(p, dtype=str, keep_default_na=False, comment="#")
            missing = [c for c in ("province", "year", "text_value", "reason") if c not in df.columns]
            df = df.assign(text_value_high=df["text_value_high"] if "text_value_high" in df.columns else "")
            if missing:
                raise ValueError(f"{p}: missing columns {', '.join(missing)}")
            frames.append(df)
    if not frames:
        return pd.DataFrame(columns=list(ADJUDICATION_COLUMNS))
    df = pd.concat(frames, ignore_index=True)
    return df[df["reason"].str.strip() != ""].drop_duplicates(["province", "year"])


def _num(v) -> float | None:
    try:
        x = float(str(v).strip())
    except ValueError:
        return None
    return None if math.isnan(x) else x


def _matches_text(fact: dict | None, case) -> bool:
    """Whether our target is what an adjudication says the text states: an empty ``text_value`` (or
    ``none``) means the report states no numeric annual target, so finding none is right."""
    stated, high = _num(getattr(case, "text_value", "")), _num(getattr(case, "text_value_high", ""))
    if stated is None:
        return fact is None
    if fact is None or abs(float(fact["value"]) - stated) > 1e-6:
        return False
    ours = fact.get("value_high")
    ours = None if ours is None or (isinstance(ours, float) and math.isnan(ours)) else float(ours)
    return (ours is None and high is None) or (ours is not None and high is not None and abs(ours - high) < 1e-6)


def provincial_agreement(root: str | Path, gold: pd.DataFrame, adjudication: pd.DataFrame | None = None,
                         extract=None) -> pd.DataFrame:
    """Per gold province-year with a corpus path: our GDP growth target for that year and whether it agrees.

    The target is read from the report at ``corpus_path``; when that file states no target for the
    year (some folders name a report after the year it reviews), from the province's other report
    whose date line says it was delivered in that year. ``status`` is ``agree``, ``adjudicated``
    (the text differs from the gold, the case is listed with a reason, and we extract the text's
    value), ``disagree`` or ``missing``.
    """
    if extract is None:
        from .extract import extract_document as extract
    root = Path(root)
    gold = gold[gold["corpus_path"].fillna("").astype(str).str.len() > 0]
    adj = {(r.province, int(r.year)): r for r in (adjudication if adjudication is not None
                                                  else read_adjudication()).itertuples()}
    cache: dict[str, tuple[Document, list[dict]]] = {}

    def facts_of(rel: str) -> tuple[Document, list[dict]]:
        if rel not in cache:
            doc = corpus_report(root, rel)
            cache[rel] = (doc, extract(doc)[0] if (root / rel).exists() else [])
        return cache[rel]

    rows = []
    for g in gold.itertuples():
        year, rel = int(g.year), str(g.corpus_path)
        doc, facts = facts_of(rel)
        fact, source = headline_growth_target(facts, year), rel
        if fact is None:
            folder = Path(rel).parent
            for other in sorted((root / folder).glob(f"{year - 1}*.md")) + sorted((root / folder).glob(f"{year}*.md")):
                o_rel = str(other.relative_to(root))
                o_doc, o_facts = facts_of(o_rel)
                if o_rel != rel and o_doc.report_year == year:
                    fact, source = headline_growth_target(o_facts, year), o_rel
                    if fact is not None:
                        break
        status = "missing" if fact is None else "agree" if target_agrees(fact, g.gdp_growth_target) else "disagree"
        case = adj.get((g.province, year))
        if case is not None and status != "agree" and _matches_text(fact, case):
            status = "adjudicated"
        rows.append({"province": g.province, "year": year, "gold": float(g.gdp_growth_target),
                     "extracted": None if fact is None else float(fact["value"]),
                     "extracted_high": None if fact is None else fact.get("value_high"),
                     "comparator": None if fact is None else fact["comparator"],
                     "status": status, "source": source, "quote": "" if fact is None else fact["quote"]})
    return pd.DataFrame(rows)
