"""Figures: targets vs outcomes, policy emphasis, distinctive terms, commitments.

Every plot function takes one table (a pandas DataFrame), returns a matplotlib ``Figure`` and copes with an
empty table (the axis then says 无数据). Labels are Chinese by default (``lang="en"`` gives English); their
words come from ``analysis/data/figure_strings.csv`` and indicator names from ``analysis/data/codebook.csv``.
Row and column order is fixed by sorting, so the same table always gives the same picture.

Chinese text needs a CJK font: :func:`use_cjk_font` registers the Noto Sans CJK SC file that the ``mplfonts``
package ships (see :mod:`analysis.fonts`). :func:`save_figure` checks that every character of every label has
a glyph in that font (raising ``MissingGlyphError``, a RuntimeError, instead of printing empty boxes) and
writes PNG and SVG files that are byte-identical on reruns.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from . import codebook, fonts
from .periods import parse_period
from .schema import bool_series
from .fonts import MissingGlyphError, check_glyphs, glyph_warnings_as_errors, is_glyph_warning
from .codebook import codebook_frame
from .paths import data_file

__all__ = [
    "MissingGlyphError", "check_glyphs", "figure_texts", "use_cjk_font", "save_figure", "show_saved",
    "plot_gdp_target_vs_outcome", "plot_gap_by_indicator", "plot_targets_across", "plot_outcomes_across",
    "plot_emphasis_heatmap", "plot_distinctive_terms", "plot_commitments_by_area",
]

PNG_DPI = 150
RATE_MEASURE = "growth_pct"
# Colours of a pair's status (colour-blind safe Okabe-Ito hues).
STATUS_COLORS: dict[str, str] = {
    "met": "#009E73", "missed": "#D55E00", "pending": "#999999", "no_target": "#0072B2",
    "not_comparable": "#CC79A7", "qualitative": "#E69F00",
}
STATUS_ORDER = ("met", "missed", "pending", "no_target", "not_comparable", "qualitative")
TARGET_COLOR = "#555555"
HEATMAP_CMAP = "YlGnBu"
# Rows that are progress diagnostics (running sums of a cumulative target), not one result per year.
_DIAGNOSTIC_COMPARISONS = ("running_sum",)


def use_cjk_font() -> str:
    """Register and select the Noto Sans CJK SC font for matplotlib; returns its family name. Idempotent."""
    return fonts.use_cjk_font()


def warm_up() -> None:
    """Load what the first saved figure of a process would: the CJK font's character map (for the glyph
    check) and the font itself (for drawing), a few tenths of a second (``analysis.warmup`` calls it)."""
    use_cjk_font()
    check_glyphs("增速")
    fig = Figure(figsize=(1, 1))
    fig.text(0, 0, "增速 2021")
    fig.draw_without_rendering()


# ---------------------------------------------------------------- words


@lru_cache(maxsize=None)
def _strings() -> dict[str, dict[str, str]]:
    path = data_file("figure_strings.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["key"]: {"zh": r["zh"] or "", "en": r["en"] or ""} for r in rows}


def say(key: str, lang: str = "zh", **fields: object) -> str:
    """The figure text ``key`` in ``lang`` ("zh" or "en"), ``{name}`` placeholders filled from ``fields``."""
    try:
        text = _strings()[key][lang]
    except KeyError as exc:
        raise KeyError(f"no figure text {key!r} in {lang!r} (analysis/data/figure_strings.csv)") from exc
    return text.format(**fields) if fields else text


@lru_cache(maxsize=None)
def _codebook() -> pd.DataFrame:
    return codebook_frame()


def indicator_label(code: str, lang: str = "zh") -> str:
    """Readable name of an indicator code (the codebook's one definition)."""
    return codebook.indicator_label(str(code), lang)


def _indicator_order(code: str) -> int:
    codes = list(_codebook()["code"])
    return codes.index(code) if code in codes else len(codes)


def _labels_for(df: pd.DataFrame, lang: str) -> pd.Series:
    """Indicator label per row: ``indicator_label`` column when given, else codebook, else the raw name."""
    out = df["indicator"].astype(str).map(lambda c: indicator_label(c, lang))
    if "indicator_label" in df.columns:
        given = df["indicator_label"].astype("string").fillna("").str.strip()
        out = given.where(given != "", out)
    if "indicator_name" in df.columns and lang == "zh":
        unknown = ~df["indicator"].astype(str).isin(set(_codebook()["code"]))
        named = df["indicator_name"].astype("string").fillna("").str.strip()
        out = out.where(~(unknown & (named != "")), named)
    return out.astype(str)


# ---------------------------------------------------------------- helpers


def _new_figure(width: float, height: float) -> Figure:
    # Made through pyplot so the notebook's display machinery (inline backend) knows how to show it, then
    # closed at once: pyplot keeps no reference (no memory growth) and a notebook shows it only when the
    # caller displays it (no duplicate picture at the end of the cell). A closed figure still draws and saves.
    fig = plt.figure(figsize=(width, height), layout="constrained")
    plt.close(fig)
    return fig


def _no_data(fig: Figure, title: str, lang: str) -> Figure:
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, say("no_data", lang), ha="center", va="center", fontsize=16, color="#666666",
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    fig.suptitle(title)
    return fig


def _empty_figure(title: str, lang: str) -> Figure:
    return _no_data(_new_figure(6.4, 3.6), title, lang)


def _need(df: pd.DataFrame | None, cols: Sequence[str]) -> pd.DataFrame:
    """A copy of ``df`` with every column of ``cols`` (missing ones added empty)."""
    df = pd.DataFrame() if df is None else df.copy()
    for c in cols:
        if c not in df.columns:
            df[c] = pd.Series(dtype=object, index=df.index)
    return df


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce")


def _str(s: pd.Series) -> pd.Series:
    """Clean text; whole numbers read from CSV as floats (2021.0) are written as integers (2021)."""
    def one(v: object) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()
    return s.map(one).astype(str)


def _period_key(p: str) -> tuple[int, int, str]:
    """Chronological key: year first (2021, 2021Q1, 2021-2025), single years before spans, text last."""
    text = str(p)
    period = parse_period(text)
    return (period.start, int(period.is_span), text) if period else (10**6, 0, text)


def _fmt(v: float) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:g}"


