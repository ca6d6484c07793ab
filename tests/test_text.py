"""analysis.text: tokens, lexicon, emphasis, distinctive terms, keywords in context, commitments."""

from __future__ import annotations

import math
from collections import Counter
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus, text
from analysis.paths import PROJECT_DIR, SEEDS_DIR

AREAS = {"growth", "innovation", "digital_economy", "urban_renewal", "ecology", "livelihoods", "epidemic",
         "reform", "opening_up", "culture", "party_governance"}


@pytest.fixture(scope="module")
def seeds() -> list[corpus.Document]:
    return [d for d in corpus.load_corpus(SEEDS_DIR) if d.ok]


def doc(doc_id: str, body: str, region: str = "甲区", year: int = 2020, doc_type: str = "work_report"):
    return corpus.Document(doc_id=doc_id, path=Path(f"{doc_id}.txt"), text=body, region=region,
                           report_year=year, doc_type=doc_type)


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_DIR,
                          env=env, timeout=120)


# ---------------------------------------------------------------- quiet, cached, deterministic

def test_import_and_first_tokenize_print_nothing(tmp_path):
    result = _python("import analysis.text", tmp_path)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    result = _python("from analysis import text; text.tokenize('老城市新活力')", tmp_path)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")


def test_the_jieba_reference_is_quiet_and_caches_its_dictionary_in_the_project_cache(tmp_path):
    result = _python("from analysis import text; list(text.reference_token_spans('老城市新活力'))", tmp_path)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    assert (tmp_path / "cache" / "gov-work-reports" / "jieba.cache").is_file()


