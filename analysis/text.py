"""What each district stresses: tokens, policy-area emphasis, distinctive terms, keywords in context.

Tokens come from rjieba (the Rust port of jieba, ``rjieba.Jieba``, built on first use): jieba's
default dictionary plus three data files in ``analysis/data``. It gives the same kept tokens as jieba
with the same vocabulary (checked on the whole corpus by ``benchmarks/check_tokenizer.py``, and by
tests) several times faster. ``jieba_tokenizer`` builds that jieba reference (a private
``jieba.Tokenizer``, quiet, its cache in ``$XDG_CACHE_HOME/gov-work-reports``);
``reference_token_spans`` tokenizes with it. The data files:

``userdict.txt``
    The genre's fixed terms (老城市新活力, 四个出新出彩, 攻城拔寨, 放管服, 永庆坊 …), one a line as
    ``term freq`` (freq optional); ``#`` starts a comment. A researcher can add lines freely.
``stopwords.txt``
    Genre filler (各位代表, 坚持, 推进 …) and function words, one a line; ``#`` comments.
``policy_lexicon.csv``
    Columns ``area,area_zh,area_en,term`` (``area_zh`` optional): ``area`` is a policy-area code
    (growth, innovation, digital_economy, urban_renewal, ecology, livelihoods, epidemic, reform,
    opening_up, culture, party_governance), ``area_zh`` / ``area_en`` its labels, ``term`` one
    generic policy term (no place names). A term belongs to one area only. Every term is also added
    to the tokenizer's dictionary so it is one token; a term inside a longer dictionary word is *not* a
    mention (人工智能与数字经济试验区 is one token, so that name is itself a lexicon term).

``tokenize`` keeps a token when it is a lexicon term, or when it is not a stop word and is at
least two Chinese characters and not a number written in characters (三年, 第一; userdict terms
such as 十四五 are kept).
Numbers, Latin letters, punctuation and whitespace are dropped.

Measures (all deterministic, rows sorted):

* ``emphasis_table``: per document × area, ``mentions`` (lexicon tokens), ``per_10k`` (mentions per
  10,000 characters of clean text) and ``share`` (of the document's mentions);
* ``distinctive_terms``: weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi &
  Quinn 2008), each region against all other regions;
* ``kwic``: every lexicon mention with its context, cut at sentence ends (。！？ and line breaks);
* ``commitments_by_area``: quantitative commitments outside the codebook (facts rows with
  indicator ``other``) assigned to areas by the lexicon terms in their name (else their quote).
"""

from __future__ import annotations

import csv
import logging
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

import pandas as pd

from .corpus import Document
from .paths import data_file

if TYPE_CHECKING:
    import jieba
    import rjieba

USERDICT_FILE = "userdict.txt"
STOPWORDS_FILE = "stopwords.txt"
LEXICON_FILE = "policy_lexicon.csv"
LEXICON_COLUMNS = ("area", "area_en", "term")
UNCLASSIFIED = "unclassified"
# Frequency given to lexicon terms the dictionary does not already know (as userdict terms).
LEXICON_FREQ = 20000
HMM = True
SENTENCE_END = "。！？!?\n"

EMPHASIS_COLUMNS = ["doc_id", "region", "report_year", "doc_type", "area", "area_en", "mentions",
                    "per_10k", "share"]
DISTINCTIVE_COLUMNS = ["region", "term", "count", "zscore"]
KWIC_COLUMNS = ["doc_id", "region", "report_year", "area", "term", "left", "keyword", "right",
                "char_start"]
COMMITMENT_COLUMNS = ["doc_id", "region", "report_year", "area", "commitments"]

_KEEP_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,}$")
# Numbers written in characters, alone or with one unit: 三年, 两个, 第一, 十万.
_NUMERAL_RE = re.compile(r"^[〇零一二两三四五六七八九十百千万亿第]+[年月日天个项家次倍条座所名户类批期届]?$")

