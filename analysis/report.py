"""The written report: tables and figures from the output folder → report.md, report.html, report.pdf.

Nothing in the report is typed in by hand: sentences are templates (``data/report_strings.csv``,
Chinese and English) filled from table cells or from ``findings.csv``, which this step writes next to
the other tables so that every number the summary states can be found in an output table.

The report is first built as a list of ``Block`` s (heading, paragraph, list, table, figure); the
Markdown and HTML writers render the same blocks, and WeasyPrint turns the HTML into the PDF with the
Noto Sans CJK SC font that the ``mplfonts`` package ships (declared with ``@font-face``; without it
Chinese comes out as empty boxes). Same inputs → byte-identical Markdown, HTML and PDF.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import math
import os
import re
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import pandas as pd

from . import findings as fnd
from . import hierarchy, schema, scorefile
from .findings import Finding, fmt_number
from .codebook import codebook_frame
from .codebook import indicator_label as codebook_label
from .paths import data_file

LANGS = ("zh", "en")

# Tables the report reads from the output folder (file stem → columns read as text).
TABLES: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "region", "doc_type", "status", "warnings", "encoding", "script"),
    "removed_spans": ("doc_id", "reason", "text"),
    "facts": ("doc_id", "region", "period", "indicator", "measure", "unit", "comparator", "quote", "role"),
    "assessments": ("doc_id", "region", "period", "indicator", "kind", "quote"),
    "targets_vs_outcomes": ("region", "indicator", "measure", "period", "target_period", "comparator", "status",
                            "target_doc", "outcome_doc", "target_quote", "outcome_quote", "target_unit",
                            "outcome_unit"),
    "emphasis": ("doc_id", "region", "area"),
    "distinctive": ("region", "term"),
    "commitments": ("doc_id", "region", "area"),
    "hierarchy": ("indicator", "measure", "period", "level_pair", "region", "parent", "comparator", "parent_comparator",
                  "doc_id", "parent_doc_id", "quote", "parent_quote", "checked"),
    "gold_escalation": ("region", "parent", "comparator_class", "comparator", "relation", "adjudication", "doc_id",
                        "quote"),
}

# Figures, by section, in the order they are shown.
TVO_FIGURES = ("gdp_target_vs_outcome", "gap_by_indicator", "targets_across", "outcomes_across",
               "target_distribution", "target_vs_outcome_by_level", "gdp_by_province")
EMPHASIS_FIGURES = ("emphasis_heatmap", "distinctive_terms", "commitments_by_area")

# The written report summarises: a table listing one row per document, region or pair is shown only
# up to this many rows; beyond, the report shows counts and distributions and the rows stay in the CSVs
# (and in facts_table.html), so the PDF stays short at any corpus size.
TABLE_ROWS = 30
DISTINCTIVE_REGIONS = 6  # per-region distinctive terms shown for at most this many regions
FACTS_TABLE_HTML = "facts_table.html"
SUMMARY_GDP_PAIRS = 8  # up to this many GDP growth pairs get a sentence each; more get one sentence over all
SUMMARY_EMPHASIS_DOCS = 8  # likewise for the reports' most-mentioned policy areas
DISTINCTIVE_TOP = 10  # terms shown per region

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_FAMILY = "Noto Sans CJK SC"


# ---------------------------------------------------------------- strings

@lru_cache(maxsize=1)
def _strings() -> dict[str, dict[str, str]]:
    with open(data_file("report_strings.csv"), encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["key"]: {"zh": r["zh"], "en": r["en"]} for r in rows}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"report language must be one of {LANGS}, not {lang!r}")
    return lang


def say(key: str, lang: str, **fields: Any) -> str:
    """The sentence ``key`` in ``lang`` with its placeholders filled (numbers via ``fmt_number``)."""
    strings = _strings()
    if key not in strings:
        raise KeyError(f"no report string {key!r} in report_strings.csv")
    return strings[key][_check_lang(lang)].format(**{k: fmt_number(v) for k, v in fields.items()})


# ---------------------------------------------------------------- labels

@lru_cache(maxsize=1)
def _codebook() -> pd.DataFrame:
    return codebook_frame()


def codebook_table() -> pd.DataFrame:
    """The indicator codebook as shipped: code, Chinese names, English label, direction."""
    cb = _codebook()
    return pd.DataFrame({"code": cb["code"], "names": cb["names"].str.replace("|", "、", regex=False),
                         "english": cb["english"], "direction": cb["direction"]})


def indicator_label(code: Any, lang: str, name: Any = None) -> str:
    """Indicator name from ``codebook.indicator_label``; a code outside the codebook shows ``name`` (as written)."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return name if isinstance(name, str) and name else ""
    if code not in set(_codebook()["code"]) and isinstance(name, str) and name:
        return name
    return codebook_label(str(code), lang)


@lru_cache(maxsize=2)
def _area_labels(lang: str) -> tuple[tuple[str, str], ...]:
    from . import text as text_module

    return tuple(sorted(text_module.area_labels(lang).items()))


def status_label(status: Any, lang: str) -> str:
    """A pair's status (``schema.STATUSES``) in ``lang``; a value outside the schema shows as written."""
    key = f"status_{status}"
    return say(key, lang) if key in _strings() else str(status)


def area_label(area: Any, lang: str) -> str:
    """A policy area's label from ``analysis.text.area_labels``; an unknown area shows its code."""
    return dict(_area_labels(lang)).get(area, "" if area is None else str(area))


# ---------------------------------------------------------------- reading the output folder

def read_tables(output_dir: Path) -> dict[str, pd.DataFrame | None]:
    """The pipeline's tables in ``output_dir`` (None for a table that was not produced)."""
    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        raise FileNotFoundError(f"output folder {output_dir} does not exist: run the pipeline first")
    tables: dict[str, pd.DataFrame | None] = {}
    for name in TABLES:
        path = output_dir / f"{name}.csv"
        tables[name] = schema.read_table(path, name) if path.exists() else None
    return tables


# ---------------------------------------------------------------- blocks

