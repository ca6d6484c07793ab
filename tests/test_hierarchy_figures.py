"""Hierarchy figures: drawn and saved on small tables and on nothing; years are whole numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from analysis import figures, hierarchy_figures


def _pairs() -> pd.DataFrame:
    rows = [{"indicator": "gdp", "measure": "growth_pct", "level_pair": "prefecture/province", "period": str(y),
             "region": f"市{i}", "escalation": 0.5 * i} for y in (2019, 2020, 2021) for i in range(3)]
    return pd.DataFrame(rows)


def _tick_labels(fig: Figure, axis: str = "x") -> list[str]:
    fig.draw_without_rendering()
    ax = fig.axes[0]
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in ticks if t.get_text()]


def test_level_means_have_whole_years(tmp_path: Path) -> None:
    means = pd.DataFrame({"level": ["district", "district", "province", "province"],
                          "year": [2021, 2022, 2021, 2022], "mean": [4.0, 5.75, 6.0, 5.5]})
    fig = hierarchy_figures.plot_level_means(means)
    labels = _tick_labels(fig)
    assert labels and all(t.replace("−", "-").lstrip("-").isdigit() for t in labels), labels
    assert [p.suffix for p in figures.save_figure(fig, tmp_path, "means")] == [".png", ".svg"]


def test_difference_by_year_has_one_box_per_year(tmp_path: Path) -> None:
    fig = hierarchy_figures.plot_difference_by_year(_pairs())
    assert _tick_labels(fig) == ["2019", "2020", "2021"]
    figures.save_figure(fig, tmp_path, "by_year")


def test_every_hierarchy_figure_on_nothing_says_so(tmp_path: Path) -> None:
    for fig in (hierarchy_figures.plot_difference_by_year(pd.DataFrame()),
                hierarchy_figures.plot_level_means(pd.DataFrame()),
                hierarchy_figures.plot_gap_histogram([])):
        texts = figures.figure_texts(fig)
        assert any("无数据" in t for t in texts), texts
        figures.save_figure(fig, tmp_path, "empty")


def test_gap_histogram_draws_bars_on_both_sides_of_zero(tmp_path: Path) -> None:
    fig = hierarchy_figures.plot_gap_histogram([-0.4, -0.1, 0.0, 0.05, 0.3, 1.2])
    bars = [p for p in fig.axes[0].patches if p.get_height() > 0 and p.get_width() < 1]
    assert any(b.get_x() < 0 for b in bars) and any(b.get_x() >= 0 for b in bars)
    figures.save_figure(fig, tmp_path, "gaps")