# jieba cuts Han runs of U+4E00–U+9FD5 only; jieba-rs also of CJK extension A (U+3400–U+4DBF),
# U+9FD6–U+9FFF, compatibility ideographs (U+F900–U+FAFF) and planes 2–3 (extensions B–F). jieba makes
# each such character a one-character token, never kept, that ends the run; rjieba would join it to
# its neighbours. Given _NOT_HAN instead, rjieba cuts around it as jieba does.
_NOT_JIEBA_HAN = re.compile(r"[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_NOT_HAN = "\ufffd"  # Han for neither tokenizer: never inside a dictionary lookup
# A dictionary word no text reaches: its frequency pads rjieba's total (see get_tokenizer).
_TOTAL_PAD = _NOT_HAN
_tokenizer = None  # rjieba.Jieba, built by get_tokenizer
_jieba = None  # jieba.Tokenizer, built by jieba_tokenizer


# ---------------------------------------------------------------- data files

def _read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file, stripped."""
    lines = data_file(name).read_text(encoding="utf-8-sig").splitlines()
    return [s for s in (line.strip() for line in lines) if s and not s.startswith("#")]


@lru_cache(maxsize=1)
def load_userdict() -> tuple[tuple[str, int | None], ...]:
    """The user dictionary as ``(term, freq)`` pairs (freq None when not given)."""
    entries = []
    for line in _read_lines(USERDICT_FILE):
        parts = line.split()
        if len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit()):
            raise ValueError(f"{data_file(USERDICT_FILE)}: bad line {line!r} (expected 'term freq')")
        entries.append((parts[0], int(parts[1]) if len(parts) == 2 else None))
    return tuple(entries)


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """The stop-word list."""
    return frozenset(_read_lines(STOPWORDS_FILE))


def load_lexicon(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The policy lexicon (``area, area_zh, area_en, term``), validated.

    Raises ValueError naming the file and line for a missing column, an empty field, a term
    listed twice, or an area code with two different labels.
    """
    path = Path(path) if path is not None else data_file(LEXICON_FILE)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in LEXICON_COLUMNS if c not in header]
        if missing:
            raise ValueError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
        columns = [c for c in ("area", "area_zh", "area_en", "term") if c in header]
        rows, seen, labels = [], {}, {}
        for lineno, raw in enumerate(reader, start=2):
            if None in raw or any(v is None for v in raw.values()):
                raise ValueError(f"{path}: line {lineno}: expected {len(header)} fields")
            row = {c: raw[c].strip() for c in columns}
            empty = [c for c in columns if not row[c]]
            if empty:
                raise ValueError(f"{path}: line {lineno}: empty field(s) {', '.join(empty)}")
            if row["term"] in seen:
                raise ValueError(f"{path}: line {lineno}: term {row['term']!r} already listed on line "
                                 f"{seen[row['term']]}")
            seen[row["term"]] = lineno
            label = tuple(row[c] for c in columns if c not in ("area", "term"))
            if labels.setdefault(row["area"], label) != label:
                raise ValueError(f"{path}: line {lineno}: area {row['area']!r} has different labels "
                                 f"than on its first line")
            rows.append(row)
    if not rows:
        raise ValueError(f"{path}: no terms")
    df = pd.DataFrame(rows, columns=columns)
    if "area_zh" not in df:
        df.insert(1, "area_zh", df["area"])
    return df


@lru_cache(maxsize=1)
def _lexicon() -> pd.DataFrame:
    return load_lexicon()


@lru_cache(maxsize=1)
def _term_area() -> dict[str, str]:
    lex = _lexicon()
    return dict(zip(lex["term"], lex["area"]))


def areas() -> list[str]:
    """Policy-area codes in lexicon order."""
    return list(dict.fromkeys(_lexicon()["area"]))