@dataclass
class Block:
    """One piece of the report: ``h1``–``h3``, ``p``, ``ul``, ``table``, ``figure``, ``pre`` or ``link``
    (``text`` linking to the file named by ``anchor``)."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    path: Path | None = None  # figure file
    anchor: str = ""


def _h(level: int, key: str, lang: str, anchor: str = "") -> Block:
    return Block(f"h{level}", say(key, lang), anchor=anchor or key.removeprefix("h_"))


def _table_or_note(df: pd.DataFrame | None, name: str, lang: str) -> list[Block]:
    if df is None:
        return [Block("p", say("missing_table", lang, name=f"{name}.csv"))]
    if df.empty:
        return [Block("p", say("empty_table", lang, name=f"{name}.csv"))]
    return [Block("table", table=df)]


def _figure(figures_dir: Path, name: str, lang: str) -> Block:
    for ext in ("png", "svg"):
        p = figures_dir / f"{name}.{ext}"
        if p.exists():
            return Block("figure", say(f"fig_{name}", lang), path=p, anchor=name)
    return Block("p", say("missing_figure", lang, name=name))


def _rows_sorted(df: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    cols = [c for c in cols if c in df.columns]
    return df.sort_values(cols, kind="stable").reset_index(drop=True) if cols else df.reset_index(drop=True)


# ---------------------------------------------------------------- summary

def summary_sentences(found: Sequence[Finding], tables: Mapping[str, pd.DataFrame | None], lang: str) -> list[str]:
    """Plain sentences of the summary; every number comes from ``findings.csv`` or a table cell."""
    by_key = {f.key: f for f in found}
    out: list[str] = []
    c = by_key["corpus"].stats
    if not c.get("documents"):
        out.append(say("sum_no_documents", lang))
    elif "first_year" in c:
        out.append(say("sum_corpus", lang, **c))
    else:
        out.append(say("sum_corpus_noyears", lang, **c))
    if c.get("documents"):
        out.append(say("sum_facts", lang, facts=c.get("facts", 0), targets=c.get("targets", 0),
                       outcomes=c.get("outcomes", 0), assessments=c.get("assessments", 0)))
    statuses = [say("sum_status_item", lang, status=status_label(k[7:], lang), n=v)
                for k, v in c.items() if k.startswith("status_")]
    if c.get("pairs"):
        out.append(say("sum_pairs", lang, pairs=c["pairs"], statuses=say("list_sep", lang).join(statuses)))
    elif c.get("documents"):
        out.append(say("sum_no_pairs", lang))
    share = by_key["share_met"]
    if share.assessed:
        out.append(say("sum_share", lang, **share.stats))
    out.extend(_gdp_sentences(tables.get("targets_vs_outcomes"), lang))
    out.extend(_emphasis_sentences(tables.get("emphasis"), lang))
    context = [f for f in found if f.key in ("share_met", "escalation", "bunching", "fyp_repeat")]
    if context:
        sep = say("list_sep", lang)
        yes = sep.join(say(f"finding_{f.key}", lang) for f in context if f.assessed)
        no = sep.join(say(f"finding_{f.key}", lang) for f in context if not f.assessed)
        out.append(say("sum_context", lang, assessed=yes, not_assessed=no) if yes and no
                   else say("sum_context_all", lang, assessed=yes) if yes
                   else say("sum_context_none", lang, not_assessed=no))
    return out


def _gdp_sentences(tvo: pd.DataFrame | None, lang: str) -> list[str]:
    if tvo is None or tvo.empty or not {"indicator", "measure", "status", "target_value", "outcome_value"} <= set(tvo.columns):
        return []
    g = tvo[(tvo["indicator"] == "gdp") & (tvo["measure"] == "growth_pct") & tvo["status"].isin(["met", "missed"])]
    if "stretch" in g.columns:
        g = g[~schema.bool_series(g["stretch"])]
    if len(g) > SUMMARY_GDP_PAIRS:
        # Many region-years: one sentence over all of them (a few picked by name would stand for nothing).
        met = int((g["status"] == "met").sum())
        gap = pd.to_numeric(g["outcome_value"], errors="coerce") - pd.to_numeric(g["target_value"], errors="coerce")
        return [say("sum_gdp_many", lang, indicator=indicator_label("gdp", lang), pairs=len(g),
                    regions=g["region"].nunique(), met=met, share_met_pct=round(100 * met / len(g), 1),
                    median_gap=round(float(gap.median()), 2))]
    g = _rows_sorted(g, ["region", "period", "target_period"])
    return [say("sum_gdp", lang, region=r["region"], period=r["period"], indicator=indicator_label("gdp", lang),
                target=r["target_value"], outcome=r["outcome_value"], status=status_label(r["status"], lang))
            for _, r in g.iterrows()]


def _emphasis_sentences(emphasis: pd.DataFrame | None, lang: str) -> list[str]:
    need = {"doc_id", "region", "report_year", "area", "per_10k"}
    if emphasis is None or emphasis.empty or not need <= set(emphasis.columns):
        return []
    e = emphasis.assign(per_10k=pd.to_numeric(emphasis["per_10k"], errors="coerce")).dropna(subset=["per_10k"])
    e = e.sort_values(["doc_id", "per_10k", "area"], ascending=[True, False, True], kind="stable")
    top = _rows_sorted(e.groupby("doc_id", sort=True).head(1), ["region", "report_year", "doc_id"])
    if len(top) > SUMMARY_EMPHASIS_DOCS:
        # Many reports: how often each area is a report's most-mentioned one, the three most frequent.
        counts = top["area"].value_counts()
        counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable").head(3)
        sep = say("list_sep", lang)
        areas = sep.join(say("sum_emphasis_item", lang, area=area_label(a, lang), n=int(n)) for a, n in counts.items())
        return [say("sum_emphasis_many", lang, reports=len(top), areas=areas)]
    return [say("sum_emphasis", lang, region=r["region"], year=r["report_year"], area=area_label(r["area"], lang),
                per_10k=r["per_10k"]) for _, r in top.iterrows()]


# ---------------------------------------------------------------- sections

def data_section(documents: pd.DataFrame | None, removed: pd.DataFrame | None, lang: str) -> list[Block]:
    """Documents counted by year and level (or type) and by status; one row per document only for a
    small corpus; what normalisation removed, by reason."""
    blocks = [_h(2, "h_data", lang), Block("p", say("data_intro", lang)), _h(3, "h_documents", lang)]
    if documents is None or documents.empty:
        blocks += _table_or_note(documents, "documents", lang)
    else:
        blocks.append(Block("table", table=documents_by_year_table(documents)))
        if "status" in documents.columns:
            status = documents["status"].fillna("").value_counts().rename_axis("status").reset_index(name="documents")
            blocks.append(Block("table", table=status.sort_values(["documents", "status"], ascending=[False, True],
                                                                  kind="stable").reset_index(drop=True)))
        if len(documents) <= TABLE_ROWS:
            blocks.append(Block("table", table=_rows_sorted(documents, ["doc_id"])))
        else:
            blocks.append(Block("p", say("rows_in_csv", lang, rows=len(documents), name="documents.csv")))
    blocks.append(_h(3, "h_removed", lang))
    blocks += [Block("p", say("removed_intro", lang))]
    blocks += _removed_summary(removed, lang)
    return blocks


def documents_by_year_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents per report year (rows) and level — or type when there is no ``level`` column — (columns)."""
    by = "level" if "level" in documents.columns and documents["level"].notna().any() else "doc_type"
    d = documents.assign(_year=pd.to_numeric(documents.get("report_year"), errors="coerce"),
                         _by=documents[by].fillna("?").astype(str) if by in documents.columns else "?")
    d["_year"] = d["_year"].map(lambda y: "?" if pd.isna(y) else str(int(y)))
    table = pd.crosstab(d["_year"], d["_by"]).sort_index()
    table["total"] = table.sum(axis=1)
    table = table.reset_index().rename(columns={"_year": "report_year"})
    table.columns.name = None
    return table


def removed_summary_table(removed: pd.DataFrame) -> pd.DataFrame:
    """Removed spans by reason: documents affected, number of spans and characters."""
    if "chars" in removed.columns:
        chars = pd.to_numeric(removed["chars"], errors="coerce")
    elif {"raw_start", "raw_end"} <= set(removed.columns):
        chars = pd.to_numeric(removed["raw_end"], errors="coerce") - pd.to_numeric(removed["raw_start"], errors="coerce")
    else:
        chars = removed.get("text", pd.Series([""] * len(removed))).fillna("").astype(str).str.len()
    r = removed.assign(chars=chars.fillna(0).astype(int))
    return r.groupby("reason", sort=True).agg(documents=("doc_id", "nunique"), spans=("chars", "size"),
                                              chars=("chars", "sum")).reset_index()


