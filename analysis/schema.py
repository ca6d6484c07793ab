"""Every output table's columns, types, descriptions, allowed values and keys, in one place.

Writers and readers go through ``write_table`` / ``read_table`` so that a CSV round trip gives the
same types every time (booleans as booleans, counts as nullable integers, text as text). The data
dictionary (``docs/data_dictionary.md``) and the table list in ``outputs/README.md`` are generated
from here (``python -m analysis.schema``); a test fails when they drift.

To add a column: add one ``Column`` to its table below (and regenerate the docs).

CSV formula safety: a spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-``, ``@``, tab
or carriage return. In CSV files, and only there, such a text cell is written with a leading
apostrophe (``'=HYPERLINK(…)``), and ``read_table`` removes an apostrophe that stands before one of
those characters. Escaping twice changes nothing (``'=…`` does not start with a formula character), so
files written by other code can be made safe after the fact. The one value this cannot round-trip is
text that itself starts with an apostrophe and a formula character; Parquet and Stata files keep the
exact values. Numbers are never prefixed.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

# ---------------------------------------------------------------- shared small helpers

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t", "1.0"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f", "", "0.0", "nan", "none", "<na>"})


def parse_bool(value: Any) -> bool | None:
    """``True``/``False`` for the ways a flag is written (true/false, 1/0, yes/no); None when missing.

    ``bool("false")`` is True in Python, which is why every reader uses this instead.
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return None if word in ("", "nan", "none", "<na>") else False
    raise ValueError(f"not a true/false value: {value!r}")


def bool_series(series: pd.Series, missing: bool | None = False, name: str | None = None) -> pd.Series:
    """A column of flags as booleans; missing cells become ``missing`` (None keeps them as NA).

    An unreadable cell raises ValueError, naming the column ``name`` when given.
    """
    # Element by element: ``map`` skips the NA of a nullable boolean column instead of passing it on.
    try:
        values = pd.Series([parse_bool(v) for v in series], index=series.index, dtype=object)
    except ValueError as exc:
        if name is None:
            raise
        raise ValueError(f"column {name!r}: {exc}") from None
    if missing is None:
        return values.astype("boolean")
    return values.map(lambda v: missing if v is None else v).astype(bool)


# ---------------------------------------------------------------- schema objects

DTYPES = ("str", "int", "float", "bool")


@dataclass(frozen=True)
class Column:
    """One column: name, type (str/int/float/bool), what it means, allowed values, required or not."""

    name: str
    dtype: str
    description: str
    allowed: tuple[str, ...] = ()
    required: bool = True  # False: announced columns a run may not have yet (older corpus readers)
    nullable: bool = True

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name}: type {self.dtype!r} is not one of {DTYPES}")


@dataclass(frozen=True)
class Table:
    """One output table: what a row is, its columns, its key and the files it is written as."""

    name: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("csv",)
    written_by: str = ""
    # Columns named by pattern (the panel's indicator blocks): regex → Column template.
    patterns: tuple[tuple[str, Column], ...] = ()
    optional: bool = False  # a run may legitimately not write this table (e.g. no gold file)

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        for pattern, template in self.patterns:
            if re.fullmatch(pattern, name):
                return Column(name, template.dtype, template.description, template.allowed, False)
        return None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, dtype: str, description: str, allowed: Iterable[str] = (), required: bool = True,
       nullable: bool = True) -> Column:
    return Column(name, dtype, description, tuple(allowed), required, nullable)


LEVELS = ("national", "province", "prefecture", "district", "county", "county_city")
DOC_TYPES = ("work_report", "fyp_outline", "plan_execution", "budget_report", "news_summary")
ROLES = ("target", "outcome")
MEASURES = ("growth_pct", "level", "avg_growth_pct", "cumulative", "share_pct", "count", "qualitative")
COMPARATORS = ("approx", "at_least", "at_most", "range", "exact", "parity")
STATUSES = ("met", "missed", "pending", "no_target", "qualitative", "not_comparable")

_DOC = _c("doc_id", "str", "the document's id: its path under the corpus root without extension, `/`-separated",
          nullable=False)
