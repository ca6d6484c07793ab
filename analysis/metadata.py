"""What a report says about itself: region, level, parent, year, type, meeting date, speaker, title.

Every field is decided by the first source that gives it, in this order, and the source is kept
(``Metadata.sources``):

1. ``sidecar`` — the user's ``metadata.csv`` (applied by ``corpus``; overrides everything);
2. ``front_matter`` / ``column`` / ``html_meta`` … — hints the reader found (YAML keys, table columns,
   a page's title), the title hint read like a title line;
3. ``title`` and ``date_line`` — the report's title (2012年石家庄市人民政府工作报告) and its date line
   (——2023年1月10日在…会议上, also with Chinese numerals 二〇一二年一月六日);
4. ``self_reference`` — the text naming its government: 我代表龙岗区人民政府, 北京市市长 郭金龙,
   龙岗区区长…作政府工作报告, 今年上海…, 我代表国务院;
5. ``path`` — folder and file names (石家庄市/2012, 河北省_2012), applied by ``corpus``.

Level and parent come from the gazetteer (``regions``) once the region is known (source
``gazetteer``), else from the name's ending (``suffix``). A year is never read from the body: a
review heading (2022年工作回顾) or 回顾了2012年的政府工作 is not a title or a date line. The report
year is the year the report is for: the title's year, else the meeting's year, the next one for a
meeting held in November or December (a 2023 report delivered on 26 December 2022).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import regions
from .periods import PLAN_NAME_OR_TEN, plan_number, plan_span

_CJK = r"\u4e00-\u9fff"
# Administrative units, longest suffixes first; a bare 州 is not a unit (广州市, 杭州市).
_UNIT_RE = re.compile(
    r"[\u4e00-\u9fff]+?(?:特别行政区|自治区|自治州|自治县|自治旗|新区|地区|省|市|县|区|旗|盟)"
)
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A date line: at a line start, after a dash or bracket, or followed by 在…会议/人民代表大会.
_DATE_LINE_RE = re.compile(
    r"^([\s*（(【\[—\-－─―–━]*)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日([^\n]*)$", re.M)
_DATE_PLACE_RE = re.compile(
    r"^[^\n在]{0,12}?\s*在\s*([^\n]{0,60}?)\s*(?:第?[一二三四五六七八九十百]+届|人民代表大会|人大)")


def date_line(head: str) -> tuple[int, int, int, str | None, str] | None:
    """(year, month, day, place chain, line) of the first date line in a report's head.

    A date line opens with a dash or bracket (——2023年1月10日…, （2003年1月10日 徐荣凯）), or names the
    congress (2021年1月30日在四川省第十三届人民代表大会…), or is short; a sentence that opens with a
    date (2018年10月24日，习总书记视察…) is not one.
    """
    for m in _DATE_LINE_RE.finditer(head):
        lead, rest = m.group(1), m.group(5)
        place = _DATE_PLACE_RE.match(rest)
        bracketed = re.search(r"[（(【\[—\-－─―–━]", lead)
        if not (bracketed or place or "会议" in rest or len(rest.strip()) <= 12):
            continue
        if not bracketed and re.match(r"\s*[，,、。起至到前后以]", rest):
            continue
        return int(m.group(2)), int(m.group(3)), int(m.group(4)), place.group(1) if place else None, m.group()
    return None


_FYP_RE = re.compile(r"第([一二三四五六七八九十]+)个五年(?:规划|计划)")
_FYP_SHORT_RE = re.compile(rf"[“\"]?(?P<plan>{PLAN_NAME_OR_TEN})[”\"]?规划")
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "О": 0,  # О: a Cyrillic O some pages type for 〇
              "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Words that open a clause and are not part of a name (受区人民政府委托, 向市人民政府).
_NOT_NAME_START = set("受向经由对在从按据请我以为与和及将把被")

DOC_TYPES = ("work_report", "fyp_outline", "plan_execution", "budget_report", "news_summary")
FIELDS = ("region", "level", "parent", "report_year", "doc_type")


@dataclass
class Metadata:
    region: str | None = None
    level: str | None = None
    parent: str | None = None
    region_code: str | None = None
    report_year: int | None = None
    doc_type: str | None = None
    meeting_date: str | None = None
    speaker: str | None = None
    title: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field → what decided it
    context: list[str] = field(default_factory=list)  # enclosing names seen with the region (广州市 of 广州市荔湾区)
    level_hint: str | None = None  # from 我代表市人民政府 / 县长 when no name is given
    url: str | None = None  # the page the text came from (front matter, column)
    warnings: list[str] = field(default_factory=list)

    def offer(self, name: str, value, source: str) -> None:
        """Set a field unless a more trusted source already did."""
        if value in (None, "") or getattr(self, name) not in (None, ""):
            return
        setattr(self, name, value)
        self.sources[name] = source


def cn_number(s: str) -> int | None:
    """十四 → 14, 二十 → 20, 九 → 9 (small Chinese numerals)."""
    if not s:
        return None
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return CN_DIGITS.get(s)


def arabic_dates(s: str) -> str:
    """二〇一二年一月六日 → 2012年1月6日 (same meaning; used on the head for parsing only)."""
    def conv(m: re.Match) -> str:
        year = "".join(str(CN_DIGITS[c]) for c in m.group(1))
        month, day = cn_number(m.group(2)), cn_number(m.group(3))
        return f"{year}年{month}月{day}日" if month and day else m.group()
    return re.sub(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日", conv, s)


# Unit words that are not names (2012年自治区政府工作报告 names no region).
_BARE_UNITS = {"自治区", "自治州", "自治县", "自治旗", "地区", "新区", "特区", "特别行政区"}


def region_of(chain: str) -> str | None:
    """The lowest administrative unit of a name chain: 广州市荔湾区 → 荔湾区, 海珠区 → 海珠区."""
    if any(b.endswith(chain) for b in _BARE_UNITS):  # 自治区, and its tail 治区
        return None
    units = _UNIT_RE.findall(chain)
    if not units:
        return None
    # The chain must be made of units only (no leading words such as 我代表).
    if "".join(units) != chain or "代表" in chain or chain[0] in _NOT_NAME_START:
        return None
    unit = units[-1]
    # 市市 of 中卫市市政府 is not a name (real names starting so, 市中区, are in the gazetteer).
    return unit if 2 <= len(unit) <= 10 and unit[0] not in _NOT_NAME_START and unit[0] not in "省市区县州旗盟" else None


def names_in(s: str) -> list[str]:
    """Known region names (full, short or historical) in a short string, left to right, longest first."""
    g = regions.gazetteer()
    out, i = [], 0
    while i < len(s):
        name = g.longest_name_at(s, i)
        if name:
            out.append(name)
            i += len(name)
        else:
            i += 1
    return out


def _chain_region(chain: str) -> tuple[str | None, list[str]]:
    """(region, enclosing names) named by a chain such as 广州市荔湾区 or 延边朝鲜族自治州."""
    chain = re.sub(r"\s+", "", chain)
    if not chain:
        return None, []
    known = names_in(chain)
    if known:
        # The chain may end in a unit the gazetteer lacks (某某市某某区): that one is the region.
        tail = chain[chain.rfind(known[-1]) + len(known[-1]):]
        unknown = region_of(tail) if tail else None
        if unknown:
            return unknown, known
        return known[-1], known[:-1]
    r = region_of(chain)
    if r:
        units = _UNIT_RE.findall(chain)
        return r, units[:-1]
    return None, []


def _chain_tail(s: str) -> str:
    """The longest tail of ``s`` that is a chain of known names or unit names (开幕，龙岗区 → 龙岗区)."""
    for i in range(len(s)):
        tail = s[i:]
        if tail[0] in _NOT_NAME_START:
            continue
        names = names_in(tail)
        if names and "".join(names) == tail:
            return tail
        if region_of(tail):
            return tail
    return ""


def _chain_before(text: str, end: int) -> str:
    """The run of Chinese characters that ends at ``end`` (a name chain candidate)."""
    m = re.search(rf"[{_CJK}]+$", text[max(0, end - 30):end])
    return m.group() if m else ""


def doc_type_of(title: str) -> str | None:
    """The type a title names, or None."""
    if re.search(r"五年(?:规划|计划)", title) and "纲要" in title:
        return "fyp_outline"
    if re.search(r"预算(?:执行情况|草案|的报告)|决算", title) and "报告" in title:
        return "budget_report"
    if re.search(r"计划(?:执行情况|草案)", title) and "报告" in title:
        return "plan_execution"
    if "政府工作报告" in title or re.search(r"人民政府工作报告$", title) or re.search(r"^政府工作报告", title):
        return "work_report"
    return None


def _is_news(head: str) -> bool:
    """A news article about a report: third person (区长…作政府工作报告), no 各位代表 opening."""
    if re.search(r"各位代表", head[:1500]) or date_line(head) is not None:
        return False
    return bool(re.search(r"(?:长|主任|书记)[^\n。]{0,40}作(?:了)?[^\n。]{0,6}政府工作报告", head)
                or re.search(r"政府工作报告[^\n。]{0,10}(?:指出|提出|显示|透露|明确)", head)
                or re.search(r"(?:记者|通讯员|新华社|讯\s)", head[:600]))


def _year_from_title(title: str, doc_type: str | None) -> int | None:
    """The report's year as a title states it: 2012年…报告, 政府工作报告（2014年）; not a date in it."""
    years = [int(m.group(1)) for m in re.finditer(r"(\d{4})\s*年(?:度)?(?!\s*\d{1,2}\s*月)", title)]
    years += [int(m.group(1)) for m in re.finditer(r"[（(](\d{4})[）)]", title)]
    years = [y for y in years if 1949 <= y <= 2100]
    if not years or doc_type == "fyp_outline":  # 2035年远景目标: the plan's number and meeting decide
        return None
    return max(years) if doc_type == "plan_execution" else years[0]