def _rate_rows(tvo: pd.DataFrame) -> pd.DataFrame:
    """Yearly growth rows of a targets-vs-outcomes table, without running-sum diagnostics; text columns cleaned."""
    df = _need(tvo, ["region", "indicator", "measure", "period", "target_period", "comparator",
                     "target_value", "target_value_high", "outcome_value", "gap", "status", "stretch",
                     "comparison"])
    for c in ("region", "indicator", "measure", "period", "target_period", "comparator", "status", "comparison"):
        df[c] = _str(df[c])
    for c in ("target_value", "target_value_high", "outcome_value", "gap"):
        df[c] = _num(df[c])
    df["stretch"] = bool_series(df["stretch"], missing=False)
    # A plan's average-growth target compared with one year's growth (span_year) is a yearly rate pair too.
    yearly = (df["measure"] == RATE_MEASURE) | ((df["measure"] == "avg_growth_pct") & (df["comparison"] == "span_year"))
    df = df[yearly & ~df["comparison"].isin(_DIAGNOSTIC_COMPARISONS)]
    return df.reset_index(drop=True)


def _sorted(df: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    return df.sort_values(list(cols), kind="stable").reset_index(drop=True)


def _status_handles(statuses: Sequence[str], lang: str) -> list[Line2D]:
    return [Line2D([], [], marker="o", linestyle="", color=STATUS_COLORS.get(s, "#000000"),
                   label=say(f"s_{s}", lang) if f"s_{s}" in _strings() else s)
            for s in STATUS_ORDER if s in set(statuses)] + \
        [Line2D([], [], marker="o", linestyle="", color="#000000", label=s)
         for s in sorted(set(statuses) - set(STATUS_ORDER))]


# ---------------------------------------------------------------- targets vs outcomes


def plot_gdp_target_vs_outcome(tvo: pd.DataFrame, lang: str = "zh") -> Figure:
    """GDP growth, target (grey diamond; a range as a bar) vs outcome (dot coloured by status), per region-year.

    Pending targets are drawn as the target alone, labelled 待定; stretch targets (力争) are hollow. Up to
    ``MAX_ONE_AXIS`` region-years share one axis; more are drawn as one panel per region (small multiples),
    so the figure grows by rows rather than into one strip hundreds of inches wide.
    """
    title = say("title_gdp", lang)
    df = _rate_rows(tvo)
    df = df[(df["indicator"] == "gdp") & (df["target_value"].notna() | df["outcome_value"].notna())]
    if df.empty:
        return _empty_figure(title, lang)
    df = df.assign(_pk=df["period"].map(_period_key))
    df = _sorted(df, ["region", "_pk", "stretch", "target_period", "target_value", "outcome_value"])
    keys = list(dict.fromkeys(zip(df["region"], df["period"])))
    regions = list(dict.fromkeys(df["region"]))
    marks = _GdpMarks()
    if len(keys) <= MAX_ONE_AXIS or len(regions) == 1:
        fig = _new_figure(max(6.4, 0.7 * len(keys) + 2.0), 4.8)
        ax = fig.add_subplot()
        marks.draw(ax, df, keys, lang)
        ax.set_xticks(range(len(keys)), [f"{r}\n{p}" for r, p in keys], fontsize=9)
        legend_ax = ax
        ax.set_title(title)
    else:
        widest = max(sum(1 for r, _ in keys if r == region) for region in regions)
        ncols = min(len(regions), 3)
        nrows = math.ceil(len(regions) / ncols)
        fig = _new_figure(ncols * (0.55 * widest + 1.2) + 2.0, nrows * 2.6 + 0.6)
        axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
        for ax, region in zip(axes.flat, regions):
            own = [k for k in keys if k[0] == region]
            marks.draw(ax, df[df["region"] == region], own, lang)
            ax.set_xticks(range(len(own)), [p for _, p in own], fontsize=8, rotation=90)
            ax.set_title(region, fontsize=10)
        for ax in axes[:, 1:].flat:
            ax.set_ylabel("")
        for ax in axes.flat[len(regions):]:
            ax.set_axis_off()
        legend_ax = axes.flat[ncols - 1]
        fig.suptitle(title)
    handles: list = [Line2D([], [], marker="D", linestyle="", color=TARGET_COLOR, label=say("legend_target", lang))]
    if marks.has_range:
        handles.append(Patch(color=TARGET_COLOR, alpha=0.5, label=say("legend_target_range", lang)))
    if marks.has_stretch:
        handles.append(Line2D([], [], marker="D", linestyle="", color=TARGET_COLOR, markerfacecolor="none",
                              label=say("legend_stretch", lang)))
    handles += [Line2D([], [], marker="o", linestyle="", color=h.get_color(),
                       label=f"{say('legend_outcome', lang)}：{h.get_label()}" if lang == "zh"
                       else f"{say('legend_outcome', lang)}: {h.get_label()}")
                for h in _status_handles(marks.statuses, lang)]
    legend_ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    return fig


_MARKERS = ["o", "s", "^", "v", "P", "X", "<", ">", "h", "p", "*", "d"]
MAX_ONE_AXIS = 30  # region-years drawn on one axis; more go into one panel per region


class _GdpMarks:
    """Draws targets and outcomes of region-years on an axis, remembering what the legend must explain."""

    def __init__(self) -> None:
        self.statuses: list[str] = []
        self.has_stretch = self.has_range = False

    def draw(self, ax: Axes, df: pd.DataFrame, keys: list[tuple[str, str]], lang: str) -> None:
        xpos = {k: i for i, k in enumerate(keys)}
        for (region, period), rows in df.groupby(["region", "period"], sort=False):
            x = xpos[(region, period)]
            targets = rows[rows["target_value"].notna()].drop_duplicates(
                ["target_value", "target_value_high", "stretch", "comparator"])
            for j, t in enumerate(targets.itertuples()):
                dx = 0.12 * j
                if t.comparator == "range" and not math.isnan(t.target_value_high):
                    self.has_range = True
                    ax.plot([x - 0.15 + dx] * 2, [t.target_value, t.target_value_high], color=TARGET_COLOR,
                            linewidth=4, alpha=0.5, solid_capstyle="butt")
                self.has_stretch |= bool(t.stretch)
                ax.plot([x - 0.15 + dx], [t.target_value], marker="D", markersize=7, linestyle="",
                        color=TARGET_COLOR, markerfacecolor="none" if t.stretch else TARGET_COLOR)
            outcomes = rows[rows["outcome_value"].notna()].drop_duplicates(["outcome_value", "status"])
            for o in outcomes.itertuples():
                self.statuses.append(o.status)
                ax.plot([x + 0.15], [o.outcome_value], marker="o", markersize=8, linestyle="",
                        color=STATUS_COLORS.get(o.status, "#000000"))
            if outcomes.empty and not targets.empty:
                top = float(np.nanmax(targets[["target_value", "target_value_high"]].to_numpy(dtype=float)))
                ax.annotate(say("s_pending", lang), (x - 0.15, top), xytext=(0, 7), textcoords="offset points",
                            ha="center", fontsize=8, color=STATUS_COLORS["pending"])
        ax.set_xlim(-0.7, len(keys) - 0.3)
        ax.set_ylabel(say("axis_growth", lang))
        ax.axhline(0, color="#bbbbbb", linewidth=0.8, zorder=0)
        ax.grid(axis="y", color="#eeeeee")
        ax.set_axisbelow(True)


def plot_gap_by_indicator(tvo: pd.DataFrame, lang: str = "zh") -> Figure:
    """Outcome − target in percentage points for growth rates, per indicator.

    One dot per region-year pair with a gap: colour = status, marker shape = region (hollow = stretch target).
    """
    title = say("title_gap", lang)
    df = _rate_rows(tvo)
    df = df[df["gap"].notna()]
    if df.empty:
        return _empty_figure(title, lang)
    df = df.assign(_label=_labels_for(df, lang), _io=df["indicator"].map(_indicator_order),
                   _pk=df["period"].map(_period_key))
    df = _sorted(df, ["_io", "indicator", "region", "_pk", "stretch", "gap"])
    indicators = list(dict.fromkeys(zip(df["indicator"], df["_label"])))
    ypos = {code: i for i, (code, _) in enumerate(indicators)}
    regions = sorted(df["region"].unique())
    # A marker per region while there are few enough to tell apart; beyond that one marker, no region legend.
    by_region = len(regions) <= len(_MARKERS)
    rmark = {r: _MARKERS[i] if by_region else "o" for i, r in enumerate(regions)}
    # Spread the dots of one indicator vertically by region, so overlapping values stay visible.
    offsets = np.linspace(-0.25, 0.25, len(regions)) if len(regions) > 1 else np.zeros(1)
    roff = dict(zip(regions, offsets))
    fig = _new_figure(8.0, max(3.2, 0.55 * len(indicators) + 1.8))
    ax = fig.add_subplot()
    df = df.assign(_y=df["indicator"].map(ypos) + df["region"].map(roff), _m=df["region"].map(rmark))
    # One call per marker, status and fill: a corpus has hundreds of thousands of pairs.
    for (marker, status, stretch), dots in df.groupby(["_m", "status", "stretch"], sort=True):
        ax.plot(dots["gap"].to_numpy(float), dots["_y"].to_numpy(float), marker=marker, linestyle="",
                markersize=7, color=STATUS_COLORS.get(status, "#000000"), alpha=0.85,
                markerfacecolor="none" if stretch else None)
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_yticks(range(len(indicators)), [lab for _, lab in indicators])
    ax.set_ylim(len(indicators) - 0.5, -0.5)
    ax.set_xlabel(say("axis_gap_rate", lang))
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    handles = _status_handles(list(df["status"]), lang)
    if 1 < len(regions) and by_region:
        handles += [Line2D([], [], marker=rmark[r], linestyle="", color="#444444", markerfacecolor="none", label=r)
                    for r in regions]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    ax.set_title(title)
    return fig


def _across(table: pd.DataFrame, value_col: str, period_col: str, title: str, lang: str) -> Figure:
    """One annotated heatmap per indicator (the ``MAX_HEATMAPS`` with the most cells): regions (rows) ×
    periods (columns)."""
    if table.empty:
        return _empty_figure(title, lang)
    table = table.assign(_label=_labels_for(table, lang), _io=table["indicator"].map(_indicator_order))
    # The indicators with the most cells, at most MAX_HEATMAPS of them, in the codebook's order.
    counts = table.groupby(["_io", "indicator"]).size().reset_index(name="n")
    counts = counts.sort_values(["n", "_io", "indicator"], ascending=[False, True, True], kind="stable")
    most = set(counts["indicator"][:MAX_HEATMAPS])
    table = table[table["indicator"].isin(most)]
    ordered = _sorted(table, ["_io", "indicator"])
    indicators = list(dict.fromkeys(zip(ordered["indicator"], ordered["_label"])))
    periods = sorted(table[period_col].unique(), key=_period_key)
    regions = sorted(table["region"].unique())
    n = len(indicators)
    ncols = min(n, 3)
    nrows = math.ceil(n / ncols)
    cell_w, cell_h = 0.75, 0.38
    width = max(6.4, ncols * (len(periods) * cell_w + 2.2))
    height = max(3.0, nrows * (len(regions) * cell_h + 1.2) + 0.6)
    fig = _new_figure(width, height)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    values = table[value_col].to_numpy(dtype=float)
    vmin, vmax = float(np.nanmin(values)), float(np.nanmax(values))
    if vmin == vmax:
        vmin, vmax = vmin - 1, vmax + 1
    cmap = matplotlib.colormaps[HEATMAP_CMAP]
    image = None
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_axis_off()
            continue
        code, label = indicators[k]
        sub = table[table["indicator"] == code]
        grid = sub.pivot_table(index="region", columns=period_col, values=value_col, aggfunc="first")
        grid = grid.reindex(index=regions, columns=periods)
        data = grid.to_numpy(dtype=float)
        image = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                v = data[i, j]
                if not math.isnan(v):
                    shade = (v - vmin) / (vmax - vmin)
                    ax.text(j, i, _fmt(v), ha="center", va="center", fontsize=8,
                            color="white" if shade > 0.6 else "black")
        ax.set_xticks(range(len(periods)), periods, fontsize=8)
        ax.set_yticks(range(len(regions)), regions, fontsize=8)
        ax.set_title(label, fontsize=10)
        ax.set_facecolor("#f4f4f4")
        ax.tick_params(length=0)
    if image is not None:
        fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label=say("axis_growth", lang))
    fig.suptitle(title)
    return fig


