"""Raw offsets (facts' raw_start/raw_end, removed spans) index the decoded file, not the reader's text:
for Markdown that means front matter and markup included (a synthetic report and real corpus files)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest

from _shared_corpus import corpus_root
from analysis import corpus, extract
from analysis.decode import decode_bytes
from analysis.normalize import char_edits, to_simplified
from analysis.offsets import apply_edits, identity_map
from analysis.readers import Record, markdown

# A report written for these tests (no text from any real report): front matter, headings, emphasis,
# links, an image, a quote, an HTML comment, a table, and a repeated paragraph that normalisation drops.
REVIEW = ("过去一年，全区[地区生产总值](https://example.org/gdp)达到860亿元，增长**6.1%**；"
          "一般公共预算收入完成42.5亿元，增长5.3%；![图](a.png)城镇新增就业1.8万人。")
MD = f"""---
title: 2023年某某市某某区人民政府工作报告
source: https://example.org/a.html
---

# 2023年某某市某某区人民政府工作报告

**——2023年1月10日在某某市某某区第五届人民代表大会第三次会议上**

各位代表：

现在，我代表区人民政府向大会报告工作，请予审议，并请区政协委员和其他列席人员提出意见。

## 一、2022年工作回顾

{REVIEW}

> 外贸进出口总额完成120亿元，增长*4.5%*。<!-- 注释 -->

## 二、2023年主要目标

| 指标 | 目标 |
|---|---|
| 地区生产总值 | 增长6%左右 |
|一般公共预算收入|增长5%|

今年经济社会发展的主要预期目标是：城镇新增就业1.5万人以上，居民人均可支配收入增长与经济增长基本同步。

{REVIEW}

