"""Figures: the CJK font, reproducible files, loud failure on missing glyphs, every plot on data and on nothing."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis import figures, fonts  # noqa: E402

DATA = Path(__file__).parent / "data"

TVO_COLUMNS = ["region", "indicator", "measure", "period", "target_period", "comparator", "target_value",
               "outcome_value", "gap", "status", "report_assessment", "target_quote", "outcome_quote"]


def _tvo() -> pd.DataFrame:
    rows = [
        ("荔湾区", "gdp", "growth_pct", "2021", "2021", "approx", 6.0, 7.2, 1.2, "met", "高于预期1.2个百分点",
         "地区生产总值增长6%左右", "地区生产总值增长7.2%"),
        ("荔湾区", "gdp", "growth_pct", "2022", "2022", "at_least", 6.0, 2.1, -3.9, "missed", "",
         "增长6%以上", "增长2.1%"),
        ("荔湾区", "gdp", "growth_pct", "2023", "2023", "approx", 5.0, None, None, "pending", "", "增长5%左右", ""),
        ("越秀区", "gdp", "growth_pct", "2021", "2021", "range", 6.0, 8.0, 2.0, "met", "", "增长6%—7%", "增长8%"),
        ("越秀区", "gdp", "growth_pct", "2022", "", "", None, 1.5, None, "no_target", "", "", "增长1.5%"),
        ("越秀区", "retail_sales", "growth_pct", "2021", "2021", "approx", 8.0, 10.0, 2.0, "met", "", "社零增长8%",
         "社零增长10%"),
        ("荔湾区", "retail_sales", "growth_pct", 2022.0, 2022.0, "approx", 7.0, 3.0, -4.0, "missed", "", "", ""),
        ("荔湾区", "new_jobs", "count", "2021", "2021", "at_least", 2.0, 2.5, 0.5, "met", "", "新增就业2万人", ""),
    ]
    df = pd.DataFrame(rows, columns=TVO_COLUMNS)
    df["target_value_high"] = [None, None, None, 7.0, None, None, None, None]
    return df


def _emphasis() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d1", "d1", "d2", "d2", "d3"],
        "region": ["荔湾区", "荔湾区", "越秀区", "越秀区", "荔湾区"],
        "report_year": [2022, 2022, 2022, 2022, 2023],
        "area": ["营商环境", "民生保障", "营商环境", "民生保障", "营商环境"],
        "per_10k": [12.5, 3.25, 8.0, 9.0, 0.0],
    })


def _distinctive() -> pd.DataFrame:
    return pd.DataFrame({
        "region": ["荔湾区"] * 3 + ["越秀区"] * 2,
        "term": ["西关", "非遗", "老城", "北京路", "商圈"],
        "count": [20, 10, 5, 15, 7],
        "zscore": [4.5, 2.0, -1.0, 3.3, 2.2],
    })


def _commitments() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d1", "d1", "d2"],
        "region": ["荔湾区", "荔湾区", "越秀区"],
        "report_year": [2022, 2022, 2022],
        "area": ["营商环境", "民生保障", "营商环境"],
        "commitments": [5, 3, 4],
    })


PLOTS = [
    (figures.plot_gdp_target_vs_outcome, _tvo),
    (figures.plot_gap_by_indicator, _tvo),
    (figures.plot_targets_across, _tvo),
    (figures.plot_outcomes_across, _tvo),
    (figures.plot_emphasis_heatmap, _emphasis),
    (figures.plot_distinctive_terms, _distinctive),
    (figures.plot_commitments_by_area, _commitments),
]


@pytest.fixture(scope="module", autouse=True)
def _font() -> str:
    return figures.use_cjk_font()


def test_font_is_noto_cjk_from_mplfonts_not_simhei(_font: str) -> None:
    path = fonts.cjk_font_path()
    assert path.is_file()
    assert "mplfonts" in path.parts
    assert "noto" in path.name.lower() and "cjk" in path.name.lower()
    assert "simhei" not in path.name.lower()
    assert _font == "Noto Sans CJK SC"
    assert matplotlib.rcParams["font.sans-serif"][0] == _font
    assert matplotlib.rcParams["svg.fonttype"] == "path"
    assert matplotlib.rcParams["svg.hashsalt"]
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    # idempotent (the file is added once); SimHei never enters matplotlib's font list
    from matplotlib import font_manager
    before = len(font_manager.fontManager.ttflist)
    assert figures.use_cjk_font() == _font
    assert len(font_manager.fontManager.ttflist) == before
    registered = [f.fname for f in font_manager.fontManager.ttflist]
    assert str(path) in registered
    assert not any("simhei" in Path(f).name.lower() for f in registered)


def test_chinese_figure_saves_png_and_svg_identically(tmp_path: Path) -> None:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([2021, 2022, 2023], [6.0, -2.1, 5.0])
    ax.set_title("荔湾区地区生产总值增速（%）")
    ax.set_xlabel("年份")
    first = figures.save_figure(fig, tmp_path / "a" / "figs", "增速")
    assert [p.name for p in first] == ["增速.png", "增速.svg"]
    assert all(p.stat().st_size > 0 for p in first)
    assert first[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = first[1].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    before = [p.read_bytes() for p in first]
    second = figures.save_figure(fig, tmp_path / "a" / "figs", "增速")
    assert [p.read_bytes() for p in second] == before
    # a fresh, identical figure gives the same bytes too (ids come from the fixed hash salt)
    fig2 = Figure(figsize=(4, 3))
    ax2 = fig2.add_subplot()
    ax2.plot([2021, 2022, 2023], [6.0, -2.1, 5.0])
    ax2.set_title("荔湾区地区生产总值增速（%）")
    ax2.set_xlabel("年份")
    third = figures.save_figure(fig2, tmp_path / "b", "增速")
    assert [p.read_bytes() for p in third] == before


def test_saving_keeps_the_layout_engine_and_shows_the_saved_png(tmp_path: Path) -> None:
    fig = Figure(figsize=(4, 3), layout="constrained")
    fig.add_subplot().set_title("目标与实际")
    engine = fig.get_layout_engine()
    paths = figures.save_figure(fig, tmp_path, "laid_out")
    assert fig.get_layout_engine() is engine  # laid out once for both files, then given back
    again = figures.save_figure(fig, tmp_path / "again", "laid_out")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    shown = figures.show_saved(paths)
    assert shown.data == paths[0].read_bytes() and shown.format == "png"


@pytest.mark.parametrize("where", ["title", "tick", "legend"])
def test_missing_glyph_raises(tmp_path: Path, where: str) -> None:
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    if where == "title":
        ax.set_title("区\ue000")
    elif where == "tick":
        ax.set_xticks([0], ["\ue000"])
    else:
        ax.plot([0, 1], label="甲\ue000")
        ax.legend()
    with pytest.raises(RuntimeError, match="U\\+E000"):
        figures.save_figure(fig, tmp_path, "bad")
    assert not (tmp_path / "bad.png").exists()


def test_check_glyphs() -> None:
    fonts.check_glyphs(["荔湾区 2022", "增速（%）：实际 − 目标", "R&D"])
    with pytest.raises(fonts.MissingGlyphError) as err:
        fonts.check_glyphs("甲\ue000")
    assert isinstance(err.value, RuntimeError)


def test_glyph_warning_is_error_while_saving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Even if the cmap check let a character through, matplotlib's own warning stops the save.
    monkeypatch.setattr(figures, "check_glyphs", lambda texts: None)
    fig = Figure(figsize=(3, 2))
    fig.add_subplot().set_title("\ue000")
    with pytest.raises(RuntimeError, match="missing from"):
        figures.save_figure(fig, tmp_path, "warn")


@pytest.mark.parametrize("plot,make", PLOTS, ids=[p.__name__ for p, _ in PLOTS])
def test_plot_on_small_frame(plot, make, tmp_path: Path) -> None:
    fig = plot(make())
    assert isinstance(fig, Figure)
    texts = figures.figure_texts(fig)
    assert not any(t == figures.say("no_data") for t in texts)
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)  # Chinese labels
    paths = figures.save_figure(fig, tmp_path, plot.__name__)
    before = [p.read_bytes() for p in paths]
    again = figures.save_figure(plot(make()), tmp_path, plot.__name__)
    assert [p.read_bytes() for p in again] == before  # deterministic


@pytest.mark.parametrize("plot,make", PLOTS, ids=[p.__name__ for p, _ in PLOTS])
def test_plot_on_empty_frame(plot, make, tmp_path: Path) -> None:
    for empty in (make().iloc[0:0], pd.DataFrame()):
        fig = plot(empty)
        assert isinstance(fig, Figure)
        assert figures.say("no_data") in figures.figure_texts(fig)
        figures.save_figure(fig, tmp_path, plot.__name__)


def test_row_order_does_not_change_the_figure(tmp_path: Path) -> None:
    for plot, make in PLOTS:
        df = make()
        a = figures.save_figure(plot(df), tmp_path / "a", plot.__name__)
        b = figures.save_figure(plot(df.iloc[::-1].reset_index(drop=True)), tmp_path / "b", plot.__name__)
        assert a[1].read_bytes() == b[1].read_bytes(), plot.__name__


def test_indicator_labels_come_from_codebook() -> None:
    assert figures.indicator_label("gdp") == "地区生产总值"
    assert figures.indicator_label("retail_sales") == "社会消费品零售总额"
    assert figures.indicator_label("gdp", "en") == "Gross regional product"
    assert figures.indicator_label("not_a_code") == "not_a_code"
    fig = figures.plot_gap_by_indicator(_tvo())
    assert "社会消费品零售总额" in figures.figure_texts(fig) or \
        "社会消费品零售总额" in [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_heatmap_column_labels() -> None:
    fig = figures.plot_emphasis_heatmap(_emphasis())
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["荔湾区 2022", "荔湾区 2023", "越秀区 2022"]


def test_distinctive_top_n() -> None:
    fig = figures.plot_distinctive_terms(_distinctive(), top_n=2)
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["荔湾区", "越秀区"]
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["西关", "非遗"]


def test_plots_on_matched_seed_pairs(tmp_path: Path) -> None:
    from analysis import match
    tvo = match.match_targets(pd.read_csv(DATA / "seed_facts.csv"), pd.read_csv(DATA / "seed_assessments.csv"))
    for plot in (figures.plot_gdp_target_vs_outcome, figures.plot_gap_by_indicator,
                 figures.plot_targets_across, figures.plot_outcomes_across):
        figures.save_figure(plot(tvo), tmp_path, plot.__name__)


def test_pending_target_drawn_alone() -> None:
    tvo = _tvo()
    pending = tvo[tvo["status"] == "pending"]
    fig = figures.plot_gdp_target_vs_outcome(pending)
    assert figures.say("no_data") not in figures.figure_texts(fig)
    assert figures.say("s_pending") in figures.figure_texts(fig)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["荔湾区\n2023"]


def test_commitments_split_when_given(tmp_path: Path) -> None:
    df = _commitments().assign(quantitative=[2, 1, 4], qualitative=[3, 2, 0])
    fig = figures.plot_commitments_by_area(df)
    texts = figures.figure_texts(fig)
    assert figures.say("legend_quantitative") in texts and figures.say("legend_qualitative") in texts
    figures.save_figure(fig, tmp_path, "split")


def test_files_identical_across_processes(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    code = ("import sys; sys.path.insert(0, sys.argv[2]); import test_figures as t; from analysis import figures; "
            "figures.save_figure(figures.plot_emphasis_heatmap(t._emphasis()), sys.argv[1], 'e')")
    env = {**os.environ, "PYTHONHASHSEED": "123", "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "other"), str(Path(__file__).parent)],
                   check=True, env=env, cwd=Path(__file__).parent.parent)
    here = figures.save_figure(figures.plot_emphasis_heatmap(_emphasis()), tmp_path / "here", "e")
    for p in here:
        assert p.read_bytes() == (tmp_path / "other" / p.name).read_bytes(), p.name


# ---------------------------------------------------------------- many regions

def _many_regions_tvo(n_regions: int = 60, years=range(2015, 2021)) -> pd.DataFrame:
    rows = []
    for r in range(n_regions):
        region = f"测{r:02d}" + ("区" if r % 3 == 0 else "县" if r % 3 == 1 else "市")
        for y in years:
            t, o = 6.0 + (r % 5) * 0.5, 5.0 + ((r + y) % 7) * 0.5
            rows.append({"region": region, "indicator": "gdp", "measure": "growth_pct", "period": str(y),
                         "target_period": str(y), "comparator": "approx", "target_value": t, "target_value_high": float("nan"),
                         "target_unit": "%", "outcome_value": o, "outcome_unit": "%", "gap": o - t,
                         "status": "met" if o >= t else "missed", "stretch": False, "derived": False,
                         "target_doc": f"{region}/{y}", "outcome_doc": f"{region}/{y + 1}", "comparison": "same_period"})
    return pd.DataFrame(rows)


def test_levels_from_the_documents_table_or_the_name():
    tvo = _many_regions_tvo(3, [2020])
    docs = pd.DataFrame({"doc_id": ["测00区/2020"], "level": ["prefecture"], "parent": ["某省"]})
    got = figures.with_levels(tvo, docs).set_index("region")
    assert got.loc["测00区", "level"] == "prefecture" and got.loc["测00区", "parent"] == "某省"
    assert got.loc["测01县", "level"] == "county" and got.loc["测02市", "level"] == "prefecture"
    assert figures.level_from_name("重庆市") == "province" and figures.level_from_name("广西壮族自治区") == "province"


def test_limit_regions_keeps_the_regions_with_most_rows():
    tvo = _many_regions_tvo(30, [2020])
    extra = tvo[tvo["region"] == "测29市"].assign(period="2019")
    limited = figures.limit_regions(pd.concat([tvo, extra]), 5)
    assert limited["region"].nunique() == 5 and "测29市" in set(limited["region"])


def test_many_region_figures_have_bounded_size(tmp_path):
    tvo = _many_regions_tvo()
    docs = pd.DataFrame({"doc_id": [f"{r}/{y}" for r in tvo["region"].unique() for y in range(2015, 2021)]})
    docs["parent"] = [f"省{i % 7}" for i in range(len(docs))]
    docs["level"] = "prefecture"
    for fn in (figures.plot_target_distribution, figures.plot_target_vs_outcome_by_level, figures.plot_gdp_by_province):
        fig = fn(tvo, docs)
        w, h = fig.get_size_inches()
        assert w < 20 and h < 20, fn.__name__
        assert any(t for t in figures.figure_texts(fig)), fn.__name__
        figures.save_figure(fig, tmp_path, fn.__name__)
    # without a documents table: levels from the names, no provinces to draw
    assert figures.say("no_data") in figures.figure_texts(figures.plot_gdp_by_province(tvo, None))
    assert figures.say("no_data") not in figures.figure_texts(figures.plot_target_distribution(tvo, None))


def _decades_tvo(n_regions: int = 15, years=range(1981, 2021)) -> pd.DataFrame:
    """Many regions over forty years and a dozen growth indicators, as a whole corpus gives."""
    codes = ["gdp", "retail_sales", "fixed_asset_investment", "fiscal_revenue", "industrial_value_added",
             "exports", "imports", "resident_income", "rural_income", "cpi", "foreign_trade", "utilized_fdi"]
    tvo = _many_regions_tvo(n_regions, years)
    return pd.concat([tvo.assign(indicator=code) for code in codes], ignore_index=True)


def test_limit_periods_keeps_the_latest_years():
    tvo = _decades_tvo(2)
    spans = tvo.head(2).assign(period="2016-2020")
    limited = figures.limit_periods(pd.concat([tvo, spans]), 8)
    assert sorted(set(limited["period"])) == ["2013", "2014", "2015", "2016", "2016-2020", "2017", "2018",
                                               "2019", "2020"]
    few = _decades_tvo(2, range(2018, 2021))
    assert figures.limit_periods(few, 8) is few


def test_per_region_figures_stay_readable_over_decades(tmp_path):
    tvo = _decades_tvo()
    shown = figures.limit_periods(figures.limit_regions(tvo, 12), 8)
    gdp = figures.plot_gdp_target_vs_outcome(shown)
    panels = [ax for ax in gdp.axes if ax.get_title()]
    assert len(panels) == 12  # one panel per region once region-years no longer fit one axis
    assert [t.get_text() for t in panels[0].get_xticklabels()] == [str(y) for y in range(2013, 2021)]
    for fig in (gdp, figures.plot_targets_across(shown), figures.plot_outcomes_across(shown)):
        w, h = fig.get_size_inches()
        assert w < 30 and h < 30
    heatmaps = [ax for ax in figures.plot_targets_across(shown).axes if ax.get_title()]
    assert len(heatmaps) == figures.MAX_HEATMAPS
    w, _ = figures.plot_target_distribution(tvo).get_size_inches()
    assert w <= figures.MAX_WIDTH
    figures.save_figure(gdp, tmp_path, "gdp")


def test_gap_dots_of_many_regions_are_drawn_in_few_artists():
    tvo = _many_regions_tvo(60)
    fig = figures.plot_gap_by_indicator(tvo)
    ax = fig.axes[0]
    dots = sum(len(line.get_xdata()) for line in ax.get_lines() if line.get_linestyle() == "None")
    assert dots == len(tvo)
    assert len(ax.get_lines()) < 10
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any(t.startswith("测") for t in legend)  # sixty regions cannot share twelve markers
    few = figures.plot_gap_by_indicator(_tvo())
    assert "越秀区" in [t.get_text() for t in few.axes[0].get_legend().get_texts()]