def plot_targets_across(tvo: pd.DataFrame, lang: str = "zh") -> Figure:
    """Growth targets (%) by region × target year, one annotated heatmap per indicator (stretch targets left out)."""
    title = say("title_targets", lang)
    df = _rate_rows(tvo)
    df = df[df["target_value"].notna() & ~df["stretch"]]
    df = df.assign(_tp=df["target_period"].where(df["target_period"] != "", df["period"]))
    df = df.assign(_pk=df["_tp"].map(_period_key))
    df = _sorted(df, ["region", "indicator", "_pk", "target_value"]).drop_duplicates(["region", "indicator", "_tp"])
    return _across(df, "target_value", "_tp", title, lang)


def plot_outcomes_across(tvo: pd.DataFrame, lang: str = "zh") -> Figure:
    """Growth outcomes (%) by region × year, one annotated heatmap per indicator."""
    title = say("title_outcomes", lang)
    df = _rate_rows(tvo)
    df = df[df["outcome_value"].notna() & (df["period"] != "")]
    df = df.assign(_pk=df["period"].map(_period_key))
    df = _sorted(df, ["region", "indicator", "_pk", "outcome_value"]).drop_duplicates(["region", "indicator", "period"])
    return _across(df, "outcome_value", "period", title, lang)


# ---------------------------------------------------------------- text measures