def _removed_summary(removed: pd.DataFrame | None, lang: str) -> list[Block]:
    if removed is None:
        return [Block("p", say("missing_table", lang, name="removed_spans.csv"))]
    if removed.empty or not {"doc_id", "reason"} <= set(removed.columns):
        return [Block("p", say("removed_none", lang))]
    return [Block("table", table=removed_summary_table(removed))]


def method_section(lang: str) -> list[Block]:
    """How targets and outcomes are read and matched, and the codebook."""
    return [_h(2, "h_method", lang), Block("p", say("method_read", lang)), Block("p", say("method_match", lang)),
            Block("p", say("method_status", lang)), _h(3, "h_codebook", lang),
            Block("p", say("codebook_intro", lang)), Block("table", table=codebook_table())]


TVO_SHOWN = ["region", "indicator", "measure", "period", "target_period", "comparator", "target_value",
             "target_value_high", "target_unit", "outcome_value", "outcome_unit", "gap", "status"]


def targets_table(tvo: pd.DataFrame, lang: str, sort: bool = True) -> pd.DataFrame:
    """Matched pairs as shown in the report: labelled indicators, sorted, the columns a reader needs."""
    t = _rows_sorted(tvo, ["region", "indicator", "measure", "period", "target_period"]) if sort else tvo
    if "indicator" in t.columns:
        # Headline (codebook) indicators only; the other commitments' pairs are in targets_vs_outcomes.csv.
        t = t[t["indicator"] != "other"]
    t = t[[c for c in TVO_SHOWN if c in t.columns]].copy()
    if "indicator" in t.columns:
        t["indicator"] = t["indicator"].map(lambda code: indicator_label(code, lang))
    if "status" in t.columns:
        t["status"] = t["status"].map(lambda s: status_label(s, lang))
    return t