def _year_of_meeting(date: str) -> int:
    y, m = int(date[:4]), int(date[5:7])
    return y + 1 if m >= 11 else y


def _title_candidates(head_lines: list[str]) -> tuple[str | None, str | None]:
    """(title, doc_type) from the first lines of the text."""
    for line in head_lines:
        # The opening sentence (各位代表：现在，我代表区人民政府向大会作政府工作报告) is not a title.
        if re.search(r"各位代表|我代表|向大会", line):
            continue
        inner = re.search(r"《([^》]{4,80})》", line)
        candidates = [inner.group(1)] if inner else []
        if len(line) <= 80 and not re.search(r"[，。；！？]", re.sub(r"[（(][^）)]*[）)]", "", line)):
            # A title is not a sentence (…开幕，代市长王岐山作了政府工作报告。).
            candidates.append(re.sub(r"^[\[【(（][^\]】)）]{1,8}[\]】)）]\s*", "", line).strip())
        for cand in candidates:
            kind = doc_type_of(cand)
            if kind:
                return cand, kind
    return None, None


def _title_region(title: str) -> tuple[str | None, list[str]]:
    """The region a title names before 政府工作报告 / 人民政府 / 国民经济…: 2003年东莞市人民政府工作报告 → 东莞市."""
    m = re.search(r"(?:政府工作报告|人民政府|国民经济和社会发展|国民经济|政府|预算|关于)", title)
    place = re.search(r"在\s*([\u4e00-\u9fff]{2,30}?)\s*(?:第?[一二三四五六七八九十百]+届|人民代表大会)", title)
    if place:  # 2022年12月12日在拉萨市第十二届人民代表大会第三次会议上的政府工作报告
        return _chain_region(place.group(1))
    prefix = title[: m.start()] if m else title
    prefix = re.sub(r"\d{4}\s*年(?:度)?", " ", prefix)
    prefix = re.sub(r"[^\u4e00-\u9fff]+", " ", prefix).strip()
    if not prefix:
        return None, []
    return _chain_region(_chain_tail(prefix.split()[-1]))