def plot_emphasis_heatmap(emphasis: pd.DataFrame, lang: str = "zh") -> Figure:
    """Policy area × document heatmap of mentions per 10,000 characters, each cell annotated."""
    title = say("title_emphasis", lang)
    df = _need(emphasis, ["doc_id", "region", "report_year", "area", "per_10k"])
    for c in ("doc_id", "region", "area"):
        df[c] = _str(df[c])
    df["report_year"] = _str(df["report_year"])
    df["per_10k"] = _num(df["per_10k"])
    df = df[(df["area"] != "") & (df["doc_id"] != "")]
    if df.empty:
        return _empty_figure(title, lang)
    docs = _sorted(df[["doc_id", "region", "report_year"]].drop_duplicates("doc_id"),
                   ["region", "report_year", "doc_id"])
    labels = [f"{r.region} {r.report_year}".strip() for r in docs.itertuples()]
    dup = {lab for lab in labels if labels.count(lab) > 1}
    labels = [f"{lab} ({d})" if lab in dup else lab for lab, d in zip(labels, docs["doc_id"])]
    areas = sorted(df["area"].unique())
    grid = df.pivot_table(index="area", columns="doc_id", values="per_10k", aggfunc="sum")
    data = grid.reindex(index=areas, columns=list(docs["doc_id"])).to_numpy(dtype=float)
    fig = _new_figure(max(6.4, 0.8 * len(labels) + 3.0), max(3.2, 0.42 * len(areas) + 2.0))
    ax = fig.add_subplot()
    finite = data[~np.isnan(data)]
    vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    image = ax.imshow(np.ma.masked_invalid(data), cmap=HEATMAP_CMAP, vmin=0, vmax=vmax, aspect="auto")
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            if not math.isnan(v):
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=8,
                        color="white" if v / vmax > 0.6 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", rotation_mode="anchor", fontsize=9)
    ax.set_yticks(range(len(areas)), areas, fontsize=9)
    ax.tick_params(length=0)
    ax.set_facecolor("#f4f4f4")
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title(title)
    return fig


