"""Extraction rules for the genre, each on a small hand-written report with known answers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import extract, schema
from analysis.corpus import Document


def make_doc(text: str, year: int = 2022, doc_type: str = "work_report", title: str | None = None,
             doc_id: str = "t") -> Document:
    return Document(doc_id=doc_id, path=Path(f"{doc_id}.txt"), raw_text=text, text=text, region="甲区",
                    report_year=year, doc_type=doc_type, title=title)


WORK_REPORT = """甲区2022年政府工作报告
各位代表:
一、2021年工作回顾
过去一年,全区实现地区生产总值1500.5亿元,同比(下同)增长7.2%,高于预期1.2个百分点,增速位列全市第3;全市地区生产总值增长6.0%。一般公共预算收入下降2.5%。完成249条背街小巷整治,拆除违法建设12万平方米、是2015年的4.5倍。新增就业3.1万人,目标完成率124%。超额完成节能减排任务。
二、2022年工作安排
今年经济社会发展主要预期目标是:地区生产总值增长6%—6.5%;固定资产投资增长百分之五点五;城镇登记失业率控制在3.5%以内;社会消费品零售总额增长8%左右;一般公共预算收入基本持平;居民收入增长与经济增长基本同步。规模以上工业增加值增长5%,并力争达到6%以上。力争新增5G基站300座。
"""


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return extract.extract_facts([make_doc(WORK_REPORT)])


def rows(facts: pd.DataFrame, **where) -> pd.DataFrame:
    sel = facts
    for k, v in where.items():
        sel = sel[sel[k] == v]
    return sel


def test_level_and_growth_are_two_rows_and_basis_note_is_not_a_row(tables):
    facts, _ = tables
    gdp = rows(facts, role="outcome", indicator="gdp", period="2021")
    assert sorted(zip(gdp["measure"], gdp["value"])) == [("growth_pct", 7.2), ("level", 1500.5)]
    assert set(gdp["unit"]) == {"亿元", "%"}
    assert not facts["quote"].str.fullmatch(r".*下同[)）]?").any()


def test_decline_is_negative_growth(tables):
    facts, _ = tables
    (value,) = rows(facts, role="outcome", indicator="budget_revenue")["value"]
    assert value == -2.5


def test_city_figures_rankings_and_ratios_are_not_facts(tables):
    facts, _ = tables
    gdp_growth = rows(facts, role="outcome", indicator="gdp", measure="growth_pct")
    assert list(gdp_growth["value"]) == [7.2]  # not 6.0 (全市), not 3 (位列第3)
    demolition = rows(facts, indicator="illegal_building_demolition")
    assert list(demolition["value"]) == [12.0]  # not 4.5 (倍), and 249条背街小巷 is not demolition


def test_gap_assessment_implies_a_derived_target(tables):
    facts, assessments = tables
    gap = rows(assessments, kind="gap_pp")
    assert list(zip(gap["indicator"], gap["value"], gap["period"])) == [("gdp", 1.2, "2021")]
    derived = rows(facts, role="target", indicator="gdp", derived=True)
    assert list(derived["value"]) == [6.0] and list(derived["comparator"]) == ["exact"]


def test_completion_rate_implies_a_derived_target(tables):
    facts, assessments = tables
    rate = rows(assessments, kind="completion_rate")
    assert list(zip(rate["indicator"], rate["value"])) == [("new_jobs", 124.0)]
    derived = rows(facts, role="target", indicator="new_jobs", derived=True)
    assert list(derived["value"]) == [2.5] and list(derived["unit"]) == ["万人"]


def test_exceeded_assessment_names_its_indicator(tables):
    _, assessments = tables
    assert list(rows(assessments, kind="exceeded")["indicator"]) == ["energy_intensity"]


def test_target_qualifiers(tables):
    facts, _ = tables
    t = rows(facts, role="target", period="2022", derived=False)
    gdp = rows(t, indicator="gdp").iloc[0]
    assert (gdp["comparator"], gdp["value"], gdp["value_high"]) == ("range", 6.0, 6.5)
    assert rows(t, indicator="fixed_asset_investment")["value"].tolist() == [5.5]  # 百分之五点五
    unemployment = rows(t, indicator="unemployment_rate").iloc[0]
    assert (unemployment["comparator"], unemployment["value"]) == ("at_most", 3.5)
    assert rows(t, indicator="retail_sales")["comparator"].tolist() == ["approx"]
    budget = rows(t, indicator="budget_revenue").iloc[0]
    assert (budget["measure"], budget["value"], budget["comparator"]) == ("growth_pct", 0.0, "parity")
    income = rows(t, indicator="resident_income").iloc[0]
    assert (income["measure"], income["comparator"]) == ("qualitative", "parity") and pd.isna(income["value"])


def test_two_tier_target_gives_a_stretch_row(tables):
    facts, _ = tables
    iva = rows(facts, role="target", indicator="industrial_value_added")
    assert sorted(zip(iva["value"], iva["stretch"], iva["comparator"])) == [(5.0, False, "exact"), (6.0, True, "at_least")]


def test_other_commitments_keep_their_name(tables):
    facts, _ = tables
    other = rows(facts, indicator="other", role="target")
    hit = other[other["indicator_name"].str.contains("5G基站", regex=False)]
    assert list(zip(hit["value"], hit["unit"])) == [(300.0, "座")]


def test_quotes_sit_at_their_positions(tables):
    facts, assessments = tables
    for table in (facts, assessments):
        for q, s, e in zip(table["quote"], table["char_start"], table["char_end"]):
            assert WORK_REPORT[s:e] == q


OUTLINE = """甲区国民经济和社会发展第十四个五年规划和2035年远景目标纲要
“十三五”时期,全区经济保持稳定发展,地区生产总值年均增长6.1%,累计完成固定资产投资800亿元,现有高新技术企业120家。
发展环境。当前外部环境复杂多变。
经济发展取得新成效。“十四五”时期地区生产总值年均增长6%左右,2025年达到2000亿元左右。每年城镇新增就业人数达1万人以上。
"""


def test_outline_periods_and_measures():
    facts, _ = extract.extract_facts([make_doc(OUTLINE, year=2021, doc_type="fyp_outline",
                                              title="甲区国民经济和社会发展第十四个五年规划和2035年远景目标纲要")])
    got = {(r.role, r.period, r.indicator, r.measure, r.value) for r in facts.itertuples() if r.indicator != "other"}
    assert got == {
        ("outcome", "2016-2020", "gdp", "avg_growth_pct", 6.1),
        ("outcome", "2016-2020", "fixed_asset_investment", "cumulative", 800.0),
        ("outcome", "2020", "high_tech_enterprises", "level", 120.0),
        ("target", "2021-2025", "gdp", "avg_growth_pct", 6.0),
        ("target", "2025", "gdp", "level", 2000.0),
        ("target", "2021-2025", "new_jobs", "count", 1.0),
    }


def test_a_fact_repeated_in_the_document_counts_once():
    text = WORK_REPORT.replace("二、2022年工作安排", "附件2 2021年民生实事完成情况\n新增就业3.1万人。\n二、2022年工作安排")
    facts, _ = extract.extract_facts([make_doc(text)])
    assert len(rows(facts, role="outcome", indicator="new_jobs")) == 1


def test_glossary_annex_gives_no_facts():
    text = WORK_REPORT + "附件1\n名词解释\n“六稳”:地区生产总值增长8%的时期提出。\n"
    facts, _ = extract.extract_facts([make_doc(text)])
    assert not facts["quote"].str.contains("六稳").any()


def test_unusable_documents_and_empty_corpus_give_empty_tables():
    bad = make_doc("")
    bad.status = "empty"
    facts, assessments = extract.extract_facts([bad])
    assert facts.empty and list(facts.columns) == extract.FACT_COLUMNS
    assert assessments.empty and list(assessments.columns) == extract.ASSESSMENT_COLUMNS
    facts, _ = extract.extract_facts([])
    assert facts.empty


def test_tables_round_trip_through_csv_and_parquet(tables, tmp_path):
    facts, _ = tables
    for suffix in (".csv", ".parquet"):
        [path] = schema.write_table(facts, tmp_path / f"facts{suffix}")
        back = schema.read_table(path)
        # missing text may come back as NaN or None: both are "missing"
        same_missing = [(df.astype(object).where(df.notna(), None).reset_index(drop=True)) for df in (back, facts)]
        pd.testing.assert_frame_equal(*same_missing, check_dtype=False)


def test_chinese_numerals_convert_only_the_number():
    assert extract.cn_numeral("五点五") == 5.5
    assert extract.cn_numeral("十二") == 12
    assert extract.cn_numeral("两") == 2


SECOND_STYLE = """乙区2023年政府工作报告
一、2022年工作回顾
2022年，全区实现地区生产总值（GDP）2345.6亿元，比上年增长6.8%。规模以上工业总产值达到1020亿元，同比增长12.3%。社会消费品零售总额856.2亿元，下降3.1%。全区税收总额完成310.5亿元，增长5%。一般公共预算收入86.4亿元，可比增长4.2%。城镇新增就业2.8万人，城镇登记失业率控制在2.5%以内。新增国家高新技术企业120家，总数达到980家。完成老旧小区改造15个。
二、2023年工作安排
2023年全区经济社会发展的主要预期目标是：地区生产总值增长6.5%左右；一般公共预算收入同口径增长5%；固定资产投资增长8%以上；社会消费品零售总额增长7%；城镇新增就业2.5万人；城镇登记失业率控制在3.5%以内；单位地区生产总值能耗下降3%。
"""


def test_a_report_in_another_house_style():
    """Full-width punctuation, a bracketed gloss (（GDP）), 同口径, stock after flow: annotated by hand."""
    facts, _ = extract.extract_facts([make_doc(SECOND_STYLE, year=2023)])
    got = {(r.role, r.period, r.indicator, r.measure, r.value, r.comparator)
           for r in facts.itertuples() if r.indicator != "other"}
    o, t = ("outcome", "2022"), ("target", "2023")
    expected = {
        (*o, "gdp", "level", 2345.6, "exact"), (*o, "gdp", "growth_pct", 6.8, "exact"),
        (*o, "industrial_output", "level", 1020.0, "exact"), (*o, "industrial_output", "growth_pct", 12.3, "exact"),
        (*o, "retail_sales", "level", 856.2, "exact"), (*o, "retail_sales", "growth_pct", -3.1, "exact"),
        (*o, "tax_revenue", "level", 310.5, "exact"), (*o, "tax_revenue", "growth_pct", 5.0, "exact"),
        (*o, "budget_revenue", "level", 86.4, "exact"), (*o, "budget_revenue", "growth_pct", 4.2, "exact"),
        (*o, "new_jobs", "count", 2.8, "exact"), (*o, "unemployment_rate", "share_pct", 2.5, "at_most"),
        (*o, "high_tech_enterprises", "count", 120.0, "exact"), (*o, "high_tech_enterprises", "level", 980.0, "exact"),
        (*o, "old_community_renewal", "count", 15.0, "exact"),
        (*t, "gdp", "growth_pct", 6.5, "approx"), (*t, "budget_revenue", "growth_pct", 5.0, "exact"),
        (*t, "fixed_asset_investment", "growth_pct", 8.0, "at_least"), (*t, "retail_sales", "growth_pct", 7.0, "exact"),
        (*t, "new_jobs", "count", 2.5, "exact"), (*t, "unemployment_rate", "share_pct", 3.5, "at_most"),
        (*t, "energy_intensity", "growth_pct", -3.0, "exact"),
    }
    assert got == expected


# ------------------------------------------------------------------ across the genre (levels, eras, forms)

def genre_doc(text: str, region: str, year: int, level: str | None = None) -> Document:
    doc = Document(doc_id=f"{region}{year}", path=Path("g.txt"), raw_text=text, text=text, region=region,
                   report_year=year, doc_type="work_report")
    if level is not None:
        doc.level = level  # type: ignore[attr-defined]
    return doc


def facts_of(text: str, region: str, year: int, level: str | None = None) -> pd.DataFrame:
    return extract.extract_facts([genre_doc(text, region, year, level)])[0]


def one(facts: pd.DataFrame, **where) -> pd.Series:
    sel = rows(facts, **where)
    assert len(sel) == 1, (where, sel[["role", "period", "indicator", "measure", "value", "quote"]].to_string())
    return sel.iloc[0]


PROVINCE_REPORT = """乙省人民政府工作报告
各位代表：
**2012年工作回顾**
初步核算，全省生产总值完成24000亿元，增长11%左右。全国国内生产总值增长7.8%。城镇居民人均可支配收入、农民人均纯收入分别增长12%和13%，分别达20543元和8081元。化学需氧量、二氧化硫排放量分别削减2.2%和3.2%。
**2013年工作安排**
2013年的主要预期目标是：生产总值增长8%～8.5%，全部财政收入和地方公共财政预算收入分别增长10%和11%，居民消费价格涨幅控制在3.5%左右，人口自然增长率控制在6.5‰以内，城镇化率达到48%，粮食总产量稳定在600亿斤以上。城乡居民收入增长与经济增长同步。
"""


def test_province_report_own_scope_estimates_lists_and_new_codes():
    f = facts_of(PROVINCE_REPORT, "乙省", 2013)  # no level: the name's ending says province
    gdp = one(f, role="outcome", indicator="gdp", measure="growth_pct")
    assert gdp["value"] == 11 and gdp["period"] == "2012" and bool(gdp["estimate"])
    assert one(f, role="outcome", indicator="gdp", measure="level")["value"] == 24000  # 全省 is its own
    assert 7.8 not in set(rows(f, indicator="gdp")["value"])  # 全国 is another government's
    assert one(f, role="outcome", indicator="resident_income", measure="level")["value"] == 20543
    assert one(f, role="outcome", indicator="rural_income", measure="level")["value"] == 8081
    assert one(f, role="outcome", indicator="rural_income", measure="growth_pct")["value"] == 13
    assert sorted(rows(f, indicator="pollutant_emissions")["value"]) == [-3.2, -2.2]  # two values, two rows
    t = one(f, role="target", indicator="gdp", measure="growth_pct")
    assert (t["value"], t["value_high"], t["comparator"], t["period"]) == (8, 8.5, "range", "2013")
    assert one(f, role="target", indicator="fiscal_revenue")["value"] == 10
    assert one(f, role="target", indicator="budget_revenue")["value"] == 11
    assert one(f, role="target", indicator="cpi")["comparator"] == "approx"
    assert one(f, role="target", indicator="population_growth")["unit"] == "‰"
    assert one(f, role="target", indicator="urbanization_rate")["measure"] == "share_pct"
    grain = one(f, role="target", indicator="grain_output")
    assert (grain["value"], grain["unit"], grain["comparator"]) == (600, "亿斤", "at_least")
    assert one(f, role="target", indicator="resident_income", measure="qualitative")["comparator"] == "parity"
    assert not rows(f, role="target")["estimate"].any()


CITY_REPORT = """丙市2012年政府工作报告
各位代表：
一、2011年工作回顾
全市地区生产总值增长12%。全省生产总值增长11%。城乡居民人均可支配收入分别增长4.8%、7.2%。
二、2012年工作的总体要求和主要目标
今年全市经济社会发展的主要预期目标是：地区生产总值增长10%以上、力争两位数，规模以上工业增加值增长5.0%-5.5%，在实际工作中按照5.5%推进。
"""


def test_city_report_whose_figure_and_target_forms():
    f = facts_of(CITY_REPORT, "丙市", 2012, level="prefecture")
    assert list(rows(f, indicator="gdp", role="outcome")["value"]) == [12]  # 全市 yes, 全省 no
    assert one(f, indicator="resident_income", role="outcome")["value"] == 4.8
    assert one(f, indicator="rural_income", role="outcome")["value"] == 7.2
    base = one(f, indicator="gdp", role="target", stretch=False)
    stretch = one(f, indicator="gdp", role="target", stretch=True)
    assert (base["value"], base["comparator"]) == (10, "at_least")
    assert (stretch["value"], stretch["comparator"]) == (10, "at_least")  # 力争两位数
    assert one(f, indicator="industrial_value_added", stretch=False)["value_high"] == 5.5
    assert one(f, indicator="industrial_value_added", stretch=True)["value"] == 5.5  # 按照5.5%推进


def test_municipality_and_autonomous_region_scope_words():
    text = "各位代表：\n一、过去一年工作回顾\n全市生产总值增长7%。全区生产总值增长9%。全国国内生产总值增长8%。\n"
    assert list(facts_of(text, "丁市", 2012, level="province")["value"]) == [7]  # a municipality: 全市
    assert list(facts_of(text, "戊自治区", 2012)["value"]) == [9]  # an autonomous region: 全区
    assert list(facts_of(text, "己县", 2012)["value"]) == []  # a county: neither is its own


COUNTY_REPORT = """庚县人民政府工作报告
各位代表：
去年，全县地区生产总值达到85.6亿元，增长9.1%；农村居民人均可支配收入12800元，增长10%。
今年全县经济社会发展的主要预期目标是：地区生产总值增长8%左右，固定资产投资增长12%。
"""


def test_county_report_without_headings_reads_roles_from_sentences():
    f = facts_of(COUNTY_REPORT, "庚县", 2019)
    assert one(f, role="outcome", indicator="gdp", measure="growth_pct")["period"] == "2018"
    t = one(f, role="target", indicator="gdp")
    assert (t["value"], t["period"], t["comparator"]) == (8, "2019", "approx")
    assert one(f, role="target", indicator="fixed_asset_investment")["value"] == 12
    assert one(f, role="outcome", indicator="rural_income", measure="level")["value"] == 12800


NEWS_SUMMARY = """辛市政府工作报告（摘要）
3月2日，辛市第十五届人民代表大会第三次会议开幕。报告指出，2016年全市生产总值预计增长7.5%左右。报告提出，2017年全市生产总值增长7%左右，一般公共预算收入增长6%。
"""


def test_news_summary_year_markers_set_role_and_period():
    f = facts_of(NEWS_SUMMARY, "辛市", 2017)
    est = one(f, indicator="gdp", role="outcome")
    assert (est["period"], est["value"], bool(est["estimate"])) == ("2016", 7.5, True)
    t = one(f, indicator="gdp", role="target")
    assert (t["period"], t["value"]) == ("2017", 7)
    assert one(f, indicator="budget_revenue", role="target")["value"] == 6


def test_prior_year_estimate_next_to_the_new_target_is_an_outcome():
    text = ("各位代表：\n二、2020年工作安排\n预计去年全市生产总值增长6%左右。"
            "今年经济社会发展的主要预期目标是：全市生产总值增长6%左右。\n")
    f = facts_of(text, "壬市", 2020)
    assert one(f, role="outcome", indicator="gdp")["period"] == "2019"
    assert one(f, role="target", indicator="gdp")["period"] == "2020"


NINETIES_REPORT = """癸省人民政府工作报告
各位代表：
一、1994年的工作回顾
全省国民生产总值比上年增长百分之十二。地方财政收入完成51.3亿元。农民人均纯收入达到1150元。
二、1995年的主要任务
今年国民生产总值计划增长百分之十，万元国内生产总值能耗下降3%，社会商品零售总额增长15%，外贸进出口总额达到30亿美元，实际利用外资8亿美元。
"""


def test_nineties_wording():
    f = facts_of(NINETIES_REPORT, "癸省", 1995)
    assert one(f, role="outcome", indicator="gdp")["value"] == 12
    assert one(f, role="outcome", indicator="budget_revenue")["value"] == 51.3
    assert one(f, role="outcome", indicator="rural_income")["value"] == 1150
    assert one(f, role="target", indicator="gdp")["value"] == 10
    assert one(f, role="target", indicator="energy_intensity")["value"] == -3
    assert one(f, role="target", indicator="retail_sales")["value"] == 15
    trade = one(f, role="target", indicator="foreign_trade")
    assert (trade["value"], trade["unit"], trade["measure"]) == (30, "亿美元", "level")
    assert one(f, role="target", indicator="fdi")["value"] == 8


def test_traditional_script_page_reads_like_simplified():
    from analysis.corpus import normalize_document
    raw = ("子市政府工作報告\n各位代表：\n一、2012年工作回顧\n全市地區生產總值增長10.5%，農民人均純收入增長12%。\n"
           "二、2013年工作安排\n今年全市經濟社會發展的主要預期目標是：地區生產總值增長9%左右。\n")
    doc = Document(doc_id="tw", path=Path("tw.txt"), raw_text=raw)
    normalize_document(doc)
    doc.status, doc.region, doc.report_year, doc.doc_type = "ok", "子市", 2013, "work_report"
    f = extract.extract_facts([doc])[0]
    assert one(f, role="outcome", indicator="gdp")["value"] == 10.5
    assert one(f, role="outcome", indicator="rural_income")["value"] == 12
    assert one(f, role="target", indicator="gdp")["value"] == 9


def test_dedupe_keeps_different_values_and_merges_restatements():
    text = ("各位代表：\n一、2018年工作回顾\n全区城镇新增就业6.2万人。城镇居民人均可支配收入增长8%，"
            "农村居民人均可支配收入增长9%。\n附件：2018年民生实事完成情况\n城镇新增就业61814人。\n")
    f = facts_of(text, "丑区", 2019)
    assert list(rows(f, indicator="new_jobs")["value"]) == [6.2]  # the annex restates the same figure
    assert one(f, indicator="resident_income")["value"] == 8 and one(f, indicator="rural_income")["value"] == 9


def test_level_fallback_from_the_name_ending():
    assert extract.document_level(genre_doc("", "某某自治区", 2020)) == "province"
    assert extract.document_level(genre_doc("", "某某县", 2020)) == "county"
    assert extract.document_level(genre_doc("", "某某旗", 2020)) == "county"
    assert extract.document_level(genre_doc("", "某某区", 2020, level="district")) == "district"
    assert extract.own_scope(genre_doc("", "某某自治州", 2020)) == "州"


FIVE_YEAR_REPORT = """寅市人民政府工作报告
各位代表：
一、过去五年工作回顾
全市地区生产总值达到820亿元，年均增长12.5%；城镇新增就业岗位30万个，改造老旧小区120个。
二、今后五年的奋斗目标
今后五年的主要目标是：地区生产总值年均增长8%左右。到2026年，一般公共预算收入突破120亿元。
三、2022年主要工作
今年全市生产总值增长7%左右。
"""


def test_five_year_review_and_plan_sections_without_a_plan_name():
    f = facts_of(FIVE_YEAR_REPORT, "寅市", 2022)
    assert one(f, role="outcome", indicator="gdp", measure="avg_growth_pct")["period"] == "2017-2021"
    assert one(f, role="outcome", indicator="gdp", measure="level")["period"] == "2021"
    assert one(f, role="outcome", indicator="new_jobs")["measure"] == "cumulative"  # 就业岗位 is a name
    assert one(f, role="outcome", indicator="old_community_renewal")["value"] == 120  # the noun before the count
    assert one(f, role="target", indicator="gdp", measure="avg_growth_pct")["period"] == "2022-2026"
    assert one(f, role="target", indicator="budget_revenue")["period"] == "2026"  # 到2026年
    assert one(f, role="target", indicator="gdp", measure="growth_pct")["period"] == "2022"


def test_bare_titles_that_lost_their_markup_still_divide_the_report():
    text = ("各位代表：\n2015年及“十二五”工作回顾\n一年来，我们抓了三方面工作：\n一、稳增长\n全市生产总值增长7%。\n"
            "二、调结构\n规模以上工业增加值增长9%。\n“十三五”发展目标任务\n今后五年，地区生产总值年均增长8%左右。\n"
            "2016年主要工作\n今年全市生产总值增长7.5%左右。\n")
    f = facts_of(text, "卯市", 2016)
    assert one(f, indicator="industrial_value_added")["role"] == "outcome"  # 二、 is a review subsection
    assert one(f, role="target", indicator="gdp", measure="avg_growth_pct")["period"] == "2016-2020"
    assert one(f, role="target", indicator="gdp", measure="growth_pct")["value"] == 7.5


def test_a_paragraph_on_the_report_year_inside_the_plan_section_sets_that_years_targets():
    text = ("各位代表：\n一、过去五年工作回顾\n全省生产总值年均增长9%。\n二、未来五年，我们要奋力推进小康建设\n"
            "今后五年，全省生产总值年均增长8.5%。\n今年，是开局之年。要力争地区生产总值增长9%以上；财政总收入增长10%。\n")
    f = facts_of(text, "辰省", 2013)
    assert one(f, role="target", indicator="gdp", measure="avg_growth_pct")["period"] == "2013-2017"
    t = one(f, role="target", indicator="gdp", measure="growth_pct")
    assert (t["period"], t["value"], t["comparator"]) == ("2013", 9, "at_least")
    assert one(f, role="target", indicator="fiscal_revenue")["period"] == "2013"


def test_ninth_and_tenth_plan_names_without_a_middle_numeral():
    text = ("各位代表：\n“九五”时期工作回顾\n“九五”时期，全省国内生产总值年均增长10.3%。\n"
            "“十五”时期的奋斗目标和主要任务\n全社会固定资产投资年均增长8%。\n二〇〇一年的工作\n今年全省生产总值增长9%。\n")
    f = facts_of(text, "巳省", 2001)
    assert one(f, role="outcome", indicator="gdp")["period"] == "1996-2000"
    assert one(f, role="target", indicator="fixed_asset_investment")["period"] == "2001-2005"
    assert one(f, role="target", indicator="gdp")["period"] == "2001"
    assert extract._time_marker("比“十五”时期增加", 2006) == (None, None)  # a comparison names no period


def test_a_count_reached_is_a_stock_and_a_count_added_is_a_flow():
    text = ("各位代表：\n一、2020年工作回顾\n高新技术企业达到1200家，新认定高新技术企业300家。"
            "城镇新增就业达到5.2万人。\n")
    f = facts_of(text, "午市", 2021)
    assert sorted(rows(f, indicator="high_tech_enterprises")[["measure", "value"]].itertuples(index=False)) == [
        ("count", 300), ("level", 1200)]
    assert one(f, indicator="new_jobs")["measure"] == "count"


def test_averages_bounds_and_base_levels_over_a_period_without_a_plan_name():
    text = ("各位代表：\n一、2015年工作回顾\n地方公共财政预算收入从8亿元增加到21亿元，年均增长21%。\n"
            "二、“十三五”时期的奋斗目标\n城镇登记失业率控制在4%以内，城镇化率达到55%。\n")
    f = facts_of(text, "未市", 2016)
    assert one(f, role="outcome", measure="avg_growth_pct")["period"] == "2011-2015"  # 年均 is over years
    levels = rows(f, role="outcome", indicator="budget_revenue", measure="level")
    assert sorted(zip(levels["period"], levels["value"])) == [("2010", 8), ("2015", 21)]  # 从…增加到…
    assert one(f, role="target", indicator="unemployment_rate")["period"] == "2016-2020"  # a bound held
    assert one(f, role="target", indicator="urbanization_rate")["period"] == "2020"  # a level reached


def test_look_backs_inside_the_plan_section_are_outcomes_over_the_plan_that_ended():
    text = ("各位代表：\n一、2005年工作回顾\n全区生产总值增长11%。\n二、2006年工作部署\n今年全区生产总值增长10%。\n"
            "关于“十一五”规划\n回顾“十五”，我们经历了不平凡的历程。“十五”期间，全区生产总值年均增长9.8%，"
            "全社会固定资产投资累计5035亿元。\n过去的五年，城镇居民人均可支配收入年均增长7.5%。\n"
            "“十一五”时期的主要目标是：生产总值年均增长9%。\n")
    f = facts_of(text, "申自治区", 2006)
    back = one(f, indicator="gdp", measure="avg_growth_pct", role="outcome")
    assert (back["period"], back["value"]) == ("2001-2005", 9.8)
    assert one(f, indicator="fixed_asset_investment")[["role", "period"]].tolist() == ["outcome", "2001-2005"]
    assert one(f, indicator="resident_income")[["role", "period"]].tolist() == ["outcome", "2001-2005"]
    assert one(f, indicator="gdp", measure="avg_growth_pct", role="target")["period"] == "2006-2010"
    assert one(f, indicator="gdp", measure="growth_pct", role="target")["period"] == "2006"


def test_money_summed_over_the_five_years_reviewed_is_cumulative():
    text = "各位代表：\n一、过去五年的工作回顾\n五年共利用外资609亿美元，五年全社会固定资产投资完成26000亿元。\n"
    f = facts_of(text, "酉省", 1993)
    assert set(rows(f)["measure"]) == {"cumulative"} and set(rows(f)["period"]) == {"1988-1992"}


def test_price_index_against_100_and_consumer_price_wordings_are_inflation():
    text = ("各位代表：\n一、2014年工作回顾\n居民消费价格指数为102.7。2014年，全市生产总值增长9%，五年年均增长11%。\n"
            "二、2015年工作安排\n居民消费价格指数控制在103.5左右，人口自然增长率控制在6‰以内。\n"
            "三、“十三五”时期的奋斗目标\n居民消费价格总水平上涨幅度控制在3%以内。\n")
    f = facts_of(text, "戌市", 2015)
    out = one(f, role="outcome", indicator="cpi")
    assert (out["measure"], out["value"], out["period"]) == ("growth_pct", 2.7, "2014")
    t = one(f, role="target", indicator="cpi", period="2015")
    assert (t["measure"], t["value"], t["comparator"]) == ("growth_pct", 3.5, "approx")
    assert one(f, role="target", indicator="cpi", period="2016-2020")["value"] == 3  # a ceiling over the plan
    assert one(f, role="outcome", indicator="gdp", measure="avg_growth_pct")["period"] == "2010-2014"  # 五年年均


def test_urban_and_rural_income_share_one_figure_or_pair_two_without_fenbie():
    text = ("各位代表：\n一、过去五年工作回顾\n城镇、农村居民人均可支配收入年均增长6.9%、8.8%。\n"
            "二、2022年工作安排\n城乡居民人均可支配收入增长8%左右。\n")
    f = facts_of(text, "亥州", 2022)
    assert one(f, role="outcome", indicator="resident_income")["value"] == 6.9
    assert one(f, role="outcome", indicator="rural_income")["value"] == 8.8
    assert one(f, role="target", indicator="resident_income")["value"] == 8
    assert one(f, role="target", indicator="rural_income")["value"] == 8


def test_review_subsection_titles_worded_as_achievements_stay_in_the_review():
    text = ("各位代表：\n2014年工作回顾\n一年来，我们主要做了以下工作：\n一、扎实推进改革开放\n全省生产总值增长8.9%。\n"
            "二、结构调整取得新成效\n规模以上工业增加值增长8.4%。\n三、大力推进扶贫攻坚\n新增城镇就业43.5万人。\n"
            "2015年主要任务\n经济社会发展主要预期目标：生产总值增长8%左右。\n")
    f = facts_of(text, "甲省", 2015)
    assert one(f, indicator="industrial_value_added")["role"] == "outcome"
    assert one(f, indicator="new_jobs")[["role", "period"]].tolist() == ["outcome", "2014"]
    assert one(f, indicator="gdp", role="target")["value"] == 8


def test_raising_something_about_an_indicator_is_no_qualitative_target():
    text = ("各位代表：\n一、2019年工作回顾\n全市生产总值增长6%。\n二、2020年工作安排\n"
            "提高利用外资的质量和效益，提高企业职工最低工资标准，持续提升全社会研发经费支出占GDP比重。\n")
    f = facts_of(text, "乙市", 2020)
    assert rows(f, indicator="fdi").empty and rows(f, indicator="high_tech_enterprises").empty
    assert one(f, indicator="rd_intensity")["measure"] == "qualitative"  # the indicator itself is raised


def test_mixed_titles_and_paragraph_openings_set_the_plan_span_or_the_year():
    text = ("各位代表：\n一、“十三五”时期主要成就和2020年工作回顾\n“十三五”时期，全市生产总值年均增长6%。"
            "——这是民生改善的五年。新增城镇就业12万人。\n刚刚过去的一年，新增城镇就业2.4万人。\n"
            "二、“十四五”时期主要目标任务和2021年工作安排\n“十四五”时期，城镇新增就业13万人，城镇调查失业率5.5%左右。\n"
            "2021年，是“十四五”开局之年。城镇新增就业2.5万人。\n三、奋勇争先，实现“十四五”良好开局\n再改造城镇老旧小区27个。\n")
    f = facts_of(text, "丙市", 2021)
    jobs = rows(f, indicator="new_jobs")
    assert sorted(zip(jobs["role"], jobs["period"], jobs["measure"], jobs["value"])) == [
        ("outcome", "2016-2020", "cumulative", 12), ("outcome", "2020", "count", 2.4),
        ("target", "2021", "count", 2.5), ("target", "2021-2025", "cumulative", 13)]
    assert one(f, indicator="unemployment_rate")["period"] == "2021-2025"  # a rate held over the plan
    assert one(f, indicator="old_community_renewal")["period"] == "2021"  # 实现“十四五”良好开局 plans the year


def test_parts_partners_channels_and_other_bodies_are_not_the_regions_totals():
    text = ("各位代表：\n一、2022年工作回顾\n进出口总额增长8%，其中对东盟进出口增长16%，跨境电商进出口额增长40%。"
            "规模以上民营工业增加值增长11.5%。亩均税收49.1万元。全市生产总值1200亿元，人均生产总值9万元，增长5%。\n"
            "十、兵团经济快速发展。兵团生产总值340亿元，增长11%。固定资产投资130亿元，增长1%。\n"
            "甲新区全年完成固定资产投资435亿元，增长44%。\n"
            "五年来，全市生产总值年均增长7%。乙高新区获批国家自主创新示范区，全市高新技术企业由500家增加到1570家。\n")
    f = facts_of(text, "丁市", 2023)
    assert one(f, indicator="foreign_trade")["value"] == 8
    assert rows(f, indicator="exports").empty and rows(f, indicator="tax_revenue").empty
    assert rows(f, indicator="industrial_value_added").empty
    assert rows(f, indicator="fixed_asset_investment").empty  # the 兵团's and the new area's
    gdp = rows(f, indicator="gdp")
    assert sorted(zip(gdp["measure"], gdp["value"])) == [("avg_growth_pct", 7), ("level", 1200)]  # not 人均 5%, not 兵团's
    ht = rows(f, indicator="high_tech_enterprises")
    assert sorted(zip(ht["measure"], ht["period"], ht["value"])) == [("level", "2017", 500), ("level", "2022", 1570)]
    plain = facts_of("各位代表：\n一、2022年工作回顾\n高新技术企业由500家增加到1570家。\n", "丁市", 2023)
    assert list(rows(plain, indicator="high_tech_enterprises")["value"]) == [1570]  # a base of no known year


def test_a_place_below_the_region_named_as_subject_is_not_the_region():
    text = "各位代表：\n一、2012年工作回顾\n全省生产总值2.2万亿元。武汉生产总值达到8000亿元。\n"
    f = facts_of(text, "湖北省", 2013)
    assert list(rows(f, indicator="gdp")["value"]) == [2.2]


def test_directional_aims_are_targets_only_in_the_list_or_when_tied_to_growth():
    text = ("各位代表：\n一、2020年工作回顾\n城镇常住居民人均可支配收入同比持平。\n二、2021年工作安排\n"
            "今年的主要预期目标是：地区生产总值增长6%左右，城乡居民收入稳步增长，单位生产总值能耗降低3%左右，"
            "主要污染物排放量继续下降，进出口保持平稳增长。\n"
            "保持物价总水平基本稳定。确保财政收入稳步增长。确保居民收入增速快于经济增速。全面完成节能减排任务。"
            "实现生产总值比2010年翻两番的目标。\n")
    f = facts_of(text, "戊市", 2021)
    q = rows(f, role="target", measure="qualitative")
    assert sorted(set(q["indicator"])) == ["pollutant_emissions", "resident_income", "rural_income"]
    assert rows(f, indicator="foreign_trade").empty  # 保持平稳增长 is no 持平
    assert one(f, indicator="energy_intensity")["value"] == -3  # 全面完成节能减排任务 restates it
    flat = one(f, role="outcome", indicator="resident_income")
    assert (flat["value"], flat["comparator"], flat["period"]) == (0, "parity", "2020")


def test_quarters_whole_years_base_years_and_runs_of_years():
    text = ("各位代表：\n一、2020年工作回顾\n全市生产总值一季度下降7.2%，二季度恢复正增长，预计全年增长3.5%左右。"
            "工业增加值由2015年的120.8亿元增加到2020年的378亿元。出口总额24.4亿美元，比2015年增长56.2%。"
            "粮食总产连续7年稳定在100亿斤以上。\n")
    f = facts_of(text, "己市", 2021)
    gdp = rows(f, indicator="gdp")
    assert sorted(zip(gdp["period"], gdp["value"])) == [("2020", 3.5), ("2020Q1", -7.2)]
    iva = rows(f, indicator="industrial_value_added")
    assert sorted(zip(iva["period"], iva["value"])) == [("2015", 120.8), ("2020", 378)]
    assert one(f, indicator="exports", measure="growth_pct")["period"] == "2016-2020"
    assert one(f, indicator="grain_output")["period"] == "2014-2020"
    delayed = extract.extract_facts([genre_doc("——2020年6月11日\n" + text, "己市", 2020)])[0]
    assert "2020Q1" in set(rows(delayed, indicator="gdp")["period"])  # delivered after the quarter ended


def test_fenbie_opening_a_clause_pairs_with_the_levels_before_it_or_reads_none():
    text = ("各位代表：\n一、2005年工作回顾\n完成进出口总额79.4亿美元，增长40.9%，其中出口50.4亿美元，进口29亿美元，"
            "分别增长65.5%和12.1%。农村居民人均纯收入4483元，增长22.13%，扣除价格因素后，分别增长4.85%和5.79%。\n")
    f = facts_of(text, "庚市", 2006)
    assert one(f, indicator="exports", measure="growth_pct")["value"] == 65.5
    assert list(rows(f, indicator="rural_income", measure="growth_pct")["value"]) == [22.13]


def test_increments_counts_of_amounts_and_bases_of_ratios_are_no_values():
    text = ("各位代表：\n一、2012年工作回顾\n农民人均纯收入7852元，比上年增加921元。新增1个经济总量近千亿的县。"
            "地方一般预算收入4516亿元，是2005年1807亿元的2.5倍。\n")
    f = facts_of(text, "辛省", 2013)
    assert list(rows(f, indicator="rural_income")["value"]) == [7852]
    assert rows(f, indicator="gdp").empty
    assert list(rows(f, indicator="budget_revenue")["value"]) == [4516]


def test_wordings_of_rd_intensity_grain_output_and_foreign_capital():
    text = ("各位代表：\n一、2019年工作回顾\n全社会研发经费支出相当于全市生产总值的比例达到4%。R&D投入占比1.2%。"
            "粮食播种面积388万亩、产量110万吨。实际利用内资增长7.1%、外资增长8.5%。\n")
    f = facts_of(text, "壬市", 2020)
    assert sorted(rows(f, indicator="rd_intensity")["value"]) == [1.2, 4]
    assert rows(f, indicator="gdp").empty
    assert one(f, indicator="grain_output")["value"] == 110
    assert one(f, indicator="fdi")["value"] == 8.5


def test_gaps_to_the_years_target_in_points_give_derived_targets():
    text = ("各位代表：\n一、2003年工作回顾\n生产总值增长13%，比年初预期目标高2个百分点。"
            "财政总收入增长21.5%，其中地方财政收入增长19.1%，分别超过年初预算10.5和8.1个百分点。"
            "城镇居民人均可支配收入增长9%；农民人均纯收入增长5.3%，都比年初预期目标高1个百分点。\n")
    f = facts_of(text, "癸省", 2004)
    d = rows(f, derived=True)
    assert sorted(zip(d["indicator"], d["value"])) == [
        ("budget_revenue", 11.0), ("fiscal_revenue", 11.0), ("gdp", 11.0), ("resident_income", 8.0),
        ("rural_income", 4.3)]


def test_revenue_with_its_local_part_and_items_joined_by_he_paired_with_figures():
    text = ("各位代表：\n一、2007年工作回顾\n财政一般预算收入达2116亿元，同比增长22.4%，其中地方一般预算财政收入523.79亿元，"
            "同比增长22.6%。\n二、2008年工作安排\n城镇居民人均可支配收入和农民人均纯收入年均实际增长8%和6%以上。\n")
    f = facts_of(text, "子市", 2008)
    assert sorted(rows(f, indicator="fiscal_revenue")["value"]) == [22.4, 2116]
    assert sorted(rows(f, indicator="budget_revenue")["value"]) == [22.6, 523.79]
    assert one(f, indicator="resident_income", role="target")["value"] == 8
    assert one(f, indicator="rural_income", role="target")["value"] == 6


def test_a_numbered_title_run_into_its_paragraph_still_divides_the_report():
    text = ("各位代表：\n一、克难奋进，经济社会发展取得显著成绩\n过去一年，全省生产总值增长12%。\n"
            "二、开拓创新，推动科学发展再上新台阶 “十二五”时期是加快转变发展方式的攻坚期。主要目标是：生产总值年均增长10%以上。\n"
            "三、真抓实干，确保“十二五”实现良好开局 今年是实施“十二五”规划的第一年。\n"
            "宏观调控的主要目标建议为：地区生产总值增长10%以上。\n")
    f = facts_of(text, "丑省", 2011)
    assert one(f, role="target", indicator="gdp", measure="avg_growth_pct")["period"] == "2011-2015"
    assert one(f, role="target", indicator="gdp", measure="growth_pct")["period"] == "2011"


def test_trie_pattern_matches_like_a_longest_first_alternation() -> None:
    """The trie of indicator names finds what ``"|".join`` of the names (longest first) finds, spaced or not."""
    import random
    import re

    words = ["财政收入", "财政", "地方财政收入", "财政收入增长", "收入", "入", "出口总额", "出口", "进出口总额"]
    plain = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    spaced = re.compile("|".join(r"\s?".join(map(re.escape, w)) for w in sorted(words, key=len, reverse=True)))
    trie, trie_spaced = re.compile(extract.trie_pattern(words)), re.compile(extract.trie_pattern(words, r"\s?"))
    rng = random.Random(7)
    alphabet = "财政收入地方增长出口进总额 ，"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        assert [m.span() for m in trie_spaced.finditer(text)] == [m.span() for m in spaced.finditer(text)], text
    assert trie.search("地方财政收入增长9%").group() == "地方财政收入"
    assert trie_spaced.search("进出 口总额 增长").group() == "进出 口总额"


def test_places_below_are_the_gazetteer_children() -> None:
    """The index of places under each region gives a province its cities (full and short names), and
    nothing for a name the gazetteer does not hold."""
    from analysis.regions import gazetteer

    g = gazetteer()
    province = next(r for rs in g.by_name.values() for r in rs if r.level == "province")
    below = extract._places_below(province.name)
    children = [r for rs in g.by_name.values() for r in rs if r.parent == province.name and r.name != province.name]
    assert children and all(r.name in below for r in children)
    assert province.name not in below
    assert extract._places_below("没有这个地方") == frozenset()


LOOK_BACK_IN_PLAN = """各位代表：
一、2014年工作回顾
全市生产总值增长7%。
二、2015年工作安排
2015年是全面深化改革的关键之年。过去一年，全市上下攻坚克难，各项事业取得新进展。全市生产总值增长8.2%，城镇新增就业2.5万人，为做好2015年的工作奠定了基础。今年要坚持稳中求进。全市生产总值增长7.5%左右，居民消费价格涨幅控制在3%左右。
2014年，全市经受住了严峻考验。一般公共预算收入增长9%。
社会消费品零售总额增长12%。
去年全市基本完成棚户区改造任务，今年要巩固成果。新建保障性住房3000套。
回顾过去五年，我们砥砺前行。全市固定资产投资年均增长15%。
"""


def test_a_look_back_in_the_plan_section_holds_for_its_paragraph_until_a_sentence_looks_ahead():
    f = facts_of(LOOK_BACK_IN_PLAN, "寅市", 2015)
    gdp = rows(f, indicator="gdp", measure="growth_pct")
    assert sorted(zip(gdp["value"], gdp["role"], gdp["period"])) == [
        (7, "outcome", "2014"), (7.5, "target", "2015"), (8.2, "outcome", "2014")]
    assert one(f, indicator="new_jobs")[["role", "period"]].tolist() == ["outcome", "2014"]
    # 今年要…: the sentences after it plan the year again
    assert one(f, indicator="cpi")[["role", "period", "value"]].tolist() == ["target", "2015", 3]
    # a paragraph opening on the year reviewed looks back; the next paragraph plans again
    assert one(f, indicator="budget_revenue")[["role", "period"]].tolist() == ["outcome", "2014"]
    assert one(f, indicator="retail_sales")[["role", "period"]].tolist() == ["target", "2015"]
    # a look back that itself turns to this year (去年…，今年要…) starts no look back
    assert one(f, indicator="other", value=3000)[["role", "period"]].tolist() == ["target", "2015"]
    assert one(f, indicator="fixed_asset_investment")[["role", "period", "measure"]].tolist() == [
        "outcome", "2010-2014", "avg_growth_pct"]


def test_a_target_word_in_the_review_without_a_list_after_it_does_not_turn_the_review_into_plans():
    text = ("各位代表：\n一、2019年工作回顾\n面对严重旱灾，我们的目标是把困难变成机遇，确保群众生活不受影响。\n"
            "全市生产总值增长6.1%。\n城镇新增就业4.2万人，城镇登记失业率3.8%（年度目标为4.5%以内）。\n"
            "社会消费品零售总额增长9%。\n"
            "今年经济社会发展的主要预期目标是：全市生产总值增长6%左右。\n")
    f = facts_of(text, "卯市", 2020)
    assert one(f, indicator="gdp", value=6.1)[["role", "period"]].tolist() == ["outcome", "2019"]
    assert one(f, indicator="unemployment_rate")[["role", "period"]].tolist() == ["outcome", "2019"]
    assert one(f, indicator="retail_sales")[["role", "period"]].tolist() == ["outcome", "2019"]
    assert one(f, indicator="gdp", value=6)[["role", "period"]].tolist() == ["target", "2020"]


def test_a_look_back_that_is_one_item_of_a_semicolon_list_holds_for_that_item_only():
    text = ("各位代表：\n一、2016年工作回顾\n全市生产总值增长7%。\n二、2017年工作安排\n"
            "今年物价上涨压力仍然较大，主要是：输入性通胀压力不容忽视；去年价格上涨的翘尾影响约有1个百分点。"
            "把居民消费价格涨幅控制在3%左右，是综合考虑各方面因素后作出的选择。\n")
    f = facts_of(text, "辰市", 2017)
    assert one(f, indicator="cpi")[["role", "period", "value"]].tolist() == ["target", "2017", 3]


def test_a_bare_title_naming_the_next_five_years_opens_the_plan():
    text = ("各位代表：\n本届政府工作回顾\n五年来，全市生产总值年均增长6%。\n今后五年工作谋划\n"
            "新一届政府任期内，全市生产总值年均增长7%以上。\n2022年工作建议\n全市生产总值增长6.5%左右。\n")
    f = facts_of(text, "巳市", 2022)
    plan = one(f, indicator="gdp", measure="avg_growth_pct", role="target")
    assert (plan["period"], plan["value"]) == ("2022-2026", 7)
    assert one(f, indicator="gdp", measure="avg_growth_pct", role="outcome")["period"] == "2017-2021"
    assert one(f, indicator="gdp", measure="growth_pct")[["role", "period"]].tolist() == ["target", "2022"]


def test_part_of_a_year_is_no_fact_but_the_whole_year_after_it_is() -> None:
    """上半年, 前三季度, 1—9月: figures added up over part of a year fit no period of the facts table (neither
    the year's outcome nor one quarter's); 全年 after them is the year again, a quarter stays a quarter, and
    in a plan 上半年 is a deadline, not a period."""
    text = ("各位代表：\n一、2021年工作回顾\n上半年，全区地区生产总值增长3.2%。"
            "前三季度社会消费品零售总额增长9.1%，1—9月固定资产投资增长4.4%。"
            "2021年上半年一般公共预算收入增长2.0%。"
            "规模以上工业增加值一季度增长1.5%，全年增长5.6%。全年地区生产总值增长6.5%。\n"
            "二、2022年工作安排\n重点项目上半年全部开工，地区生产总值增长6%左右。\n")  # (a deadline in a plan)
    facts, _ = extract.extract_facts([make_doc(text)])
    got = sorted(zip(facts["role"], facts["period"], facts["indicator"], facts["value"]))
    assert got == [("outcome", "2021", "gdp", 6.5), ("outcome", "2021", "industrial_value_added", 5.6),
                   ("outcome", "2021Q1", "industrial_value_added", 1.5), ("target", "2022", "gdp", 6.0)], got


def test_a_title_naming_a_plan_and_a_year_both_over_reviews_them() -> None:
    """一、“十三五”时期及2020年主要工作 in a 2021 report reviews (plan and year are both over); 二、“十四五”时期和
    2021年目标任务 plans: the report's own year."""
    text = ("各位代表：\n一、“十三五”时期及2020年主要工作\n全区地区生产总值增长2.3%，一般公共预算收入增长3.1%。\n"
            "二、“十四五”时期和2021年目标任务\n今年全区地区生产总值增长7%左右。\n")
    facts, _ = extract.extract_facts([make_doc(text, year=2021)])
    got = sorted(zip(facts["role"], facts["period"], facts["indicator"], facts["value"]))
    assert got == [("outcome", "2020", "budget_revenue", 3.1), ("outcome", "2020", "gdp", 2.3),
                   ("target", "2021", "gdp", 7.0)], got