_REGION = _c("region", "str", "the issuing government, simplified Chinese, full name (e.g. 荔湾区)")
_YEAR = _c("report_year", "int", "year the document was delivered or issued")
_QUOTE = _c("quote", "str", "the source clause as it stands in the clean text")
# What raw offsets count, by reader: a file position only where the reader's text is the decoded
# file with characters deleted; elsewhere the reader's own text (no offset into the file exists).
RAW_TEXT = ("raw text (characters, not bytes): the decoded file, after any byte-order mark, for `.txt` and "
            "`.md` (front matter and markup included); for other formats the reader's text — the main content trafilatura extracted (`.html`), "
            "the row's text cell (`.csv`/`.jsonl`/`.parquet`), paragraphs then table rows (`.docx`), the pages' "
            "text joined by blank lines (`.pdf`)")
_POSITIONS = (
    _c("char_start", "int", "start of the quote in the document's clean text"),
    _c("char_end", "int", "end of the quote in the document's clean text"),
    _c("raw_start", "int", f"start of the same clause in the {RAW_TEXT}"),
    _c("raw_end", "int", "end of the same clause in the raw text (as `raw_start`)"),
)

DOCUMENTS = Table(
    "documents", "one input file: metadata, encoding, sizes, status, warnings", (
        _DOC, _REGION, _YEAR,
        _c("doc_type", "str", "kind of document", DOC_TYPES),
        _c("encoding", "str", "encoding the bytes were decoded with"),
        _c("script", "str", "script of the original text (simplified / traditional)"),
        _c("raw_chars", "int", "characters of the raw text that raw offsets index (the decoded file for `.txt` "
           "and `.md`, the reader's text otherwise; see facts `raw_start`)"),
        _c("clean_chars", "int", "characters of the clean text"),
        _c("boilerplate_chars", "int", "raw-text characters removed as boilerplate (navigation, footers …)"),
        _c("duplicates_dropped", "int", "repeated paragraphs dropped"),
        _c("status", "str", "`ok` when the document was read; otherwise why not (binary, empty, copy …)",
           nullable=False),
        _c("warnings", "str", "problems met while reading, `; `-separated"),
        _c("level", "str", "administrative level of the region", LEVELS, required=False),
        _c("parent", "str", "the region above (province of a city, 中国 for a province)", required=False),
        _c("region_code", "str", "administrative division code (adcode)", required=False),
        _c("region_source", "str", "where the region was read from", required=False),
        _c("report_year_source", "str", "where the report year was read from", required=False),
        _c("doc_type_source", "str", "where the document type was read from", required=False),
        _c("level_source", "str", "where the level was read from", required=False),
        _c("parent_source", "str", "where the parent was read from", required=False),
        _c("source_file", "str", "the file the document came from (a table or archive may hold many)",
           required=False),
        _c("source_row", "int", "row of the source table the document came from", required=False),
        _c("source_page", "int", "page of the source file", required=False),
        _c("reader", "str", "the reader that turned the file into text", required=False),
    ), key=("doc_id",), written_by="01_corpus")

REMOVED_SPANS = Table(
    "removed_spans", "one span normalisation removed (navigation, forum panel, spam banner, repeated paragraph …)", (
        _DOC,
        _c("reason", "str", "why the span was removed", nullable=False),
        _c("raw_start", "int", f"start of the span in the {RAW_TEXT}"),
        _c("raw_end", "int", "end of the span in the raw text (as `raw_start`)"),
        _c("chars", "int", "characters removed"),
        _c("excerpt", "str", "how the span began"),
    ), key=("doc_id", "raw_start", "raw_end", "reason"), written_by="01_corpus")

FACTS = Table(
    "facts", "one quantitative statement (target or outcome) with its quote and positions", (
        _DOC, _REGION,
        _c("doc_type", "str", "kind of document", DOC_TYPES),
        _YEAR,
        _c("role", "str", "`target` (promised) or `outcome` (achieved)", ROLES, nullable=False),
        _c("period", "str", "period the value belongs to: `2021`, a span `2021-2025`, or a quarter `2021Q1`"),
        _c("indicator", "str", "codebook indicator code; `other` when none fits", nullable=False),
        _c("measure", "str", "what the number measures", MEASURES),
        _c("value", "float", "the number in `unit`; the low end of a range; empty for qualitative rows"),
        _c("value_high", "float", "the high end of a range, else empty"),
        _c("unit", "str", "unit as written, normalised to simplified (%, 亿元, 万人 …)"),
        _c("comparator", "str", "qualifier of the number (左右 → approx, 以上 → at_least …)", COMPARATORS),
        _c("stretch", "bool", "the aspirational half of a two-tier target"),
        _c("derived", "bool", "a target implied by an assessment rather than stated"),
        _c("estimate", "bool", "an outcome stated as an estimate (预计, 初步核算)", required=False),
        _c("indicator_name", "str", "the Chinese name as written"),
        _QUOTE, *_POSITIONS,
    ), formats=("csv", "parquet"), written_by="02_facts")

