"""analysis.readers and corpus loading: every format, nested folders, globs, the sidecar, doc_ids."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import corpus, readers

# A report written for these tests in the genre's style (no text from any real report).
TITLE = "2023年某某市某某区人民政府工作报告"
DATE = "——2023年1月10日在某某市某某区第五届人民代表大会第三次会议上"
BODY = [
    "各位代表：",
    "现在，我代表区人民政府向大会报告工作，请予审议，并请区政协委员和其他列席人员提出意见。",
    "一、2022年工作回顾",
    "过去一年，我们坚持稳中求进工作总基调，全区地区生产总值达到860亿元，增长6.1%；"
    "一般公共预算收入完成42.5亿元，增长5.3%；城镇新增就业1.8万人。",
    "二、2023年主要目标",
    "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%，"
    "城镇新增就业1.5万人以上，居民人均可支配收入增长与经济增长基本同步。",
    "我们要坚定信心，真抓实干，奋力谱写高质量发展新篇章！",
]
REPORT = "\n".join([TITLE, DATE, *BODY]) + "\n"


def one(docs):
    assert len(docs) == 1, [d.doc_id for d in docs]
    return docs[0]


def test_registry_has_one_reader_per_format():
    reg = readers.registry()
    for ext in (".txt", ".md", ".html", ".htm", ".csv", ".jsonl", ".parquet", ".docx", ".pdf"):
        assert ext in reg
    assert reg[".csv"] is reg[".parquet"] and reg[".md"] is not reg[".txt"]


def test_markdown_front_matter_and_markup(tmp_path):
    md = ("---\ntitle: 2023年某某市某某区人民政府工作报告\nsource: https://example.org/a.html\n---\n\n"
          f"**{DATE}**\n\n" + "\n\n".join(BODY[:3]) + "\n\n## 主要指标\n\n| 指标 | 目标 |\n|---|---|\n"
          "| 地区生产总值 | 增长6%左右 |\n\n" + "\n\n".join(BODY[3:]) + "\n")
    (tmp_path / "r.md").write_text(md, encoding="utf-8")
    d = one(corpus.load_corpus(tmp_path))
    assert d.ok and d.reader == "markdown"
    assert "**" not in d.text and "---" not in d.text and "source:" not in d.text
    assert d.raw_text == md  # raw offsets index the decoded file, front matter and markup included
    assert "地区生产总值 增长6%左右" in d.text  # a table row kept as one line
    assert (d.region, d.report_year, d.doc_type) == ("某某区", 2023, "work_report")
    assert d.region_source == "front_matter" and d.report_year_source == "front_matter"
    assert d.meeting_date == "2023-01-10"


def test_html_main_content_and_page_charset(tmp_path):
    nav = "<nav><a href='/'>首页</a> | <a href='/news'>新闻中心</a> | <a href='/gk'>政务公开</a></nav>"
    paras = "".join(f"<p>{p}</p>" for p in [TITLE, DATE, *BODY])
    page = (f"<html><head><meta charset='gbk'><title>{TITLE}</title></head><body>{nav}"
            f"<article>{paras}</article><footer>版权所有 某某区人民政府办公室 备案号</footer></body></html>")
    (tmp_path / "page.html").write_bytes(page.encode("gbk"))
    d = one(corpus.load_corpus(tmp_path))
    assert d.ok and d.reader == "html" and d.encoding == "gb18030"
    assert "地区生产总值增长6%左右" in d.text and "新闻中心" not in d.text
    assert (d.region, d.report_year) == ("某某区", 2023)


def test_table_formats_one_report_per_row(tmp_path):
    rows = [
        {"id": "a1", "title": TITLE, "full_text": REPORT, "province": "广东省", "city": "某某市", "year": 2023},
        {"id": "b2", "title": "", "full_text": "\n".join(BODY), "province": "", "city": "乙乙市", "year": 2021},
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "t.csv", index=False)
    (tmp_path / "t2.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    pd.DataFrame(rows).rename(columns={"full_text": "正文", "year": "年份"}).to_parquet(tmp_path / "t3.parquet")
    docs = corpus.load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["t/a1", "t/b2", "t2/a1", "t2/b2", "t3/a1", "t3/b2"]
    for d in docs:
        assert d.reader == "table" and d.source_row in (1, 2), d.warnings
    # The same rows in three formats: the first file's rows are used, the others are copies.
    assert [d.status for d in docs] == ["ok", "ok"] + ["copy"] * 4
    assert [d.region for d in docs[:2]] == ["某某市", "乙乙市"]  # the column beats the text's 某某区
    assert docs[0].region_source == "column" and docs[0].parent == "广东省"
    assert [d.report_year for d in docs] == [2023, 2021] * 3
    assert corpus.documents_table(docs)["source_row"].tolist() == [1, 2] * 3


def test_table_without_text_column_says_which_columns(tmp_path):
    pd.DataFrame([{"a": 1, "b": 2}]).to_csv(tmp_path / "x.csv", index=False)
    d = one(corpus.load_corpus(tmp_path))
    assert d.status == "not_a_report" and "full_text" in d.warnings[0] and "x.csv" in d.warnings[0]


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in [TITLE, DATE, *BODY]:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "城镇新增就业", "1.5万人以上"
    document.save(tmp_path / "r.docx")
    d = one(corpus.load_corpus(tmp_path))
    assert d.ok and d.reader == "docx" and "城镇新增就业 1.5万人以上" in d.text
    assert (d.region, d.report_year, d.doc_type) == ("某某区", 2023, "work_report")


def _pdf(path, lines):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis import fonts

    fonts.use_cjk_font()
    with plt.rc_context({"pdf.fonttype": 42}):
        fig = plt.figure(figsize=(8.27, 11.69))
        for i, line in enumerate(lines):
            fig.text(0.04, 0.96 - i * 0.03, line, fontsize=7)
        fig.savefig(path)
        plt.close(fig)


def test_pdf_with_text_layer_and_scan(tmp_path):
    pytest.importorskip("pypdf")
    lines = [TITLE, DATE] + [p[i:i + 60] for p in BODY for i in range(0, len(p), 60)]
    _pdf(tmp_path / "r.pdf", lines)
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    with open(tmp_path / "scan.pdf", "wb") as f:
        w.write(f)
    docs = corpus.load_corpus(tmp_path)
    r, scan = docs
    assert r.ok and r.reader == "pdf" and r.source_page == "1-1" and "地区生产总值" in r.text
    assert (r.region, r.report_year) == ("某某区", 2023)
    assert scan.status == "no_text_layer" and "scan.pdf" in corpus.problem_lines([scan])[0]


def test_nested_folders_with_equal_file_names(tmp_path):
    for region in ("甲甲区", "乙乙区"):
        (tmp_path / "报告" / region).mkdir(parents=True)
        for year in (2022, 2023):
            (tmp_path / "报告" / region / f"{year}.md").write_text(
                REPORT.replace("某某区", region).replace("2023", str(year)), encoding="utf-8")
    (tmp_path / "报告" / ".git").mkdir()
    (tmp_path / "报告" / ".git" / "x.txt").write_text(REPORT, encoding="utf-8")
    docs = corpus.load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["报告/乙乙区/2022", "报告/乙乙区/2023", "报告/甲甲区/2022", "报告/甲甲区/2023"]
    assert all(d.ok for d in docs) and len({(d.region, d.report_year) for d in docs}) == 4
    only = corpus.load_corpus(tmp_path, glob="**/甲甲区/*.md")
    assert [d.doc_id for d in only] == ["报告/甲甲区/2022", "报告/甲甲区/2023"]
    out = corpus.write_normalized(docs, tmp_path / "out")
    assert sorted(p.name for p in out) == sorted(corpus.safe_name(d.doc_id) + ".txt" for d in docs)
    assert all(p.parent == tmp_path / "out" for p in out)


def test_same_stem_in_two_formats_keeps_both(tmp_path):
    (tmp_path / "2023.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "2023.md").write_text(REPORT, encoding="utf-8")
    ids = [d.doc_id for d in corpus.load_corpus(tmp_path)]
    assert len(set(ids)) == 2 and "2023" in ids


def test_path_metadata_when_the_text_is_silent(tmp_path):
    # No title, no date line, no name: only the folder and file names tell.
    body = "\n".join(BODY).replace("区人民政府", "人民政府").replace("一、2022年工作回顾", "一、过去一年工作回顾")
    (tmp_path / "河北省").mkdir()
    (tmp_path / "河北省" / "石家庄市_2019.txt").write_text(body, encoding="utf-8")
    d = one(corpus.load_corpus(tmp_path))
    assert (d.region, d.report_year, d.level, d.parent) == ("石家庄市", 2019, "prefecture", "河北省")
    assert d.region_source == "path" and d.report_year_source == "path" and d.level_source == "gazetteer"
    silent = one(corpus.load_corpus(tmp_path, use_path=False))
    assert silent.status == "no_metadata"
    line = corpus.problem_lines([silent])[0]
    assert "石家庄市_2019.txt" in line and "report_year" in line and "metadata.csv" in line


def test_sidecar_overrides_everything(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(BODY), encoding="utf-8")
    pd.DataFrame([
        {"doc_id": "a/r", "file": "", "region": "荔湾区", "report_year": "2019", "doc_type": ""},
        {"doc_id": "", "file": "b.txt", "region": "五莲县", "report_year": "2020", "doc_type": ""},
    ]).to_csv(tmp_path / "metadata.csv", index=False)
    docs = corpus.load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["a/r", "b"]  # the sidecar itself is not a report
    a, b = docs
    assert (a.region, a.report_year, a.parent, a.level) == ("荔湾区", 2019, "广州市", "district")
    assert a.region_source == "sidecar" and a.report_year_source == "sidecar" and a.doc_type_source == "title"
    assert b.ok and (b.region, b.report_year, b.parent) == ("五莲县", 2020, "日照市")


def test_documents_table_has_sources_and_provenance(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    table = corpus.documents_table(corpus.load_corpus(tmp_path))
    for col in ("level", "parent", "region_code", "region_source", "report_year_source", "doc_type_source",
                "level_source", "parent_source", "source_file", "source_row", "source_page", "reader"):
        assert col in table.columns
    row = table.iloc[0]
    assert row["reader"] == "text" and row["source_file"].endswith("r.txt") and row["level"] == "district"