def test_change_between_two_named_years_is_a_look_back_over_those_years() -> None:
    # Inside a planning section, a sentence that opens by setting one earlier year against another reviews
    # the years between them: the growth is over the span, the first level is the base year's.
    text = ("甲区2016年政府工作报告\n二、今后五年的主要目标\n今后五年，要保持经济平稳较快增长。"
            "2015年同2010年相比，全区生产总值由400亿元增加到650亿元，增长62.5%，年均增长10.2%。"
            "今年全区生产总值增长7%左右。\n")
    facts, _ = extract.extract_facts([make_doc(text, year=2016)])
    gdp = rows(facts, indicator="gdp")
    got = {(r.role, r.period, r.measure, r.value) for r in gdp.itertuples()}
    assert ("outcome", "2011-2015", "growth_pct", 62.5) in got
    assert ("outcome", "2011-2015", "avg_growth_pct", 10.2) in got
    assert ("outcome", "2010", "level", 400.0) in got
    assert ("outcome", "2015", "level", 650.0) in got
    assert ("target", "2016", "growth_pct", 7.0) in got
    assert not any(role == "target" and value in (62.5, 10.2) for role, _, _, value in got)


@pytest.mark.parametrize("name", ["_TIME_RE", "_NUMBER_RE"])
def test_first_character_guard_changes_no_match(name: str) -> None:
    # The guard only lets the engine skip positions where no alternative can start; without it every
    # match (span and groups) must be the same, on the seeds and on the forms each alternative reads.
    from analysis.corpus import load_corpus
    from analysis.paths import SEEDS_DIR

    guarded = getattr(extract, name)
    bare = __import__("re").compile(guarded.pattern[guarded.pattern.index("(?:") + 3:-1])
    texts = [d.text for d in load_corpus(SEEDS_DIR) if d.ok] + [
        "2021—2025年，“十四五”时期，十三五”末，由2015年的100亿元增加到，到2020年，今年、本年、年内，去年，"
        "刚刚过去的一年，上半年，前三季度，前两个月，1-9月，第一季度，3季度，全年，今后五年，未来5年",
        "增长-1.5%，l0%，I1%，6%—6.5%，百分之五点五，双位数，两位数，3480亿元，2.5个百分点",
    ]
    for text in texts:
        for line in text.split("\n"):
            assert [(m.span(), m.groupdict()) for m in guarded.finditer(line)] == \
                [(m.span(), m.groupdict()) for m in bare.finditer(line)]


