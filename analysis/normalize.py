"""Character-level normalisation: line ends, full-width forms, script, Taiwan vocabulary.

- ``char_edits``: CR/LF, zero-width and control characters, full-width digits/letters/signs to
  ASCII, U+3000 and no-break spaces to spaces, years of the 1900s written in numerals (一九八六年) in
  digits, as full-width ones. Chinese punctuation (，。；：、（）) is kept.
- ``detect_script``: counts characters that only exist in traditional vs simplified writing.
- ``to_simplified``: OpenCC ``t2s`` (characters, plus OpenCC's own t2s phrase table), *not*
  ``tw2sp``, which rewrites correct mainland words (新增→添加, 指标→指针, 核心→内核 ...).
  The converter is built once, lazily, from OpenCC's dictionaries as a ``str.translate``
  table plus one regex for the phrases: same output as ``OpenCC('t2s')``, many times faster.
- ``taiwan_phrase_edits``: undo Taiwan vocabulary (最佳化→优化 ...) from ``data/taiwan_phrases.tsv``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .offsets import Edit
from .paths import data_file

# ---------------------------------------------------------------- full-width and odd characters

_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({ord("Ａ") + i: ord("A") + i for i in range(26)})
_FULLWIDTH.update({ord("ａ") + i: ord("a") + i for i in range(26)})
_FULLWIDTH.update({ord(a): ord(b) for a, b in zip("％＋－＝＜＞＠＃＆／", "%+-=<>@#&/")})
# Spaces: ideographic (indentation in Chinese documents), no-break, thin ...; tabs.
_FULLWIDTH.update({cp: ord(" ") for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x202F, 0x09)})
FULLWIDTH_TABLE: dict[int, int] = _FULLWIDTH

# Deleted outright: zero-width characters, stray BOMs, C0 controls other than \n.
_DELETE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CR_RE = re.compile(r"\r\n?")
# A full-width full stop between digits is a decimal point (８．５％ → 8.5%); list numbers (１．) too.
_FW_POINT_RE = re.compile(r"(?<=\d)．")


# A year of the 1900s in Chinese numerals (一九五八年), as reports before the 1990s write them: digit for
# digit, so that every rule reading years reads these too and no position moves. (Later years in numerals
# are mostly the 二〇三五年 of plan titles, left as they are.)
_CN_YEAR_RE = re.compile(r"(?<![〇零○一二三四五六七八九十百千万])一九[〇零○一二三四五六七八九]{2}(?=\s*年)")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


def char_edits(text: str) -> tuple[str, list[Edit]]:
    """Length-preserving translation of full-width forms, plus edits for CR and invisible chars.

    Returns the translated text and the edits still to apply to it.
    """
    text = text.translate(FULLWIDTH_TABLE)
    edits: list[Edit] = []
    if "．" in text:
        text = _FW_POINT_RE.sub(".", text)
    if "一九" in text:
        text = _CN_YEAR_RE.sub(lambda m: m.group().translate(_CN_DIGITS), text)
    for m in _CR_RE.finditer(text):
        edits.append((m.start(), m.end(), "\n"))
    for m in _DELETE_RE.finditer(text):
        edits.append((m.start(), m.end(), ""))
    return text, edits


# ---------------------------------------------------------------- script detection and t2s

def _opencc_dir() -> Path:
    import opencc

    return Path(opencc.__file__).resolve().parent / "dictionary"


def _read_dict(name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(_opencc_dir() / name, encoding="utf-8") as f:
        for line in f:
            key, _, vals = line.rstrip("\n").partition("\t")
            if key and vals:
                out[key] = vals.split(" ")[0]  # OpenCC uses the first candidate
    return out


@dataclass(frozen=True)
class _Converter:
    table: dict[int, str]
    phrases: dict[str, str]
    phrase_re: re.Pattern | None
    traditional_only: frozenset[str]
    simplified_only: frozenset[str]


@lru_cache(maxsize=1)
def _converter() -> _Converter:
    chars = _read_dict("TSCharacters.txt")
    table = {ord(k): v for k, v in chars.items() if len(k) == 1 and k != v}
    # Keep only phrases whose conversion differs from character-by-character conversion.
    phrases = {}
    for k, v in _read_dict("TSPhrases.txt").items():
        if k.translate(table) != v:
            phrases[k] = v
    phrase_re = None
    if phrases:
        alts = sorted(phrases, key=lambda p: (-len(p), p))
        phrase_re = re.compile("|".join(map(re.escape, alts)))
    traditional_only = frozenset(chr(c) for c in table)
    st = _read_dict("STCharacters.txt")
    simplified_only = frozenset(k for k, v in st.items() if len(k) == 1 and k != v) - traditional_only
    return _Converter(table, phrases, phrase_re, traditional_only, simplified_only)


def script_counts(text: str) -> tuple[int, int]:
    """(traditional-only characters, simplified-only characters) in ``text``."""
    conv = _converter()
    trad = simp = 0
    for ch, n in Counter(text).items():
        if ch in conv.traditional_only:
            trad += n
        elif ch in conv.simplified_only:
            simp += n
    return trad, simp


def detect_script(text: str) -> str:
    """'traditional' when traditional-only characters outnumber simplified-only ones, else 'simplified'."""
    trad, simp = script_counts(text)
    return "traditional" if trad > simp else "simplified"


def to_simplified(text: str) -> str:
    """OpenCC t2s, length-preserving (every t2s entry maps n characters to n)."""
    conv = _converter()
    out = text.translate(conv.table)
    if conv.phrase_re is None:
        return out
    matches = list(conv.phrase_re.finditer(text))
    if not matches:
        return out
    parts: list[str] = []
    pos = 0
    for m in matches:
        repl = conv.phrases[m.group()]
        if len(repl) != m.end() - m.start():  # never happens with OpenCC's tables; stay safe
            continue
        parts.append(out[pos:m.start()])
        parts.append(repl)
        pos = m.end()
    parts.append(out[pos:])
    return "".join(parts)


# ---------------------------------------------------------------- Taiwan vocabulary

@dataclass(frozen=True)
class TaiwanPhrase:
    taiwan: str
    mainland: str
    not_after: str = ""
    not_before: tuple[str, ...] = ()


def read_taiwan_phrases(path: str | Path | None = None) -> list[TaiwanPhrase]:
    """The phrase map (``data/taiwan_phrases.tsv`` unless ``path`` is given)."""
    path = Path(path) if path else data_file("taiwan_phrases.tsv")
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or not cols[0] or not cols[1]:
                raise ValueError(f"{path}:{n}: expected 'taiwan<TAB>mainland[<TAB>not_after<TAB>not_before]'")
            not_after = cols[2] if len(cols) > 2 else ""
            not_before = tuple(x for x in cols[3].split("|") if x) if len(cols) > 3 else ()
            out.append(TaiwanPhrase(cols[0], cols[1], not_after, not_before))
    return out


@lru_cache(maxsize=1)
def _taiwan_regex() -> tuple[re.Pattern, dict[str, str]]:
    phrases = sorted(read_taiwan_phrases(), key=lambda p: (-len(p.taiwan), p.taiwan))
    alts = []
    for p in phrases:
        pat = ""
        if p.not_after:
            pat += f"(?<![{re.escape(p.not_after)}])"
        pat += re.escape(p.taiwan)
        if p.not_before:
            pat += "(?!" + "|".join(map(re.escape, p.not_before)) + ")"
        alts.append(pat)
    return re.compile("|".join(alts)), {p.taiwan: p.mainland for p in phrases}


def taiwan_phrase_edits(text: str) -> list[Edit]:
    """Edits that replace Taiwan-style phrases by their mainland form."""
    regex, mapping = _taiwan_regex()
    return [(m.start(), m.end(), mapping[m.group()]) for m in regex.finditer(text)]


# A pinyin gloss that some sites insert after a character: 地區(qū)生產(chǎn)總值. One syllable of
# lower-case Latin letters with at least one tone mark (or ü), in half- or full-width brackets,
# right after a Chinese character; plain Latin in brackets (GDP), (CPI) is not touched.
_PINYIN_GLOSS_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})[)）]"
)
_TONE_MARKS = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü")


def pinyin_gloss_edits(text: str) -> list[tuple[int, int, str]]:
    """Edits that delete pinyin glosses (see ``_PINYIN_GLOSS_RE``); each is a removed span."""
    return [(m.start(), m.end(), "") for m in _PINYIN_GLOSS_RE.finditer(text)
            if _TONE_MARKS & set(m.group(1))]