def _read_title(md: Metadata, title: str, source: str) -> None:
    kind = doc_type_of(title)
    md.offer("title", title, source)
    md.offer("doc_type", kind, source)
    region, ctx = _title_region(title)
    bare = re.search(r"(自治区|自治州|省|市|区|县|州|旗)政府工作报告", title)
    if region is None and bare and re.sub(r"[^\u4e00-\u9fff]", "", title[: bare.start()]) in ("", "年"):
        md.level_hint = md.level_hint or _UNIT_LEVEL.get(bare.group(1)[-1] if bare.group(1) != "自治区" else "省")
    if region:
        md.offer("region", region, source)
        if md.sources.get("region") == source:
            md.context = ctx
    date = _DATE_RE.search(title)
    if date and 1 <= int(date.group(2)) <= 12:
        md.offer("meeting_date", f"{int(date.group(1)):04d}-{int(date.group(2)):02d}-{int(date.group(3)):02d}", source)
    md.offer("report_year", _year_from_title(title, kind or md.doc_type), source)
    if "国务院" in title:
        md.offer("region", "中国", source)


def read_hints(md: Metadata, hints: dict[str, str], source: str) -> None:
    """Fields from a reader's hints (front matter keys, table columns, page metadata)."""
    if not hints:
        return
    for key in ("region", "city", "province", "county", "district", "地区"):
        if hints.get(key):
            region, ctx = _chain_region(hints[key])
            md.offer("region", region or hints[key].strip(), source)
            md.context = ctx
            break
    md.offer("parent", hints.get("parent"), source)
    md.url = hints.get("url") or (hints.get("source") if str(hints.get("source", "")).startswith("http") else None)
    md.offer("level", hints.get("level") if hints.get("level") in regions.LEVELS else None, source)
    year = hints.get("year") or hints.get("report_year") or ""
    if re.fullmatch(r"\s*\d{4}\s*", year):
        md.offer("report_year", int(year), source)
    doc_type = hints.get("doc_type") or hints.get("type")
    md.offer("doc_type", doc_type if doc_type in DOC_TYPES else None, source)
    if hints.get("title"):
        _read_title(md, hints["title"], source)


