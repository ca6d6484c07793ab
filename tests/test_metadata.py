"""analysis.metadata: region, level, parent, year and type with their sources; the shared corpus check."""

from __future__ import annotations

from collections import Counter

import pytest

from analysis import corpus, regions
from analysis.metadata import read_metadata

from _shared_corpus import corpus_root

OPENING = "各位代表：\n现在，我代表{gov}人民政府向大会报告工作，请予审议，并请政协委员和其他列席人员提出意见。\n"
FILLER = "过去一年，我们坚持稳中求进，经济社会发展取得新成效，地区生产总值增长6.1%，城镇新增就业1.8万人。\n" * 3


def md_of(text: str, **kw):
    return read_metadata(text, **kw)


def test_year_never_from_a_review_phrase():
    text = "政府工作报告\n" + OPENING.format(gov="区") + "要点之一:2022年工作回顾\n" + FILLER
    assert md_of(text).report_year is None
    text = "政府工作报告\n" + OPENING.format(gov="区") + "会议回顾了2012年的政府工作。\n" + FILLER
    assert md_of(text).report_year is None
    text = "2023年政府工作报告\n" + OPENING.format(gov="区") + "一、2022年工作回顾\n" + FILLER
    md = md_of(text)
    assert md.report_year == 2023 and md.sources["report_year"] == "title"


def test_region_never_from_a_commission_phrase():
    text = "政府工作报告\n受区人民政府委托，现将工作报告如下。\n" + OPENING.format(gov="区") + FILLER
    md = md_of(text)
    assert md.region != "受区" and (md.region is None or "受" not in md.region)


def test_title_with_year_before_the_name():
    md = md_of("2003年东莞市人民政府工作报告\n" + OPENING.format(gov="市") + FILLER)
    assert (md.region, md.report_year, md.level, md.parent) == ("东莞市", 2003, "prefecture", "广东省")
    assert md.sources["region"] == "title" and md.sources["level"] == "gazetteer"


def test_self_references():
    md = md_of("政府工作报告\n" + OPENING.format(gov="龙岗区") + FILLER)
    assert (md.region, md.parent, md.sources["region"]) == ("龙岗区", "深圳市", "self_reference")
    md = md_of("政府工作报告\n" + OPENING.format(gov="市") + "今年上海主要预期目标是：地区生产总值增长5.5%左右。\n" + FILLER)
    assert (md.region, md.level) == ("上海市", "province")


def test_news_summary_is_read_not_dropped(tmp_path):
    text = ("龙岗区第七届人民代表大会第三次会议开幕\n本报讯 1月8日上午，龙岗区区长张某在区第七届人民代表大会第三次会议上"
            "作政府工作报告。报告提出，2023年全区地区生产总值增长6%左右，一般公共预算收入增长5%。\n"
            "报告指出，过去一年全区城镇新增就业1.8万人，完成固定资产投资增长9.8%。\n" + FILLER)
    (tmp_path / "news.txt").write_text(text, encoding="utf-8")
    d = corpus.load_document(tmp_path / "news.txt")
    assert d.doc_type == "news_summary" and d.region == "龙岗区"
    assert d.status == "no_metadata"  # no title or date line gives the year: it says so
    assert "report_year" in corpus.problem_lines([d])[0]


def test_date_lines():
    md = md_of("政府工作报告\n——二〇一二年一月六日在河北省第十一届人民代表大会第五次会议上\n" + OPENING.format(gov="省") + FILLER)
    assert (md.meeting_date, md.report_year, md.region) == ("2012-01-06", 2012, "河北省")
    # A report delivered in December is the next year's.
    md = md_of("政府工作报告\n——2022年12月26日在泸州市第九届人民代表大会第二次会议上\n" + OPENING.format(gov="市") + FILLER)
    assert (md.report_year, md.region, md.sources["report_year"]) == (2023, "泸州市", "date_line")
    # A sentence opening with a date is not a date line.
    md = md_of("政府工作报告\n2018年10月24日，有关领导来我区视察。\n" + OPENING.format(gov="区") + FILLER)
    assert md.meeting_date is None and md.report_year is None


def test_national_report():
    md = md_of("政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 某某\n"
               "各位代表：\n现在，我代表国务院，向大会报告政府工作。\n" + FILLER)
    assert (md.region, md.level, md.report_year, md.doc_type) == ("中国", "national", 2024, "work_report")