ASSESSMENTS = Table(
    "assessments", "one assessment phrase (高于预期, 目标完成率 …)", (
        _DOC, _REGION, _YEAR,
        _c("period", "str", "period assessed"),
        _c("indicator", "str", "codebook indicator code; `other` when none fits"),
        _c("kind", "str", "what kind of judgement the phrase makes"),
        _c("value", "float", "the number stated with it (a completion rate …), else empty"),
        _QUOTE, *_POSITIONS,
    ), formats=("csv", "parquet"), written_by="02_facts")

_TVO_DESCRIPTIONS = {
    "region": ("str", "Issuing government (simplified Chinese)", ()),
    "indicator": ("str", "Indicator code (codebook)", ()),
    "indicator_name": ("str", "Chinese indicator name as written (for code other)", ()),
    "measure": ("str", "Measure of the target (of the outcome for no_target rows)", MEASURES),
    "outcome_measure": ("str", "Measure of the outcome compared", MEASURES),
    "period": ("str", "Period of the outcome (of the target when pending)", ()),
    "target_period": ("str", "Period of the target (a span for plan targets)", ()),
    "comparison": ("str", "How the pair was formed", ()),
    "comparator": ("str", "Target comparator", COMPARATORS),
    "stretch": ("bool", "Aspirational half of a two-tier target", ()),
    "derived": ("bool", "Target implied by an assessment, not stated", ()),
    "target_value": ("float", "Target value, canonical unit (low end of a range)", ()),
    "target_value_high": ("float", "Target high end of a range, canonical unit", ()),
    "target_unit": ("str", "Canonical unit of the target", ()),
    "outcome_value": ("float", "Outcome value, canonical unit", ()),
    "outcome_comparator": ("str", "Outcome comparator (bound stated in the text)", COMPARATORS),
    "outcome_unit": ("str", "Canonical unit of the outcome", ()),
    "gap": ("float", "Outcome minus target (pp for rates, canonical unit for levels)", ()),
    "status": ("str", "How the target fared", STATUSES),
    "progress": ("float", "Running sum / cumulative target", ()),
    "required_pace": ("float", "Per-year amount still needed to finish the span", ()),
    "target_doc": ("str", "Document stating the target", ()),
    "outcome_doc": ("str", "Document stating the outcome", ()),
    "target_report_year": ("int", "Report year of the target document", ()),
    "outcome_report_year": ("int", "Report year of the outcome document", ()),
    "target_quote": ("str", "Source clause of the target", ()),
    "outcome_quote": ("str", "Source clause of the outcome", ()),
    "report_assessment": ("str", "The report's own assessment of the result", ()),
    "report_verdict": ("str", "Verdict implied by the report's assessment", ()),
    "report_implied_target": ("float", "Target implied by the report's assessment", ()),
    "assessment_agrees": ("bool", "Report verdict equals our status", ()),
    "revised": ("bool", "Target or outcome revised by a later document", ()),
    "note": ("str", "How the pair was scored when not obvious", ()),
}

TARGETS_VS_OUTCOMES = Table(
    "targets_vs_outcomes", "one target–outcome pair, with gap and status",
    tuple(_c(name, dtype, desc, allowed) for name, (dtype, desc, allowed) in _TVO_DESCRIPTIONS.items()),
    formats=("csv", "parquet", "dta"), written_by="03_targets_vs_outcomes")