def area_labels(lang: str = "zh") -> dict[str, str]:
    """Area code → label in ``lang`` ('zh' or 'en')."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    lex = _lexicon().drop_duplicates("area")
    return dict(zip(lex["area"], lex["area_zh" if lang == "zh" else "area_en"]))


# ---------------------------------------------------------------- tokenizer

def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gov-work-reports"


def jieba_tokenizer() -> jieba.Tokenizer:
    """The reference: jieba's own Tokenizer with the project vocabulary (built once, quietly)."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        try:
            cache = _cache_dir()
            cache.mkdir(parents=True, exist_ok=True)
            tk.tmp_dir, tk.cache_file = str(cache), "jieba.cache"
        except OSError:
            pass  # jieba falls back to the system temp dir
        tk.initialize()
        for term, freq in load_userdict():
            tk.add_word(term, freq)
        for term in _lexicon()["term"]:
            if tk.FREQ.get(term, 0) < LEXICON_FREQ:
                tk.add_word(term, LEXICON_FREQ)
        _jieba = tk
    return _jieba


def _jieba_dict() -> tuple[dict[str, int], int]:
    """jieba's dict.txt (both tokenizers start from it): each word's frequency (its last line), and
    how much more jieba's total counts than jieba-rs's (jieba adds up every line, so a word listed
    twice — B超 — counts twice; jieba-rs counts each word once).

    rjieba cannot report a word's frequency, and the lexicon rule and ``_TOTAL_PAD`` need it; reading
    the file costs about 0.2 s once, less than jieba's own start.
    """
    from importlib.util import find_spec

    path = Path(find_spec("jieba").origin).with_name("dict.txt")  # without importing jieba (0.4 s)
    text = path.read_text(encoding="utf-8")
    parts = text.split()  # word freq tag, word freq tag, ... (fast: one split instead of 349,046)
    if len(parts) != 3 * len(text.splitlines()):
        raise RuntimeError(f"{path}: expected 'word freq tag' on every line")
    freqs = dict(zip(parts[0::3], map(int, parts[1::3])))
    return freqs, sum(map(int, parts[1::3])) - sum(freqs.values())


def get_tokenizer() -> rjieba.Jieba:
    """The project's tokenizer: an ``rjieba.Jieba`` that cuts as ``jieba_tokenizer`` does.

    Same words in the same order with the same frequencies: userdict terms (freq None: suggested by
    the tokenizer, as jieba does), then lexicon terms at ``LEXICON_FREQ`` where their frequency so
    far is lower. And the same total frequency, which enters every cut: jieba's ``add_word`` adds a
    known word's new frequency to the total without taking off its old one, jieba-rs replaces it, so
    ``_TOTAL_PAD`` carries the frequencies jieba counts and jieba-rs does not.
    """
    global _tokenizer
    if _tokenizer is None:
        import rjieba

        tk = rjieba.Jieba()
        freqs, pad = _jieba_dict()
        tk.add_word(_TOTAL_PAD, pad, None)

        def add(term: str, freq: int | None) -> None:
            nonlocal pad
            if term in freqs:  # replaced: jieba's total keeps the old frequency
                pad += freqs[term]
                tk.add_word(_TOTAL_PAD, pad, None)  # adds the increase to the total
            freqs[term] = tk.add_word(term, freq, None)

        for term, freq in load_userdict():
            add(term, freq)
        for term in _lexicon()["term"]:
            if freqs.get(term, 0) < LEXICON_FREQ:
                add(term, LEXICON_FREQ)
        _tokenizer = tk
    return _tokenizer


def _kept_spans(spans: Iterable[tuple[str, int, int]]) -> Iterator[tuple[str, int, int]]:
    for token, start, end in spans:
        if _keep(token):
            yield token, start, end


@lru_cache(maxsize=1)
def _kept_terms() -> frozenset[str]:
    """Terms always kept as tokens (lexicon and userdict)."""
    return frozenset(_lexicon()["term"]) | frozenset(t for t, _ in load_userdict())


