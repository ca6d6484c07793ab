"""Figures for the hierarchy findings: lower-minus-upper targets by year, averages by level, the gap histogram.

Each function takes a table from :mod:`analysis.hierarchy` and returns a matplotlib Figure; words come
from ``data/report_strings.csv`` (keys ``fig_hierarchy_*`` and ``figlabel_*``). Save with
``figures.save_figure``, which checks every glyph against the CJK font.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import hierarchy
from .figures import _empty_figure, _new_figure, use_cjk_font
from .report import say

LEVEL_COLOURS = {"national": "#333333", "province": "#1f77b4", "prefecture": "#d62728", "district": "#2ca02c",
                 "county": "#9467bd", "county_city": "#8c564b"}


def _level(level: str, lang: str) -> str:
    try:
        return say(f"level_{level}", lang)
    except KeyError:
        return level


def plot_difference_by_year(pairs: pd.DataFrame, level_pair: str = "prefecture/province", indicator: str = "gdp",
                            measure: str = "growth_pct", lang: str = "zh") -> Figure:
    """Escalation (lower minus upper target) of one level pair, one box and its points per year, a line at 0."""
    use_cjk_font()
    title = say("fig_hierarchy_difference_by_year", lang)
    if pairs is None or pairs.empty:
        return _empty_figure(title, lang)
    p = pairs[(pairs["indicator"] == indicator) & (pairs["measure"] == measure) & (pairs["level_pair"] == level_pair)]
    if p.empty:
        return _empty_figure(title, lang)
    years = sorted(p["period"].astype(int).unique())
    data = [p.loc[p["period"].astype(int) == y, "escalation"].astype(float).to_numpy() for y in years]
    fig = _new_figure(max(6.4, 0.45 * len(years) + 2.5), 4.2)
    ax = fig.add_subplot()
    ax.axhline(0, color="#888888", linewidth=1)
    ax.boxplot(data, positions=range(len(years)), widths=0.6, showfliers=False)
    rng = np.random.default_rng(hierarchy.BOOTSTRAP_SEED)  # deterministic jitter: reruns give identical files
    for i, values in enumerate(data):
        ax.scatter(i + rng.uniform(-0.18, 0.18, len(values)), values, s=10, alpha=0.6, color="#d62728")
    ax.set_xticks(range(len(years)), [str(y) for y in years], rotation=45)
    ax.set_xlabel(say("figlabel_year", lang))
    ax.set_ylabel(say("figlabel_difference", lang))
    lower, upper = level_pair.split("/")
    fig.suptitle(f"{title}（{_level(lower, lang)} − {_level(upper, lang)}）" if lang == "zh"
                 else f"{title} ({_level(lower, lang)} − {_level(upper, lang)})")
    return fig


def plot_level_means(means: pd.DataFrame, lang: str = "zh") -> Figure:
    """Mean annual growth target per level and year: one line each for the nation, provinces, prefectures..."""
    use_cjk_font()
    title = say("fig_hierarchy_level_means", lang)
    if means is None or means.empty:
        return _empty_figure(title, lang)
    fig = _new_figure(7.2, 4.2)
    ax = fig.add_subplot()
    for level in [lv for lv in hierarchy.LEVELS if lv in set(means["level"])]:
        m = means[means["level"] == level].sort_values("year")
        ax.plot(m["year"], m["mean"], marker="o", markersize=3, color=LEVEL_COLOURS.get(level),
                label=_level(level, lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, never 2021.2
    ax.set_xlabel(say("figlabel_year", lang))
    ax.set_ylabel(say("figlabel_mean_target", lang))
    ax.legend()
    fig.suptitle(title)
    return fig


def plot_gap_histogram(gaps: pd.Series | list, bin_width: float = hierarchy.HISTOGRAM_BIN, limit: float = 3.0,
                       band: float = hierarchy.BUNCHING_BAND, lang: str = "zh") -> Figure:
    """Outcome minus target in bins of ``bin_width`` with an edge at 0; the two test bands shaded."""
    use_cjk_font()
    title = say("fig_hierarchy_gap_histogram", lang)
    hist = hierarchy.gap_histogram(list(gaps), bin_width=bin_width, limit=limit)
    if hist["count"].sum() == 0:
        return _empty_figure(title, lang)
    fig = _new_figure(7.2, 4.2)
    ax = fig.add_subplot()
    ax.axvspan(-band, band, color="#f2e6b3", alpha=0.6, label=say("figlabel_band", lang, band=band))
    colours = ["#1f77b4" if s >= 0 else "#d62728" for s in hist["bin_start"]]
    ax.bar(hist["bin_start"], hist["count"], width=bin_width, align="edge", color=colours, edgecolor="white")
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_xlabel(say("figlabel_gap", lang))
    ax.set_ylabel(say("figlabel_count", lang))
    ax.legend()
    fig.suptitle(title)
    return fig
