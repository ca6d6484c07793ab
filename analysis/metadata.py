"""What a report says about itself: region, year, type, meeting date, speaker, title.

Read from the clean text only, never from the file name. Sources, in order of trust:
the title line (海珠区2022年政府工作报告, 《…第十四个五年规划和2035年远景目标纲要》), the date line
(——2022年1月20日在广州市荔湾区第十七届人民代表大会第二次会议上), the speaker line
(广州市荔湾区人民政府区长 谭明鹤). Unknown stays ``None`` with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Administrative units, longest suffixes first; a bare 州 is not a unit (广州市, 杭州市).
_UNIT_RE = re.compile(
    r"[\u4e00-\u9fff]+?(?:特别行政区|自治区|自治州|自治县|自治旗|新区|地区|省|市|县|区|旗|盟)"
)
_CJK = r"\u4e00-\u9fff"

# The place chain ends right before the congress (第十七届 / 十七届 / 人民代表大会). An
# alternative that could swallow the chain itself ([^\n]{0,10}人民代表大会) left the lazy
# chain group empty whenever the chain and 第十七届 were written without a space.
_DATE_LINE_RE = re.compile(
    r"[—\-－─]{1,3}\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:在\s*([^\n]{0,60}?)\s*"
    r"(?:第?[一二三四五六七八九十百]+届|人民代表大会))?"
)
_SPEAKER_RE = re.compile(
    rf"([{_CJK}]{{0,20}}?)(?:人民政府)?((?:代理|常务副|副)?(?:省|市|区|县|州|旗|盟)长)\s*([{_CJK}·]{{2,4}}?)(?=\s|$|各位|\n)"
)
_FYP_RE = re.compile(r"第([一二三四五六七八九十]+)个五年(?:规划|计划)")
_FYP_SHORT_RE = re.compile(r"[“\"]?(十[一二三四五六七八九]|十)五[”\"]?规划")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

DOC_TYPES = ("work_report", "fyp_outline", "plan_report")


@dataclass
class Metadata:
    region: str | None = None
    report_year: int | None = None
    doc_type: str | None = None
    meeting_date: str | None = None
    speaker: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)


def cn_number(s: str) -> int | None:
    """十四 → 14, 二十 → 20, 九 → 9 (small Chinese numerals)."""
    if not s:
        return None
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(s)


def fyp_start_year(n: int) -> int | None:
    """First year of the n-th five-year plan (十四五 → 2021); plans 6 and later run in step."""
    return 1981 + 5 * (n - 6) if n >= 6 else None


def region_of(chain: str) -> str | None:
    """The lowest administrative unit of a name chain: 广州市荔湾区 → 荔湾区, 海珠区 → 海珠区."""
    units = _UNIT_RE.findall(chain)
    if not units:
        return None
    # The chain must be made of units only (no leading words such as 我代表).
    if "".join(units) != chain or "代表" in chain:
        return None
    unit = units[-1]
    return unit if 2 <= len(unit) <= 10 else None


def _chain_before(text: str, end: int) -> str:
    """The run of Chinese characters that ends at ``end`` (a name chain candidate)."""
    m = re.search(rf"[{_CJK}]+$", text[max(0, end - 30):end])
    return m.group() if m else ""


def _title_line(head_lines: list[str]) -> tuple[str | None, str | None]:
    """(title, doc_type) from the first lines of the text."""
    for line in head_lines:
        # The opening sentence (各位代表：现在，我代表区人民政府向大会作政府工作报告) is not a title.
        if re.search(r"各位代表|我代表|向大会", line):
            continue
        inner = re.search(r"《([^》]{4,80})》", line)
        candidates = [inner.group(1)] if inner else []
        if len(line) <= 80:
            candidates.append(re.sub(r"^[\[【(（][^\]】)）]{1,8}[\]】)）]\s*", "", line).strip())
        for cand in candidates:
            kind = doc_type_of(cand)
            if kind:
                return cand, kind
    return None, None


def doc_type_of(title: str) -> str | None:
    """work_report / fyp_outline / plan_report from a title, or None."""
    if re.search(r"五年(?:规划|计划)", title) and "纲要" in title:
        return "fyp_outline"
    if re.search(r"计划执行情况", title) and "报告" in title:
        return "plan_report"
    if "政府工作报告" in title or re.search(r"人民政府工作报告$", title):
        return "work_report"
    return None


def read_metadata(text: str) -> Metadata:
    """Metadata of one report's clean text; see the module docstring."""
    md = Metadata()
    head = text[:4000]
    head_lines = [ln.strip() for ln in head.split("\n")[:40] if ln.strip()]

    md.title, md.doc_type = _title_line(head_lines)
    if md.doc_type is None:
        # No title line: the genre shows in the text itself.
        if re.search(r"各位代表", head) and re.search(r"(?:向大会|代表[^\n]{0,12}人民政府)[^\n]{0,10}报告", head):
            md.doc_type = "work_report"
        elif re.search(r"五年规划[^\n]{0,30}纲要", head):
            md.doc_type = "fyp_outline"
        elif re.search(r"计划执行情况[^\n]{0,30}报告", head):
            md.doc_type = "plan_report"

    date = _DATE_LINE_RE.search(head)
    region_candidates: list[str] = []
    if date:
        y, mo, d = int(date.group(1)), int(date.group(2)), int(date.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            md.meeting_date = f"{y:04d}-{mo:02d}-{d:02d}"
        if date.group(4):
            chain = re.sub(r"\s+", "", date.group(4))
            r = region_of(chain)
            if r:
                region_candidates.append(r)

    # Region: from the title first, then the date line, then the speaker / issuing government.
    title_region = None
    if md.title:
        m = re.search(r"(?:政府工作报告|人民政府|国民经济和社会发展|国民经济|政府)", md.title)
        if m:
            prefix = re.sub(r"^\d{4}\s*年(?:度)?", "", md.title[: m.start()])
            prefix = re.sub(r"\d{4}\s*年(?:度)?$", "", prefix).strip()
            title_region = region_of(_chain_before(prefix, len(prefix)))
    speaker = _SPEAKER_RE.search(head)
    speaker_region = None
    if speaker:
        md.speaker = speaker.group(3)
        speaker_region = region_of(_chain_before(speaker.group(1), len(speaker.group(1))))
    gov = re.search(rf"([{_CJK}]{{2,20}})人民政府", head)
    gov_region = region_of(_chain_before(gov.group(1), len(gov.group(1)))) if gov else None
    for r in (title_region, *region_candidates, speaker_region, gov_region):
        if r:
            md.region = r
            break

    # Year delivered: the meeting date, else the title's year, else (outline) the plan's first year.
    if md.meeting_date:
        md.report_year = int(md.meeting_date[:4])
    if md.report_year is None and md.title:
        years = [int(y) for y in re.findall(r"(\d{4})\s*年", md.title)]
        if md.doc_type == "plan_report" and years:
            md.report_year = max(years)
        elif md.doc_type == "work_report" and years:
            md.report_year = years[0]
    if md.report_year is None and md.doc_type == "fyp_outline":
        m = _FYP_RE.search(md.title or head) or _FYP_RE.search(head)
        n = cn_number(m.group(1)) if m else None
        if n is None:
            m2 = _FYP_SHORT_RE.search(md.title or head)
            n = cn_number(m2.group(1)) if m2 else None
        md.report_year = fyp_start_year(n) if n else None

    for name in ("region", "report_year", "doc_type"):
        if getattr(md, name) is None:
            md.warnings.append(f"{name} not stated in the text")
    return md