def plot_distinctive_terms(distinctive: pd.DataFrame, top_n: int = 10, lang: str = "zh") -> Figure:
    """The ``top_n`` terms with the highest z-score per region, one horizontal bar panel per region."""
    title = say("title_distinctive", lang)
    df = _need(distinctive, ["region", "term", "count", "zscore"])
    df["region"], df["term"] = _str(df["region"]), _str(df["term"])
    df["zscore"] = _num(df["zscore"])
    df = df[df["zscore"].notna() & (df["term"] != "")]
    if df.empty or top_n <= 0:
        return _empty_figure(title, lang)
    df = df.assign(_neg=-df["zscore"])
    df = _sorted(df, ["region", "_neg", "term"]).groupby("region", sort=True).head(top_n)
    regions = sorted(df["region"].unique())
    longest = int(df.groupby("region").size().max())
    ncols = min(len(regions), 3)
    nrows = math.ceil(len(regions) / ncols)
    fig = _new_figure(max(6.4, 3.4 * ncols), max(3.0, nrows * (0.3 * longest + 1.0) + 0.6))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k >= len(regions):
            ax.set_axis_off()
            continue
        sub = df[df["region"] == regions[k]]
        y = np.arange(len(sub))
        ax.barh(y, sub["zscore"], color="#0072B2")
        ax.set_yticks(y, list(sub["term"]), fontsize=9)
        ax.set_ylim(longest - 0.5, -0.5)
        ax.set_title(regions[k], fontsize=10)
        ax.set_xlabel(say("axis_zscore", lang), fontsize=9)
        ax.axvline(0, color="#666666", linewidth=0.6)
    fig.suptitle(title)
    return fig