def read_text(md: Metadata, text: str) -> None:
    """Fields from the clean text: title, date line, self-references (see the module docstring)."""
    head = arabic_dates(text[:4000])
    head_lines = [ln.strip() for ln in head.split("\n")[:40] if ln.strip()]

    news = _is_news(head)
    if news:
        md.offer("doc_type", "news_summary", "self_reference")
    title, kind = _title_candidates(head_lines)
    if title:
        _read_title(md, title, "title")
    if md.doc_type is None:
        # No title line: the genre shows in the text itself.
        # 各位代表 … 我代表国务院向…会议，提出关于…计划（草案）的报告: the government's report to the congress.
        if re.search(r"各位代表", head) and re.search(r"(?:向大会|代表[^\n]{0,12}(?:人民政府|国务院|政府))[^\n。]{0,60}报告", head):
            md.offer("doc_type", "work_report", "self_reference")
        elif re.search(r"五年规划[^\n]{0,30}纲要", head):
            md.offer("doc_type", "fyp_outline", "self_reference")
        elif re.search(r"计划执行情况[^\n]{0,30}报告", head):
            md.offer("doc_type", "plan_execution", "self_reference")
        elif re.search(r"预算执行情况[^\n]{0,30}报告", head):
            md.offer("doc_type", "budget_report", "self_reference")

    found = date_line(head)
    if found:
        y, mo, d, place, line = found
        if 1 <= mo <= 12 and 1 <= d <= 31 and 1949 <= y <= 2100:
            md.offer("meeting_date", f"{y:04d}-{mo:02d}-{d:02d}", "date_line")
        if "全国人民代表大会" in line:
            md.offer("region", "中国", "date_line")
        elif place:
            region, ctx = _chain_region(place)
            if region:
                md.offer("region", region, "date_line")
                if md.sources.get("region") == "date_line":
                    md.context = ctx
    if md.region is None:
        # 在北京市第十一届人民代表大会第三次会议上 on its own line (the date elsewhere or missing).
        for line in head_lines[:8]:
            m = re.match(r"^[*—\-－─―–━\s]*在\s*([^\n]{0,40}?)\s*(?:第?[一二三四五六七八九十百]+届|人民代表大会)", line)
            if m:
                if "全国人民代表大会" in line:
                    md.offer("region", "中国", "date_line")
                region, ctx = _chain_region(m.group(1))
                if region:
                    md.offer("region", region, "date_line")
                    md.context = ctx
                break
    if md.report_year is None and md.meeting_date:
        md.offer("report_year", _year_of_meeting(md.meeting_date), "date_line")
    if md.report_year is None and md.doc_type == "fyp_outline":
        m = _FYP_RE.search(md.title or head) or _FYP_RE.search(head)
        n = cn_number(m.group(1)) if m else None
        if n is None:
            m2 = _FYP_SHORT_RE.search(md.title or head)
            n = plan_number(m2.group("plan"), bare_ten=True) if m2 else None
        span = plan_span(n)
        md.offer("report_year", span[0] if span else None, "title" if md.title else "self_reference")
    _self_references(md, head, head_lines)
    if md.report_year is None and md.url:
        md.offer("report_year", year_from_url(md.url, head), "url_date")