def _keep(token: str) -> bool:
    if token in _term_area():
        return True
    if token in load_stopwords():
        return False
    if token in _kept_terms():
        return True
    return bool(_KEEP_RE.match(token)) and not _NUMERAL_RE.match(token)


def token_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """``(token, start, end)`` for every kept token of ``text``, in order (character offsets)."""
    if _NOT_JIEBA_HAN.search(text):
        text = _NOT_JIEBA_HAN.sub(_NOT_HAN, text)  # one character for one: offsets stay
    return _kept_spans(get_tokenizer().tokenize(text, "default", HMM))


def reference_token_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """``token_spans`` computed with jieba itself (``jieba_tokenizer``): the reference it must equal."""
    return _kept_spans(jieba_tokenizer().tokenize(text, HMM=HMM))


def tokenize(text: str) -> list[str]:
    """The kept tokens of ``text`` (see the module docstring for what is kept)."""
    return [t for t, _, _ in token_spans(text)]


def _mentions(text: str) -> Iterator[tuple[str, str, int, int]]:
    """``(area, term, start, end)`` for each lexicon-term token of ``text``."""
    term_area = _term_area()
    for token, start, end in token_spans(text):
        if token in term_area:
            yield term_area[token], token, start, end


def _ok(docs: Iterable[Document]) -> list[Document]:
    return sorted((d for d in docs if d.ok), key=lambda d: d.doc_id)


@lru_cache(maxsize=64)
def _doc_tokens(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


# ---------------------------------------------------------------- measures

@dataclass
class TextMeasures:
    """One document's text measures: what the corpus-level tables are built from.

    ``token_counts`` counts the kept tokens (``tokenize``); ``mentions`` lists every lexicon-term
    token as ``(area, term, start, end)`` in text order. One tokenizer pass gives both.
    """

    token_counts: dict[str, int]
    mentions: list[tuple[str, str, int, int]]


def measure_text(text: str) -> TextMeasures:
    """Token counts and lexicon mentions of one text (a pure function of the text and the vocabularies)."""
    term_area = _term_area()
    counts: Counter = Counter()
    mentions = []
    for token, start, end in token_spans(text):
        counts[token] += 1
        if token in term_area:
            mentions.append((term_area[token], token, start, end))
    return TextMeasures(dict(counts), mentions)


def emphasis_rows(doc_id: str, region: object, report_year: object, doc_type: object, text_chars: int,
                  mentions: Sequence[tuple[str, str, int, int]]) -> list[dict]:
    """The ``emphasis_table`` rows of one document (one per area), from its mentions."""
    lex = _lexicon().drop_duplicates("area")
    counts = Counter(area for area, *_ in mentions)
    total = sum(counts.values())
    rows = []
    for area, area_en in zip(lex["area"], lex["area_en"]):
        n = counts.get(area, 0)
        rows.append({"doc_id": doc_id, "region": region, "report_year": report_year,
                     "doc_type": doc_type, "area": area, "area_en": area_en, "mentions": n,
                     "per_10k": round(n / text_chars * 10000, 3) if text_chars else 0.0,
                     "share": round(n / total, 4) if total else 0.0})
    return rows


def emphasis_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """``emphasis_rows`` of many documents as the sorted emphasis table."""
    df = pd.DataFrame(list(rows), columns=EMPHASIS_COLUMNS)
    return df.sort_values(["doc_id", "area"], kind="mergesort").reset_index(drop=True)


def emphasis_table(docs: Iterable[Document]) -> pd.DataFrame:
    """Mentions of each policy area per document: counts, per 10,000 characters and shares."""
    rows = []
    for doc in _ok(docs):
        rows += emphasis_rows(doc.doc_id, doc.region, doc.report_year, doc.doc_type, len(doc.text),
                              list(_mentions(doc.text)))
    return emphasis_frame(rows)


def log_odds(y_i: float, n_i: float, y_j: float, n_j: float, a_w: float, a0: float) -> float:
    """Monroe et al. (2008) z-score of a word's log-odds ratio, group i vs group j, with prior a_w."""
    delta = (math.log((y_i + a_w) / (n_i + a0 - y_i - a_w))
             - math.log((y_j + a_w) / (n_j + a0 - y_j - a_w)))
    return delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))


