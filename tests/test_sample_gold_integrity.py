"""Integrity of the hand-coded corpus sample (tests/data/corpus_sample_facts_*.csv) and of the provincial
gold adjudication (tests/data/provincial_gold_adjudication.csv).

The committed files hold no corpus text, only character offsets into the decoded report and the sha1 of
the quoted clause. These tests read the real reports (from the archives in ../shared/corpora, or the
folder named by GWR_SHARED) and check that every offset still points at the clause that was coded, that
every stated value can be read in that clause, and that codes come from the agreed sets. They skip when
the corpus is absent (a fresh clone has no ../shared)."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import tarfile
from functools import lru_cache
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_FILES = sorted(DATA.glob("corpus_sample_facts_*.csv"))
ADJUDICATION = DATA / "provincial_gold_adjudication.csv"

SAMPLE_COLUMNS = (
    "doc_id,region,doc_type,report_year,role,period,indicator,measure,value,value_high,unit,"
    "comparator,stretch,derived,estimate,file_start,file_end,quote_sha1"
).split(",")
INDICATORS = {
    # the 17 codes of docs/codebook.md
    "gdp", "budget_revenue", "tax_revenue", "fixed_asset_investment", "retail_sales",
    "wholesale_retail_sales", "industrial_output", "industrial_value_added", "resident_income",
    "new_jobs", "reemployment", "unemployment_rate", "high_tech_enterprises", "rd_intensity",
    "energy_intensity", "illegal_building_demolition", "old_community_renewal",
    # codes added for the corpus-wide sample
    "rural_income", "fiscal_revenue", "foreign_trade", "exports", "fdi", "cpi",
    "urbanization_rate", "population_growth", "pollutant_emissions", "grain_output",
}
MEASURES = {"growth_pct", "level", "avg_growth_pct", "cumulative", "share_pct", "count", "qualitative"}
COMPARATORS = {"approx", "at_least", "at_most", "range", "exact", "parity", ""}
DOC_TYPES = {"work_report", "fyp_outline", "plan_execution", "budget_report", "news_summary"}
PERIOD = re.compile(r"^(\d{4})(-(\d{4})|Q[1-4])?$")

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十][〇零一二两三四五六七八九十百]*(?:点[〇零一二三四五六七八九]+)?")


def _cn_integer(s: str) -> int | None:
    """一百零五 → 105, 十三 → 13, 七 → 7; None when the characters do not spell a number."""
    if not s:
        return None
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in "十百":
            total += (1 if digit is None else digit) * (10 if ch == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def readable_numbers(quote: str) -> str:
    """The quote with spaces and line breaks removed and Chinese numerals (百分之七点九) written as digits."""
    text = re.sub(r"\s+", "", quote).replace("％", "%")
    text = re.sub(r"(?<![〇零一二两三四五六七八九十])百(?=万|亿)", "100", text)  # 百万吨 = 100万吨

    def to_digits(m: re.Match) -> str:
        whole, _, frac = m.group().partition("点")
        n = _cn_integer(whole)
        if n is None:
            return m.group()
        return f"{n}.{''.join(str(_CN_DIGITS[c]) for c in frac)}" if frac else str(n)

    return _CN_NUMBER.sub(to_digits, text)


def value_in_quote(value: float, quote: str) -> bool:
    """Whether a coded value can be read in its clause. Numbers are compared numerically (4333.30 = 4333.3).
    Rules of the genre: 双位数/两位数 states a 10% floor; 基本持平/同步 is growth 0 (parity); a price index
    (居民消费价格指数102.5) states a rise of index − 100."""
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", readable_numbers(quote))]
    if any(abs(n - abs(value)) < 1e-9 for n in numbers):
        return True
    if abs(value) == 10 and re.search(r"[双两]位数", quote):
        return True
    if value == 0 and re.search(r"持平|同步", quote):
        return True
    return "指数" in quote and any(abs(n - (100 + value)) < 1e-9 for n in numbers)


def shared_dir() -> Path:
    env = os.environ.get("GWR_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared"


@lru_cache(maxsize=None)
def _archive_members(archive: str) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile() and m.name.endswith(".md")}


def corpus_text(rel_path: str) -> str:
    """Decoded text of one report, given its path inside the corpus (e.g. 政府工作报告-国务院/1993.md)."""
    base = shared_dir() / "corpora"
    unpacked = base / rel_path
    if unpacked.is_file():
        return unpacked.read_text(encoding="utf-8")
    for archive in sorted(base.glob("*.tar.xz")):
        with tarfile.open(archive) as tar:
            first = next((m.name for m in tar if m.isfile()), "")
        if first.split("/")[0] == rel_path.split("/")[0]:
            return _archive_members(str(archive))[rel_path].decode("utf-8")
    raise FileNotFoundError(rel_path)


def corpus_available() -> bool:
    base = shared_dir() / "corpora"
    return base.is_dir() and any(base.glob("*.tar.xz"))


needs_corpus = pytest.mark.skipif(not corpus_available(), reason="shared corpus (../shared/corpora) not present")


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sample_rows() -> list[dict]:
    return [dict(r, _file=p.name) for p in SAMPLE_FILES for r in read_rows(p)]


def test_sample_files_exist_and_have_the_agreed_columns():
    assert SAMPLE_FILES, "no tests/data/corpus_sample_facts_*.csv"
    for p in SAMPLE_FILES:
        with p.open(encoding="utf-8") as f:
            assert next(csv.reader(f)) == SAMPLE_COLUMNS, p.name


def test_sample_codes_come_from_the_agreed_sets():
    for r in sample_rows():
        where = (r["_file"], r["doc_id"], r["file_start"])
        assert r["indicator"] in INDICATORS, where
        assert r["measure"] in MEASURES, where
        assert r["comparator"] in COMPARATORS, where
        assert r["role"] in {"outcome", "target"}, where
        assert r["doc_type"] in DOC_TYPES, where
        assert all(r[k] in {"true", "false"} for k in ("stretch", "derived", "estimate")), where
        m = PERIOD.match(r["period"])
        assert m and (not m.group(3) or int(m.group(3)) > int(m.group(1))), where
        assert r["doc_id"].split("/")[-1][:4] == r["report_year"], where


def test_sample_rows_are_internally_consistent():
    for r in sample_rows():
        where = (r["_file"], r["doc_id"], r["file_start"], r["indicator"])
        if r["measure"] == "qualitative":
            assert r["value"] == "" and r["unit"] == "" and r["comparator"] in {"", "parity"}, where
            continue
        float(r["value"])
        assert r["unit"], where
        assert (r["comparator"] == "range") == (r["value_high"] != ""), where
        if r["value_high"]:
            assert float(r["value_high"]) > float(r["value"]), where
        if r["stretch"] == "true" or r["derived"] == "true":
            assert r["role"] == "target", where
        if r["derived"] == "true":
            assert r["comparator"] == "exact", where
        if r["estimate"] == "true":
            assert r["role"] == "outcome", where


def test_no_fact_is_coded_twice():
    seen = set()
    for r in sample_rows():
        # value is part of the key: a report may state two rates under one code (调查 and 登记 unemployment)
        key = (r["doc_id"], r["role"], r["period"], r["indicator"], r["measure"], r["stretch"], r["derived"],
               r["value"])
        assert key not in seen, key
        seen.add(key)


@needs_corpus
def test_sample_offsets_point_at_the_coded_clause():
    for r in sample_rows():
        text = corpus_text(r["doc_id"] + ".md")
        quote = text[int(r["file_start"]):int(r["file_end"])]
        assert quote, (r["doc_id"], r["file_start"])
        assert hashlib.sha1(quote.encode("utf-8")).hexdigest() == r["quote_sha1"], (r["doc_id"], r["file_start"])


@needs_corpus
def test_sample_stated_values_appear_in_their_clause():
    for r in sample_rows():
        if r["derived"] == "true" or r["value"] == "":
            continue
        quote = corpus_text(r["doc_id"] + ".md")[int(r["file_start"]):int(r["file_end"])]
        assert value_in_quote(float(r["value"]), quote), (r["doc_id"], r["indicator"], r["value"], quote)
        if r["value_high"]:
            assert value_in_quote(float(r["value_high"]), quote), (r["doc_id"], r["value_high"], quote)


def test_adjudication_rows_disagree_with_the_gold_they_name():
    rows = read_rows(ADJUDICATION)
    assert rows
    gold_path = shared_dir() / "gold" / "provincial_gdp_targets.csv"
    gold = {(g["province"], g["year"]): float(g["gdp_growth_target"]) for g in read_rows(gold_path)} \
        if gold_path.is_file() else {}
    for r in rows:
        where = (r["province"], r["year"])
        assert r["reason"].strip(), where
        assert r["comparator"] in COMPARATORS, where
        if gold:
            assert abs(gold[where] - float(r["gold"])) < 1e-3, where
        if r["text_value"]:
            # the gold's own coding: a range as its midpoint, 以上 as the value or the value + 0.05
            low = float(r["text_value"])
            if r["text_value_high"]:
                coded = {(low + float(r["text_value_high"])) / 2}
            else:
                coded = {low, low + 0.05} if r["comparator"] == "at_least" else {low}
            assert all(abs(v - float(r["gold"])) > 1e-3 for v in coded), where


@needs_corpus
def test_adjudication_quotes_match_the_report_text():
    gold_path = shared_dir() / "gold" / "provincial_gdp_targets.csv"
    paths = {(g["province"], g["year"]): g["corpus_path"] for g in read_rows(gold_path)}
    for r in read_rows(ADJUDICATION):
        if not r["file_start"]:
            continue
        text = corpus_text(paths[(r["province"], r["year"])])
        quote = text[int(r["file_start"]):int(r["file_end"])]
        assert hashlib.sha1(quote.encode("utf-8")).hexdigest() == r["quote_sha1"], (r["province"], r["year"])
        if r["text_value"]:
            assert value_in_quote(float(r["text_value"]), quote), (r["province"], r["year"], quote)


def test_chinese_numerals_are_read_as_digits():
    assert readable_numbers("增长百分之七点九") == "增长百分之7.9"
    assert value_in_quote(7.9, "五年平均每年增长百分之七点九")
    assert value_in_quote(13, "人口自然增长率控制在千分之十三左右")
    assert value_in_quote(105, "增长一百零五")
    assert not value_in_quote(8, "增长百分之十八")
    assert value_in_quote(27.5, "地方财政收入完成 27.5\n亿元")
    assert value_in_quote(10, "力争达到两位数增长")
    assert value_in_quote(100, "粮食总产量连续13年保持在百万吨以上")
    assert value_in_quote(4333.3, "全市完成生产总值4333.30亿元")
    assert value_in_quote(11658.31, "达11658.31亿元")
    assert value_in_quote(2.5, "居民消费价格指数102.5")
    assert not value_in_quote(2.5, "增长102.5%")
    assert value_in_quote(0, "地方一般公共预算收入与上年基本持平")
    assert not value_in_quote(1.6, "增长11.6%")