def test_each_county_figure_is_not_the_regions() -> None:
    # 县县/村村 (every county, every village) narrows the figure to each part, like 每个县.
    text = ("甲区2016年政府工作报告\n二、今后五年的主要目标\n到2020年，全区财政收入达到300亿元，镇镇财政收入达到15亿元，"
            "村村集体经济收入超过5万元。\n")
    facts, _ = extract.extract_facts([make_doc(text, year=2016)])
    values = set(rows(facts, indicator="fiscal_revenue")["value"])
    assert 300.0 in values and 15.0 not in values


def test_respectively_after_levels_that_rose_from_one_figure_to_another() -> None:
    # Each item states the level it rose from and to; 分别 pairs the growth figures with the items, not
    # with the figures (the level risen from is no item of its own).
    text = ("甲区2016年政府工作报告\n一、过去五年工作回顾\n五年来，全区地区生产总值由400亿元增加到650亿元，"
            "一般公共预算收入由30亿元增加到52亿元，年均分别增长9.5%和11.6%。\n")
    facts, _ = extract.extract_facts([make_doc(text, year=2016)])
    avg = rows(facts, measure="avg_growth_pct")
    assert dict(zip(avg["indicator"], avg["value"])) == {"gdp": 9.5, "budget_revenue": 11.6}