def _region_names(regions: Iterable[str]) -> set[str]:
    """Region names and their short forms (荔湾区 → 荔湾区, 荔湾)."""
    names = set()
    for region in regions:
        names.add(region)
        if len(region) > 2 and region[-1] in "区市县镇省":
            names.add(region[:-1])
    return names


def distinctive_terms(docs: Iterable[Document], top_n: int = 30, min_count: int = 3,
                      alpha0: float | None = None, drop_region_names: bool = True) -> pd.DataFrame:
    """Each region's most distinctive tokens against all other regions.

    Weighted log-odds ratio with an informative Dirichlet prior: ``a_w = alpha0 * p_w`` where
    ``p_w`` is the word's share of all tokens and ``alpha0`` defaults to the corpus token count
    (so ``a_w`` is the word's corpus count). Terms used fewer than ``min_count`` times by the
    region are left out; ``top_n`` per region by z, ties by term. The corpus's region names
    (荔湾区, 荔湾) are left out unless ``drop_region_names`` is False. Needs two regions or more.
    """
    docs = [d for d in _ok(docs) if d.region]
    by_region: dict[str, Counter] = {}
    for doc in docs:
        by_region.setdefault(doc.region, Counter()).update(_doc_tokens(doc.text))
    return distinctive_from_counts(by_region, top_n=top_n, min_count=min_count, alpha0=alpha0,
                                   drop_region_names=drop_region_names)


def distinctive_from_counts(by_region: dict[str, Counter], top_n: int = 30, min_count: int = 3,
                            alpha0: float | None = None, drop_region_names: bool = True) -> pd.DataFrame:
    """``distinctive_terms`` from token counts already summed per region (see there for the method)."""
    names = _region_names(by_region) if drop_region_names else set()
    if names:
        by_region = {r: Counter({t: n for t, n in c.items() if t not in names}) for r, c in by_region.items()}
    total = Counter()
    for c in by_region.values():
        total.update(c)
    n_all = sum(total.values())
    rows = []
    if len(by_region) >= 2 and n_all:
        a0 = float(alpha0) if alpha0 is not None else float(n_all)
        for region in sorted(by_region):
            mine = by_region[region]
            n_i = sum(mine.values())
            n_j = n_all - n_i
            scored = []
            for term, y_i in mine.items():
                if y_i < min_count:
                    continue
                a_w = a0 * total[term] / n_all
                scored.append((-round(log_odds(y_i, n_i, total[term] - y_i, n_j, a_w, a0), 4), term, y_i))
            for neg_z, term, y_i in sorted(scored)[:top_n]:
                rows.append({"region": region, "term": term, "count": y_i, "zscore": -neg_z + 0.0})
    return pd.DataFrame(rows, columns=DISTINCTIVE_COLUMNS)


def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    """Up to ``window`` characters either side of ``[start, end)``, cut at sentence ends."""
    left = text[max(0, start - window):start]
    cut = max(left.rfind(ch) for ch in SENTENCE_END)
    left = left[cut + 1:]
    right = text[end:end + window]
    stops = [i for i in (right.find(ch) for ch in SENTENCE_END) if i >= 0]
    if stops:
        i = min(stops)
        right = right[:i + 1] if right[i] != "\n" else right[:i]
    return left.strip(), right.strip()