PANEL = Table(
    "panel", "one region and year: headline targets, outcomes and gaps (wide, ready for regression)", (
        _REGION, _c("year", "int", "calendar year", nullable=False),
    ), key=("region", "year"), formats=("csv", "parquet", "dta"), written_by="03_targets_vs_outcomes",
    patterns=(
        (r"\w+_(target|stretch|outcome|gap)", _c("", "float", "an indicator's target, stretch target, outcome or gap")),
        (r"\w+_met", _c("", "int", "1 when the indicator's target was met, 0 when missed")),
        (r"\w+_tsource", _c("", "str", "the document the indicator's target came from")),
    ))

REVISIONS = Table(
    "revisions", "a target or outcome stated differently by two documents", (), optional=True,
    formats=("csv", "parquet", "dta"), written_by="03_targets_vs_outcomes",
    patterns=((r".+", _c("", "str", "as in targets_vs_outcomes")),))

EMPHASIS = Table(
    "emphasis", "one document and policy area: mentions and mentions per 10,000 characters", (
        _DOC, _REGION, _YEAR,
        _c("doc_type", "str", "kind of document", DOC_TYPES),
        _c("area", "str", "policy-area code (lexicon)", nullable=False),
        _c("area_en", "str", "policy area in English"),
        _c("mentions", "int", "lexicon terms of the area found in the clean text"),
        _c("per_10k", "float", "mentions per 10,000 characters"),
        _c("share", "float", "the area's share of all mentions in the document"),
    ), key=("doc_id", "area"), written_by="04_policy_emphasis")

DISTINCTIVE = Table(
    "distinctive", "one distinctive term of a region (weighted log-odds, Monroe et al. 2008)", (
        _REGION,
        _c("term", "str", "the term", nullable=False),
        _c("count", "int", "occurrences in the region's documents"),
        _c("zscore", "float", "z-score of the weighted log-odds ratio"),
    ), key=("region", "term"), written_by="04_policy_emphasis")

KWIC = Table(
    "kwic", "one keyword in context: a lexicon term with its sentence", (
        _DOC, _REGION, _YEAR,
        _c("area", "str", "policy-area code"),
        _c("term", "str", "lexicon term"),
        _c("left", "str", "text before the keyword"),
        _c("keyword", "str", "the keyword as found"),
        _c("right", "str", "text after the keyword"),
        _c("char_start", "int", "position of the keyword in the clean text"),
    ), written_by="04_policy_emphasis")

COMMITMENTS = Table(
    "commitments", "one document and policy area: number of quantified commitments", (
        _DOC, _REGION, _YEAR,
        _c("area", "str", "policy-area code", nullable=False),
        _c("commitments", "int", "targets of the area stated in the document"),
    ), key=("doc_id", "area"), written_by="04_policy_emphasis")

_LEVEL_DOC = "national, province, prefecture, district, county or county_city"
_CHECKED = ("none", "one", "both", "disagrees")

HIERARCHY = Table(
    "hierarchy", "one region's target beside the same target of its parent government", (
        _c("indicator", "str", "codebook indicator", nullable=False),
        _c("measure", "str", "growth_pct, avg_growth_pct or share_pct", nullable=False),
        _c("period", "str", "the target's period", nullable=False),
        _c("level_pair", "str", "region level vs parent level, e.g. prefecture-province", nullable=False),
        _c("region", "str", "the lower government", nullable=False),
        _c("region_level", "str", _LEVEL_DOC),
        _c("parent", "str", "the government above it", nullable=False),
        _c("parent_level", "str", _LEVEL_DOC),
        _c("comparator_class", "str", "point, floor, ceiling or range: only equal classes are paired"),
        _c("value", "float", "the region's target"),
        _c("parent_value", "float", "the parent's target"),
        _c("comparator", "str", "the region's comparator"),
        _c("parent_comparator", "str", "the parent's comparator"),
        _c("difference", "float", "value − parent_value"),
        _c("escalation", "float", "difference signed so that positive = more ambitious than the parent"),
        _c("doc_id", "str", "the region's report"),
        _c("parent_doc_id", "str", "the parent's report"),
        _c("quote", "str", "the region's target quote"),
        _c("parent_quote", "str", "the parent's target quote"),
        _c("checked", "str", "how many sides agree with a hand-checked gold file", _CHECKED),
    ), optional=True, written_by="05_hierarchy")