_SPEAKER_RE = re.compile(
    rf"^([{_CJK}]{{0,24}}?)(?:人民政府)?((?:代理|代|常务副|副)?(省|市|区|县|州|旗|盟)长|总理)\s*([{_CJK}·]{{2,4}}|[{_CJK}]\s[{_CJK}])$")
_UNIT_LEVEL = {"省": "province", "市": "prefecture", "区": "district", "县": "county", "旗": "county",
               "州": "prefecture", "盟": "prefecture"}


_URL_DATE_RES = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})[-/](\d{1,2})/"),  # /2023/01-29/, /art/2009/2/19/
    re.compile(r"[/_t]((?:19|20)\d{2})(\d{2})(\d{2})[_/.]"),  # t20140109_, /20220217/
    re.compile(r"/((?:19|20)\d{2})(\d{2})/"),  # /201601/
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})/"),
)


def year_from_url(url: str, head: str) -> int | None:
    """The report year from the date in a page's URL, only when the text agrees.

    A page posted in January–June of Y (or November–December of Y-1) holds the report for Y —
    unless it was re-posted years later, as many archives are. So the year is taken only when the
    report's review of the year before is of Y-1 (一、Y-1年工作回顾, 刚刚过去的Y-1年, Y-1年，是…):
    the review corroborates the URL, it never gives the year itself.
    """
    for rx in _URL_DATE_RES:
        m = rx.search(url)
        if not m:
            continue
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            continue
        if month >= 11:
            year += 1
        elif month > 6:
            return None
        prev = year - 1
        review = re.compile(
            rf"{prev}\s*年[^\n。]{{0,12}}(?:工作回顾|回顾|的主要工作|工作的回顾)|(?:过去的|刚刚过去的|回顾){prev}\s*年|"
            rf"^\s*{prev}\s*年[，,是]", re.M)
        return year if review.search(head) else None
    return None


def _self_references(md: Metadata, head: str, head_lines: list[str]) -> None:
    src = "self_reference"
    if re.search(r"我代表国务院|国务院总理", head):
        md.offer("region", "中国", src)
    for line in head_lines[:12]:
        m = _SPEAKER_RE.match(line.replace("\u3000", " "))
        if m:
            md.offer("speaker", m.group(4).replace(" ", ""), src)
            chain = re.sub(r"人民政府$", "", m.group(1))
            region, ctx = _chain_region(chain) if chain else (None, [])
            if region:
                md.offer("region", region, src)
                if md.sources.get("region") == src:
                    md.context = ctx
            elif m.group(3):
                md.level_hint = md.level_hint or _UNIT_LEVEL.get(m.group(3))
            break
    for m in re.finditer(rf"我代表(?:第[{_CJK}]{{1,4}}届)?([{_CJK}]{{1,20}}?)(?:人民)?政府", head):
        region, ctx = _chain_region(m.group(1))
        if region:
            md.offer("region", region, src)
            if md.sources.get("region") == src:
                md.context = ctx
        elif m.group(1)[-1:] in _UNIT_LEVEL:
            md.level_hint = md.level_hint or _UNIT_LEVEL[m.group(1)[-1]]
    # 龙岗区区长张三…作政府工作报告 (news about a report).
    for m in re.finditer(rf"([{_CJK}]{{1,20}}?(?:省|市|区|县|州|旗|盟))(?:代理|代|常务副)?(?:省|市|区|县|州|旗|盟)长[{_CJK}·]{{0,4}}[^\n。]{{0,30}}作(?:了)?[^\n。]{{0,6}}政府工作报告", head):
        region, _ = _chain_region(_chain_tail(m.group(1)))
        if region:
            md.offer("region", region, src)
            break
    # 今年上海…, 今年全市…: a known name right after 今年 / 过去一年.
    g = regions.gazetteer()
    for m in re.finditer(r"(?:今年|明年|过去一年|过去五年)", head):
        name = g.longest_name_at(head, m.end())
        if name and g.resolve(name) is not None:
            md.offer("region", name, src)
            break
    if md.level_hint is None:
        m = re.search(r"全(省|市|区|县|旗|州)", head)
        if m:
            md.level_hint = _UNIT_LEVEL[m.group(1)]
    if md.region is None and md.level_hint:
        md.offer("region", _most_mentioned(head, md.level_hint, autonomous="自治区" in head), "text_mentions")