我们要坚定信心，真抓实干，奋力谱写高质量发展新篇章！
"""


def _plain(s: str, script: str | None = "simplified") -> str:
    """A raw clause as the clean text has it, give or take whitespace: normalised characters,
    link and image syntax reduced to their text, markup characters and whitespace gone."""
    s, edits = char_edits(s)
    s = apply_edits(s, identity_map(len(s)), edits)[0]
    s = re.sub(r"!?\[([^\]\n]*)\]\([^)\n]*\)", r"\1", s)
    s = re.sub(r"<!--.*?-->|[\s|*_#>]", "", s, flags=re.S)
    return to_simplified(s) if script == "traditional" else s


@pytest.fixture(scope="module")
def md_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("md") / "r.md"
    path.write_text(MD, encoding="utf-8")
    doc = corpus.load_document(path)
    assert doc.ok, doc.warnings
    return doc


def test_markdown_raw_text_is_the_decoded_file(md_doc):
    assert md_doc.raw_text == MD
    assert md_doc.raw_text != md_doc.text and "**" not in md_doc.text


def test_markdown_fact_offsets_point_into_the_file(md_doc):
    facts, assessments = extract.extract_document(md_doc)
    rows = facts + assessments
    indicators = {r["indicator"] for r in facts}
    assert {"gdp", "budget_revenue", "foreign_trade", "new_jobs"} <= indicators
    table_rows = [r for r in facts if r["quote"] == "地区生产总值 增长6%左右"]
    assert table_rows, [r["quote"] for r in facts]
    for r in rows:
        quote, rs, re_ = r["quote"], r["raw_start"], r["raw_end"]
        raw = MD[rs:re_]
        assert raw[0] == quote[0] and raw[-1] == quote[-1], (quote, raw)
        assert _plain(raw) == _plain(quote), (quote, raw)
        # Every clean character but a cell-joining space is the file character it points at.
        for i in range(r["char_start"], r["char_end"]):
            if md_doc.text[i] != " ":
                assert MD[md_doc.clean_to_raw[i]] == md_doc.text[i], (quote, i)
    # The link, the emphasis and the table ruler are in the file between start and end.
    assert any("](https://example.org/gdp)" in MD[r["raw_start"]:r["raw_end"]] for r in facts)
    assert any("**" in MD[r["raw_start"]:r["raw_end"]] for r in facts)
    assert MD[table_rows[0]["raw_start"]:table_rows[0]["raw_end"]] == "地区生产总值 | 增长6%左右"


def test_markdown_removed_spans_point_into_the_file(md_doc):
    dups = [r for r in md_doc.removed if r.reason == "duplicate_paragraph"]
    assert len(dups) == 1
    r = dups[0]
    # The later copy, with its markup, exactly as it stands in the file.
    assert (r.raw_start, r.raw_end) == (MD.rindex(REVIEW), MD.rindex(REVIEW) + len(REVIEW))
    assert MD[r.raw_start:r.raw_end] == r.text == REVIEW
    table = corpus.removed_spans_table([md_doc])
    assert (table["raw_end"] <= len(MD)).all() and len(table) == len(md_doc.removed)


def test_text_offsets_still_index_the_decoded_file(tmp_path):
    raw = "\ufeff" + MD.split("---\n", 2)[2].replace("\n", "\r\n")  # UTF-8 with BOM and CRLF, read as .txt
    (tmp_path / "r.txt").write_bytes(raw.encode("utf-8"))
    doc = corpus.load_document(tmp_path / "r.txt")
    decoded, _ = decode_bytes(raw.encode("utf-8"))
    assert doc.raw_text == decoded
    facts, _ = extract.extract_document(doc)
    assert facts
    for r in facts:
        assert _plain(decoded[r["raw_start"]:r["raw_end"]]) == _plain(r["quote"])


def test_markup_map_is_exact_on_tricky_markup():
    body = ("## 标题 ##\n\n|a|b||c |\n| --- | :-: |\n|   |  |\n**粗*斜*体**与__下划线__\n"
            "[^1]: 注释\n见[链接](http://x.org/(a))[^2]。\n<!-- 多\n行 -->末行  \n***\n")
    text, cmap = markdown.strip_markup_map(body)
    assert cmap.shape == (len(text) + 1,) and cmap[-1] == len(body)
    assert (np.diff(cmap) > 0).all()
    for i, ch in enumerate(text):
        assert ch == " " or body[cmap[i]] == ch, (i, ch)
    assert "a b c" in text.splitlines()  # cells joined by a space that stands for the "|" gap
    assert body[cmap[text.index("a b c") + 1]] == "|"


def test_checked_file_map_rejects_a_map_that_does_not_hold():
    file_text, text = "# 标题\n正文", "标题\n正文"
    good = np.array([2, 3, 4, 5, 6, 7])
    assert corpus.checked_file_map(text, file_text, good) is not None
    assert corpus.checked_file_map(text, file_text, good[:-1]) is None  # wrong length
    assert corpus.checked_file_map(text, file_text, good - 1) is None  # wrong characters
    assert corpus.checked_file_map(text, file_text, np.array([2, 3, 3, 5, 6, 7])) is None  # not increasing
    assert corpus.checked_file_map(text, file_text, good + 1) is None  # past the end


def test_a_bad_reader_map_falls_back_to_the_reader_text(md_doc, monkeypatch, tmp_path):
    real = markdown.read

    def broken(path, data):
        recs = real(path, data)
        recs[0].file_map = recs[0].file_map[:-2]
        return recs

    monkeypatch.setattr(markdown, "read", broken)
    (tmp_path / "r.md").write_text(MD, encoding="utf-8")
    doc = corpus.load_document(tmp_path / "r.md")
    assert doc.ok and doc.text == md_doc.text
    assert doc.raw_text == markdown.strip_markup(MD.split("---\n", 2)[2])
    assert any("raw offsets refer to the text the markdown reader produced" in w for w in doc.warnings)
    rec = Record(text="x")
    assert rec.file_text is None and rec.file_map is None


def test_real_corpus_facts_point_into_their_files(tmp_path_factory):
    root = corpus_root(tmp_path_factory)
    files = sorted(root.rglob("*.md"))
    if not files:
        pytest.skip("no Markdown files in the shared corpus")
    rnd = random.Random(2016)
    checked = 0
    for path in rnd.sample(files, 5):
        doc = corpus.load_document(path, doc_id=path.relative_to(root).with_suffix("").as_posix())
        decoded, _ = decode_bytes(path.read_bytes())
        assert doc.raw_text == decoded, path
        if not doc.ok:
            continue
        facts, _ = extract.extract_document(doc)
        for r in rnd.sample(facts, min(20, len(facts))):
            raw = decoded[r["raw_start"]:r["raw_end"]]
            assert _plain(raw, doc.script) == _plain(r["quote"], doc.script), (path, r["quote"], raw)
            checked += 1
    assert checked >= 50
