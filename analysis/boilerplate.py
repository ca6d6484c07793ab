"""Keep the report, drop the page around it; lay the report out one paragraph a line.

Works on lines of the (already simplified) text and returns *edits* plus the spans it removed,
so that the caller can keep the clean→raw position map. Rules are for the genre, not for one site:

- vocabulary lines (``data/boilerplate_patterns.txt``): navigation, page metadata, forum panels,
  wiki/site footers; a run of short lines mostly made of such hits goes as a whole (a forum
  user panel: 主题 / 2966 / 帖子 / 2975 ...);
- the head and the tail of a page: short non-sentence lines before the report starts (its
  title, date line, 各位代表, or first paragraph) and after its last sentence;
- spam banners: phrases from the vocabulary removed wherever they sit, even inside a paragraph;
- a short non-sentence line repeated three times or more (a banner, a PDF running header);
- PDF page furniture: page numbers (— 3 —, 第3页, a rising run of bare numbers) and the
  running header lines next to them;
- repeated paragraphs: the first is kept, the rest recorded (and a teaser "简介…..." that
  repeats the start of a paragraph);
- hard line breaks inside sentences (text copied out of a PDF) are joined back;
- a report that is one long line is split at its section heads and sentence ends.

Never removed: a line with a digit and a report keyword (增长, 亿元, 万人, %, 完成, 目标 ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .offsets import Edit
from .paths import data_file

# A line holding a number and one of these is report text: never removed as junk.
REPORT_KEYWORDS = (
    "增长", "下降", "增加", "减少", "提高", "亿元", "万元", "万人", "%", "完成", "目标", "达到", "新增",
    "累计", "实现", "投资", "收入", "总值", "总额", "万平方米", "平方公里", "公里", "个百分点", "产值",
    "税收", "就业", "项目", "企业", "人次", "万户",
)
# Single-character units count only right after a number: on their own they hit page
# furniture too (版权所有 © 2022 ... ICP备 kept a footer line as "report content").
_UNIT_AFTER_NUMBER = r"[0-9一二两三四五六七八九十百千万]\s?[家所亩吨]"
_KEYWORD_RE = re.compile("|".join([*map(re.escape, REPORT_KEYWORDS), _UNIT_AFTER_NUMBER]))
_DIGIT_RE = re.compile(r"[0-9]|[一二三四五六七八九十百千万]+[个家项所人条]")

SECTION_HEAD_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十百]+[章节篇部分]|"
    r"附件\s*\d*|附表\s*\d*|名词解释|说明[:：]|[0-9]{1,2}[.、．](?![0-9]))"
)
_TITLE_RE = re.compile(r"政府工作报告|五年规划|规划纲要|纲要|计划执行情况|预算执行情况|关于印发|工作报告")
# A report's date line: after a dash or bracket (——2023年1月10日, ――, （2003年1月10日 …）), or naming
# the congress (2021年1月30日在四川省第十三届人民代表大会…).
_DATE_LINE_RE = re.compile(
    r"^(?:[—\-－─―–━（(]{1,3}\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^\n]{0,40}?(?:会议|人民代表大会|人大))")
_SALUTATION_RE = re.compile(r"^各位代表")
_SPEAKER_RE = re.compile(r"(?:代理)?(?:省|市|区|县|州|旗|盟)长\s*[\u4e00-\u9fff·]{2,5}$")
_BULLET_RE = re.compile(r"^[\s•·●◆◇■□▪▶►\-\*]+")
_TERMINAL = "。！？!?；;…”’」』"
_JOIN_STOP = "。！？!?；;…”’」』:：)）】"
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–－─_]+\s*\d{1,4}\s*[-—–－─_]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
_BARE_NUMBER_RE = re.compile(r"^\d{1,4}$")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

LONG_LINE = 1500  # a "line" longer than this is a whole report flattened onto one line
SHORT_LINE = 40   # navigation, panels and footers are short lines
DUPLICATE_MIN = 20  # shorter lines (headings, table cells such as 已完成) may legitimately repeat


@dataclass(frozen=True)
class Patterns:
    line: tuple[tuple[str, re.Pattern], ...]
    spam: tuple[re.Pattern, ...]


def read_patterns(path: str | Path | None = None) -> Patterns:
    """Parse a boilerplate vocabulary file (``data/boilerplate_patterns.txt`` by default)."""
    path = Path(path) if path else data_file("boilerplate_patterns.txt")
    line, spam = [], []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            reason, sep, pattern = raw.rstrip("\n").partition("\t")
            if not sep or not pattern:
                raise ValueError(f"{path}:{n}: expected 'reason<TAB>regex'")
            try:
                rx = re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{path}:{n}: bad regular expression: {exc}") from exc
            (spam.append(rx) if reason == "spam_banner" else line.append((reason, rx)))
    return Patterns(tuple(line), tuple(spam))


@lru_cache(maxsize=1)
def default_patterns() -> Patterns:
    return read_patterns()


def has_report_content(s: str) -> bool:
    """A digit (or a counted Chinese numeral) and a report keyword: report text, never junk."""
    return bool(_DIGIT_RE.search(s)) and bool(_KEYWORD_RE.search(s))


def is_prose(s: str) -> bool:
    """A sentence of running text (not a label, a menu item or a number)."""
    if len(_CJK_RE.findall(s[:200])) < 4:
        return False
    return "。" in s or "！" in s or "？" in s or s.endswith(tuple(_TERMINAL))


def is_structural(s: str) -> bool:
    """Title, date line, salutation, speaker line or section head of a report."""
    if SECTION_HEAD_RE.match(s) or _DATE_LINE_RE.match(s) or _SALUTATION_RE.match(s):
        return True
    if len(s) <= 80 and _TITLE_RE.search(s):
        return True
    return len(s) <= 40 and bool(_SPEAKER_RE.search(s))


# ---------------------------------------------------------------- one-line reports

_SPLIT_AFTER_END_RE = re.compile(r"(?<=[。！？!?；;])[ \t]+")
_SPLIT_BEFORE_HEAD_RE = re.compile(
    r"[ \t]+(?=(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|附件\s*\d|附表\s*\d|名词解释|各位代表))"
)
_SPLIT_AFTER_MEETING_RE = re.compile(r"(?<=会议上)[ \t]+")
# The title and the date line (广州市某某区2022年政府工作报告 ——2022年1月18日在…), the
# salutation and the first sentence (各位代表： 现在，…) are separate lines.
_SPLIT_BEFORE_DATE_RE = re.compile(r"[ \t]+(?=[—－─]{2}\s*\d{4}\s*年\s*\d{1,2}\s*月)")
_SPLIT_AFTER_HELLO_RE = re.compile(r"(?<=各位代表[:：])[ \t]+")
# Used with .match(line, pos): no "^" (it would only match at 0, never at pos).
_HEAD_THEN_SPACE_RE = re.compile(
    r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|附件\s*\d+|附表\s*\d+)[^ \t,，。；;]{1,40}?([ \t]+)"
)
_HEAD_DATE_RE = re.compile(r"[—－─]{2}\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_HEAD_HELLO_RE = re.compile(r"各位代表[:：，,]")
_SENTENCE_END_RE = re.compile(r"(?<=[。！？!?])(?=[^”’」』)）\n])")


def split_long_lines(text: str) -> list[Edit]:
    """Edits that split lines longer than ``LONG_LINE`` into paragraphs.

    Whitespace after a sentence end, before a section head (一、 （一） 附件 各位代表) and after
    a heading becomes a line break; a long line without such whitespace is broken after
    each sentence end and around its head (before the ——date line, after its 会议上, before
    各位代表).
    """
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if len(line) <= LONG_LINE:
            continue
        spans = set()
        for rx in (_SPLIT_AFTER_END_RE, _SPLIT_BEFORE_HEAD_RE, _SPLIT_AFTER_MEETING_RE,
                   _SPLIT_BEFORE_DATE_RE, _SPLIT_AFTER_HELLO_RE):
            spans.update(m.span() for m in rx.finditer(line))
        if spans:
            cuts = sorted(spans)
            # A heading followed by its paragraph on the same piece: break after the heading.
            bounds = [0] + [e for _, e in cuts]
            for b in bounds:
                m = _HEAD_THEN_SPACE_RE.match(line, b)
                if m:
                    spans.add(m.span(1))
            merged: list[tuple[int, int]] = []
            for s, e in sorted(spans):
                if merged and s < merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], e))
                else:
                    merged.append((s, e))
            edits.extend((start + s, start + e, "\n") for s, e in merged)
        else:
            # No whitespace at all: break after sentence ends, and around the report's head
            # (title——date line, …会议上, 各位代表) so that the title and date line stand alone.
            cuts = {m.start() for m in _SENTENCE_END_RE.finditer(line)}
            date = _HEAD_DATE_RE.search(line, 0, 2000)
            if date:
                cuts.add(date.start())
                end = line.find("会议上", date.end(), date.end() + 80)
                if end > 0:
                    cuts.add(end + 3)
            hello = _HEAD_HELLO_RE.search(line, 0, 2000)
            if hello:
                cuts.update((hello.start(), hello.end()))
            edits.extend((start + c, start + c, "\n") for c in sorted(cuts) if 0 < c < len(line))
    return edits


# ---------------------------------------------------------------- line classification

@dataclass
class _Line:
    start: int
    end: int  # end of content, excluding the newline
    text: str  # stripped content
    lead: int  # leading whitespace length
    trail: int  # trailing whitespace length
    removed: str | None = None  # reason
    content: str = ""  # text with spam phrases taken out
    spam: tuple[tuple[int, int], ...] = ()  # spans (absolute) of spam phrases in the line

    @property
    def blank(self) -> bool:
        return not self.text


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip()) if stripped else len(raw)
        trail = len(raw) - len(raw.rstrip()) if stripped else 0
        out.append(_Line(pos, pos + len(raw), stripped, lead, trail, content=stripped))
        pos += len(raw) + 1
    return out


def _vocab_reason(s: str, patterns: Patterns) -> str | None:
    s = _BULLET_RE.sub("", s)
    for reason, rx in patterns.line:
        if rx.search(s):
            return reason
    return None


@dataclass
class CleanResult:
    edits: list[Edit]
    removed: list[tuple[int, int, str]]  # (start, end, reason) in the input text
    duplicates_dropped: int


def clean_lines(text: str, patterns: Patterns | None = None) -> CleanResult:
    """Decide what to drop and how to lay out ``text``; see the module docstring."""
    patterns = patterns or default_patterns()
    lines = _lines(text)
    body = [ln for ln in lines if not ln.blank]
    info = {}
    for ln in body:
        s = ln.text
        info[id(ln)] = (has_report_content(s), is_prose(s), is_structural(s), _vocab_reason(s, patterns))

    def keep_safe(ln: _Line) -> bool:
        return info[id(ln)][0] and len(ln.text) > 12

    # 1. vocabulary lines
    for ln in body:
        content, prose, structural, vocab = info[id(ln)]
        if vocab and not content:
            ln.removed = vocab

    # 2. runs of short lines made mostly of vocabulary hits (forum user panel, menus)
    run: list[_Line] = []

    def flush(run: list[_Line]) -> None:
        hits = sum(1 for x in run if info[id(x)][3])
        if hits and hits >= 0.4 * len(run) and len(run) >= 2:
            for x in run:
                if x.removed is None and not info[id(x)][0]:
                    x.removed = info[id(x)][3] or _run_reason(run, info)

    for ln in body:
        content, prose, structural, vocab = info[id(ln)]
        if len(ln.text) <= SHORT_LINE and not prose and not structural and not content:
            run.append(ln)
        elif vocab and not content and len(ln.text) <= 2 * SHORT_LINE:
            run.append(ln)
        else:
            flush(run)
            run = []
    flush(run)

    # 3. page furniture: page numbers and the running headers next to them
    _mark_page_furniture(body, info)

    # 4. head and tail of the page
    def anchor(ln: _Line) -> bool:
        content, prose, structural, vocab = info[id(ln)]
        return ln.removed is None and (structural or (prose and len(ln.text) >= 30))

    kept_anchor = [i for i, ln in enumerate(body) if anchor(ln)]
    if kept_anchor:
        first = kept_anchor[0]
        last = max(i for i, ln in enumerate(body) if ln.removed is None and (info[id(ln)][1] or info[id(ln)][2]))
        for i, ln in enumerate(body):
            if (i < first or i > last) and ln.removed is None:
                content, prose, structural, vocab = info[id(ln)]
                if not prose and not structural and not content:
                    ln.removed = "navigation" if i < first else "footer"

    # 5. short non-sentence lines repeated 3+ times (banners, running headers)
    counts: dict[str, int] = {}
    for ln in body:
        if ln.removed is None:
            counts[ln.text] = counts.get(ln.text, 0) + 1
    for ln in body:
        if ln.removed is None and counts.get(ln.text, 0) >= 3 and 8 <= len(ln.text) <= SHORT_LINE:
            content, prose, structural, vocab = info[id(ln)]
            if not prose and not structural and not content:
                ln.removed = "repeated_banner"

    # 6. spam phrases inside kept lines
    spam_edits: list[Edit] = []
    removed_spans: list[tuple[int, int, str]] = []
    for ln in body:
        if ln.removed is not None or not patterns.spam:
            continue
        found = _spam_spans(ln.text, patterns.spam)
        if not found:
            continue
        base = ln.start + ln.lead
        rest = ln.text
        for s, e in reversed(found):
            rest = rest[:s] + rest[e:]
        if not _CJK_RE.search(rest) or (len(rest.strip()) < 4 and not info[id(ln)][0]):
            ln.removed = "spam_banner"
            continue
        ln.content = rest.strip()
        ln.spam = tuple((base + s, base + e) for s, e in found)

    # 7. repeated paragraphs (and teasers repeating the start of a paragraph)
    dups = _mark_duplicates(body)

    # Spam inside lines that stay: a line removed as a whole (a duplicate teaser with spam
    # in it) is recorded once, as a whole, not also as overlapping spam spans.
    for ln in body:
        if ln.removed is None:
            for s, e in ln.spam:
                spam_edits.append((s, e, ""))
                removed_spans.append((s, e, "spam_banner"))

    # 8. layout: strip, drop blank lines, join hard-wrapped lines
    joins = _hard_wrap_joins([ln for ln in body if ln.removed is None], info)

    edits: list[Edit] = list(spam_edits)
    for ln in lines:
        if ln.blank or ln.removed is not None:
            edits.append((ln.start, ln.end + 1, ""))  # the line and its newline
            if ln.removed is not None:
                removed_spans.append((ln.start + ln.lead, ln.end - ln.trail, ln.removed))
            continue
        if ln.lead:
            edits.append((ln.start, ln.start + ln.lead, ""))
        if ln.trail:
            edits.append((ln.end - ln.trail, ln.end, ""))
        if id(ln) in joins:
            edits.append((ln.end, ln.end + 1, joins[id(ln)]))
    # The last kept line ends the text without a newline.
    kept = [ln for ln in lines if not ln.blank and ln.removed is None]
    if kept and kept[-1].end < len(text) and id(kept[-1]) not in joins:
        edits.append((kept[-1].end, kept[-1].end + 1, ""))
    edits = [(s, min(e, len(text)), r) for s, e, r in edits if s < len(text) or r]
    removed_spans.sort()
    return CleanResult(edits, removed_spans, dups)


def _run_reason(run: list[_Line], info: dict) -> str:
    reasons = [info[id(x)][3] for x in run if info[id(x)][3]]
    return max(set(reasons), key=lambda r: (reasons.count(r), r)) if reasons else "navigation"


def _spam_spans(s: str, spam: tuple[re.Pattern, ...]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rx in spam:
        spans.extend(m.span() for m in rx.finditer(s) if m.end() > m.start())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _mark_page_furniture(body: list[_Line], info: dict) -> None:
    idx_num = [i for i, ln in enumerate(body) if _PAGE_NUMBER_RE.match(ln.text)]
    bare = [i for i, ln in enumerate(body) if _BARE_NUMBER_RE.match(ln.text) and ln.removed is None]
    if len(bare) >= 3:
        values = [int(body[i].text) for i in bare]
        rising = sum(1 for a, b in zip(values, values[1:]) if b > a)
        if rising >= 0.8 * (len(values) - 1):
            idx_num.extend(bare)
    if not idx_num:
        return
    near: dict[str, int] = {}
    for i in idx_num:
        body[i].removed = "page_furniture"
        for j in (i - 2, i - 1, i + 1, i + 2):
            if 0 <= j < len(body) and j not in idx_num:
                t = body[j].text
                if len(t) <= SHORT_LINE and not info[id(body[j])][1]:
                    near[t] = near.get(t, 0) + 1
    headers = {t for t, n in near.items() if n >= 2}
    for i, ln in enumerate(body):
        if ln.text in headers and not info[id(ln)][0]:
            if any(abs(i - k) <= 2 for k in idx_num):
                ln.removed = "page_furniture"


_TEASER_LABEL_RE = re.compile(r"^(?:简介|摘要|导读|内容提要|核心提示)[:：]?\s*")
_ELLIPSIS_RE = re.compile(r"(?:\.{3,}|…+|。。。)$")


def _mark_duplicates(body: list[_Line]) -> int:
    seen: set[str] = set()
    kept = [ln for ln in body if ln.removed is None]
    dup_flags = []
    for ln in kept:
        key = re.sub(r"\s+", "", ln.content)
        dup = len(key) >= DUPLICATE_MIN and key in seen
        dup_flags.append(dup)
        seen.add(key)
    # Short lines (headings) inside a duplicated block go with the block.
    for k, ln in enumerate(kept):
        if not dup_flags[k] and len(re.sub(r"\s+", "", ln.content)) < DUPLICATE_MIN:
            before = next((dup_flags[j] for j in range(k - 1, -1, -1)), False)
            after = next((dup_flags[j] for j in range(k + 1, len(kept))), False)
            key = re.sub(r"\s+", "", ln.content)
            if before and after and sum(1 for x in kept[:k] if re.sub(r"\s+", "", x.content) == key):
                dup_flags[k] = True
    count = 0
    for ln, dup in zip(kept, dup_flags):
        if dup:
            ln.removed = "duplicate_paragraph"
            count += 1
    # Teasers: "简介……执行中遇到的..." repeating the start of another paragraph.
    kept = [ln for ln in body if ln.removed is None]
    joined = "\n".join(ln.content for ln in kept)
    for ln in kept:
        if _ELLIPSIS_RE.search(ln.content):
            core = _ELLIPSIS_RE.sub("", _TEASER_LABEL_RE.sub("", ln.content)).strip()
            if len(core) >= DUPLICATE_MIN and joined.count(core) >= 2:
                ln.removed = "duplicate_paragraph"
                count += 1
    return count


def _hard_wrap_joins(kept: list[_Line], info: dict) -> dict[int, str]:
    """Lines of text copied out of a PDF: which line ends are not paragraph ends.

    A document is hard-wrapped when many lines have about the same (maximum) length and
    end without punctuation; such a line is joined to the next unless that one is a heading.
    Returns {id(line): separator} ("" between Chinese characters, " " between Latin words).
    """
    lengths = sorted(len(ln.text) for ln in kept if len(ln.text) >= 10)
    if len(lengths) < 8:
        return {}
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > 200:
        return {}
    full = [ln for ln in kept if len(ln.text) >= 0.8 * width and not ln.text.endswith(tuple(_JOIN_STOP))]
    if len(full) < 0.3 * len(kept):
        return {}
    full_ids = {id(ln) for ln in full}
    joins: dict[int, str] = {}
    for a, b in zip(kept, kept[1:]):
        if id(a) in full_ids and not SECTION_HEAD_RE.match(b.text) and not _DATE_LINE_RE.match(b.text):
            sep = " " if a.text[-1:].isascii() and a.text[-1:].isalnum() and b.text[:1].isascii() and b.text[:1].isalnum() else ""
            joins[id(a)] = sep
    return joins