@pytest.mark.parametrize("title, kind", [
    ("某某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "fyp_outline"),
    ("关于某某市2022年国民经济和社会发展计划执行情况与2023年计划草案的报告", "plan_execution"),
    ("关于某某市2022年预算执行情况和2023年预算草案的报告", "budget_report"),
    ("2023年某某市政府工作报告", "work_report"),
])
def test_doc_types(title, kind):
    assert md_of(title + "\n" + FILLER).doc_type == kind


def test_year_from_url_only_when_the_review_agrees():
    body = "政府工作报告\n" + OPENING.format(gov="省") + "一、2022年工作回顾\n" + FILLER
    md = md_of(body, hints={"url": "https://www.example.gov.cn/2023/01-29/123.html", "title": "政府工作报告"})
    assert (md.report_year, md.sources["report_year"]) == (2023, "url_date")
    # Re-posted years later: the URL's date disagrees with the review, so no year.
    md = md_of(body, hints={"url": "https://www.example.gov.cn/2019/03-20/123.html"})
    assert md.report_year is None


def test_pinyin_glosses_removed_and_recorded(tmp_path):
    text = ("某某區2022年政府工作報告\n各位代表：\n現在，我代表區人民政府向大會作政府工作報告。\n"
            "全年實現地區(qū)生產(chǎn)總值1209億元，增長8.5%，城鎮(zhèn)新增就業2.6萬人。\n" + "我們堅持穩中求進，推動經濟高質量發展。\n" * 12)
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    d = corpus.load_document(tmp_path / "p.txt")
    assert "地区生产总值1209亿元" in d.text and "城镇新增就业" in d.text
    glosses = [r for r in d.removed if r.reason == "pinyin_gloss"]
    assert [r.text for r in glosses] == ["(qū)", "(chǎn)", "(zhèn)"]
    assert all(d.raw_text[r.raw_start:r.raw_end] == r.text for r in glosses)
    i = d.text.index("地区生产总值")
    assert d.raw_text[slice(*d.raw_span(i, i + 6))] == "地區(qū)生產(chǎn)總值"
    assert "GDP" in corpus.load_document(_write(tmp_path / "g.txt", text.replace("(qū)", "(GDP)"))).text


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the shared corpus

def test_shared_corpus_metadata_from_the_text_alone(tmp_path_factory, capsys):
    """Region, level, parent and year read WITHOUT the path, against the folder and file names."""
    root = corpus_root(tmp_path_factory)
    right: Counter = Counter()
    wrong: dict[str, list[str]] = {}
    n = national_type_right = national = 0
    for f in sorted(root.rglob("*.md")):
        rel = f.relative_to(root).with_suffix("")
        top, *mid, stem = rel.parts
        expected = regions.resolve(mid[0] if mid else "中国")
        d = corpus.load_file(f, doc_id=rel.as_posix(), use_path=False)[0]
        n += 1
        checks = {"region": d.region == expected.name, "level": d.level == expected.level,
                  "parent": (d.parent or "") == expected.parent, "report_year": d.report_year == int(stem[:4])}
        checks["all four"] = all(checks.values())
        for k, ok in checks.items():
            right[k] += ok
            if not ok:
                wrong.setdefault(k, []).append(rel.as_posix())
        if not mid:
            national += 1
            national_type_right += d.doc_type == "work_report"
    rates = {k: right[k] / n for k in ("region", "level", "parent", "report_year", "all four")}
    with capsys.disabled():
        print(f"\n{n} reports: " + ", ".join(f"{k} {v:.2%}" for k, v in rates.items())
              + f"; national type {national_type_right}/{national}")
    assert n > 3000
    for k in ("region", "level", "parent"):
        assert rates[k] >= 0.99, (k, rates[k], wrong.get(k, [])[:20])
    assert rates["report_year"] >= 0.98, wrong.get("report_year", [])[:20]
    assert national_type_right == national


def test_a_district_report_without_its_name_does_not_take_its_province():
    text = ("政府工作报告\n" + OPENING.format(gov="区") + "全区上下在广东省委、省政府和市委的领导下，"
            "落实广东省的部署，全区经济平稳增长。\n" + FILLER)
    assert md_of(text).region is None
    text = ("政府工作报告\n" + OPENING.format(gov="区") + "全区各族人民在自治区党委领导下，新疆经济平稳增长，"
            "新疆各项事业全面进步，新疆人民生活持续改善。\n" + FILLER)
    assert md_of(text).region == "新疆维吾尔自治区"