def kwic_rows(doc_id: str, region: object, report_year: object, text: str,
              mentions: Iterable[tuple[str, str, int, int]], window: int = 20) -> Iterator[dict]:
    """``kwic`` rows of one document, in text order."""
    for area, term, start, end in mentions:
        left, right = _context(text, start, end, window)
        yield {"doc_id": doc_id, "region": region, "report_year": report_year, "area": area, "term": term,
               "left": left, "keyword": text[start:end], "right": right, "char_start": start}


class KwicCollector:
    """Keeps at most ``max_per_term`` lines per term (None: all), the first in document order.

    Documents must be added in ``doc_id`` order so the kept lines do not depend on how they were read.
    """

    def __init__(self, max_per_term: int | None = None, window: int = 20):
        self.max_per_term, self.window = max_per_term, window
        self.rows: list[dict] = []
        self._seen: Counter = Counter()

    def add(self, doc_id: str, region: object, report_year: object, text: str,
            mentions: Iterable[tuple[str, str, int, int]]) -> None:
        wanted = []
        for mention in mentions:
            term = mention[1]
            if self.max_per_term is None or self._seen[term] < self.max_per_term:
                self._seen[term] += 1
                wanted.append(mention)
        self.rows.extend(kwic_rows(doc_id, region, report_year, text, wanted, self.window))

    def table(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=KWIC_COLUMNS)
        return df.sort_values(["doc_id", "char_start"], kind="mergesort").reset_index(drop=True)


def kwic(docs: Iterable[Document], window: int = 20, max_per_term: int | None = None) -> pd.DataFrame:
    """Lexicon mentions (whole tokens) with ``window`` characters of context each side.

    ``max_per_term`` keeps only the first lines of each term (documents in ``doc_id`` order), so the
    table stays small on a large corpus; None keeps every mention.
    """
    collector = KwicCollector(max_per_term, window)
    for doc in _ok(docs):
        collector.add(doc.doc_id, doc.region, doc.report_year, doc.text, _mentions(doc.text))
    return collector.table()


def _row_areas(name: object, quote: object) -> list[str]:
    """Areas hit by a commitment's name, else by its quote; ``unclassified`` when neither hits."""
    for field in (name, quote):
        if isinstance(field, str) and field.strip():
            hit = sorted({area for area, *_ in _mentions(field)})
            if hit:
                return hit
    return [UNCLASSIFIED]


def commitments_by_area(facts: pd.DataFrame) -> pd.DataFrame:
    """Quantitative commitments outside the codebook (indicator ``other``) counted per area.

    A row counts once for each area whose lexicon terms are tokens of its ``indicator_name``
    (or, when the name hits none, of its ``quote``); rows hitting no area count as ``unclassified``.
    """
    if facts is None or facts.empty or "indicator" not in facts:
        return pd.DataFrame(columns=COMMITMENT_COLUMNS)
    other = facts[facts["indicator"] == "other"]
    rows = []
    for rec in other.to_dict("records"):
        for area in _row_areas(rec.get("indicator_name"), rec.get("quote")):
            rows.append({"doc_id": rec.get("doc_id"), "region": rec.get("region"),
                         "report_year": rec.get("report_year"), "area": area})
    if not rows:
        return pd.DataFrame(columns=COMMITMENT_COLUMNS)
    df = pd.DataFrame(rows)
    keys = ["doc_id", "region", "report_year", "area"]
    out = df.groupby(keys, dropna=False, sort=False).size().reset_index(name="commitments")
    return out.sort_values(["doc_id", "area"], kind="mergesort").reset_index(drop=True)[COMMITMENT_COLUMNS]


def write_emphasis_outputs(docs: Sequence[Document], out_dir: str | os.PathLike) -> list[Path]:
    """Write emphasis.csv, distinctive.csv and kwic.csv to ``out_dir``; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs = list(docs)
    paths = []
    for name, table in (("emphasis", emphasis_table(docs)), ("distinctive", distinctive_terms(docs)),
                        ("kwic", kwic(docs))):
        path = out / f"{name}.csv"
        table.to_csv(path, index=False)
        paths.append(path)
    return paths
