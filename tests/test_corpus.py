"""analysis.corpus: decoding, t2s + Taiwan phrases, full-width, junk removal, offsets, metadata, bad input."""

from __future__ import annotations

import codecs
import random
import re
import subprocess
import sys

import pytest

from analysis import corpus
from analysis.normalize import taiwan_phrase_edits, to_simplified
from analysis.paths import PROJECT_DIR, SEEDS_DIR

# ---------------------------------------------------------------- sample texts

TITLE = "广州市某某区2022年政府工作报告"
DATE_LINE = "——2022年1月18日在广州市某某区第十七届人民代表大会第一次会议上"
BODY = [
    "各位代表：",
    "现在，我代表区人民政府向大会作政府工作报告，请予审议，并请政协委员和其他列席人员提出意见。",
    "一、2021年工作回顾",
    "过去一年，面对复杂严峻的国内外环境，我们坚持稳中求进工作总基调，全区经济社会发展取得新成效。"
    "地区生产总值增长5.5%，达到1280亿元；一般公共预算收入完成86.3亿元，增长7.2%。",
    "城镇新增就业2.6万人，城镇登记失业率控制在3%以内。固定资产投资增长9.8%，"
    "高新技术企业达到1350家，研发经费投入强度提高到3.1%。",
    "民生保障持续加强，新建改建幼儿园12所，新增学位5400个，完成老旧小区改造35个。"
    "生态环境质量明显改善，空气质量优良天数比例达到92.6%。",
    "二、2022年主要目标",
    "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%，"
    "城镇新增就业2万人以上，居民人均可支配收入增长与经济增长基本同步。",
    "我们要坚定信心，真抓实干，以优异成绩迎接党的二十大胜利召开！",
]
REPORT = "\n".join([TITLE, DATE_LINE, *BODY]) + "\n"

# The same report as a Taiwan / Hong Kong site would show it (traditional characters).
TRAD_REPORT = (
    "廣州市某某區2022年政府工作報告\n"
    "——2022年1月18日在廣州市某某區第十七屆人民代表大會第一次會議上\n"
    "各位代表：\n"
    "現在，我代表區人民政府向大會作政府工作報告，請予審議，並請政協委員和其他列席人員提出意見。\n"
    "一、2021年工作回顧\n"
    "過去一年，面對複雜嚴峻的國內外環境，我們堅持穩中求進工作總基調，全區經濟社會發展取得新成效。"
    "地區生產總值增長5.5%，達到1280億元；一般公共預算收入完成86.3億元，增長7.2%。\n"
    "城鎮新增就業2.6萬人，城鎮登記失業率控制在3%以內。固定資產投資增長9.8%，"
    "高新技術企業達到1350家，研發經費投入強度提高到3.1%。\n"
    "民生保障持續加強，新建改建幼兒園12所，新增學位5400個，完成老舊小區改造35個。"
    "生態環境質量明顯改善，空氣質量優良天數比例達到92.6%。\n"
    "二、2022年主要目標\n"
    "今年經濟社會發展的主要預期目標是：地區生產總值增長6%左右，一般公共預算收入增長5%，"
    "城鎮新增就業2萬人以上，居民人均可支配收入增長與經濟增長基本同步。\n"
    "我們要堅定信心，真抓實幹，以優異成績迎接黨的二十大勝利召開！\n"
)

REPORT_KEYWORD_RE = re.compile(r"地区生产总值|增长|亿元|万人|目标")


def write(path, data: bytes | str, encoding: str = "utf-8"):
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def load_one(path, **kw) -> corpus.Document:
    docs = corpus.load_corpus([path], **kw)
    assert len(docs) == 1
    return docs[0]


@pytest.fixture(scope="module")
def seeds() -> dict[str, corpus.Document]:
    docs = corpus.load_corpus(SEEDS_DIR)
    return {d.doc_id[:3]: d for d in docs}


# ---------------------------------------------------------------- decoding