def _most_mentioned(text: str, level: str, autonomous: bool = False) -> str | None:
    """The region of the given level named most often in the text, when
    named at least twice and twice as often as the next (宁波 in a report that says only
    我代表市人民政府 and 全市). In a text that speaks of 自治区, 全区 is the autonomous region, so there a
    district hint counts provinces too."""
    g = regions.gazetteer()
    counts: dict[str, int] = {}
    for name in names_in(text):
        r = g.resolve(name)
        if r is not None and (r.level == level or (autonomous and level == "district" and r.level == "province")):
            counts[r.name] = counts.get(r.name, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0]
    return None


def path_hints(parts: list[str]) -> dict[str, str]:
    """Region, year and type from a document's path components (folders, then the file stem).

    Each component (or each of its ``_``/``-``/space-separated pieces) that is a known region name
    is a candidate, the last one the region and the one before it its context; the stem's
    4-digit year (2012, 河北省_2012, 1964-part) is the year.
    """
    out: dict[str, str] = {}
    g = regions.gazetteer()
    found: list[str] = []
    for part in parts:
        pieces = [part] + re.split(r"[_\-\s.]+", part)
        for piece in pieces:
            if piece and g.resolve(piece) is not None:
                found.append(piece)
                break
        kind = doc_type_of(part) or ("fyp_outline" if re.search(r"五年规划|纲要", part) else None)
        if kind:
            out["doc_type"] = kind
    if found:
        out["region"] = found[-1]
        if len(found) > 1:
            out["context"] = found[-2]
    if parts:
        m = re.search(r"(?<!\d)(1[9]\d{2}|20\d{2})(?!\d)", parts[-1])
        if m:
            out["year"] = m.group(1)
    return out


def finish(md: Metadata, path_parts: list[str] | None = None) -> Metadata:
    """Apply path hints (lowest priority), then level, parent and code from the gazetteer."""
    if path_parts:
        ph = path_hints(path_parts)
        md.offer("region", ph.get("region"), "path")
        if md.sources.get("region") == "path" and ph.get("context"):
            md.context = [ph["context"]]
        if ph.get("year"):
            md.offer("report_year", int(ph["year"]), "path")
        md.offer("doc_type", ph.get("doc_type"), "path")
        if ph.get("region") and ph.get("context") is None:
            md.context = md.context + [ph["region"]]
    if md.region:
        ctx = list(md.context)
        if md.parent:
            ctx.append(md.parent)
        r = regions.resolve(md.region, ctx)
        if r is not None:
            md.region = r.name
            md.region_code = r.code
            md.offer("level", r.level, "gazetteer")
            md.offer("parent", r.parent, "gazetteer")
        else:
            md.offer("level", regions.level_from_suffix(md.region) or md.level_hint, "suffix")
            parent = next((c for c in reversed(md.context) if c != md.region), None)
            md.offer("parent", parent, "name_chain")
    for name in ("region", "report_year", "doc_type"):
        if getattr(md, name) is None:
            md.warnings.append(f"{name} not stated in the text")
    return md


def read_overrides(md: Metadata, overrides: dict[str, str]) -> None:
    """The sidecar's fields: they win over everything."""
    for name in ("region", "parent", "level", "doc_type", "title", "meeting_date", "speaker"):
        md.offer(name, (overrides.get(name) or "").strip() or None, "sidecar")
    year = (overrides.get("report_year") or "").strip()
    if re.fullmatch(r"\d{4}", year):
        md.offer("report_year", int(year), "sidecar")


def read_metadata(text: str, hints: dict[str, str] | None = None, hint_source: str = "front_matter",
                  path_parts: list[str] | None = None, overrides: dict[str, str] | None = None) -> Metadata:
    """Metadata of one report: sidecar, reader hints, the clean text, the path (see the module docstring)."""
    md = Metadata()
    read_overrides(md, overrides or {})
    read_hints(md, hints or {}, hint_source)
    read_text(md, text)
    return finish(md, path_parts)