def test_bonded_zone_trade_is_a_part_of_the_regions() -> None:
    text = ("甲区2024年政府工作报告\n一、2023年工作回顾\n全区外贸进出口总额500亿元，增长6%；综保区进出口总额实现65亿元、"
            "同比增长58.5%。\n")
    facts, _ = extract.extract_facts([make_doc(text, year=2024)])
    values = set(rows(facts, indicator="foreign_trade")["value"])
    assert {500.0, 6.0} <= values and not values & {65.0, 58.5}


def test_county_aggregate_is_the_regions_own_only_in_a_county_report() -> None:
    # 县域 (the counties taken together) in a city's report is a part of the city; in a county's it is
    # the county itself.
    text = ("{r}2010年政府工作报告\n二、2010年工作安排\n今年全{s}地区生产总值增长12%，县域生产总值增长15%。\n")
    city = Document(doc_id="c", path=Path("c.txt"), raw_text="", text=text.format(r="甲市", s="市"), region="甲市",
                    report_year=2010, doc_type="work_report")
    county = Document(doc_id="k", path=Path("k.txt"), raw_text="", text=text.format(r="甲县", s="县"), region="甲县",
                      report_year=2010, doc_type="work_report")
    facts, _ = extract.extract_facts([city, county])
    gdp = rows(facts, indicator="gdp")
    assert sorted(gdp[gdp["doc_id"] == "c"]["value"]) == [12.0]
    assert sorted(gdp[gdp["doc_id"] == "k"]["value"]) == [12.0, 15.0]