def plot_commitments_by_area(commitments: pd.DataFrame, lang: str = "zh") -> Figure:
    """Number of commitments per policy area (areas sorted by total, largest on top).

    Bars are split into quantitative and qualitative commitments when the table has ``quantitative`` and
    ``qualitative`` count columns, else stacked by region.
    """
    title = say("title_commitments", lang)
    df = _need(commitments, ["doc_id", "region", "report_year", "area", "commitments"])
    df["region"], df["area"] = _str(df["region"]), _str(df["area"])
    df["commitments"] = _num(df["commitments"]).fillna(0)
    df = df[df["area"] != ""]
    if df.empty or df["commitments"].sum() == 0:
        return _empty_figure(title, lang)
    if {"quantitative", "qualitative"} <= set(df.columns):
        parts = df.groupby("area")[["quantitative", "qualitative"]].sum(numeric_only=False)
        grid = parts.apply(_num).fillna(0)
        grid.columns = [say("legend_quantitative", lang), say("legend_qualitative", lang)]
    else:
        grid = df.pivot_table(index="area", columns="region", values="commitments", aggfunc="sum", fill_value=0)
        grid = grid.reindex(columns=sorted(grid.columns))
    totals = grid.sum(axis=1)
    order = sorted(grid.index, key=lambda a: (-totals[a], a))
    grid = grid.reindex(index=order)
    fig = _new_figure(8.0, max(3.0, 0.4 * len(order) + 1.8))
    ax = fig.add_subplot()
    y = np.arange(len(order))
    left = np.zeros(len(order))
    palette = matplotlib.colormaps["tab10"].colors + matplotlib.colormaps["Set3"].colors
    for i, region in enumerate(grid.columns):
        vals = grid[region].to_numpy(dtype=float)
        ax.barh(y, vals, left=left, color=palette[i % len(palette)], label=region or "—")
        left += vals
    for yi, total in zip(y, left):
        ax.text(total, yi, f" {total:g}", va="center", fontsize=8)
    ax.set_yticks(y, order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlabel(say("axis_commitments", lang))
    ax.set_xlim(0, float(left.max()) * 1.12)
    if len(grid.columns) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    ax.set_title(title)
    return fig


# ---------------------------------------------------------------- saving


def figure_texts(fig: Figure) -> list[str]:
    """Every non-empty string drawn in ``fig`` (titles, labels, tick labels, legends, annotations)."""
    seen: list[str] = []
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if text and artist.get_visible():
            seen.append(text)
    return seen


def save_figure(fig: Figure, out_dir: Path | str, name: str) -> list[Path]:
    """Write ``out_dir/name.png`` (150 dpi) and ``out_dir/name.svg``; reruns give byte-identical files.

    Every text of the figure is checked against the CJK font first (``MissingGlyphError``, a RuntimeError,
    when a character would print as an empty box), and matplotlib's own missing-glyph warning is an error
    while drawing. The figure is left open for the caller to display.
    """
    use_cjk_font()  # also fixes svg.hashsalt / svg.fonttype for reproducible SVG
    out = Path(out_dir)
    check_glyphs(figure_texts(fig))  # before drawing: titles, labels, annotations
    engine = fig.get_layout_engine()
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    try:
        with glyph_warnings_as_errors():
            # Drawing the PNG lays the figure out and fills its tick labels; that layout then serves the
            # SVG too (a separate layout pass before the first file cost a third of the time).
            _save_png(fig, paths[0])
            try:
                check_glyphs(figure_texts(fig))  # tick labels too, now that they are filled
            except MissingGlyphError:
                paths[0].unlink(missing_ok=True)
                raise
            if engine is not None:
                fig.set_layout_engine("none")
            fig.savefig(paths[1], format="svg", metadata={"Date": None, "Creator": None})
    except UserWarning as exc:
        paths[0].unlink(missing_ok=True)
        if is_glyph_warning(exc):
            raise MissingGlyphError(f"figure {name!r}: {exc}") from exc
        raise
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    return paths


def _save_png(fig: Figure, path: Path) -> None:
    """The figure as an RGB PNG at ``PNG_DPI``. Figures are opaque, and an alpha channel would only cost
    every reader of the file (WeasyPrint decodes and re-encodes it, and a mask beside it, for the PDF)."""
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="raw", dpi=PNG_DPI)
    # Agg draws a canvas of the figure's size in inches times the dpi, each side truncated.
    width, height = int(fig.get_figwidth() * PNG_DPI), int(fig.get_figheight() * PNG_DPI)
    if width * height * 4 != buffer.getbuffer().nbytes:  # not Agg's canvas: let matplotlib write it
        fig.savefig(path, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return
    image = Image.frombuffer("RGBA", (width, height), buffer.getbuffer(), "raw", "RGBA", 0, 1).convert("RGB")
    image.save(path, format="png", dpi=(PNG_DPI, PNG_DPI))


def show_saved(paths: Sequence[Path]) -> object:
    """The saved PNG of ``save_figure(...)`` for a notebook to display.

    Showing the file already written costs nothing; displaying the Figure itself would draw it once more
    (and with ``MPLBACKEND=Agg`` show only its text description).
    """
    from IPython.display import Image

    return Image(filename=str(next(p for p in paths if Path(p).suffix == ".png")))



# ---------------------------------------------------------------- many regions

LEVEL_ORDER = ("national", "province", "prefecture", "county_city", "district", "county")
LEVEL_COLORS = {"national": "#000000", "province": "#1b6ca8", "prefecture": "#e08a1e", "county_city": "#8c6bb1",
                "district": "#3a923a", "county": "#b5473a", "unknown": "#888888"}
MAX_REGIONS = 12  # per-region figures show at most this many regions (those with the most data)
MAX_PANELS = 36  # small multiples: at most this many provinces
MAX_WIDTH = 18.0  # inches: a distribution over decades of years is squeezed to this width
MAX_PERIODS = 8  # per-region figures show at most this many years (the latest)
MAX_HEATMAPS = 9  # heatmaps of targets and outcomes: the indicators with the most cells


def level_from_name(region: object) -> str:
    """A region's level guessed from its name's suffix, for tables without a ``level`` column."""
    name = "" if region is None or (isinstance(region, float) and math.isnan(region)) else str(region)
    if name in ("北京市", "上海市", "天津市", "重庆市") or name.endswith(("省", "自治区")):
        return "province"
    if name.endswith("区"):
        return "district"
    if name.endswith(("县", "旗")):
        return "county"
    if name.endswith(("市", "州", "盟")):
        return "prefecture"
    return "unknown"


def with_levels(tvo: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """``tvo`` with ``level`` and ``parent`` per row: from the documents table (joined on the target's,
    else the outcome's document) when it has them, else the level from the region's name and no parent."""
    df = tvo.copy()
    doc = _str(df["target_doc"]) if "target_doc" in df.columns else pd.Series("", index=df.index)
    if "outcome_doc" in df.columns:
        doc = doc.where(doc != "", _str(df["outcome_doc"]).str.split(";").str[0])
    level = pd.Series("", index=df.index, dtype=object)
    parent = pd.Series("", index=df.index, dtype=object)
    if documents is not None and "doc_id" in documents.columns:
        d = documents.drop_duplicates("doc_id").set_index("doc_id")
        if "level" in d.columns:
            level = doc.map(_str(d["level"])).fillna("")
        if "parent" in d.columns:
            parent = doc.map(_str(d["parent"])).fillna("")
    guessed = df["region"].map(level_from_name)
    df["level"] = level.where(level != "", guessed)
    df["parent"] = parent
    return df


def top_regions(table: pd.DataFrame, n: int = MAX_REGIONS) -> list[str]:
    """The ``n`` regions with the most rows (ties by name): who a per-region figure shows."""
    counts = _str(table["region"]).value_counts()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [r for r, _ in ranked[:n]]


def limit_regions(table: pd.DataFrame, n: int = MAX_REGIONS) -> pd.DataFrame:
    """Rows of the ``n`` regions with the most rows (all rows when there are at most ``n`` regions)."""
    if table is None or table.empty or "region" not in table.columns or table["region"].nunique() <= n:
        return table
    return table[_str(table["region"]).isin(top_regions(table, n))]


def limit_periods(table: pd.DataFrame, n: int = MAX_PERIODS) -> pd.DataFrame:
    """Rows whose ``period`` starts in one of the ``n`` latest years of the table (all rows when it spans at
    most ``n`` years; rows without a readable period are dropped only when others are)."""
    if table is None or table.empty or "period" not in table.columns:
        return table
    period = _str(table["period"])
    starts = period.map(lambda p: _period_key(p)[0])
    years = sorted(set(starts) - {10**6})
    if len(years) <= n:
        return table
    return table[starts.isin(years[-n:])]


def _gdp_own_year(tvo: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """GDP growth pairs of a year's own (base) target, with levels; periods as integer years."""
    df = _rate_rows(tvo)
    df = df[(df["indicator"] == "gdp") & (df["period"] == df["target_period"]) & ~df["stretch"]
            & df["period"].str.fullmatch(r"\d{4}")]
    if df.empty:
        return df.assign(level=[], parent=[], year=[])
    return with_levels(df, documents).assign(year=lambda d: d["period"].astype(int))


def plot_target_distribution(tvo: pd.DataFrame, documents: pd.DataFrame | None = None, lang: str = "zh") -> Figure:
    """GDP growth targets by year, one box per level and year (median, quartiles, 5–95 % whiskers)."""
    title = say("title_target_distribution", lang)
    df = _gdp_own_year(tvo, documents)
    df = df[df["target_value"].notna()].drop_duplicates(["region", "period", "target_value"])
    if df.empty:
        return _empty_figure(title, lang)
    levels = [lv for lv in (*LEVEL_ORDER, "unknown") if lv in set(df["level"])]
    years = sorted(df["year"].unique())
    # Narrower boxes beyond a page's width: decades of years stay on one readable axis.
    fig = _new_figure(min(MAX_WIDTH, max(6.4, 0.5 * len(years) * max(1, len(levels)) ** 0.5 + 2.5)), 4.8)
    ax = fig.add_subplot()
    width = 0.8 / len(levels)
    for k, lv in enumerate(levels):
        sub = df[df["level"] == lv]
        data = [sub.loc[sub["year"] == y, "target_value"].to_numpy(dtype=float) for y in years]
        pos = [i - 0.4 + width * (k + 0.5) for i in range(len(years))]
        keep = [j for j, d in enumerate(data) if len(d)]
        if not keep:
            continue
        ax.boxplot([data[j] for j in keep], positions=[pos[j] for j in keep], widths=width * 0.9,
                   whis=(5, 95), showfliers=False, patch_artist=True,
                   boxprops={"facecolor": LEVEL_COLORS[lv], "alpha": 0.6}, medianprops={"color": "#000000"})
    ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=8, rotation=90 if len(years) > 15 else 0)
    ax.set_xlim(-0.6, len(years) - 0.4)
    ax.set_ylabel(say("axis_growth", lang))
    ax.grid(axis="y", color="#eeeeee")
    ax.set_axisbelow(True)
    handles = [Patch(color=LEVEL_COLORS[lv], alpha=0.6,
                     label=f"{say(f'level_{lv}', lang)} ({int((df['level'] == lv).sum())})") for lv in levels]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    ax.set_title(title)
    return fig


def plot_target_vs_outcome_by_level(tvo: pd.DataFrame, documents: pd.DataFrame | None = None,
                                    lang: str = "zh") -> Figure:
    """GDP growth outcome against the year's target, one panel per level; on or above the diagonal = met."""
    title = say("title_target_vs_outcome_by_level", lang)
    df = _gdp_own_year(tvo, documents)
    df = df[df["target_value"].notna() & df["outcome_value"].notna() & df["status"].isin(["met", "missed"])]
    if df.empty:
        return _empty_figure(title, lang)
    levels = [lv for lv in (*LEVEL_ORDER, "unknown") if lv in set(df["level"])]
    ncols = min(3, len(levels))
    nrows = math.ceil(len(levels) / ncols)
    fig = _new_figure(3.6 * ncols + 0.4, 3.4 * nrows + 0.6)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    # Axes span the 1st–99th percentiles: one misread value (a level taken for a rate) must not squash the
    # cloud into a corner; points outside are drawn on the edge (clipped), and still counted in the titles.
    values = df[["target_value", "outcome_value"]].to_numpy(dtype=float).ravel()
    low, high = (float(v) for v in np.nanpercentile(values, [1, 99]))
    pad = max(0.5, 0.05 * (high - low))
    low, high = low - pad, high + pad
    df = df.assign(target_value=df["target_value"].clip(low, high), outcome_value=df["outcome_value"].clip(low, high))
    for k, ax in enumerate(axes.flat):
        if k >= len(levels):
            ax.set_visible(False)
            continue
        sub = df[df["level"] == levels[k]]
        for status in ("met", "missed"):
            s = sub[sub["status"] == status]
            ax.scatter(s["target_value"], s["outcome_value"], s=8, alpha=0.5, color=STATUS_COLORS[status],
                       linewidths=0, label=say(f"s_{status}", lang))
        ax.plot([low, high], [low, high], color="#999999", linewidth=0.8)
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
        met = int((sub["status"] == "met").sum())
        ax.set_title(f"{say(f'level_{levels[k]}', lang)}: {met}/{len(sub)} {say('s_met', lang)}", fontsize=10)
        ax.grid(color="#eeeeee")
        ax.set_axisbelow(True)
    for ax in axes[-1]:
        ax.set_xlabel(say("axis_target", lang))
    for ax in axes[:, 0]:
        ax.set_ylabel(say("axis_outcome", lang))
    axes.flat[0].legend(loc="upper left", fontsize=8, frameon=False)
    fig.suptitle(title)
    return fig


def plot_gdp_by_province(tvo: pd.DataFrame, documents: pd.DataFrame | None = None, lang: str = "zh") -> Figure:
    """Small multiples, one panel per province: the median GDP growth target and outcome by year of the
    province itself and the governments below it (``parent``). Needs the documents table's ``parent``."""
    title = say("title_gdp_by_province", lang)
    df = _gdp_own_year(tvo, documents)
    if df.empty or not (df["parent"] != "").any():
        return _empty_figure(title, lang)
    df = df.assign(province=df["region"].where(df["level"] == "province", df["parent"]))
    df = df[(df["province"] != "") & (df["province"] != "中国")]
    provinces = sorted(df["province"].unique(), key=lambda p: (-int((df["province"] == p).sum()), p))[:MAX_PANELS]
    if not provinces:
        return _empty_figure(title, lang)
    provinces = sorted(provinces)
    ncols = min(6, len(provinces))
    nrows = math.ceil(len(provinces) / ncols)
    fig = _new_figure(2.2 * ncols + 0.6, 1.9 * nrows + 0.9)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    for k, ax in enumerate(axes.flat):
        if k >= len(provinces):
            ax.set_visible(False)
            continue
        sub = df[df["province"] == provinces[k]]
        t = sub.dropna(subset=["target_value"]).groupby("year")["target_value"].median()
        o = sub.dropna(subset=["outcome_value"]).groupby("year")["outcome_value"].median()
        ax.plot(t.index, t.to_numpy(), color=TARGET_COLOR, linewidth=1.2, marker="D", markersize=2.5)
        ax.plot(o.index, o.to_numpy(), color=STATUS_COLORS["met"], linewidth=1.2, marker="o", markersize=2.5)
        ax.set_title(f"{provinces[k]} ({sub['region'].nunique()})", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(color="#eeeeee")
    handles = [Line2D([], [], color=TARGET_COLOR, marker="D", label=say("legend_target_median", lang)),
               Line2D([], [], color=STATUS_COLORS["met"], marker="o", label=say("legend_outcome_median", lang))]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=9, frameon=False)
    fig.suptitle(title)
    return fig


def emphasis_by_year(emphasis: pd.DataFrame) -> pd.DataFrame:
    """Emphasis averaged over the reports of each year (one column per year in the heatmap), for a
    corpus with too many reports to draw one column each."""
    df = emphasis.assign(per_10k=pd.to_numeric(emphasis["per_10k"], errors="coerce"),
                         report_year=pd.to_numeric(emphasis["report_year"], errors="coerce"))
    df = df.dropna(subset=["report_year"])
    out = df.groupby(["report_year", "area"], sort=True)["per_10k"].mean().round(3).reset_index()
    year = out["report_year"].astype(int).astype(str)
    return out.assign(doc_id=year, region="", report_year=year)


def regions_as_levels(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``table`` with each region replaced by its level's label (from the name), so a figure stacked
    by region shows a handful of levels instead of thousands of regions."""
    return table.assign(region=table["region"].map(lambda r: say(f"level_{level_from_name(r)}", lang)))