def pairs_summary_table(tvo: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per codebook indicator and measure: pairs by status, share met and the median gap."""
    t = tvo[tvo["indicator"] != "other"] if "indicator" in tvo.columns else tvo
    if t.empty or not {"indicator", "measure", "status"} <= set(t.columns):
        return pd.DataFrame()
    gap = pd.to_numeric(t.get("gap"), errors="coerce")
    t = t.assign(_gap=gap.where(t["status"].isin(["met", "missed"])))
    rows = []
    for (code, measure), g in t.groupby(["indicator", "measure"], sort=True):
        met, missed = int((g["status"] == "met").sum()), int((g["status"] == "missed").sum())
        rows.append({"indicator": indicator_label(code, lang), "measure": measure, "pairs": len(g), "met": met,
                     "missed": missed, "pending": int((g["status"] == "pending").sum()),
                     "share_met": round(met / (met + missed), 3) if met + missed else float("nan"),
                     "median_gap": round(float(g["_gap"].median()), 2) if g["_gap"].notna().any() else float("nan")})
    return pd.DataFrame(rows)


def top_pairs(tvo: pd.DataFrame, n: int = TABLE_ROWS) -> pd.DataFrame:
    """The ``n`` scored pairs of codebook indicators furthest from their targets (largest |gap| in
    percentage points among rates), for a corpus too large to list every pair."""
    t = tvo[(tvo["indicator"] != "other") & tvo["status"].isin(["met", "missed"])]
    if "target_unit" in t.columns:
        t = t[t["target_unit"] == "%"]
    t = t.assign(_abs=pd.to_numeric(t["gap"], errors="coerce").abs()).dropna(subset=["_abs"])
    t = t.sort_values(["_abs", "region", "indicator", "period"], ascending=[False, True, True, True], kind="stable")
    return t.head(n).drop(columns="_abs")


def targets_section(tvo: pd.DataFrame | None, figures_dir: Path, lang: str) -> list[Block]:
    """Targets vs outcomes: counts by indicator, the pairs (all of them for a small corpus, else those
    furthest from target), and the figures."""
    blocks = [_h(2, "h_tvo", lang), _h(3, "h_pairs", lang), Block("p", say("tvo_intro", lang))]
    if tvo is None or tvo.empty:
        blocks += _table_or_note(tvo, "targets_vs_outcomes", lang)
    else:
        summary = pairs_summary_table(tvo, lang)
        if not summary.empty:
            blocks.append(Block("table", table=summary))
        shown = targets_table(tvo, lang)
        if len(shown) <= TABLE_ROWS:
            blocks += _table_or_note(shown, "targets_vs_outcomes", lang)
        else:
            blocks.append(Block("p", say("tvo_top", lang, n=TABLE_ROWS, rows=len(tvo))))
            blocks.append(Block("table", table=targets_table(top_pairs(tvo), lang, sort=False)))
    blocks.append(_h(3, "h_tvo_figures", lang))
    blocks += [_figure(figures_dir, name, lang) for name in TVO_FIGURES if _has_figure(figures_dir, name)]
    return blocks


def _has_figure(figures_dir: Path, name: str) -> bool:
    """Optional figures (the many-region ones) are left out when the step did not draw them."""
    return name in TVO_FIGURES[:4] or any((Path(figures_dir) / f"{name}.{e}").exists() for e in ("png", "svg"))


def emphasis_section(emphasis: pd.DataFrame | None, distinctive: pd.DataFrame | None,
                     commitments: pd.DataFrame | None, figures_dir: Path, lang: str) -> list[Block]:
    """Policy emphasis (by report for a small corpus, else its distribution over reports), distinctive
    terms by region (or the terms distinctive for most regions), commitments by area, with figures."""
    blocks = [_h(2, "h_emphasis", lang), Block("p", say("emphasis_intro", lang))]
    if emphasis is not None and not emphasis.empty and "area" in emphasis.columns:
        if emphasis["doc_id"].nunique() <= TABLE_ROWS // 3:
            e = emphasis.copy()
            e["area"] = e["area"].map(lambda a: area_label(a, lang))
            blocks.append(Block("table", table=_rows_sorted(e, ["region", "report_year", "doc_id", "area"])))
        else:
            blocks.append(Block("p", say("emphasis_distribution", lang, name="emphasis.csv")))
            blocks.append(Block("table", table=emphasis_distribution_table(emphasis, lang)))
    else:
        blocks += _table_or_note(emphasis, "emphasis", lang)
    blocks.append(_figure(figures_dir, "emphasis_heatmap", lang))
    blocks += [_h(3, "h_distinctive", lang), Block("p", say("distinctive_intro", lang, n=DISTINCTIVE_TOP))]
    if distinctive is not None and not distinctive.empty and {"region", "zscore"} <= set(distinctive.columns):
        d = distinctive.assign(_z=pd.to_numeric(distinctive["zscore"], errors="coerce"))
        d = d.sort_values(["region", "_z", "term"], ascending=[True, False, True], kind="stable")
        d = d.groupby("region", sort=True).head(DISTINCTIVE_TOP).drop(columns="_z").reset_index(drop=True)
        if d["region"].nunique() <= DISTINCTIVE_REGIONS:
            blocks.append(Block("table", table=d))
        else:
            common = (d.groupby("term", sort=True).agg(regions=("region", "nunique"))
                      .reset_index().sort_values(["regions", "term"], ascending=[False, True], kind="stable"))
            blocks.append(Block("p", say("distinctive_common", lang, n=TABLE_ROWS, regions=d["region"].nunique(),
                                         name="distinctive.csv")))
            blocks.append(Block("table", table=common.head(TABLE_ROWS).reset_index(drop=True)))
    else:
        blocks += _table_or_note(distinctive, "distinctive", lang)
    blocks.append(_figure(figures_dir, "distinctive_terms", lang))
    blocks += [_h(3, "h_commitments", lang), Block("p", say("commitments_intro", lang))]
    if commitments is not None and not commitments.empty and "area" in commitments.columns:
        cm = commitments.copy()
        cm["area"] = cm["area"].map(lambda a: area_label(a, lang))
        if len(cm) <= TABLE_ROWS:
            blocks.append(Block("table", table=_rows_sorted(cm, ["region", "report_year", "doc_id", "area"])))
        else:
            n = pd.to_numeric(cm["commitments"], errors="coerce").fillna(0).astype(int)
            by_area = (cm.assign(commitments=n).groupby("area", sort=True)
                       .agg(documents=("doc_id", "nunique"), commitments=("commitments", "sum")).reset_index())
            blocks.append(Block("p", say("rows_in_csv", lang, rows=len(cm), name="commitments.csv")))
            blocks.append(Block("table", table=by_area))
    else:
        blocks += _table_or_note(commitments, "commitments", lang)
    blocks.append(_figure(figures_dir, "commitments_by_area", lang))
    return blocks


def _score_cell(metric: str, value: Any) -> Any:
    """Precision, recall and F1 with three decimals, as ``analysis score`` prints them; counts as they are."""
    if metric in ("precision", "recall", "f1") and value is not None:
        return f"{float(value):.3f}"
    return value


def quality_table(score: Mapping[str, Any]) -> pd.DataFrame:
    """One row per scored table (facts, assessments) with the numbers ``analysis score`` prints."""
    rows = [{"table": name, **{m: _score_cell(m, score[name].get(m)) for m in scorefile.METRICS}}
            for name in ("facts", "assessments") if isinstance(score.get(name), Mapping)]
    return pd.DataFrame(rows, columns=["table", *scorefile.METRICS])


def emphasis_distribution_table(emphasis: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per policy area, mentions per 10,000 characters over the reports: quartiles and mean."""
    e = emphasis.assign(per_10k=pd.to_numeric(emphasis["per_10k"], errors="coerce"))
    rows = []
    for area, g in e.groupby("area", sort=True):
        v = g["per_10k"].dropna()
        rows.append({"area": area_label(area, lang), "documents": int(g["doc_id"].nunique()),
                     "p25": round(float(v.quantile(0.25)), 2) if len(v) else float("nan"),
                     "median": round(float(v.median()), 2) if len(v) else float("nan"),
                     "p75": round(float(v.quantile(0.75)), 2) if len(v) else float("nan"),
                     "mean": round(float(v.mean()), 2) if len(v) else float("nan")})
    return pd.DataFrame(rows)


def quality_section(score: Mapping[str, Any] | None, gold: Path | None, lang: str,
                    reason: str = "", score_text: str | None = None) -> list[Block]:
    """The scores of this run against the gold file (``score.json``); says so plainly when there are none."""
    blocks = [_h(2, "h_quality", lang)]
    if gold is None and score is None:
        return blocks + [Block("p", say("quality_no_gold", lang))]
    gold_name = (score or {}).get("gold") or (Path(gold).name if gold is not None else "")
    if not score:
        return blocks + [Block("p", say("quality_unavailable", lang, gold=gold_name, reason=reason or "-"))]
    blocks.append(Block("p", say("quality_gold", lang, gold=gold_name)))
    blocks.append(Block("table", table=quality_table(score)))
    return blocks


def _level_pair_label(pair: str, lang: str) -> str:
    names = [say(f"level_{lv}", lang) if f"level_{lv}" in _strings() else lv for lv in str(pair).split("/")]
    return "/".join(names)


def _paper_lines(key: str, lang: str) -> list[Block]:
    lit = fnd.literature()
    blocks = []
    for _, r in lit[lit["finding"] == key].iterrows():
        claim = r["claim_zh"] if lang == "zh" else r["claim_en"]
        blocks.append(Block("p", say("ctx_paper", lang, paper=r["paper"], claim=claim, where=r["where"],
                                     verified=say(f"verified_{r['verified']}", lang))))
    return blocks


def _context_finding(f: Finding, figures_dir: Path, lang: str) -> list[Block]:
    """Our numbers for one finding: a sentence, the table behind it, its figures."""
    s = f.stats
    blocks: list[Block] = []
    if f.key == "share_met":
        blocks.append(Block("p", say("ctx_share_met", lang, **s)))
        return blocks + _share_by_level(f, lang)
    if f.key == "escalation":
        overall = f.rows[f.rows["year"] == "all"]
        items = [say("ctx_escalation_level", lang, **{**r, "level_pair": _level_pair_label(r["level_pair"], lang)})
                 for r in overall.to_dict("records")]
        blocks.append(Block("p", say("ctx_escalation_hier", lang, gdp_pairs=s["gdp_pairs"],
                                     items=say("clause_sep", lang).join(items))))
        blocks.append(Block("p", say("ctx_escalation_checked", lang, **s)))
        figures = CONTEXT_FIGURES["escalation"]
    elif f.key == "gold_escalation":
        blocks.append(Block("p", say("ctx_gold_escalation", lang, **s)))
        blocks.append(Block("p", say("ctx_gold_escalation_values", lang, **s)))
        figures = ()
    elif f.key == "achievement":
        blocks.append(Block("p", say("ctx_achievement", lang, **s)))
        figures = ()
    elif f.key == "bunching":
        numbers = {k: v for k, v in s.items() if not k.startswith("_") and not k.endswith("p_value")}
        blocks.append(Block("p", say("ctx_bunching_test", lang, **numbers, p_value=fnd.p_equals(s["p_value"]),
                                     verdict=say(f"verdict_{s['_verdict']}", lang))))
        blocks.append(Block("p", say("ctx_bunching_robust", lang, **numbers,
                                     final_p_value=fnd.p_equals(s["final_p_value"]),
                                     nonzero_p_value=fnd.p_equals(s["nonzero_p_value"]),
                                     final_verdict=say(f"verdict_{s['_final_verdict']}", lang)
                                     if s["_final_verdict"] != "too_few" else say("concl_n_too_small", lang),
                                     nonzero_verdict=say(f"verdict_{s['_nonzero_verdict']}", lang)
                                     if s["_nonzero_verdict"] != "too_few" else say("concl_n_too_small", lang))))
        figures = CONTEXT_FIGURES["bunching"]
    else:
        blocks.append(Block("p", say("ctx_fyp_repeat_levels", lang, **s)))
        figures = ()
    if f.reason == "small_n":
        blocks.append(Block("p", say("ctx_small_n", lang, min_n=hierarchy.MIN_N)))
    if f.rows is not None and not f.rows.empty:
        rows = f.rows.copy()
        if f.key == "escalation":
            rows = rows[rows["year"] == "all"] if (rows["year"] == "all").any() else rows
        if f.key == "gold_escalation":  # the province-years whose two provincial values differ, not all of them
            rows = rows.loc[rows["relation"] != "same", GOLD_ROW_COLUMNS]
        for col in ("level", "level_pair"):
            if col in rows.columns:
                rows[col] = rows[col].map(lambda v: _level_pair_label(v, lang) if v != "all" else v)
        if "period_group" in rows.columns:
            rows["period_group"] = rows["period_group"].map(lambda v: say(f"period_{v}", lang))
        if "indicator" in rows.columns:
            rows["indicator"] = rows["indicator"].map(lambda c: indicator_label(c, lang))
        blocks.append(Block("table", table=rows.reset_index(drop=True)))
    return blocks + _existing_figures(figures, figures_dir, lang)


# Columns of gold_escalation.csv the report shows for the province-years whose provincial values differ.
GOLD_ROW_COLUMNS = ["region", "year", "parent_value", "value", "comparator", "gold_value", "escalation",
                    "gold_escalation", "relation"]


# The figures notebook 05 draws for a finding; shown even when the finding cannot be assessed (they then
# say so), so that every figure a run writes is in the report.
CONTEXT_FIGURES: dict[str, tuple[str, ...]] = {
    "escalation": ("hierarchy_difference_by_year", "hierarchy_level_means"),
    "bunching": ("hierarchy_gap_histogram",),
}


def _existing_figures(names: Sequence[str], figures_dir: Path, lang: str) -> list[Block]:
    return [_figure(Path(figures_dir), name, lang) for name in names
            if any((Path(figures_dir) / f"{name}.{ext}").exists() for ext in ("png", "svg"))]


def literature_table(found: Sequence[Finding], lang: str) -> pd.DataFrame:
    """The comparisons of ``findings.csv`` as the report shows them: paper, its figure, ours, N, years, verdict."""
    comp = fnd.comparisons(found)
    if comp.empty:
        return comp
    comp = comp.assign(conclusion=comp["conclusion"].map(lambda c: say(f"concl_{c}", lang)),
                       finding=comp["finding"].map(lambda k: say(f"finding_{k}", lang)))
    return comp[["finding", "paper", "paper_figure", "our_figure", "n", "years", "conclusion"]]


def context_section(found: Sequence[Finding], lang: str, figures_dir: Path | None = None) -> list[Block]:
    """Each published pattern beside this corpus's number, or the plain reason it cannot be assessed."""
    figures_dir = Path(figures_dir) if figures_dir is not None else Path(".")
    blocks = [_h(2, "h_context", lang), Block("p", say("ctx_intro", lang, min_n=hierarchy.MIN_N,
                                                                level=hierarchy.INTERVAL_PCT,
                                                                samples=hierarchy.BOOTSTRAP_SAMPLES))]
    for f in found:
        if f.key not in ("share_met", *fnd.CONTEXT_FINDINGS):
            continue
        name = say(f"finding_{f.key}", lang)
        blocks.append(Block("h3", name[:1].upper() + name[1:], anchor=f"context_{f.key}"))
        blocks += _paper_lines(f.key, lang) if f.key != "share_met" else [Block("p", say("ctx_ref_share_met", lang))]
        if not f.assessed:
            blocks.append(Block("p", say("ctx_cannot", lang, reason=say(f"reason_{f.reason}", lang, **f.stats))))
            blocks += _existing_figures(CONTEXT_FIGURES.get(f.key, ()), figures_dir, lang)
            continue
        blocks += _context_finding(f, figures_dir, lang)
    table = literature_table(found, lang)
    if not table.empty:
        blocks += [Block("h3", say("h_literature_table", lang), anchor="context_table"), Block("table", table=table)]
    return blocks


def _share_by_level(f: Finding, lang: str) -> list[Block]:
    s = f.stats
    blocks = []
    if s.get("derived"):
        blocks.append(Block("p", say("ctx_share_met_derived", lang, derived=s["derived"])))
    if s.get("levels_compared", 0) < 2:
        return blocks + [Block("p", say("ctx_share_met_one_level", lang))]
    items = [say("ctx_share_met_level", lang, level=say(f"level_{lv}", lang), met=s[f"{lv}_met"],
                 missed=s[f"{lv}_missed"], share_met_pct=s[f"{lv}_share_met_pct"])
             for lv in ("province", "city", "district") if f"{lv}_met" in s]
    return blocks + [Block("p", say("ctx_share_met_levels", lang, items=say("clause_sep", lang).join(items)))]


def limitations_section(found: Sequence[Finding], lang: str) -> list[Block]:
    """Missing years, pending targets, single-report regions: computed from the tables."""
    lim = next(f for f in found if f.key == "limitations")
    s = lim.stats
    items = []
    if s.get("missing_years") and lim.rows is not None:
        per_region = lim.rows.groupby("region", sort=True)["year"].apply(
            lambda ys: say("list_sep", lang).join(fmt_number(y) for y in sorted(ys)))
        parts = [say("lim_missing_item", lang, region=r, years=y) for r, y in per_region.head(TABLE_ROWS).items()]
        if len(per_region) > TABLE_ROWS:
            parts.append(say("lim_more", lang, n=len(per_region) - TABLE_ROWS))
        items.append(say("lim_missing_years", lang, missing_years=s["missing_years"],
                         items=say("clause_sep", lang).join(parts)))
    else:
        items.append(say("lim_no_missing_years", lang))
    items.append(say("lim_pending", lang, pending=s.get("pending", 0), no_target=s.get("no_target", 0)))
    single = s.get("_single_regions", [])
    if single:
        shown = list(single[:TABLE_ROWS]) + ([say("lim_more", lang, n=len(single) - TABLE_ROWS)]
                                             if len(single) > TABLE_ROWS else [])
        items.append(say("lim_single", lang, single_report_regions=len(single),
                         items=say("list_sep", lang).join(shown)))
    else:
        items.append(say("lim_no_single", lang))
    items.append(say("lim_scope", lang))
    return [_h(2, "h_limitations", lang), Block("ul", items=items)]


APPENDIX_FACT_COLUMNS = ["doc_id", "role", "period", "indicator", "measure", "value", "value_high", "unit",
                         "comparator", "stretch", "derived", "quote", "char_start", "char_end", "raw_start", "raw_end"]
APPENDIX_ASSESSMENT_COLUMNS = ["doc_id", "period", "indicator", "kind", "value", "quote", "char_start", "char_end",
                               "raw_start", "raw_end"]


def appendix_table(df: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """Every row with its quote, document and position; in English the quote carries the indicator's label."""
    t = _rows_sorted(df, ["doc_id", "char_start", "char_end", "indicator", "period"])
    t = t[[c for c in columns if c in t.columns]].copy()
    if "indicator" in t.columns:
        names = df.loc[t.index, "indicator_name"] if "indicator_name" in df.columns else [None] * len(t)
        t["indicator"] = [indicator_label(c, lang, n) for c, n in zip(t["indicator"], names)]
        if "quote" in t.columns and lang == "en":
            t["quote"] = [say("appendix_quote_label", lang, quote=q if isinstance(q, str) else "", label=lab)
                          for q, lab in zip(t["quote"], t["indicator"])]
    return t


def appendix_section(facts: pd.DataFrame | None, assessments: pd.DataFrame | None, lang: str) -> list[Block]:
    """Where every fact and assessment is: the searchable, sortable ``facts_table.html`` and the CSV/Parquet."""
    blocks = [_h(2, "h_appendix", lang), Block("p", say("appendix_intro", lang))]
    if facts is None:
        return blocks + [Block("p", say("missing_table", lang, name="facts.csv"))]
    n_assessments = 0 if assessments is None else len(assessments)
    blocks.append(Block("link", say("appendix_link", lang, facts=len(facts), assessments=n_assessments),
                        anchor=FACTS_TABLE_HTML))
    return blocks


def _json_cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_FACTS_TABLE_JS = """
(function () {
  var PAGE = 200;
  document.querySelectorAll("section.datatable").forEach(function (sec) {
    var data = JSON.parse(sec.querySelector("script").textContent);
    var cols = data.columns, rows = data.rows, shown = rows, page = 0, sortCol = -1, asc = true;
    var input = sec.querySelector("input"), info = sec.querySelector(".info");
    var tbody = sec.querySelector("tbody"), prev = sec.querySelector(".prev"), next = sec.querySelector(".next");
    function text(v) { return v === null ? "" : String(v); }
    function render() {
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      page = Math.min(page, pages - 1);
      var html = [];
      shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (r) {
        html.push("<tr>" + r.map(function (v) {
          return "<td>" + text(v).replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</td>";
        }).join("") + "</tr>");
      });
      tbody.innerHTML = html.join("");
      info.textContent = shown.length + " / " + rows.length + " · " + (page + 1) + " / " + pages;
    }
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
      shown = !q.length ? rows : rows.filter(function (r) {
        var line = r.map(text).join(" ").toLowerCase();
        return q.every(function (w) { return line.indexOf(w) >= 0; });
      });
      page = 0; render();
    });
    sec.querySelectorAll("th").forEach(function (th, i) {
      th.addEventListener("click", function () {
        asc = sortCol === i ? !asc : true; sortCol = i;
        var key = function (r) { return r[i]; };
        shown = shown.slice().sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === y) return 0;
          if (x === null) return 1;
          if (y === null) return -1;
          var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "zh");
          return asc ? c : -c;
        });
        page = 0; render();
      });
    });
    prev.addEventListener("click", function () { page = Math.max(0, page - 1); render(); });
    next.addEventListener("click", function () { page += 1; render(); });
    render();
  });
})();
"""


def facts_table_html(tables: Sequence[tuple[str, pd.DataFrame]], title: str, lang: str = "zh") -> str:
    """One self-contained page (inline CSS and plain JavaScript, no network) with each table searchable
    (every word must occur in the row), sortable (click a column) and shown a page at a time.

    The rows are embedded as JSON, so the page stays fast with hundreds of thousands of facts.
    """
    parts = ["<!DOCTYPE html>", f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">', "<head>",
             '<meta charset="utf-8">', f"<title>{html.escape(title)}</title>",
             "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;font-size:12px}"
             "th,td{border:1px solid #ccc;padding:2px 4px;vertical-align:top}th{cursor:pointer;background:#eee;"
             "position:sticky;top:0}input{width:30em;margin:.5em 0}.info{margin:0 1em}</style>",
             "</head>", "<body>", f"<h1>{html.escape(title)}</h1>"]
    for i, (heading, df) in enumerate(tables):
        cols = [str(c) for c in df.columns]
        payload = json.dumps({"columns": cols, "rows": [[_json_cell(v) for v in row]
                                                        for row in df.itertuples(index=False, name=None)]},
                             ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        payload = payload.replace("</", "<\\/")
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        parts.append(f'<section class="datatable" id="table-{i}"><h2>{html.escape(heading)}</h2>'
                     f'<input type="search" placeholder="{html.escape(say("table_search", lang))}">'
                     f'<button class="prev">&lt;</button><span class="info"></span><button class="next">&gt;</button>'
                     f'<table><thead><tr>{head}</tr></thead><tbody></tbody></table>'
                     f'<script type="application/json">{payload}</script></section>')
    parts += [f"<script>{_FACTS_TABLE_JS}</script>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def write_facts_table(output_dir: Path, facts: pd.DataFrame | None, assessments: pd.DataFrame | None,
                      lang: str = "zh") -> Path:
    """Write ``facts_table.html``: every fact and every assessment with its quote, document and position."""
    tables = []
    for key, df, cols in (("h_appendix", facts, APPENDIX_FACT_COLUMNS),
                          ("h_assessments_appendix", assessments, APPENDIX_ASSESSMENT_COLUMNS)):
        if df is None:
            df = pd.DataFrame(columns=cols)
        shown = appendix_table(df, ["region", "report_year", *cols], lang) if not df.empty else df
        tables.append((say(key, lang), shown))
    path = Path(output_dir) / FACTS_TABLE_HTML
    path.write_text(facts_table_html(tables, say("h_appendix", lang), lang), encoding="utf-8")
    return path


def report_blocks(tables: Mapping[str, pd.DataFrame | None], found: Sequence[Finding], figures_dir: Path,
                  lang: str = "zh", title: str | None = None, score: Mapping[str, Any] | None = None,
                  gold: Path | None = None, score_reason: str = "", score_text: str | None = None) -> list[Block]:
    """The whole report as blocks, in reading order."""
    _check_lang(lang)
    blocks = [Block("h1", title or say("title", lang), anchor="title"), _h(2, "h_summary", lang),
              Block("ul", items=summary_sentences(found, tables, lang))]
    blocks += data_section(tables.get("documents"), tables.get("removed_spans"), lang)
    blocks += method_section(lang)
    blocks += targets_section(tables.get("targets_vs_outcomes"), Path(figures_dir), lang)
    blocks += emphasis_section(tables.get("emphasis"), tables.get("distinctive"), tables.get("commitments"),
                               Path(figures_dir), lang)
    blocks += quality_section(score, gold, lang, score_reason, score_text)
    blocks += context_section(found, lang, Path(figures_dir))
    blocks += limitations_section(found, lang)
    blocks += appendix_section(tables.get("facts"), tables.get("assessments"), lang)
    return blocks


# ---------------------------------------------------------------- rendering

def format_cell(value: Any) -> str:
    """A table cell as text: numbers via ``fmt_number``, missing values empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and pd.isna(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        return fmt_number(value)
    return str(value)


_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")


def md_escape(text: Any) -> str:
    """Text as Markdown shows it literally: raw HTML escaped (``<img onerror=…>`` stays text), Markdown
    punctuation backslash-escaped, line breaks as spaces (a table cell is one line)."""
    escaped = html.escape(str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", escaped).replace("\r", " ").replace("\n", " ")


def render_markdown(blocks: Sequence[Block], figure_prefix: str = "figures/") -> str:
    """Markdown text of the blocks; figures are linked as ``figure_prefix + file name``."""
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out.append("#" * int(b.kind[1]) + " " + md_escape(b.text))
        elif b.kind == "p":
            out.append(md_escape(b.text))
        elif b.kind == "ul":
            out.append("\n".join(f"- {md_escape(item)}" for item in b.items))
        elif b.kind == "pre":
            fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", b.text)), default=0) + 1)
            out.append(f"{fence}\n{b.text}\n{fence}")
        elif b.kind == "link":
            out.append(f"[{md_escape(b.text)}]({b.anchor})")
        elif b.kind == "figure":
            out.append(f"![{md_escape(b.text)}]({figure_prefix}{b.path.name})\n\n*{md_escape(b.text)}*")
        elif b.kind == "table":
            df = b.table
            head = "| " + " | ".join(md_escape(str(c)) for c in df.columns) + " |"
            rule = "|" + "|".join("---" for _ in df.columns) + "|"
            body = ["| " + " | ".join(md_escape(format_cell(v)) for v in row) + " |"
                    for row in df.itertuples(index=False, name=None)]
            out.append("\n".join([head, rule, *body]))
    return "\n\n".join(out) + "\n"


def _figure_html(path: Path, caption: str) -> str:
    data = path.read_bytes()
    if path.suffix == ".svg":
        svg = re.sub(r"^<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", "", data.decode("utf-8"))
        body = f'<div class="svg">{svg}</div>'
    else:
        body = (f'<img src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}" '
                f'alt="{html.escape(caption)}">')
    return f'<figure id="fig-{html.escape(path.stem)}" data-figure="{html.escape(path.stem)}">{body}<figcaption>{html.escape(caption)}</figcaption></figure>'


# Column widths of the report's tables, computed here so that WeasyPrint can use the fixed table layout:
# its automatic layout measures every cell's narrowest and widest line, and as every Chinese character is
# a break opportunity that costs thousands of line splits (three quarters of the PDF's time on the seeds).
# Widths are counted in half-em units of the table font (7.5pt, report.css): a Chinese character is 2.
TABLE_UNITS = 132  # the table's width: A4 less page margins and body padding (495pt) over 3.75pt
CELL_PAD_UNITS = 1.8  # a cell's padding (4px each side) and border (1px)
# A Latin letter or digit of Noto Sans CJK SC: lowercase 1.06 on average, digits 1.11, capitals 1.27;
# counted a little over the common average so that a word measured with it fits its column.
LATIN_UNITS = 1.2
COLUMN_MIN = 8  # a column gets at least this (4 Chinese characters) while the page has room
TOKEN_CAP = 24  # a longer word (a path) breaks anywhere rather than widen its column; a document id is 24
_WIDE_CHARS = ("\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
               "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd")
_WIDE = re.compile(f"[{_WIDE_CHARS}]")
_WORD_BREAK = re.compile(f"[\\s{_WIDE_CHARS}]+")  # a line may break at spaces and around every wide character


def text_units(text: str) -> float:
    """Width of ``text`` on one line in half-em units: wide (CJK, full-width) characters count 2."""
    wide = len(_WIDE.findall(text))
    return 2 * wide + LATIN_UNITS * (len(text) - wide)


def _longest_word(text: str) -> float:
    """Units of the longest run without a break opportunity (Latin words; CJK breaks anywhere)."""
    return LATIN_UNITS * max((len(w) for w in _WORD_BREAK.split(text)), default=0)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[float]:
    """Percent of the table width for each column, from its header and cell texts.

    Each column has four widths, none more than the table's: a floor of one character; a short width
    (``COLUMN_MIN``, or less if its texts are shorter) that keeps short words and numbers whole; its
    minimum (its longest word, of a cell or of a header part up to an underscore, at least the short
    width); its natural width (its longest text on one line). As in CSS's automatic layout, every
    column gets the highest of these that fits for all, plus a share of the room left in proportion to
    what it lacks for the next: natural widths if they fit (the spare room shared in their
    proportion), else minimums and a share of the rest — so long quotes get the room and short numbers
    stay narrow —, else short widths and a share of the minimums. When not even those fit, words break
    anyway: floors plus a share of the short widths or of the natural widths (what WeasyPrint's
    automatic layout gives then), whichever makes the table's body shorter.
    """
    n = len(header)
    if n == 0:
        return []
    room = max(TABLE_UNITS - n * CELL_PAD_UNITS, float(n))
    units = [[text_units(t) for t in row] for row in [header, *rows]]
    natural = [max(min(max(row[j] for row in units), room), 1.0) for j in range(n)]
    short = [min(nat, COLUMN_MIN) for nat in natural]
    minimum = []
    for j, head in enumerate(header):
        parts = re.findall(r"[^_]+_?|_", head)  # the header may break after each underscore
        word = max([*(LATIN_UNITS * len(p) for p in parts), *(_longest_word(row[j]) for row in rows)])
        minimum.append(min(natural[j], max(min(word, TOKEN_CAP), short[j])))
    if sum(natural) <= room:
        return _percent([w * room / sum(natural) for w in natural])
    if sum(minimum) <= room:
        return _percent(_fill(minimum, natural, room))
    if sum(short) <= room:
        return _percent(_fill(short, minimum, room))
    floor = [1.0] * n
    # Judged on the body (the header is one row either way); a tie keeps the words whole.
    return _percent(min(_fill(floor, short, room), _fill(floor, natural, room), key=lambda w: _lines(units[1:], w)))


def _percent(widths: list[float]) -> list[float]:
    """Column widths (text units, padding not included) as percent of the table, padding included."""
    total = sum(widths) + len(widths) * CELL_PAD_UNITS
    # Rounded down: WeasyPrint widens a fixed table whose columns add up to more than 100%, and shares
    # what is left below 100% equally.
    return [math.floor(10000 * (w + CELL_PAD_UNITS) / total) / 100 for w in widths]


def _fill(lower: list[float], upper: list[float], room: float) -> list[float]:
    """``lower`` plus the share of ``upper - lower`` that makes the widths add up to ``room``."""
    share = (room - sum(lower)) / (sum(upper) - sum(lower)) if sum(upper) > sum(lower) else 0.0
    return [lo + (hi - lo) * share for lo, hi in zip(lower, upper)]


def _lines(units: list[list[float]], widths: list[float]) -> int:
    """Lines a table takes, roughly: each row as many as its fullest cell."""
    return sum(max(math.ceil(u / w) for u, w in zip(row, widths)) for row in units)


def _table_html(df: pd.DataFrame) -> str:
    """A table with its column widths in a ``colgroup`` (used by the print stylesheet's fixed layout);
    header names may break after an underscore."""
    header = [str(c) for c in df.columns]
    rows = [[format_cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    cols = "".join(f'<col style="width:{w:g}%">' for w in column_widths(header, rows))
    head = "".join(f"<th>{html.escape(c).replace('_', '_<wbr>')}</th>" for c in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_css() -> str:
    """The report's stylesheet (``data/report.css``), inlined into the HTML."""
    return data_file("report.css").read_text(encoding="utf-8")


def render_html(blocks: Sequence[Block], lang: str = "zh", css: str | None = None) -> str:
    """One self-contained HTML page: CSS inline, figures embedded, no scripts."""
    title = next((b.text for b in blocks if b.kind == "h1"), say("title", lang))
    parts = ["<!DOCTYPE html>", f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">', "<head>",
             '<meta charset="utf-8">', f"<title>{html.escape(title)}</title>",
             f"<style>\n{report_css() if css is None else css}</style>", "</head>", "<body>"]
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            anchor = f' id="{html.escape(b.anchor)}"' if b.anchor else ""
            parts.append(f"<{b.kind}{anchor}>{html.escape(b.text)}</{b.kind}>")
        elif b.kind == "p":
            parts.append(f"<p>{html.escape(b.text)}</p>")
        elif b.kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "pre":
            parts.append(f"<pre>{html.escape(b.text)}</pre>")
        elif b.kind == "link":
            parts.append(f'<p><a href="{html.escape(b.anchor)}">{html.escape(b.text)}</a></p>')
        elif b.kind == "figure":
            parts.append(_figure_html(b.path, b.text))
        elif b.kind == "table":
            parts.append(_table_html(b.table))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- PDF

def cjk_font_path() -> Path:
    """The Noto Sans CJK SC file shipped by ``mplfonts`` (``analysis.fonts`` finds it; never SimHei)."""
    from . import fonts as fonts_module

    return Path(fonts_module.cjk_font_path())


MISSING_GLYPH = "□"  # stands in for a character the font cannot draw
_INVISIBLE_MODIFIERS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u200d]")


def printable(text: str) -> str:
    """``text`` without emoji variation selectors and joiners (U+FE0F …): they have no glyph of their own."""
    return _INVISIBLE_MODIFIERS.sub("", text)


def missing_glyphs(text: str, font_path: Path) -> list[str]:
    """Chinese characters of ``text`` the font cannot draw (they would print as empty boxes)."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(font_path), lazy=True, fontNumber=0).getBestCmap()
    chars = sorted({ch for ch in text if "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef"})
    return [ch for ch in chars if ord(ch) not in cmap]


def subset_font(font_path: Path, text: str, out: Path) -> Path:
    """A copy of the font holding only the glyphs for ``text`` (plus ASCII and list bullets), written to ``out``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.recalc_bounds = False
    options.recalc_timestamp = False  # keep the font's own date: same input → same bytes
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # recalcBBoxes=False: hhea, vhea and the CFF bounding box keep the full font's values (bounds of a
    # superset, so still true); recomputing them draws every glyph and took a third of the subsetting.
    font = TTFont(str(font_path), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    subsetter = subset.Subsetter(options)
    extra = {chr(c) for c in range(0x20, 0x7F)} | set("•◦▪")  # ASCII, page numbers, list markers
    subsetter.populate(text="".join(sorted(set(text) | extra)))
    subsetter.subset(font)
    font.save(str(out))
    return out


SUBSET_RECIPE = "2"  # part of the cache key: a change to subset_font's options must not reuse old files


def _subset_font_cached(font_path: Path, text: str) -> Path:
    """``subset_font`` into ``<temp>/gwr-font-subsets/<key>/<font name>``, keyed on the font file, the
    recipe and the characters; written atomically, so concurrent reports never see half a file."""
    import hashlib

    import fontTools

    st = font_path.stat()
    key = hashlib.sha256(f"{font_path}|{st.st_size}|{st.st_mtime_ns}|{fontTools.version}|{SUBSET_RECIPE}|"
                         f"{''.join(sorted(set(text)))}".encode()).hexdigest()[:20]
    folder = Path(tempfile.gettempdir()) / "gwr-font-subsets" / key
    target = folder / font_path.name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
            made = subset_font(font_path, text, Path(tmp) / font_path.name)
            os.replace(made, target)
    return target


def layout_pdf(html_text: str, font_path: Path | None = None) -> Any:
    """The HTML laid out into pages by WeasyPrint (a ``weasyprint.Document``), as ``render_pdf`` prints it.

    The stylesheet's ``@font-face`` (``data/report.css``) names the font file relatively, so the font
    subset's folder is the base URL; figures are embedded and need none. The boxes of its ``pages`` let
    tests check the layout (what overflows, how many lines a cell takes).
    """
    from weasyprint import HTML

    font_path = Path(font_path) if font_path else cjk_font_path()
    if not font_path.exists():
        raise FileNotFoundError(f"CJK font {font_path} does not exist")
    html_text = printable(html_text)
    visible = html.unescape(re.sub(r"<[^>]+>", "", html_text))
    # WeasyPrint's own subsetting of the 16 MB CJK font takes tens of seconds; a subset holding only
    # the page's characters leaves it almost nothing to do. The subset lives at a path that depends
    # only on the font, the recipe and the characters: the path ends up in the PDF (a random temporary folder made
    # every PDF differ), and a rerun on the same text reuses the file.
    small = _subset_font_cached(font_path, visible)
    # The subset has a glyph for every character of the page that the font has, so its small cmap
    # tells what is missing (reading the whole font's took 0.15 s on every report).
    lacking = missing_glyphs(visible, small)
    if lacking:
        warnings.warn(f"the font {font_path.name} has no glyph for {''.join(lacking)}: drawn as {MISSING_GLYPH}",
                      stacklevel=2)
        html_text = html_text.translate({ord(ch): MISSING_GLYPH for ch in lacking})
        visible = html.unescape(re.sub(r"<[^>]+>", "", html_text))
        small = _subset_font_cached(font_path, visible)
    if f'url("{FONT_FILE}")' not in html_text:
        raise ValueError(f'the stylesheet must declare the CJK font with @font-face src url("{FONT_FILE}")')
    html_text = html_text.replace(f'url("{FONT_FILE}")', f'url("{font_path.name}")')
    with _quiet_weasyprint():
        # full_fonts: embed the subset as it is rather than subsetting it a second time (saves seconds).
        return HTML(string=html_text, base_url=str(small.parent) + os.sep).render(full_fonts=True)


@contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """WeasyPrint's warnings silenced (font-subsetting chatter; real errors still raise) and
    ``SOURCE_DATE_EPOCH`` pinned for any library that reads it."""
    import logging

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        yield
    finally:
        quiet.setLevel(level)
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def render_pdf(html_text: str, path: Path, font_path: Path | None = None) -> Path:
    """Render the HTML to a PDF with WeasyPrint (``layout_pdf``), the CJK font declared by ``@font-face``.

    WeasyPrint writes no dates unless the HTML asks for them, so the PDF is reproducible.
    """
    document = layout_pdf(html_text, font_path)
    with _quiet_weasyprint():
        document.write_pdf(str(path), full_fonts=True)
    return Path(path)


# ---------------------------------------------------------------- scores

def load_score(output_dir: Path, gold: Path | None) -> tuple[dict | None, str]:
    """(score, reason when there is none): the run's ``score.json``, else the tables scored against ``gold``.

    Both give what ``python -m analysis score`` prints for the same tables.
    """
    saved = scorefile.read_score(output_dir)
    if saved is not None or gold is None:
        return saved, ""
    gold = Path(gold)
    if not gold.is_file():
        return None, f"gold file {gold} not found"
    if not (Path(output_dir) / "facts.csv").exists():
        return None, "facts.csv was not produced"
    return scorefile.score_run(output_dir, gold)[0], ""


# ---------------------------------------------------------------- entry point

def build_report(output_dir: Path, lang: str = "zh", title: str | None = None,
                 gold: Path | None = None) -> dict[str, Path]:
    """Write ``findings.csv``, ``report.md``, ``report.html``, ``report.pdf`` and ``facts_table.html``
    into ``output_dir``.

    Reads the tables and figures the pipeline wrote there. Returns the paths by kind
    (``findings``, ``md``, ``html``, ``pdf``, ``facts_table``).
    """
    _check_lang(lang)
    output_dir = Path(output_dir)
    tables = read_tables(output_dir)
    found = fnd.all_findings(tables)
    paths = {"findings": output_dir / "findings.csv", "md": output_dir / "report.md",
             "html": output_dir / "report.html", "pdf": output_dir / "report.pdf"}
    fnd.findings_table(found).to_csv(paths["findings"], index=False, lineterminator="\n")
    score, reason = load_score(output_dir, gold)
    blocks = report_blocks(tables, found, output_dir / "figures", lang, title, score,
                           None if gold is None else Path(gold), reason)
    paths["md"].write_text(render_markdown(blocks), encoding="utf-8")
    page = render_html(blocks, lang)
    paths["html"].write_text(page, encoding="utf-8")
    render_pdf(page, paths["pdf"])
    paths["facts_table"] = write_facts_table(output_dir, tables.get("facts"), tables.get("assessments"), lang)
    return paths