def test_contracted_foreign_investment_is_not_utilised_fdi() -> None:
    text = ("甲区2005年政府工作报告\n一、2004年工作回顾\n全区合同利用外资41.4亿美元，实际利用外资21亿美元，分别增长20%和21.8%。\n")
    facts, _ = extract.extract_facts([make_doc(text, year=2005)])
    fdi = rows(facts, indicator="fdi")
    assert sorted(fdi["value"]) == [21.0, 21.8]


def test_a_part_may_be_followed_by_gong() -> None:
    # (三大开发区共实现…: 共 between the part and the indicator keeps it a part)
    text = ("甲区2012年政府工作报告\n一、2011年工作回顾\n工业生产稳步回升，三大开发区共实现规模以上工业总产值6855亿元，增长12%。\n")
    facts, _ = extract.extract_facts([make_doc(text, year=2012)])
    assert rows(facts, indicator="industrial_output").empty


def test_years_written_in_numerals_set_periods(tmp_path: Path) -> None:
    from analysis.corpus import load_corpus

    path = tmp_path / "甲省1959年政府工作报告.txt"
    path.write_text("甲省1959年政府工作报告\n一、一九五八年的工作\n一九五八年全省工业总产值比一九五七年增长百分之八十八。\n"
                    "二、一九五九年的任务\n一九五九年全省工业总产值比一九五八年增长百分之四十一。\n", encoding="utf-8")
    facts, _ = extract.extract_facts(load_corpus([path]))
    got = {(r.role, r.period, r.value) for r in rows(facts, indicator="industrial_output").itertuples()}
    assert got == {("outcome", "1958", 88.0), ("target", "1959", 41.0)}


def test_a_past_year_set_against_an_earlier_one_is_a_result_even_in_a_plan() -> None:
    text = ("甲区1982年政府工作报告\n一、1981年工作回顾\n全区经济稳定。\n二、1982年的主要任务\n"
            "社会商品零售总额，1981年比1980年增长9.8%，1982年要比1981年增长8.9%。\n")
    facts, _ = extract.extract_facts([make_doc(text, year=1982)])
    got = {(r.role, r.period, r.value) for r in rows(facts, indicator="retail_sales").itertuples()}
    assert got == {("outcome", "1981", 9.8), ("target", "1982", 8.9)}