def test_two_runs_give_identical_tables(tmp_path):
    code = ("import sys; from analysis import corpus, text; "
            "text.write_emphasis_outputs(corpus.load_corpus(sys.argv[1]), sys.argv[2])")
    outs = []
    for run in ("one", "two"):  # two fresh processes
        out = tmp_path / run
        env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
        result = subprocess.run([sys.executable, "-c", code, str(SEEDS_DIR), str(out)], capture_output=True,
                                text=True, cwd=PROJECT_DIR, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        outs.append(out)
    for name in ("emphasis.csv", "distinctive.csv", "kwic.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
        assert (outs[0] / name).stat().st_size > 100


# ---------------------------------------------------------------- data files and tokens

def test_lexicon_file_is_valid_and_covers_the_areas():
    lex = text.load_lexicon()
    assert {"area", "area_en", "term"} <= set(lex.columns)
    assert set(lex["area"]) == AREAS
    assert lex["term"].is_unique
    sizes = lex.groupby("area").size()
    assert sizes.between(8, 20).all(), sizes
    assert set(text.area_labels("en")) == AREAS and set(text.area_labels("zh")) == AREAS


@pytest.mark.parametrize("body, problem", [
    ("area,area_en\ngrowth,Growth\n", r"line 1: missing column\(s\) term"),
    ("area,area_en,term\ngrowth,Growth,投资\ngrowth,,消费\n", r"line 3: empty field\(s\) area_en"),
    ("area,area_en,term\ngrowth,Growth,投资\nreform,Reform,投资\n", r"line 3: term '投资' already listed on line 2"),
    ("area,area_en,term\ngrowth,Growth,投资\ngrowth,Growth,消费,多余\n", r"line 3: expected 3 fields"),
    ("area,area_en,term\ngrowth,Growth,投资\ngrowth,Economy,消费\n", r"line 3: area 'growth' has different labels"),
])
def test_bad_lexicon_rows_are_named(tmp_path, body, problem):
    path = tmp_path / "lexicon.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path)) + ": " + problem):
        text.load_lexicon(path)


def test_userdict_and_stopword_files_parse():
    entries = text.load_userdict()
    assert len(entries) >= 60
    assert all(freq is None or freq > 0 for _, freq in entries)
    assert {"各位代表", "坚持", "推进", "的"} <= text.load_stopwords()


def test_every_dictionary_and_lexicon_term_is_one_token():
    stop = text.load_stopwords()
    terms = [t for t, _ in text.load_userdict()] + list(text.load_lexicon()["term"])
    split = {t: text.tokenize(t) for t in terms if t not in stop and text.tokenize(t) != [t]}
    assert not split


def test_userdict_terms_in_the_seeds_are_never_cut(seeds):
    """Each occurrence lies inside one token (the term itself, or a longer fixed term holding it)."""
    tk = text.get_tokenizer()
    found = set()
    for d in seeds:
        spans = [(s, e) for _, s, e in tk.tokenize(d.text, "default", text.HMM)]
        starts = {s for s, _ in spans}
        for term, _ in text.load_userdict():
            for m in re.finditer(re.escape(term), d.text):
                found.add(term)
                s = max(x for x in starts if x <= m.start())
                end = dict(spans)[s]
                assert end >= m.end(), (d.doc_id, term, d.text[s:end])
    assert {"老城市新活力", "四个出新出彩", "攻城拔寨", "微改造", "琶洲"} <= found
    tokens = {t for d in seeds for t in text.tokenize(d.text)}
    assert {"老城市新活力", "四个出新出彩", "攻城拔寨"} <= tokens


def test_tokenize_drops_numbers_latin_punctuation_stopwords_and_single_chars():
    tokens = text.tokenize("各位代表：我们坚持推进2021年GDP增长8.5%，5G基站1200座，打造老城市新活力！")
    assert "老城市新活力" in tokens and "基站" in tokens
    for gone in ("各位代表", "我们", "坚持", "推进", "2021", "GDP", "8.5", "%", "，", "年", "座", "5G"):
        assert gone not in tokens
    assert all(len(t) >= 2 for t in tokens)
    assert text.tokenize("十四五") == ["十四五"] and "三年" not in text.tokenize("三年，两年")


# ---------------------------------------------------------------- measures on a hand-made corpus

TINY = [doc("a", "城市更新，微改造，疫情。"),                                       # 12 characters
        doc("b", "疫苗，疫情，核酸！改革。", region="乙区", year=2021, doc_type="fyp_outline")]  # 12 characters


def test_emphasis_by_hand():
    e = text.emphasis_table(TINY)
    assert list(e.columns) == text.EMPHASIS_COLUMNS
    assert len(e) == 2 * len(AREAS)
    got = {(r.doc_id, r.area): (r.mentions, r.per_10k, r.share) for r in e.itertuples()}
    assert got[("a", "urban_renewal")] == (2, 1666.667, 0.6667)  # 2 / 12 * 10000; 2 of 3
    assert got[("a", "epidemic")] == (1, 833.333, 0.3333)
    assert got[("b", "epidemic")] == (3, 2500.0, 0.75)
    assert got[("b", "reform")] == (1, 833.333, 0.25)
    assert sum(v[0] for v in got.values()) == 7
    assert e.equals(text.emphasis_table(list(reversed(TINY))))


def test_distinctive_terms_by_hand():
    docs = [doc("a", "城市更新，城市更新，城市更新，疫情。"), doc("b", "疫情，疫情，疫情，城市更新。", region="乙区")]
    # each term: corpus count 4 of 8, so a0 = 8 and a_w = 4; region 甲区 uses 城市更新 3 times of 4 tokens:
    # delta = ln(7/5) - ln(5/7) = 0.672944, var = 1/7 + 1/5, z = 0.672944 / 0.585540 = 1.1493
    d = text.distinctive_terms(docs, top_n=5, min_count=1)
    assert list(d.columns) == text.DISTINCTIVE_COLUMNS
    rows = {(r.region, r.term): (r.count, r.zscore) for r in d.itertuples()}
    assert rows == {("甲区", "城市更新"): (3, 1.1493), ("甲区", "疫情"): (1, -1.1493),
                    ("乙区", "疫情"): (3, 1.1493), ("乙区", "城市更新"): (1, -1.1493)}
    assert list(d["region"]) == ["乙区", "乙区", "甲区", "甲区"]
    assert list(text.distinctive_terms(docs, top_n=1, min_count=3)["term"]) == ["疫情", "城市更新"]
    assert text.distinctive_terms(docs[:1]).empty  # one region has nothing to be compared with
    named = [doc("a", "荔湾区，荔湾，城市更新。", region="荔湾区"), doc("b", "海珠区，海珠，疫情。", region="海珠区")]
    assert set(text.distinctive_terms(named, min_count=1)["term"]) == {"城市更新", "疫情"}
    kept = text.distinctive_terms(named, min_count=1, drop_region_names=False)
    assert {"荔湾区", "荔湾", "海珠区", "海珠"} <= set(kept["term"])
    assert math.isclose(text.log_odds(3, 4, 1, 4, 4, 8), 1.1493, abs_tol=1e-4)


def test_kwic_by_hand():
    k = text.kwic(TINY + [doc("c", "第一句话。城市更新\n下一行")])
    assert list(k.columns) == text.KWIC_COLUMNS
    assert len(k) == 7 + 1  # one row per mention, as counted by emphasis_table
    row = k[(k.doc_id == "a") & (k.term == "微改造")].iloc[0]
    assert (row.left, row.keyword, row.right, row.char_start) == ("城市更新，", "微改造", "，疫情。", 5)
    row = k[k.doc_id == "c"].iloc[0]
    assert (row.left, row.keyword, row.right, row.char_start) == ("", "城市更新", "", 5)
    short = text.kwic(TINY, window=2)
    row = short[(short.doc_id == "a") & (short.term == "微改造")].iloc[0]
    assert (row.left, row.right) == ("新，", "，疫")


def test_kwic_counts_whole_tokens_only():
    # 人工智能与数字经济试验区 is one token (and a lexicon term): the 数字经济 inside it is not a second mention
    k = text.kwic([doc("a", "建设人工智能与数字经济试验区。")])
    assert list(k["term"]) == ["人工智能与数字经济试验区"]


def test_commitments_by_area_by_hand():
    facts = pd.DataFrame([
        {"doc_id": "a", "region": "甲区", "report_year": 2020, "indicator": "other", "indicator_name": "碧道",
         "quote": "建成碧道10公里"},
        {"doc_id": "a", "region": "甲区", "report_year": 2020, "indicator": "other", "indicator_name": "5G基站",
         "quote": "新建5G基站1000座，推动数字化转型"},
        {"doc_id": "a", "region": "甲区", "report_year": 2020, "indicator": "other", "indicator_name": "停车位",
         "quote": "新增停车位500个"},
        {"doc_id": "a", "region": "甲区", "report_year": 2020, "indicator": "other", "indicator_name": "高新技术企业",
         "quote": "高新技术企业达到500家"},
        {"doc_id": "b", "region": "乙区", "report_year": 2021, "indicator": "other", "indicator_name": "碧道",
         "quote": "碧道"},
        {"doc_id": "b", "region": "乙区", "report_year": 2021, "indicator": "gdp_growth", "indicator_name": "碧道",
         "quote": "碧道"},
    ])
    c = text.commitments_by_area(facts)
    assert list(c.columns) == text.COMMITMENT_COLUMNS
    got = {(r.doc_id, r.area): r.commitments for r in c.itertuples()}
    assert got == {("a", "digital_economy"): 1, ("a", "ecology"): 1, ("a", "innovation"): 1,
                   ("a", "unclassified"): 1, ("b", "ecology"): 1}
    empty = text.commitments_by_area(facts.iloc[0:0])
    assert empty.empty and list(empty.columns) == text.COMMITMENT_COLUMNS


# ---------------------------------------------------------------- the seeds

def test_emphasis_on_the_seeds(seeds):
    e = text.emphasis_table(seeds)
    assert len(e) == len(seeds) * len(AREAS)
    assert not e.duplicated(["doc_id", "area"]).any()
    shares = e.groupby("doc_id")["share"].sum()
    assert ((shares - 1).abs() < 0.01).all()
    k = text.kwic(seeds)
    assert e.groupby("doc_id")["mentions"].sum().to_dict() == k.groupby("doc_id").size().to_dict()
    assert (k["keyword"] == k["term"]).all()


def test_epidemic_weighs_more_in_2020_2022_work_reports_than_in_the_outline(seeds):
    e = text.emphasis_table(seeds)
    epi = e[e["area"] == "epidemic"]
    outline = epi[epi["doc_type"] == "fyp_outline"]["per_10k"]
    reports = epi[(epi["doc_type"] == "work_report") & epi["report_year"].between(2020, 2022)]["per_10k"]
    assert len(outline) == 1 and len(reports) >= 3
    assert (reports > outline.iloc[0]).all(), epi


def test_distinctive_terms_on_the_seeds(seeds):
    d = text.distinctive_terms(seeds, top_n=30)
    top = {region: set(g["term"]) for region, g in d.groupby("region")}
    assert top["荔湾区"] & {"微改造", "永庆坊"}
    assert top["海珠区"] & {"琶洲", "数字经济"}
    assert (d["count"] >= 3).all()
    for _, g in d.groupby("region"):
        assert list(g["zscore"]) == sorted(g["zscore"], reverse=True)


def test_kwic_cap_keeps_the_first_lines_of_each_term():
    docs = [doc("a", "城市更新很重要。城市更新要快。数字经济。"), doc("b", "城市更新第三次。数字经济又一次。")]
    full = text.kwic(docs)
    capped = text.kwic(docs, max_per_term=1)
    assert (full["term"] == "城市更新").sum() == 3
    assert capped.groupby("term").size().max() == 1
    assert set(capped["term"]) == set(full["term"])
    first = capped[capped["term"] == "城市更新"].iloc[0]
    assert (first["doc_id"], first["char_start"]) == ("a", 0)


def test_measure_text_matches_tokenize_and_mentions():
    body = "推进城市更新和数字经济，建设营商环境。城市更新要快。"
    m = text.measure_text(body)
    assert m.token_counts == dict(Counter(text.tokenize(body)))
    assert m.mentions == list(text._mentions(body))


# ---------------------------------------------------------------- rjieba gives jieba's tokens

def _same_kept_tokens(body: str) -> None:
    new, ref = list(text.token_spans(body)), list(text.reference_token_spans(body))
    assert new == ref, [x for x in new if x not in ref][:5] or [x for x in ref if x not in new][:5]


def test_rjieba_gives_jiebas_kept_tokens_on_the_seeds(seeds):
    assert len(seeds) == 5
    for d in seeds:
        _same_kept_tokens(d.text)


def test_rjieba_gives_jiebas_kept_tokens_on_a_corpus_sample(tmp_path_factory):
    """A fixed random sample of the shared corpus, read as the pipeline reads it (skips without it).

    The whole corpus is compared by benchmarks/check_tokenizer.py (see the README).
    """
    import random

    from _shared_corpus import corpus_root

    items = corpus.plan_inputs(corpus_root(tmp_path_factory))
    docs = [d for item in random.Random(5).sample(items, 150) for d in corpus.load_input(item) if d.ok]
    assert len(docs) >= 140
    for d in docs:
        _same_kept_tokens(d.text)


# userdict (老城市新活力, 攻城拔寨, 放管服) and lexicon terms (城市更新, 数字经济, 营商环境, 人工智能与数字经济试验区),
# terms inside longer words, traditional characters, Latin letters, digits with %, dashes, full-width
# punctuation and digits, CJK extension A (㐀㑇), compatibility (﨑) and extension B (𠀀) characters,
# characters past U+9FD5 (jieba's Han range ends there), emoji, and a cut decided by the total frequency.
INVENTED = [
    "推进老城市新活力、四个出新出彩，攻城拔寨，深化放管服改革，优化营商环境。",
    "建设人工智能与数字经济试验区，数字经济增加值增长12.5%，城市更新项目30个。",
    "“十四五”时期（2021—2025年）及2021-2025年规划；GDP增长6%—7%，5G基站1200座，R&D投入占比3.1%。",
    "堅持穩中求進工作總基調，推動經濟高質量發展，城市更新與數字經濟。",
    "ＡＢＣ公司在琶洲落户；全年完成１２３４５项，增长８．５％！？……",
    "㐀㑇新区建设，鿐鿫鿿研究院，﨑山大道，𠀀𠀁产业园，㐀城市更新㐁。",
    "数字经济🚀发展😀，营商环境👍优化；🇨🇳人工智能＋大数据。",
    "一、2020年工作回顾\n\n（一）城市更新：完成微改造项目15个。\r\n二、2021年工作安排\t疫情防控常态化。",
    "abc数字经济def 123营商环境456 x城市更新y_z-w.v",
    "深化行政管理体制改革方案。",  # a near tie: jieba's choice needs rjieba's total to equal jieba's
]


@pytest.mark.parametrize("body", INVENTED)
def test_rjieba_gives_jiebas_kept_tokens_on_invented_text(body):
    assert text.tokenize(body)  # not trivially empty
    _same_kept_tokens(body)


def test_rjieba_total_frequency_equals_jiebas(monkeypatch):
    """Every cut weighs a word by its frequency over the total; with another total, near ties go the
    other way (before ``_TOTAL_PAD``, 104 kept tokens of 23 corpus reports differed so).

    rjieba does not report its total T; but two new one-character words of frequency F make
    ``suggest_freq`` of the pair floor(F * F / (T + 2F)) + 1 (computed as jieba-rs does, in logs),
    and with F about 1e9 each probe moves by a quarter per unit of T: 60 probes pin T down exactly.
    """
    monkeypatch.setattr(text, "_tokenizer", None)  # a fresh one to add the probe words to
    tk = text.get_tokenizer()
    total = text.jieba_tokenizer().total
    a, b = "\u9f00", "\u9f01"  # Han, in neither dictionary
    assert not tk.has_word(a) and a not in text.jieba_tokenizer().FREQ
    for i in range(60):
        f = 1_000_000_000 + i * 7_919_777
        tk.add_word(a, f, None)  # again: jieba-rs replaces the frequency, the total follows
        tk.add_word(b, f, None)
        log_t = math.log(total + 2 * f)
        expected = int(math.exp(math.log(f) - log_t + math.log(f) - log_t + log_t)) + 1
        assert tk.suggest_freq(a + b) == expected, i


class _Without:
    """An rjieba.Jieba that leaves out some of the words it is given."""

    def __init__(self, jieba_class, skip):
        self.tk, self.skip = jieba_class(), skip

    def add_word(self, word, freq, tag):
        return freq or 1 if self.skip(word) else self.tk.add_word(word, freq, tag)

    def tokenize(self, *args):
        return self.tk.tokenize(*args)


def _no_lexicon_terms(monkeypatch):
    import rjieba

    userdict, real = {t for t, _ in text.load_userdict()}, rjieba.Jieba
    monkeypatch.setattr(rjieba, "Jieba", lambda: _Without(real, lambda w: w in text._term_area() and w not in userdict))


def _no_total_pad(monkeypatch):
    import rjieba

    real = rjieba.Jieba
    monkeypatch.setattr(rjieba, "Jieba", lambda: _Without(real, lambda w: w == text._TOTAL_PAD))


def _no_rare_han_shim(monkeypatch):
    monkeypatch.setattr(text, "_NOT_JIEBA_HAN", re.compile("(?!)"))


@pytest.mark.parametrize("sabotage", [_no_lexicon_terms, _no_total_pad, _no_rare_han_shim])
def test_the_identity_tests_catch_a_tokenizer_built_differently(monkeypatch, seeds, sabotage):
    """Guard on the tests above: leave out a part of get_tokenizer and some text must differ."""
    sabotage(monkeypatch)
    monkeypatch.setattr(text, "_tokenizer", None)  # rebuilt with the sabotage (and restored after)
    failures = 0
    for body in INVENTED + [d.text for d in seeds]:
        try:
            _same_kept_tokens(body)
        except AssertionError:
            failures += 1
    assert failures