# The summaries 05_hierarchy writes beside hierarchy.csv: columns described in analysis/hierarchy.py.
_SUMMARY = ((r".+", _c("", "str", "see analysis/hierarchy.py")),)
ESCALATION = Table("escalation", "escalation statistics per indicator, level pair and year", (), optional=True,
                   written_by="05_hierarchy", patterns=_SUMMARY)
ACHIEVEMENT = Table("achievement", "the outcome of year Y beside the target for Y (one region)", (), optional=True,
                    written_by="05_hierarchy", patterns=_SUMMARY)
BUNCHING = Table("bunching", "counts of outcome − target just below and just above 0", (), optional=True,
                 written_by="05_hierarchy", patterns=_SUMMARY)
LEVEL_MEANS = Table("level_means", "mean target per level and year (nation → province → prefecture lines)", (),
                    optional=True, written_by="05_hierarchy", patterns=_SUMMARY)
ACHIEVEMENT_RATES = Table("achievement_rates", "share of targets met per level and period, with intervals", (),
                          optional=True, written_by="05_hierarchy", patterns=_SUMMARY)
GAP_HISTOGRAM = Table("gap_histogram", "counts of outcome − target per 0.1-point bin, one edge at 0", (),
                      optional=True, written_by="05_hierarchy", patterns=_SUMMARY)
ANNUAL_VS_PLAN_SUMMARY = Table("annual_vs_plan_summary", "shares of annual targets equal to, above, below the plan's",
                               (), optional=True, written_by="05_hierarchy", patterns=_SUMMARY)
ANNUAL_VS_PLAN = Table("annual_vs_plan", "an annual target beside the current five-year plan's average target",
                       (), optional=True, written_by="05_hierarchy", patterns=_SUMMARY)

GOLD_ESCALATION = Table(
    "gold_escalation", "one province-year of a hand-coded provincial GDP target table: province − nation "
    "escalation with the hand-coded and with our provincial target, against our national target", (
        _c("region", "str", "the province", nullable=False),
        _c("year", "int", "the target's year", nullable=False),
        _c("parent", "str", "the nation, when paired"),
        _c("comparator_class", "str", "point, floor, ceiling or range of our pair"),
        _c("parent_value", "float", "our national target"),
        _c("value", "float", "our provincial target (a range's low end)"),
        _c("value_high", "float", "our provincial target's high end, for a range"),
        _c("comparator", "str", "our provincial target's comparator"),
        _c("gold_value", "float", "the hand-coded provincial target"),
        _c("escalation", "float", "value − parent_value (ours)"),
        _c("gold_escalation", "float", "gold_value − parent_value (hand-coded)"),
        _c("difference", "float", "escalation − gold_escalation"),
        _c("relation", "str", "how the two provincial values relate",
           ("same", "coding", "gold_error", "file_year", "differs", "no_national", "no_provincial",
            "other_class")),
        _c("adjudication", "str", "the adjudication file's reason, for gold_error and file_year"),
        _c("doc_id", "str", "the report our provincial target is from"),
        _c("quote", "str", "our provincial target's quote"),
    ), optional=True, written_by="05_hierarchy")

FINDINGS = Table(
    "findings", "one number behind the report's summary and findings", (
        _c("finding", "str", "which finding", nullable=False),
        _c("group", "str", "`all`, or the region a row is about"),
        _c("statistic", "str", "what the number is", nullable=False),
        _c("value", "str", "the number as the report writes it"),
        _c("assessed", "bool", "false when the corpus cannot answer the question"),
        _c("source", "str", "the table and column the number was computed from"),
        _c("paper", "str", "literature rows: the published paper"),
        _c("paper_figure", "str", "literature rows: the paper's own figure, or 'not verified'"),
        _c("paper_where", "str", "literature rows: page or table of that figure"),
        _c("n", "str", "literature rows: our N"),
        _c("years", "str", "literature rows: years our figure covers"),
        _c("sample", "str", "literature rows: how the paper's sample differs"),
        _c("conclusion", "str", "literature rows: consistent, partly consistent, not assessed …"),
    ), written_by="09_report")

