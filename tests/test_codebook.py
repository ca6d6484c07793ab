"""The codebook file is the single source: it reads cleanly, covers the agreed codes, and
docs/codebook.md shows exactly what it holds."""

from pathlib import Path

import pytest

from analysis.codebook import (DOC_END, DOC_START, codebook, codebook_markdown, direction, read_codebook,
                               render_codebook_doc)
from analysis.extract import find_mentions

DOC = Path(__file__).resolve().parents[1] / "docs" / "codebook.md"


def test_docs_codebook_is_generated_from_the_csv():
    text = DOC.read_text(encoding="utf-8")
    assert render_codebook_doc(text) == text, "docs/codebook.md drifted: run python -m analysis.codebook docs/codebook.md"


def test_render_replaces_a_stale_table():
    stale = f"intro\n{DOC_START}\n| old | table |\n{DOC_END}\nrest\n"
    out = render_codebook_doc(stale)
    assert "| old | table |" not in out and codebook_markdown() in out and out.endswith("rest\n")
    with pytest.raises(ValueError, match="markers"):
        render_codebook_doc("no markers here")


def test_agreed_codes_and_directions():
    book = codebook()
    for code in ("gdp", "budget_revenue", "fiscal_revenue", "rural_income", "foreign_trade", "exports", "fdi",
                 "cpi", "urbanization_rate", "population_growth", "pollutant_emissions", "grain_output"):
        assert code in book, code
    for code in ("unemployment_rate", "energy_intensity", "cpi", "population_growth", "pollutant_emissions"):
        assert direction(code) == "lower", code
    assert direction("gdp") == "higher" and direction("rural_income") == "higher"


@pytest.mark.parametrize("name,code", [
    ("公共财政预算收入", "budget_revenue"), ("地方财政一般预算收入", "budget_revenue"), ("地方一般预算收入", "budget_revenue"),
    ("全部财政收入", "fiscal_revenue"), ("财政总收入", "fiscal_revenue"), ("农民人均纯收入", "rural_income"),
    ("农村居民人均可支配收入", "rural_income"), ("城镇居民人均可支配收入", "resident_income"),
    ("万元GDP能耗", "energy_intensity"), ("单位生产总值能耗", "energy_intensity"),
    ("全社会固定资产投资", "fixed_asset_investment"), ("外贸进出口总额", "foreign_trade"), ("进出口总值", "foreign_trade"),
    ("出口总额", "exports"), ("实际利用外资", "fdi"), ("居民消费价格涨幅", "cpi"), ("城镇化率", "urbanization_rate"),
    ("人口自然增长率", "population_growth"), ("主要污染物排放总量", "pollutant_emissions"), ("化学需氧量", "pollutant_emissions"),
    ("粮食总产量", "grain_output"), ("国内生产总值", "gdp"), ("国民生产总值", "gdp"),
])
def test_names_of_every_era(name, code):
    found = find_mentions(f"今年{name}增长8%")
    assert [m.code for m in found] == [code], (name, found)


def test_gdp_is_not_per_capita_or_a_share():
    for clause in ("人均地区生产总值增长6%", "单位生产总值能耗下降3%", "服务业占生产总值比重40%"):
        assert all(m.code != "gdp" for m in find_mentions(clause)), clause


def test_bad_codebook_names_the_line(tmp_path):
    bad = tmp_path / "codebook.csv"
    bad.write_text("code,names,english,direction,exclude\ngdp,生产总值,GDP,up,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"codebook.csv: row 2: direction"):
        read_codebook(bad)