def test_all_encodings_decode_to_the_same_clean_text(tmp_path):
    variants = {
        "utf8.txt": (REPORT.encode("utf-8"), "utf-8"),
        "bom.txt": (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
        "gb.txt": (REPORT.encode("gb18030"), "gb18030"),
        "big5.txt": (TRAD_REPORT.encode("big5"), "big5"),
        "u16.txt": (REPORT.encode("utf-16"), "utf-16"),  # Python writes a BOM
    }
    texts = {}
    for name, (data, enc) in variants.items():
        doc = load_one(write(tmp_path / name, data))
        assert doc.status == "ok", (name, doc.warnings)
        assert doc.encoding == enc, name
        texts[name] = doc.text
    ref = texts["utf8.txt"]
    assert "地区生产总值增长5.5%" in ref and ref.startswith(TITLE)
    for name, t in texts.items():
        assert t == ref, name
    assert load_one(tmp_path / "big5.txt").script == "traditional"
    assert load_one(tmp_path / "gb.txt").script == "simplified"


def test_utf16_without_bom_needs_evidence(tmp_path):
    # A GBK file: decodes cleanly as UTF-16 too (any even-length byte string does), but is GBK.
    gbk = REPORT.encode("gbk")
    if len(gbk) % 2:
        gbk += b"\n"
    doc = load_one(write(tmp_path / "gbk.txt", gbk))
    assert doc.encoding == "gb18030" and not doc.encoding.startswith("utf-16")
    assert "地区生产总值增长5.5%" in doc.text
    # Random high bytes: not to be read as UTF-16 Chinese either.
    rnd = random.Random(7)
    noise = bytes(rnd.randrange(0x80, 0x100) for _ in range(4000))
    doc = load_one(write(tmp_path / "noise.txt", noise))
    assert not (doc.encoding or "").startswith("utf-16")
    assert doc.status != "ok"
    # With evidence (ASCII digits → NUL bytes at alternating positions) UTF-16-LE is recognised.
    doc = load_one(write(tmp_path / "le.txt", REPORT.encode("utf-16-le")))
    assert doc.encoding == "utf-16-le" and doc.text == load_one(write(tmp_path / "u8.txt", REPORT)).text


# ---------------------------------------------------------------- traditional → simplified

TRAD_WORDS = (
    "推動智慧城市建設，建立企業檔案，提升行政效能。新增就業指標完成，核心區建設。"
    "推進政府流程最佳化，加快數位化轉型，發展網際網路產業和晶片製造，推廣智慧型設備，"
    "建設捷運線路，帶著感情做好服務，成效顯著。"
)


def _trad_doc(tmp_path, body: str, name: str = "trad.txt") -> corpus.Document:
    text = TRAD_REPORT.replace("我們要堅定信心", body + "\n我們要堅定信心")
    return load_one(write(tmp_path / name, text))


def test_traditional_words_become_mainland_words(tmp_path):
    doc = _trad_doc(tmp_path, TRAD_WORDS)
    assert doc.script == "traditional" and doc.status == "ok"
    t = doc.text
    for w in ("新增就业", "指标", "核心", "智慧城市", "建立", "档案", "效能", "优化", "数字化", "互联网",
              "芯片", "智能", "地铁", "带着", "显著"):
        assert w in t, w
    for bad in ("添加", "指针", "内核", "创建", "文件", "性能", "最佳化", "数位", "网际网路", "晶片",
                "智慧型", "捷运", "带著", "显着"):
        assert bad not in t, bad


def test_same_result_from_big5_file(tmp_path):
    text = TRAD_REPORT.replace("我們要堅定信心", TRAD_WORDS + "\n我們要堅定信心")
    doc = load_one(write(tmp_path / "b5.txt", text.encode("big5")))
    assert doc.encoding == "big5"
    assert "新增就业指标完成" in doc.text and "数字化转型" in doc.text and "晶片" not in doc.text


def test_simplified_document_is_not_converted(tmp_path):
    # Characters that t2s or the Taiwan map would change if applied to a simplified text.
    extra = "著名企业著作权保护持续加强，一批智慧型人才加入，发展数位化产业的历史经验值得总结。"
    doc = load_one(write(tmp_path / "s.txt", REPORT.replace("我们要坚定信心", extra + "\n我们要坚定信心")))
    assert doc.script == "simplified"
    assert extra in doc.text


def test_seed_001_traditional_reads_as_simplified(seeds):
    doc = seeds["001"]
    assert doc.script == "traditional" and doc.status == "ok"
    assert "新增就业" in doc.text
    assert "區" not in doc.text and "報告" not in doc.text and "海珠区" in doc.text
    assert "添加就业" not in doc.text


# ---------------------------------------------------------------- full-width

def test_fullwidth_digits_letters_signs(tmp_path):
    line = "全年实现ＧＤＰ增长８．５％，其中ｅ政务服务事项１２０项，占比达到９８％。"
    doc = load_one(write(tmp_path / "fw.txt", REPORT.replace("我们要坚定信心", line + "\n我们要坚定信心")))
    assert "全年实现GDP增长8.5%，其中e政务服务事项120项，占比达到98%。" in doc.text
    assert not re.search(r"[０-９Ａ-Ｚａ-ｚ％]", doc.text)
    assert "，" in doc.text and "。" in doc.text and "：" in doc.text


def test_years_of_the_1900s_in_numerals_read_as_digits(tmp_path):
    # Reports before the 1990s write years in numerals; each is read digit for digit (no position moves),
    # so the rules that read years read them. A plan title's 二〇三五年 and a count are left alone.
    line = "一九八一年比一九八〇年增长百分之九点八，一九九○年翻一番，到二〇三五年远景目标，共十一九八个。"
    doc = load_one(write(tmp_path / "cn.txt", REPORT.replace("我们要坚定信心", line + "\n我们要坚定信心")))
    assert "1981年比1980年增长百分之九点八，1990年翻一番，到二〇三五年远景目标，共十一九八个。" in doc.text
    at = doc.text.index("1981年")
    assert doc.raw_text[doc.raw_span(at, at + 5)[0]:doc.raw_span(at, at + 5)[1]] == "一九八一年"

# ---------------------------------------------------------------- junk

JUNK_HEAD = [
    "首页 | 新闻 | 登录",
    "首页",
    "新闻",
    "登录",
    "注册",
    "当前位置：首页 > 政务公开 > 政府工作报告",
    "TA的每日心情",
    "开心",
    "签到天数: 4 天",
    "2966",
    "主题",
    "2975",
    "帖子",
    "积分",
    "20866",
    "发表于 2022-1-20 10:40:37 | 显示全部楼层 |阅读模式",
]
SPAM = "澳门在线网投平台"
JUNK_TAIL = [
    "相关词条",
    "海珠区 政府工作报告 荔湾区",
    "联络我们",
    "版权所有 © 2022 某某网 粤ICP备12345678号",
]


def _junk_page() -> str:
    body = list(BODY)
    # The spam site's banner, repeated inside paragraphs and as lines of its own.
    body[1] = SPAM + body[1]
    body[4] = body[4] + SPAM
    lines = JUNK_HEAD + [SPAM, TITLE, DATE_LINE] + body[:5] + [SPAM] + body[5:] + JUNK_TAIL
    return "\n".join(lines) + "\n"


def test_junk_removed_and_recorded_report_kept(tmp_path):
    raw = _junk_page()
    doc = load_one(write(tmp_path / "junk.txt", raw))
    assert doc.status == "ok", doc.warnings
    t = doc.text
    for junk in ("首页", "登录", "签到天数", "20866", "帖子", "显示全部楼层", SPAM, "网投", "相关词条",
                 "联络我们", "ICP备", "当前位置"):
        assert junk not in t, junk
    for line in BODY:
        assert line in t, line
    assert TITLE in t and DATE_LINE in t
    assert doc.removed
    reasons = {r.reason for r in doc.removed}
    assert {"navigation", "forum_panel", "spam_banner"} <= reasons, reasons
    removed_text = "".join(r.text for r in doc.removed)
    for junk in ("签到天数: 4 天", "20866", "帖子", "相关词条", "联络我们", "首页 | 新闻 | 登录"):
        assert junk in removed_text, junk
    assert removed_text.count(SPAM) == 4
    for r in doc.removed:
        assert r.reason
        assert 0 <= r.raw_start < r.raw_end <= len(doc.raw_text)
        assert doc.raw_text[r.raw_start:r.raw_end] == r.text
        assert not REPORT_KEYWORD_RE.search(r.text) or not re.search(r"\d", r.text) or r.text == SPAM, r


def _sentences(s: str) -> list[str]:
    return [x for x in re.split(r"(?<=[。！？；!?;])", s) if x.strip()]


def test_seed_removals_never_hold_report_sentences(seeds):
    for key, doc in seeds.items():
        for r in doc.removed:
            assert doc.raw_text[r.raw_start:r.raw_end] == r.text, (key, r)
            if r.reason == "duplicate_paragraph":
                continue
            for sent in _sentences(r.text):
                assert not (re.search(r"\d", sent) and REPORT_KEYWORD_RE.search(sent)), (key, r.reason, sent)


# ---------------------------------------------------------------- one-line reports and duplicates

def _many_paragraphs(n: int) -> list[str]:
    """Distinct report paragraphs (the numbers differ, so none is a duplicate of another)."""
    out = []
    for i in range(n):
        out.append(f"（{'一二三四五六七八九'[i % 9]}）第{i + 1}项重点工作")
        out.append(f"围绕第{i + 1}个重点片区，全年完成固定资产投资{100 + i}.5亿元，增长{i % 9 + 1}.2%，"
                   f"新增市场主体{2000 + 37 * i}户，带动就业{1 + i % 5}.3万人。持续优化营商环境，"
                   f"推动重点项目{10 + i}个加快建设，确保按期完成年度目标任务。")
    return out


def test_whole_report_on_one_line(tmp_path):
    flat = " ".join([TITLE, DATE_LINE, *BODY[:-1], *_many_paragraphs(80), BODY[-1]])
    assert "\n" not in flat and len(flat) > 9000
    doc = load_one(write(tmp_path / "flat.txt", flat))
    assert doc.status == "ok", doc.warnings
    lines = doc.text.split("\n")
    assert len(lines) >= 160
    assert max(len(x) for x in lines) < 300
    assert lines[:5] == [TITLE, DATE_LINE, *BODY[:2], "一、2021年工作回顾"]
    assert "（一）第1项重点工作" in lines and "（八）第80项重点工作" in lines
    assert doc.region == "某某区" and doc.report_year == 2022 and doc.doc_type == "work_report"
    assert doc.meeting_date == "2022-01-18" and doc.title == TITLE
    assert doc.duplicates_dropped == 0 and not doc.removed


def test_whole_report_on_one_line_without_spaces(tmp_path):
    flat = "".join([TITLE, DATE_LINE, *BODY[:-1], *_many_paragraphs(80), BODY[-1]])
    doc = load_one(write(tmp_path / "flat2.txt", flat))
    assert doc.status == "ok", doc.warnings
    lines = doc.text.split("\n")
    assert len(lines) >= 60 and max(len(x) for x in lines) < 300
    assert doc.doc_type == "work_report" and doc.report_year == 2022 and doc.region == "某某区"
    assert doc.meeting_date == "2022-01-18" and doc.title == TITLE
    assert doc.text.split("\n")[:4] == [TITLE, DATE_LINE, *BODY[:2]]
    assert doc.text.replace("\n", "") == flat


def test_repeated_paragraph_dropped_once(tmp_path):
    dup = BODY[4]
    text = REPORT.replace(BODY[-1], dup + "\n" + BODY[-1])
    doc = load_one(write(tmp_path / "dup.txt", text))
    assert doc.text.count(dup) == 1
    assert doc.duplicates_dropped == 1
    recs = [r for r in doc.removed if r.reason == "duplicate_paragraph"]
    assert len(recs) == 1 and recs[0].text == dup
    assert doc.raw_text[recs[0].raw_start:recs[0].raw_end] == dup
    # It is the later copy that goes.
    assert recs[0].raw_start > doc.raw_text.index(dup)


# ---------------------------------------------------------------- offsets

_SIMPLE_RE = re.compile(r"^[0-9\u4e00-\u9fff]+$")


def test_offsets_on_seeds(seeds):
    rnd = random.Random(1)
    for key, doc in seeds.items():
        assert len(doc.clean_to_raw) == len(doc.text) + 1
        checked = 0
        for _ in range(50):
            s = rnd.randrange(0, len(doc.text) - 1)
            e = min(len(doc.text), s + rnd.randrange(1, 30))
            rs, re_ = doc.raw_span(s, e)
            assert 0 <= rs <= re_ <= len(doc.raw_text)
            clean = doc.text[s:e]
            # The longest run of digits / Chinese characters in the span, checked on its own.
            m = max(re.findall(r"[0-9\u4e00-\u9fff]+", clean) or [""], key=len)
            if len(m) < 2:
                continue
            ms = s + clean.index(m)
            rs, re_ = doc.raw_span(ms, ms + len(m))
            raw = doc.raw_text[rs:re_]
            if doc.script == "simplified":
                assert raw == m, (key, m, raw)
            else:
                assert len(raw) == len(m), (key, m, raw)
                if not re.search(r"[0-9]", m):
                    assert to_simplified(raw) == m or _taiwan_differs(raw, m), (key, m, raw)
            checked += 1
        assert checked >= 25, key


def _taiwan_differs(raw: str, clean: str) -> bool:
    """The Taiwan phrase map explains the difference (智慧型→智能, 网路→网络 ...)."""
    from analysis.normalize import taiwan_phrase_edits
    from analysis.offsets import apply_edits, identity_map

    conv = to_simplified(raw)
    edits = taiwan_phrase_edits(conv)
    return bool(edits) and apply_edits(conv, identity_map(len(conv)), edits)[0] == clean


def test_seed_001_raw_span_converts_with_opencc(seeds):
    opencc = pytest.importorskip("opencc")
    cc = opencc.OpenCC("t2s")
    doc = seeds["001"]
    rnd = random.Random(3)
    n = 0
    for m in re.finditer(r"[\u4e00-\u9fff]{6,}", doc.text):
        if rnd.random() > 0.2:
            continue
        rs, re_ = doc.raw_span(m.start(), m.end())
        raw = doc.raw_text[rs:re_]
        if taiwan_phrase_edits(to_simplified(doc.raw_text[max(0, rs - 4):re_ + 4])):
            continue  # a Taiwan phrase in or at the edge of the span: lengths may differ by design
        assert len(raw) == len(m.group()), (raw, m.group())
        assert cc.convert(raw) == m.group(), (raw, m.group())
        n += 1
    assert n >= 20


def test_raw_span_on_edited_text(tmp_path):
    doc = load_one(write(tmp_path / "junk.txt", _junk_page().replace("\n", "\r\n")))
    i = doc.text.index("地区生产总值增长5.5%")
    rs, re_ = doc.raw_span(i, i + len("地区生产总值增长5.5%"))
    assert doc.raw_text[rs:re_] == "地区生产总值增长5.5%"
    fw = load_one(write(tmp_path / "fw.txt", REPORT.replace("5.5%", "５．５％")))
    i = fw.text.index("增长5.5%")
    rs, re_ = fw.raw_span(i, i + 6)
    assert fw.raw_text[rs:re_] == "增长５．５％"


# ---------------------------------------------------------------- metadata

def test_seed_metadata(seeds):
    assert [seeds[k].region for k in ("000", "001", "002", "003", "004")] == ["荔湾区", "海珠区", "越秀区", "天河区", "荔湾区"]
    assert [seeds[k].report_year for k in ("000", "001", "002", "003", "004")] == [2022, 2022, 2021, 2020, 2021]
    assert [seeds[k].doc_type for k in ("000", "001", "002", "003", "004")] == ["work_report"] * 4 + ["fyp_outline"]
    assert seeds["000"].meeting_date == "2022-01-20"
    assert "第十四个五年规划" in seeds["004"].title
    assert all(d.status == "ok" for d in seeds.values())
    for d in seeds.values():
        assert "代表" not in d.region and d.region.endswith("区")


def test_region_never_a_sentence_fragment(tmp_path):
    # No title and no date line: only the opening sentence names the government.
    text = "\n".join(BODY).replace("我代表区人民政府", "我代表区人民政府") + "\n"
    doc = load_one(write(tmp_path / "notitle.txt", text))
    assert doc.region is None or "代表" not in doc.region
    assert doc.region != "我代表区"


def test_synthetic_metadata(tmp_path):
    doc = load_one(write(tmp_path / "r.txt", REPORT))
    assert (doc.region, doc.report_year, doc.doc_type, doc.meeting_date) == ("某某区", 2022, "work_report", "2022-01-18")
    assert doc.title == TITLE


# ---------------------------------------------------------------- bad input

RECIPE = (
    "红烧肉的做法\n"
    "材料：五花肉500克，冰糖30克，生抽2勺，老抽1勺，料酒2勺，姜5片，葱2根，八角2个。\n"
    "步骤：1. 五花肉切成3厘米见方的块，冷水下锅焯水，撇去浮沫后捞出沥干。\n"
    "2. 锅中放少许油，加入冰糖小火炒出糖色，倒入肉块翻炒均匀，使每块肉都裹上糖色。\n"
    "3. 加入姜片、葱段、八角炒香，再加入料酒、生抽、老抽，翻炒均匀后加入没过肉的热水。\n"
    "4. 大火烧开后转小火炖60分钟，最后大火收汁即可出锅。肥而不腻，入口即化，非常下饭。\n"
) * 3


def _bad_folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write(d / "a_empty.txt", b"")
    write(d / "b_image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    write(d / "c_recipe.txt", RECIPE)
    write(d / "d_huge.txt", REPORT * 40)
    write(d / "e_good.txt", REPORT)
    return d


def test_bad_inputs_each_get_a_status_and_named_warning(tmp_path):
    d = _bad_folder(tmp_path)
    missing = tmp_path / "nope.txt"
    docs = corpus.load_corpus([d, missing], max_bytes=len(REPORT.encode()) * 10)
    by = {doc.path.name: doc for doc in docs}
    assert set(by) == {"a_empty.txt", "b_image.txt", "c_recipe.txt", "d_huge.txt", "e_good.txt", "nope.txt"}
    expected = {"a_empty.txt": "empty", "b_image.txt": "binary", "c_recipe.txt": "not_a_report",
                "d_huge.txt": "too_large", "e_good.txt": "ok", "nope.txt": "missing"}
    for name, status in expected.items():
        assert by[name].status == status, (name, by[name].status, by[name].warnings)
        if status != "ok":
            assert any(str(by[name].path) in w for w in by[name].warnings), name
    problems = corpus.problem_lines(docs)
    assert len(problems) == 5
    for name, status in expected.items():
        hits = [p for p in problems if str(by[name].path) in p]
        assert len(hits) == (0 if status == "ok" else 1), name
        if hits:
            assert status in hits[0]


def test_single_bad_files(tmp_path):
    assert load_one(tmp_path / "missing.txt").status == "missing"
    assert load_one(write(tmp_path / "ws.txt", "  \n\n ")).status == "empty"
    big = write(tmp_path / "big.txt", REPORT)
    doc = load_one(big, max_bytes=100)
    assert doc.status == "too_large" and str(big) in doc.warnings[0]
    assert load_one(big).status == "ok"


def test_copies_are_flagged(tmp_path):
    write(tmp_path / "a.txt", REPORT)
    write(tmp_path / "b.txt", codecs.BOM_UTF8 + REPORT.encode("utf-8"))
    docs = corpus.load_corpus(tmp_path)
    assert [d.status for d in docs] == ["ok", "copy"]
    assert docs[1].copy_of == "a"
    assert corpus.problem_lines(docs) and str(docs[1].path) in corpus.problem_lines(docs)[0]


def test_glob_and_list_inputs(tmp_path):
    d = _bad_folder(tmp_path)
    assert len(corpus.load_corpus(str(d / "*.txt"))) == 5
    assert [x.status for x in corpus.load_corpus(str(d / "zz*.txt"))] == ["missing"]
    assert len(corpus.load_corpus([d / "e_good.txt", d / "a_empty.txt"])) == 2


def test_import_prints_nothing():
    out = subprocess.run([sys.executable, "-c", "import analysis.corpus"], capture_output=True, text=True,
                         cwd=PROJECT_DIR)
    assert out.returncode == 0
    assert out.stdout == "" and out.stderr == ""


# ---------------------------------------------------------------- more edge cases

def test_utf16_big_endian_and_utf32_with_bom(tmp_path):
    ref = load_one(write(tmp_path / "u8.txt", REPORT)).text
    be = load_one(write(tmp_path / "be.txt", codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be")))
    assert be.encoding == "utf-16" and be.text == ref
    nobom_be = load_one(write(tmp_path / "be2.txt", REPORT.encode("utf-16-be")))
    assert nobom_be.encoding == "utf-16-be" and nobom_be.text == ref
    u32 = load_one(write(tmp_path / "u32.txt", REPORT.encode("utf-32")))
    assert u32.encoding == "utf-32" and u32.text == ref


def test_crlf_and_ideographic_spaces(tmp_path):
    raw = "\r\n".join("\u3000\u3000" + ln for ln in REPORT.split("\n"))
    doc = load_one(write(tmp_path / "crlf.txt", raw))
    assert doc.text == load_one(write(tmp_path / "lf.txt", REPORT)).text
    assert "\r" not in doc.text and "\u3000" not in doc.text


def test_a_few_broken_bytes_are_replaced_with_a_warning(tmp_path):
    data = bytearray(REPORT.encode("utf-8") * 10)
    data[len(data) // 2] = 0xFF
    path = write(tmp_path / "broken.txt", bytes(data))
    doc = load_one(path)
    assert doc.status == "ok" and doc.encoding.endswith("+replace")
    assert any(str(path) in w and "replaced" in w for w in doc.warnings)


def test_undecodable_bytes_named(tmp_path):
    rnd = random.Random(11)
    path = write(tmp_path / "noise.txt", bytes(rnd.randrange(0x80, 0x100) for _ in range(3000)))
    doc = load_one(path)
    assert doc.status in ("undecodable", "binary")
    assert corpus.problem_lines([doc]) == [doc.warnings[0]] and str(path) in doc.warnings[0]


def test_traditional_guards_keep_mainland_words(tmp_path):
    body = "著名品牌持續增加，成效顯著，著作權保護加強，顯著力度提升，我們有著名的老字號，網路安全和網路效能提升。"
    doc = _trad_doc(tmp_path, body, "guards.txt")
    for w in ("著名品牌", "显著", "著作权", "显著力度", "有著名", "网络安全", "网络效能"):
        assert w in doc.text, w
    assert "着名" not in doc.text and "显着" not in doc.text


def test_taiwan_phrase_map_raw_positions(tmp_path):
    doc = _trad_doc(tmp_path, "加快數位化轉型，推動網際網路發展。", "tw.txt")
    i = doc.text.index("互联网")
    rs, re_ = doc.raw_span(i, i + 3)
    assert doc.raw_text[rs:re_] in ("網際網路", "網際網")
    after = doc.text.index("发展", i)
    rs2, _ = doc.raw_span(after, after + 2)
    assert doc.raw_text[rs2:rs2 + 2] == "發展"


def test_traditional_duplicate_and_removed_positions(tmp_path):
    dup = "城鎮新增就業2.6萬人，城鎮登記失業率控制在3%以內。固定資產投資增長9.8%，"
    text = TRAD_REPORT.replace("我們要堅定信心", "首頁 | 新聞 | 登錄\n" + dup + "高新技術企業達到1350家，研發經費投入強度提高到3.1%。\n我們要堅定信心")
    doc = load_one(write(tmp_path / "td.txt", text))
    assert doc.script == "traditional" and doc.duplicates_dropped == 1
    for r in doc.removed:
        assert doc.raw_text[r.raw_start:r.raw_end] == r.text
    assert {r.reason for r in doc.removed} == {"navigation", "duplicate_paragraph"}
    assert doc.text.count("城镇新增就业2.6万人") == 1


def test_traditional_copy_of_simplified_report(tmp_path):
    write(tmp_path / "a_gov.txt", REPORT)
    write(tmp_path / "b_mirror.txt", TRAD_REPORT.encode("big5"))
    docs = corpus.load_corpus(tmp_path)
    assert [(d.status, d.copy_of) for d in docs] == [("ok", None), ("copy", "a_gov")]


def test_hidden_files_skipped_and_order_kept(tmp_path):
    write(tmp_path / ".hidden.txt", REPORT)
    write(tmp_path / "b.txt", REPORT.replace("某某区", "乙乙区"))
    write(tmp_path / "a.txt", REPORT)
    docs = corpus.load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["a", "b"]
    assert [d.region for d in docs] == ["某某区", "乙乙区"] and all(d.ok for d in docs)
    assert corpus.problem_lines(docs) == []


def test_english_page_is_not_a_report(tmp_path):
    path = write(tmp_path / "en.txt", "Government work report of some district. " * 50)
    doc = load_one(path)
    assert doc.status == "not_a_report" and str(path) in corpus.problem_lines([doc])[0]


def test_tables_describe_removals(tmp_path):
    doc = load_one(write(tmp_path / "junk.txt", _junk_page()))
    table = corpus.removed_spans_table([doc])
    assert len(table) == len(doc.removed)
    assert (table["raw_end"] > table["raw_start"]).all()
    assert set(table["reason"]) == {r.reason for r in doc.removed}
    docs_table = corpus.documents_table([doc])
    assert docs_table.loc[0, "boilerplate_chars"] > 100 and docs_table.loc[0, "status"] == "ok"


def test_seed_removed_spans_are_ordered_and_disjoint(seeds):
    for key, doc in seeds.items():
        spans = sorted((r.raw_start, r.raw_end) for r in doc.removed)
        for (a, b), (c, d) in zip(spans, spans[1:]):
            assert b <= c, (key, (a, b), (c, d))
        # No removed raw character is mapped from the clean text.
        kept = set(doc.clean_to_raw[: len(doc.text)])
        for a, b in spans:
            assert not kept & set(range(a, b)), key


def test_seed_clean_text_is_clean(seeds):
    for key, doc in seeds.items():
        assert "\r" not in doc.text and "\n\n" not in doc.text and doc.text == doc.text.strip()
        assert not re.search(r"[０-９Ａ-Ｚａ-ｚ％\u3000\u200b\ufeff]", doc.text), key
        assert "网投" not in doc.text and "签到天数" not in doc.text and "设为首页" not in doc.text


def test_utf16_without_bom_or_ascii_is_not_guessed(tmp_path):
    # Pure Chinese in UTF-16-LE, no BOM, no ASCII and no character with a zero byte (一 U+4E00 has
    # one, and zero bytes at alternating positions are evidence): not read as UTF-16.
    cjk_only = "".join(ch for ch in re.sub(r"[^\u4e00-\u9fff]", "", REPORT) if ord(ch) % 256)
    doc = load_one(write(tmp_path / "u16raw.txt", cjk_only.encode("utf-16-le")))
    assert not (doc.encoding or "").startswith("utf-16")
    assert doc.status != "ok"
    assert str(doc.path) in corpus.problem_lines([doc])[0]


def test_region_from_opening_sentence_only(tmp_path):
    doc = load_one(write(tmp_path / "open.txt", "\n".join(BODY) + "\n"))
    assert doc.doc_type == "work_report"
    assert doc.region is None and any("region" in w for w in doc.warnings)