TABLES: dict[str, Table] = {t.name: t for t in (
    DOCUMENTS, REMOVED_SPANS, FACTS, ASSESSMENTS, TARGETS_VS_OUTCOMES, PANEL, REVISIONS, EMPHASIS, DISTINCTIVE,
    KWIC, COMMITMENTS, HIERARCHY, ESCALATION, LEVEL_MEANS, ACHIEVEMENT, ACHIEVEMENT_RATES, GAP_HISTOGRAM, BUNCHING,
    ANNUAL_VS_PLAN, ANNUAL_VS_PLAN_SUMMARY, GOLD_ESCALATION, FINDINGS)}

# Other files a run writes (for outputs/README.md).
OTHER_OUTPUTS: tuple[tuple[str, str], ...] = (
    ("clean/<doc_id>.txt", "the clean text each document was reduced to — what the extractor reads"),
    ("score.json, score.txt", "extraction precision / recall / F1 against a gold file, when one was given"),
    ("figures/*.png, figures/*.svg", "every figure, in both formats"),
    ("report.md, report.html, report.pdf", "the written report (HTML is self-contained)"),
    ("manifest.json", "sha256 of every input and output, parameters, package versions, timings, row counts"),
    ("notebooks/*.ipynb", "the executed notebooks (and kernel.log, the kernels' own messages)"),
)


def table(name: str) -> Table:
    """The schema of table ``name``; a clear error for an unknown one."""
    if name not in TABLES:
        raise KeyError(f"no table {name!r} in analysis/schema.py (known: {', '.join(TABLES)})")
    return TABLES[name]


def table_for_path(path: Path) -> Table | None:
    """The schema of a file named after a table (``…/facts.csv`` → facts), else None."""
    return TABLES.get(Path(path).stem)


# ---------------------------------------------------------------- types

def text_series(series: pd.Series, missing: Any = None, strip: bool = False) -> pd.Series:
    """A column as text (object dtype): ``str`` of every value, missing cells (None, NA, NaN) → ``missing``.

    Vectorised: a Python function per cell cost minutes on corpus-sized tables.
    """
    absent = series.isna()
    out = series.astype(str)
    if strip:
        out = out.str.strip()
    out = out.astype(object)
    if absent.any():
        out[absent.to_numpy()] = missing
    return out


def coerce(df: pd.DataFrame, name: str | Table) -> pd.DataFrame:
    """``df`` with its schema's types: int → Int64, float → float64, bool → bool, str → object."""
    t = table(name) if isinstance(name, str) else name
    df = df.copy()
    for col in df.columns:
        spec = t.column(str(col))
        if spec is None:
            continue
        s = df[col]
        if spec.dtype == "int":
            df[col] = pd.to_numeric(s, errors="coerce").astype("Int64")
        elif spec.dtype == "float":
            df[col] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif spec.dtype == "bool":
            # A flag with missing cells (a pair without a target has no stretch flag) stays nullable.
            df[col] = bool_series(s, missing=None if s.map(parse_bool).isna().any() else False)
        else:
            df[col] = text_series(s, float("nan"))  # NaN as the per-cell map gave
    if "period" in df.columns and t.column("period") is not None:
        # object like every other text column (``map`` would infer pandas' str dtype: another Parquet type)
        df["period"] = df["period"].map(lambda v: v[:-2] if isinstance(v, str) and v.endswith(".0") else v
                                        ).astype("object")
    return df


# ---------------------------------------------------------------- CSV formula safety

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def csv_escape(value: Any) -> Any:
    """A text cell as written to CSV: an apostrophe before a leading formula character (idempotent)."""
    if isinstance(value, str) and value and value[0] in FORMULA_TRIGGERS:
        return ESCAPE + value
    return value


def csv_unescape(value: Any) -> Any:
    """Undo ``csv_escape``: drop the apostrophe before a leading formula character."""
    if isinstance(value, str) and len(value) > 1 and value[0] == ESCAPE and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def _text_columns(df: pd.DataFrame, t: Table | None) -> list:
    if t is None:
        return [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])
                and not pd.api.types.is_bool_dtype(df[c])]
    return [c for c in df.columns if (spec := t.column(str(c))) is None or spec.dtype == "str"]


def _leading(series: pd.Series, start: int, stop: int) -> pd.Series:
    """Characters start:stop of each text cell ("" for a cell that is not text)."""
    is_text = series.map(type) == str
    out = pd.Series("", index=series.index, dtype=object)
    out[is_text] = series[is_text].str[start:stop]
    return out


def csv_safe(df: pd.DataFrame, t: Table | None = None) -> pd.DataFrame:
    """``df`` with every text cell formula-safe for spreadsheets (``csv_escape`` on every cell)."""
    out = df.copy()
    for col in _text_columns(out, t):
        s = out[col]
        if s.dtype != object:
            out[col] = s.map(csv_escape)
            continue
        formula = _leading(s, 0, 1).isin(FORMULA_TRIGGERS)
        if formula.any():
            s = s.copy()
            s[formula] = ESCAPE + s[formula]
            out[col] = s
    return out


def csv_unescape_series(series: pd.Series) -> pd.Series:
    """``csv_unescape`` on every cell of a column."""
    if series.dtype != object:
        return series.map(csv_unescape)
    escaped = (_leading(series, 0, 1) == ESCAPE) & _leading(series, 1, 2).isin(FORMULA_TRIGGERS)
    if not escaped.any():
        return series
    series = series.copy()
    series[escaped] = series[escaped].str[1:]
    return series


def make_csv_file_safe(path: Path) -> bool:
    """Escape the text cells of a CSV written without ``write_table`` in place; True when it changed.

    Works on the text so numbers keep their exact formatting; only cells of text columns (by the
    table's schema, or any cell that is not a number when the table is unknown) are touched.
    """
    path = Path(path)
    t = table_for_path(path)
    raw = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    if not rows:
        return False
    header = rows[0]
    text_cols = {i for i, name in enumerate(header)
                 if t is None or (spec := t.column(name)) is None or spec.dtype == "str"}
    changed = False
    for row in rows[1:]:
        for i, cell in enumerate(row):
            if i in text_cols and cell:
                if t is None and _is_number(cell):
                    continue
                new = csv_escape(cell)
                if new != cell:
                    row[i] = new
                    changed = True
    if changed:
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return changed


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------- reading and writing

def read_table(path: str | Path, name: str | None = None) -> pd.DataFrame:
    """Read a table (CSV or Parquet) with its schema's types; CSV text cells are un-escaped.

    ``name`` defaults to the file's stem (``facts.csv`` → facts); a file of no known table (a gold
    file …) is read with the facts/assessments types when its columns fit, else as text.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such table")
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
    elif path.suffix == ".dta":
        df = pd.read_stata(path)
    else:
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        except pd.errors.EmptyDataError:
            df = pd.DataFrame()
        df = df.apply(csv_unescape_series) if len(df.columns) else df
    t = TABLES.get(name or path.stem)
    if t is None:
        t = FACTS if "role" in df.columns else ASSESSMENTS if "kind" in df.columns else None
    return coerce(df, t) if t is not None else df


def write_table(df: pd.DataFrame, path: str | Path, name: str | None = None,
                labels: Mapping[str, str] | None = None, formats: Sequence[str] | None = None) -> list[Path]:
    """Write a table; returns the paths written.

    ``path`` with a suffix (``.csv``, ``.parquet``, ``.dta``) writes that one file; without one it is
    a stem and every format of the table's schema (or ``formats``) is written. CSV: UTF-8, ``\\n``,
    formula-safe text cells; Parquet and Stata keep the exact values. Same table → same bytes.
    """
    path = Path(path)
    t = TABLES.get(name or path.stem)
    if t is not None:
        df = coerce(df, t)
    if path.suffix in (".csv", ".parquet", ".dta"):
        targets = [path]
    else:
        targets = [path.with_name(f"{path.name}.{fmt}") for fmt in (formats or (t.formats if t else ("csv",)))]
    path.parent.mkdir(parents=True, exist_ok=True)
    if labels is None and t is not None:
        labels = {c.name: c.description for c in t.columns}
    for target in targets:
        if target.suffix == ".csv":
            safe = csv_safe(df, t)
            # The csv module quotes a field holding "\n" but not a bare "\r", which readers take
            # for a line end: then every text field is quoted.
            carriage = any(safe[c].map(lambda v: isinstance(v, str) and "\r" in v).any()
                           if safe[c].dtype != object else
                           safe[c].str.contains("\r", regex=False).fillna(False).astype(bool).any()
                           for c in _text_columns(safe, t))
            safe.to_csv(target, index=False, lineterminator="\n", encoding="utf-8", float_format="%.10g",
                        quoting=csv.QUOTE_NONNUMERIC if carriage else csv.QUOTE_MINIMAL)
        elif target.suffix == ".parquet":
            df.reset_index(drop=True).to_parquet(target, index=False, engine="pyarrow")
        else:
            from .export import write_stata

            write_stata(df, target, labels)
    return targets


# ---------------------------------------------------------------- generated documentation

DICTIONARY_PATH = Path(__file__).resolve().parent.parent / "docs" / "data_dictionary.md"
OUTPUTS_README_PATH = Path(__file__).resolve().parent.parent / "outputs" / "README.md"
_TABLE_LIST_START = "<!-- table list: generated by python -m analysis.schema; do not edit by hand -->"
_TABLE_LIST_END = "<!-- end of table list -->"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|")


def data_dictionary() -> str:
    """``docs/data_dictionary.md``: every table, every column."""
    out = ["# Data dictionary", "",
           "Generated from `analysis/schema.py` by `python -m analysis.schema`; do not edit by hand.",
           "Types: `str` text, `int` whole number (empty = missing), `float` number, `bool` true/false.",
           "In CSV files a text cell starting with `=`, `+`, `-`, `@`, tab or CR carries a leading `'`",
           "so spreadsheets never evaluate it (`analysis.schema.read_table` removes it); Parquet and",
           "Stata files hold the exact values (also of text that itself begins with `'` and one of those).", ""]
    for t in TABLES.values():
        out += [f"## `{t.name}`", "", f"One row = {t.row}. Files: "
                + ", ".join(f"`{t.name}.{f}`" for f in t.formats)
                + (f"; written by notebook `{t.written_by}`" if t.written_by else "")
                + (f"; key: {', '.join(f'`{k}`' for k in t.key)}" if t.key else "")
                + (" (not written by every run)" if t.optional else "") + ".", ""]
        if t.columns:
            out += ["| column | type | meaning | allowed values |", "|---|---|---|---|"]
            for c in t.columns:
                meaning = _md(c.description) + ("" if c.required else " *(optional)*")
                out.append(f"| `{c.name}` | {c.dtype} | {meaning} | {', '.join(f'`{a}`' for a in c.allowed)} |")
            out.append("")
        for pattern, template in t.patterns:
            out.append(f"- columns matching `{_md(pattern)}`: {template.dtype}, {_md(template.description)}")
        if t.patterns:
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def outputs_table_list() -> str:
    """The table list for ``outputs/README.md`` (between its two marker comments)."""
    lines = [_TABLE_LIST_START, "", "| file | what a row / the file is |", "|---|---|"]
    for t in TABLES.values():
        files = f"`{t.name}.{t.formats[0]}`" if len(t.formats) == 1 else f"`{t.name}.{{{','.join(t.formats)}}}`"
        lines.append(f"| {files} | one row = {_md(t.row)}{' (not every run)' if t.optional else ''} |")
    for files, what in OTHER_OUTPUTS:
        lines.append(f"| {', '.join(f'`{f}`' for f in files.split(', '))} | {_md(what)} |")
    lines += ["", _TABLE_LIST_END]
    return "\n".join(lines)


def outputs_readme(current: str) -> str:
    """``outputs/README.md`` with its table list replaced by the generated one."""
    start, end = current.find(_TABLE_LIST_START), current.find(_TABLE_LIST_END)
    if start < 0 or end < 0:
        raise ValueError("outputs/README.md lacks the table-list marker comments")
    return current[:start] + outputs_table_list() + current[end + len(_TABLE_LIST_END):]


def write_docs() -> list[Path]:
    """Regenerate ``docs/data_dictionary.md`` and the table list in ``outputs/README.md``."""
    DICTIONARY_PATH.write_text(data_dictionary(), encoding="utf-8")
    OUTPUTS_README_PATH.write_text(outputs_readme(OUTPUTS_README_PATH.read_text(encoding="utf-8")),
                                   encoding="utf-8")
    return [DICTIONARY_PATH, OUTPUTS_README_PATH]


if __name__ == "__main__":
    for p in write_docs():
        print(f"wrote {p}")
