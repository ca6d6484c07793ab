"""Read every headline target and outcome out of a report into the facts table.

The rules are written for the genre (``docs/codebook.md``), not for particular files:

1. ``sections`` says, per paragraph, whether figures are outcomes or targets and of which
   period (review of last year, this year's plan, a plan span, an annex, a glossary);
2. a paragraph is cut into sentences (。；！？) and clauses (，：); in each clause the codebook's
   indicator names are found (longest name wins, exclusions such as 人均地区生产总值 applied);
3. each number with a unit attaches to the indicator named right after it (7个老旧小区微改造)
   or before it, when only measure words stand between (增长, 同比(下同), 累计完成, 超 …);
   a clause without a name continues the sentence's last indicator (…1209.79亿元、增长8.5%);
   anything else between (another noun, 全市, 是…的) breaks the link;
4. the words around the number give measure, comparator and period; an explicit year or plan
   name in the sentence overrides the paragraph's period;
5. assessments (高于预期0.7个百分点, 目标完成率111.8%, 超额完成 …) go to their own table, and an
   implied target becomes a ``derived`` target row;
6. other quantitative commitments (新增邻里花园26个) are kept as ``indicator = other``.

Numbers are read from the text with regular expressions, never from tokens.
"""

from __future__ import annotations

import math
import re
import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

import pandas as pd

from .codebook import codebook
from .corpus import Document
from .metadata import CN_DIGITS, cn_number
from .periods import PLAN_NAME, plan_number, plan_span
from .schema import parse_bool
from .sections import Context, paragraph_contexts
from .units import AREA_UNITS as AREA, MASS_UNITS as MASS, MONEY_UNITS as MONEY, PEOPLE_UNITS as PEOPLE
from .units import UNIT_PATTERN as _UNITS, canonical_unit, to_canonical

# Patterns written inline in the per-clause code are compiled once; re's own cache costs a slower
# lookup on every call, which showed in the extraction benchmark.
_rx = lru_cache(maxsize=None)(re.compile)


FACT_COLUMNS = [
    "doc_id", "region", "doc_type", "report_year", "role", "period", "indicator", "measure",
    "value", "value_high", "unit", "comparator", "stretch", "derived", "estimate", "indicator_name",
    "quote", "char_start", "char_end", "raw_start", "raw_end",
]
ASSESSMENT_COLUMNS = [
    "doc_id", "region", "report_year", "period", "indicator", "kind", "value", "quote",
    "char_start", "char_end", "raw_start", "raw_end",
]

# ------------------------------------------------------------------ lexical pieces

_CN_NUM = "零〇一二两三四五六七八九十百千万点"
_NUMBER_RE = re.compile(
    r"(?=[-\dlI百双两])(?:"  # the first characters of the alternatives: other positions are passed over at once
    rf"(?<![\d.])(?P<neg>-)?(?P<num>(?:\d|(?<![A-Za-z])[lI](?=\d))\d*(?:\.\s?\d+)?)(?:%?\s*(?:—|–|-|~|～|至|到)\s*(?P<hi>\d+(?:\.\d+)?))?\s*(?P<unit>{_UNITS})"
    rf"|百分之(?P<cn>[{_CN_NUM}]+)"
    r"|(?P<twodigit>双位数|两位数))"
)
# A price index with the previous year at 100 (居民消费价格指数102.5, 控制在103.5左右): growth of 2.5%.
_INDEX_RE = re.compile(
    r"价格(?:总)?指数(?:上涨)?(?:为|是|达到?|控制在|保持在|在)?\s*(?P<idx>1[01]\d(?:\.\d+)?)(?![\d.]|\s*(?:%|个|亿|万|元))")
SKIP_UNITS = {"个百分点", "倍"}

# Words that may stand between an indicator and its number without changing what it refers to.
_LINK_WORDS = (
    r"[五5]年(?:来|间)?|\d{4}\s*[—–\-]\s*\d{4}\s*年|\d{4}\s*年(?:底|末|全年)?|" + PLAN_NAME + r"(?:时期|期间|期末|末)?|"
    r"同比\s*[(（]\s*下同\s*[)）]|[(（]\s*下同\s*[)）]|"
    r"按可比价格(?:计算)?|[(（]?扣除(?:价格|物价)(?:上升|上涨)?因素(?:后)?[)）]?|(?:逐季)?回升(?:到|至)|第?[一二三四]季度|"
    r"人员|建筑面积|面积|连续[\d一二三四五六七八九十]{1,3}年|连续|跨过|迈过|迈上|跃上|综合整治|整治|综合改造|改造|跃升(?:到|至)?|攀升(?:到|至)|扩大(?:到|至)|升至|降至|"
    r"比" + PLAN_NAME + r"期?末|比\d{4}\s*年(?:底|末)?|"
    r"全年|年内|今年|其中|并且|并|且|同比|比上年|按可比口径|可比口径|同口径|可比|实际|预计|力争|确保|争取|努力|"
    r"累计|年均|每年|总数|总量|数量|规模|人数|数|额|值|认定|达到|达|为|是|已|共|总计|合计|"
    r"完成了|完成|实现了|实现|新增|增长|增速|增幅|递增|增|预期目标|目标|预期|要|将|计划|平均每年|平均|仅|发展到|"
    r"(?:降低|下降|回落|减少)(?:到|至)|稳定在|保持在|排放总量|排放量|排放|上升|提高到|提高至|提升到|提升至|提高|提升|增至|增加到|增加至|增加|"
    r"下降|降低|减少|削减|回落|上涨幅度|上涨|涨幅|升幅|幅度|调控在|负增长|从|由|超过|超出|超|突破|跨入|不低于|不少于|控制在|不超过|约|近|及以上|以上|左右|以内|之内|以下|"
    r"分别|[均都]|按照|总额|总值|总量|的|了|在|[全我本][国省市区县州盟旗]|区域|依法|帮扶|促进|带动|完工|正"
)
_LINK_RE = re.compile(rf"^(?:{_LINK_WORDS}|（GDP）|\(GDP\)|[、,，\s:：])*$")
_SCOPE_CHARS = "国省市区县州盟旗"
# The scope word of a document's own government by level, when the region name does not end in one.
_LEVEL_SCOPE = {"national": "国", "province": "省", "prefecture": "市", "district": "区", "county": "县",
                "county_city": "市"}
# Name endings → level, for documents whose ``level`` is missing (common.md: the suffix fallback).
_SUFFIX_LEVEL = (("国务院", "national"), ("自治区", "province"), ("省", "province"), ("自治州", "prefecture"),
                 ("地区", "prefecture"), ("盟", "prefecture"), ("市", "prefecture"), ("区", "district"),
                 ("县", "county"), ("旗", "county"), ("国", "national"))


def document_level(doc: Document) -> str | None:
    """The document's administrative level: ``doc.level`` when set, else read from the region's name ending."""
    level = getattr(doc, "level", None)
    if level:
        return level
    region = doc.region or ""
    return next((lvl for suffix, lvl in _SUFFIX_LEVEL if region.endswith(suffix)), None)


def own_scope(doc: Document) -> str:
    """The scope character of the document's own government: 全省 in a province report, 全区 for an
    autonomous region or a district, 全市 for a city or a municipality, 全州, 全县, 全旗, 全国."""
    region = doc.region or ""
    level = document_level(doc)
    if level == "national":
        return "国"
    if region and region[-1] in _SCOPE_CHARS:
        return region[-1]
    return _LEVEL_SCOPE.get(level or "", "")


@lru_cache(maxsize=1)
def _places_by_parent() -> dict[str, frozenset[str]]:
    """Names (full and short) of the regions under each region of the gazetteer (武汉, 武汉市 under
    湖北省), built once: a scan of the gazetteer per document cost a fifth of extraction's time."""
    from .regions import gazetteer, short_names
    g = gazetteer()
    below: dict[str, set[str]] = {}
    for name in g.by_name:
        for r in g.candidates(name):
            if r.parent and r.name != r.parent:
                names = below.setdefault(r.parent, set())
                names.add(r.name)
                names.update(n for n in short_names(r.name) if len(n) >= 2)
    return {parent: frozenset(names) for parent, names in below.items()}


def _places_below(region: str) -> frozenset[str]:
    """Names (full and short) of the regions under ``region`` in the gazetteer."""
    return _places_by_parent().get(region, frozenset())


def _other_places(doc: Document) -> frozenset[str]:
    """Places a clause may name as its subject instead of the document's region: the units below it."""
    region = doc.region or ""
    if document_level(doc) not in ("province", "prefecture") or not region:
        return frozenset()
    try:
        return _places_below(region)
    except Exception:  # no gazetteer: no place check
        return frozenset()


def others_pattern(own: str, counties: bool = False) -> re.Pattern:
    """Words that make a figure another government's: a scope word of any other level (全省 in a city
    report, 全国 anywhere but the national report), the joint 省市, national averages, quotas handed down.
    ``counties``: also 县域 (the counties' economy taken together: 县域生产总值增长20%), for the names of a
    report above the county level."""
    others = "".join(c for c in _SCOPE_CHARS if c != own)
    return re.compile(rf"全[{others}]|省市|国家级?平均|[省市]下达的?(?=\d)" + ("|县域" if counties else ""))


_OTHERS_RE = others_pattern("区")  # the default for callers without a document (a district report)
# (a full stop typed as "." before Chinese text ends a sentence too: 下降32.1%.全社会消费品…)
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_DOT_STOP_RE = re.compile(r"\.[\u4e00-\u9fff“]")  # (the slower splitter only for lines that need it)
_DOT_SENTENCE_RE = re.compile(r"(?:[^。！？!?；;\n.]|\.(?![\u4e00-\u9fff“]))+(?:[。！？!?；;]|\.(?=[\u4e00-\u9fff“]))?")
_CLAUSE_RE = re.compile(r"[^,，:：]+")
_TIME_RE = re.compile(
    # Every alternative below starts with one of these characters: the guard lets the engine pass over
    # the other positions at once (four times faster; extraction scans many sentence prefixes).
    r"(?=[\d“十今本年去上刚过前第一二三四全未])(?:"
    r"(?P<span>(?P<a>\d{4})\s*[—–\-－至到]\s*(?P<b>\d{4})\s*年)"
    rf"|(?<![比较是与和“])(?P<plan>{PLAN_NAME})"
    r"|(?<=[从由到至])(?P<base>\d{4})\s*年(?:底|末)?的(?=\s*$)"  # 由1992年的120.8亿元增加到1997年的378亿元
    r"|(?:(?<![比较是与和同到])|(?<=[，,：:；;“\s]到)|(?<=^到))(?P<year>\d{4})\s*年(?![\d月的])"
    r"|(?P<this>今年|本年|年内)|(?<![比较同与和])(?P<last>去年|上年|(?:刚刚)?过去的?一年)(?!同期)"
    # 上半年, 前三季度, 1—9月: part of a year, added up; no period of the facts table holds it
    r"|(?P<part>上半年|前[三3]季度|前[两二三四五六七八九十]{1,2}个?月|1\s*[-—–－～~至]\s*(?:[2-9]|1[01])\s*月)"
    r"|(?P<q>(?:第?[一二三四1-4])季度)|(?P<whole>全年)|(?P<next5>(?:今后|未来)[五5]年))"
)
PART_YEAR = "part-year"  # _time_marker's period for part of a year: a figure there is not a fact
# What may follow a number that belongs to the indicator before it; a noun instead (完成249条背街小巷)
# means the number counts something else.
# (…1000万美元的出口企业: a figure that describes a noun is not the indicator's value, nor a base of a
# ratio (是2005年1807亿元的2.5倍) or of a further step (下降20%左右的基础上); 75个151万平方米: a second unit
# of the same figure may follow)
_AFTER_OK_RE = re.compile(rf"(?!的(?!任务|目标|指标|正?增长)[\u4e00-\u9fff]|的\s*[\d.一二两三四五六七八九十]+\s*倍|"
                          rf"\s*(?:左右|以上|以内)?的?基础上)"
                          rf"(?:的?正?增长|的(?:任务|目标|指标)|{_LINK_WORDS}|[,，、。；;:：()（）\s“”和及]|\d|$)")
_COMPARISON_RE = re.compile(rf"比{PLAN_NAME}|是{PLAN_NAME}|比上[个一]")
_DIGIT_OR_CUE_RE = re.compile(r"\d|百分之|位数|预期|完成|落实|失业人员")
_ASSESS_CUE_RE = re.compile(r"预期|完成|落实|预算")
# An outcome against its target in points: 高于预期0.7个百分点, 比年初预期目标高2个百分点, 分别超过年初预算10.5和8.1个百分点.
_GAP_PP_RE = re.compile(
    r"(?P<all>[都均])?(?:(?:高于|好于|超过|超出|快于)(?:年初)?(?:的)?(?:预期|目标|计划|预算)(?:目标)?"
    r"|比(?:年初)?(?:的)?(?:预期|目标|计划|预算)(?:目标)?(?:高|快|多))\s*"
    r"(?P<v>\d+(?:\.\d+)?)(?:\s*(?:和|、)\s*(?P<v2>\d+(?:\.\d+)?))?\s*个百分点")
# Sentence cues that decide role and period where the section heading does not (or is wrong).
_TARGET_LIST_RE = re.compile(
    r"目\s*标(?:任务|和任务)?\s*(?:确\s*定\s*为|建\s*议\s*为|安排为|设定为|定为|是|为|：|:)"
    r"|(?:主要|预期)(?:调控)?指标(?:是|为|：|:)|(?:主要|预期)目标安排(?:是|为|：|:)?")
# Before a target-list cue, words that make it a look back at an old target (去年年初确定的目标是).
_OLD_TARGET_RE = re.compile(r"年初|去年|上年|确定的|提出的|下达的|完成|实现了")
_TARGET_CUE_RE = re.compile(r"要|力争|确保|争取|计划|预期|目标|安排|努力|保持|控制在|达到\d|提出")
# 2010年与2005年相比，全市生产总值增长79.1%: a change between two years (the later one reviewed), not a year's
_YEARS_COMPARED_RE = re.compile(r"(\d{4})\s*年[末底]?\s*(?:同|与|和|跟)\s*(\d{4})\s*年[末底]?\s*(?:相比|比较)")
_OUTCOME_CUE_RE = re.compile(r"完成了|实现了|达到了|比上年|比去年|增长了|初步核算|初步统计|已经|已")
_RURAL_BEFORE_RE = re.compile(r"(?:农村|农民|农牧民|乡村)(?:常住)?$")
_URBAN_AND_RE = re.compile(r"(?:城镇|城市)(?:常住)?(?:居民)?(?:人均)?[、和及与]\s*$")
# 城乡居民收入, 城镇、农村居民人均可支配收入, 城镇和农村居民…: urban and rural income in one name.
_URBAN_RURAL_RE = re.compile(r"城乡|城镇[、和及与]农村|城市[、和及与]农村|城镇居民[、和及与]农(?:牧)?民")
# Figure-less target wordings (城乡居民收入稳步增长, 主要污染物排放量继续下降, 物价控制在国家要求的范围内).
_QUALITATIVE_TARGET_RE = re.compile(
    r"^[^,，。；;]{0,8}?(?:稳步增长|稳定增长|持续增长|较快增长|稳中有升|量稳质升|继续下降|持续下降|持续减少|逐步下降|"
    r"进一步下降|保持稳定|基本稳定|有所增长|(?:高于|快于|低于|不低于)[^,，。；;]*?(?:增长|增速|水平|涨幅))")
_DOUBLING_RE = re.compile(r"翻[一两二三四\d]?番|翻一番|倍增")
# Growth tied to the economy's (快于经济增速, 高于经济增长, 与经济增长同步): a target wherever it stands.
_TIED_RE = re.compile(r"^[^,，。；;]{0,8}?(?:快于|高于|不低于|跑赢)[^,，。；;]{0,6}?(?:经济|GDP|生产总值)")
_VERSUS_RE = re.compile(r"与|快于|高于|低于|慢于|不低于|跑赢")
# A bound set by a standard or a higher government (控制在国家要求的范围内, 达到国家要求): a target anywhere.
_BOUND_TARGET_RE = re.compile(r"^[^,，。；;]{0,8}?(?:控制在[^,，。；;]*?(?:范围|以内|标准|要求)|达到[^,，。；;]*?要求)")
# A commitment that says when it is due (到2025年, 今年, 全年, 今后五年).
_DATED_RE = re.compile(rf"到\s*\d{{4}}\s*年|今年|全年|年内|今后五年|未来五年|{PLAN_NAME}(?:时期|期间|末)")
# A growth target in a list (增长7%左右, 增长10%以上): three in one sentence make it a target list.
_TARGET_FIGURE_RE = re.compile(r"增长\s*\d+(?:\.\d+)?\s*%")
# A line that continues a target list set out one item per line (——地区生产总值增长6%左右；, 1．…).
_LIST_ITEM_RE = re.compile(r"^\s*(?:——|—|-|·|•|\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十\d]{1,2}[)）])[^。]{0,120}$")
_QUALIFIER_AFTER_RE = re.compile(r"(?:及以上|以上|左右|以内|之内|以下)?")
_WORKING_FIGURE_RE = re.compile(r"(?:实际工作中|工作中)?按照?\s*(\d+(?:\.\d+)?)\s*%\s*(?:左右)?(?:的目标)?(?:推进|安排|掌握|把握|部署)")
_CONTEXT_CUE_RE = re.compile(r"目\s*标|指标|预计|初步|快报|\d{4}|今年|本年|明年|去年|上年|过去|年来")
_ESTIMATE_RE = re.compile(r"预计|初步核算|初步统计|快报")
# A clause that opens on this year (今年，…; 2013年，全省…): the sentence may be about the year ahead.
_THIS_YEAR_HEAD_RE = re.compile(r"(?:^|[，,：:])[\s“”]*(?:(?P<y>\d{4})\s*年(?![\d月底末])|今年|本年|(?P<next>明年))")
# A sentence that opens on the time just reviewed (过去一年，…; 去年全省…; 刚刚过去的2022年; 2018年全省…;
# 回顾过去五年，…): in a planning section it looks back, and so do the sentences after it in its paragraph.
_LOOK_BACK_HEAD_RE = re.compile(
    r"^[\s“”]*(?:各位代表[，,！!：:]?\s*)?(?:回顾)?(?:(?P<five>(?:刚刚)?过去的?五年|五年来)"
    r"|(?:刚刚)?过去的?一年|一年来|去年(?!同期)"
    r"|(?:刚刚过去的|过去的)?(?P<y>\d{4})\s*年(?:[，,]|是|全[国省市区县州]|我[国省市区县州]))")
# What ends such a look back: the year ahead, a commitment, a later year (checked with ``_looks_ahead``).
_AHEAD_CUE_RE = re.compile(r"今年|明年|本年|新的一年|力争|确保(?!了)|争取(?!到)|(?<![重主需必只纲摘提])要(?![求素])|拟|将(?!近)|提出")
_BY_YEAR_HEAD_RE = re.compile(r"^[\s“”]*到\s*(\d{4})\s*年(?:底|末)?[，,]")
# A money figure summed over the years reviewed (五年共…, 五年…完成).
_SUM_OVER_YEARS_RE = re.compile(r"[五5]年(?:来|间|中)?[^，,；;。]*?(?:共|完成|合计|总计)|(?:期间|时期|以来)[，,]?\s*共(?!同)")
_RUN_OF_YEARS_RE = re.compile(r"连续([\d一二三四五六七八九十]{1,3})年")
_GRAIN_YIELD_RE = re.compile(r"粮食(?![、和与及])[^。；;棉油菜肉蛋奶果茶糖烟畜]{0,30}?(?P<y>总产量|总产|产量)")
# Foreign investment a plan-period review states as the period's total (an output or revenue figure there
# is the end year's level; a figure that 达到 or grows is a year's).
_SUMMED_FLOWS = {"fdi"}
# Indicators whose values may be counts of things (people, firms, communities, cases); the others are
# amounts, rates or areas.
_COUNTED = {"new_jobs", "reemployment", "high_tech_enterprises", "illegal_building_demolition",
            "old_community_renewal", "other"}
# Indicators counted as a stock when a count follows the name with no verb (高新技术企业2039家).
_STOCK_INDICATORS = {"high_tech_enterprises"}
# Words between a name and a count that make the count a stock (高新技术企业达到6989家).
_STOCK_GAP_RE = re.compile(r"^\s*(?:总数|数量|数)?\s*(?:已)?(?:达到|达|超过|超|突破|增加到|增至|发展到|提高到|上升到)\s*$")
_REEMPLOY_RE = re.compile(r"(?<!就业困难)(?:城镇)?(?:登记)?失业人员(?:实现)?(?:再)?(?:就业)?")

COMMIT_VERBS = re.compile(
    r"新增|新建|新开办|开办|建成|建设|完成|改造|打造|培育|引进|增加|提供|整治|实施|创建|认定|招引|落地|签约|"
    r"筹集|拆除|加装|筛查|接种|培训|开展|举办|新开|新设|扶持|引育|储备|安装|设立|种植|铺设|修复|清理|新种"
)


@dataclass
class Mention:
    start: int
    end: int
    code: str
    name: str


@dataclass
class Fact:
    role: str
    period: str
    indicator: str
    measure: str
    value: float | None
    value_high: float | None
    unit: str | None
    comparator: str
    stretch: bool
    derived: bool
    indicator_name: str
    start: int  # quote span in the clean text
    end: int
    estimate: bool = False  # an outcome stated as 预计/初步核算
    listed: bool = False  # one of a 分别 list: its indicator is already the item's own
    tied: bool = False  # a qualitative target tied to economic growth (同步, 快于经济增速): no restatement


@dataclass
class Assessment:
    period: str
    indicator: str
    kind: str
    value: float | None
    start: int
    end: int


@dataclass
class _Sentence:
    start: int
    end: int
    text: str
    ctx: Context
    facts: list[Fact] = field(default_factory=list)
    estimate: bool = False  # its outcomes are preliminary (预计, 初步核算)
    in_list: bool = False  # part of an announced target list (主要预期目标是：…)


# ------------------------------------------------------------------ indicator names

def trie_pattern(words: Iterable[str], between: str = "") -> str:
    """A regex matching any of ``words``, the longest where several start at one place, written as a
    trie (国(?:内生产总值|民…)): the engine tries a position's few continuations instead of every word,
    several times faster than ``"|".join`` over hundreds of names. ``between`` goes between characters."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: dict, first: bool = False) -> str:
        alts = [("" if first else between) + re.escape(ch) + branch(child)
                for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body  # greedy: a longer word wins over its prefix

    return branch(trie, first=True)


def _name_pattern(spaced: bool = False) -> tuple[re.Pattern, dict[str, str]]:
    by_name: dict[str, str] = {}
    for ind in codebook().values():
        for name in ind.names:
            by_name.setdefault(name, ind.code)
    # A name may be broken by a space where a PDF line wrapped (国内生产总 值); slower, so used only
    # on clauses that hold a space.
    return re.compile(trie_pattern(by_name, r"\s?" if spaced else "")), by_name


_NAMES_RE, _CODE_OF = _name_pattern()
_SPACED_NAMES_RE = _name_pattern(spaced=True)[0]


# A sentence whose subject is a development zone or new area reports that zone's figures.
_ZONE_WORDS_RE = re.compile(r"新区|开发区|高新区|经开区|园区|综合试验区|自贸")
_ZONE_SUBJECT_RE = re.compile(r"^[\s“”]*[^，,。；;：:、]{0,10}?(?:新区|开发区|高新区|经开区|园区)(?!建设|开发|发展|改革)")
_ZONE_VERB_RE = re.compile(r"推进|推动|加快|实施|打好|抓好|支持|完善|提升|强化|深化|建设|发展|打造|培育|围绕|依托|优化|做大|做强|"
                           r"加强|坚持|引导|鼓励|促进|规划|整合|创建|申报|争创")
# A paragraph about a body that reports apart from the region's government (生产建设兵团, 农垦, 森工).
_PARALLEL_BODY_RE = re.compile(r"^\W{0,3}(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?[^，,。；;]{0,6}?(?:兵团|农垦|森工)")
_DUAL_CAPITAL_RE = re.compile(r"内资[^，,。；;]{0,14}?[、和及与]\s*(?P<f>外资)")
_RD_RE = re.compile(
    r"(?:全社会)?(?:R&D|研发|研究与(?:试验)?(?:开发|发展))(?:经费|费用)?(?:投入|支出)?(?:经费|费用)?"
    r"(?:占|相当于)(?:全[省市区县州]|本[省市区县])?(?:地区|国内)?(?:生产总值|GDP)的?(?:比重|比例)"
    r"|(?:全社会)?(?:R&D|研发)(?:经费)?(?:投入)?(?:强度|占比)")
# Words right before an indicator's name that narrow it to a part of the region's total: a trading
# partner or channel, an ownership or industry, a unit of land, a sub-area (每个县, 县县: each county) or
# another body. (A government's own units, 市属, 国有单位, are kept: in the 1990s they were the headline
# scope of investment and exports.)
_PART_BEFORE_RE = re.compile(
    r"(?:对(?!外)[^，,；;。：:\d]{0,20}|每个[^，,；;。]{0,4}|[一二三四五六七八九十两\d]+个?(?:市|县|区|城市|地市|县市区?)|工业|与[^，,、；;。：:]{1,14}(?:国家|地区)|沿线[^，,、；;。]{0,6}|跨境电商|市场采购(?:贸易)?|"
    r"边境(?:小额)?贸易|加工贸易|一般贸易|(?:数字|技术|文化)贸易|服务(?:贸易)?|口岸|产品|民营(?:企业|工业)?|非公有制(?:经济)?|个体私营|国有(?:企业)?|"
    r"(?:县县|乡乡|镇镇|村村)均?|亩均|每平方公里|数字(?:经济)?|金融业|基础设施|民间|技改|产业|欠发达镇|乡镇|兵团|新区|开发区|园区|高新区|经开区|综保区|综合保税区|保税区|自贸区|自贸试验区|"
    r"(?:规模以上|规上)工业(?:企业)?|上划中央[^，,]{0,3}|老区村?|贫困(?:村|户|人口)|脱贫(?:村|户|人口)|低收入(?:群体|人口|农户)?|"
    r"带动|拉动|(?:不含|不包括)[^，,；;]{0,4}|国家(?:提出|确定)的[^，,；;]{0,10})共?(?:完成|实现)?(?:的)?\s*$")


def name_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name as written) of every codebook name in ``text``. No name holds a clause break
    (，：), so a sentence scanned once gives each of its clauses' names."""
    names_re = _SPACED_NAMES_RE if (" " in text or "\u3000" in text) else _NAMES_RE
    return [(m.start(), m.end(), m.group()) for m in names_re.finditer(text)]


def find_mentions(clause: str, offset: int = 0, others: re.Pattern = _OTHERS_RE,
                  spans: list[tuple[int, int, str]] | None = None) -> list[Mention]:
    """Codebook indicators named in ``clause`` (positions shifted by ``offset``); a name right after
    a word in ``others`` (another government's scope) is not a mention. ``spans``: the clause's
    ``name_spans`` when the caller has them already."""
    found: list[Mention] = []
    matches = name_spans(clause) if spans is None else spans
    rd = "研" in clause or "R&D" in clause
    dual = "内资" in clause
    if not matches and not rd and not dual and "失业人员" not in clause:
        return found
    for start, end, written in matches:
        name = _rx(r"\s").sub("", written)
        code = _CODE_OF[name]
        if _excluded(clause, start, end, code, others):
            continue
        found.append(Mention(offset + start, offset + end, code, name))
    # 失业人员…就业: re-employment of the registered unemployed, not 就业困难人员.
    for m in _REEMPLOY_RE.finditer(clause) if "失业人员" in clause else ():
        if "就业" not in clause[m.start():] or any(f.start <= offset + m.start() < f.end for f in found):
            continue
        found.append(Mention(offset + m.start(), offset + m.end(), "reemployment", m.group()))
    if rd:
        # R&D intensity in its many wordings (全社会研发经费支出相当于全市生产总值的比例, R&D投入占比): one
        # pattern rather than a name per wording; the GDP inside it is not a mention of its own.
        for m in _RD_RE.finditer(clause):
            s, e = offset + m.start(), offset + m.end()
            found = [f for f in found if f.end <= s or f.start >= e]
            found.append(Mention(s, e, "rd_intensity", m.group()))
    if dual:
        # 实际利用内资、外资年均增长8.7%、14%: the bare 外资 beside 内资 is foreign investment
        for m in _DUAL_CAPITAL_RE.finditer(clause):
            s, e = offset + m.start("f"), offset + m.end("f")
            if not any(f.start <= s < f.end for f in found):
                found.append(Mention(s, e, "fdi", "外资"))
    for f in found:
        if f.code == "resident_income" and _RURAL_BEFORE_RE.search(clause[max(0, f.start - offset - 4):f.start - offset]):
            f.code = "rural_income"  # 农村常住居民人均收入: 居民人均收入 of the rural residents
    found.sort(key=lambda x: x.start)
    # 地区生产总值（GDP）: a name glossed in brackets is one mention.
    merged: list[Mention] = []
    for m in found:
        prev = merged[-1] if merged else None
        if (prev and prev.code == m.code and m.start - prev.end == 1 and clause[prev.end - offset] in "(（"
                and clause[m.end - offset:m.end - offset + 1] in (")", "）")):
            prev.end = m.end + 1
            continue
        merged.append(m)
    return merged


def _excluded(clause: str, start: int, end: int, code: str, others: re.Pattern) -> bool:
    ind = codebook()[code]
    for phrase in ind.exclude:
        at = clause.find(phrase) if phrase else -1
        while at >= 0:  # each place the phrase stands, as re.finditer would give them
            stop = at + len(phrase)
            if at <= start and end <= stop and phrase != clause[start:end]:
                return True
            if (at <= start < stop or at < end <= stop) and phrase not in ind.names:
                return True
            at = clause.find(phrase, stop)
    # A figure of another government (全市地区生产总值 …) is not this region's fact; nor is a part's
    # (对东盟进出口, 跨境电商进出口, 民营工业增加值, 亩均税收, 兵团生产总值).
    if others.search(clause[max(0, start - 4):start]):
        return True
    # (全社会固定资产投资 names the whole even after 带动)
    return not clause.startswith("全社会", start) and bool(_PART_BEFORE_RE.search(clause[max(0, start - 16):start]))


# ------------------------------------------------------------------ numbers

@dataclass
class _Number:
    start: int
    end: int
    value: float
    high: float | None
    unit: str
    at_least: bool = False  # 双位数
    index: bool = False  # a price index: value is the change against 100


def cn_numeral(s: str) -> float | None:
    """五点五 → 5.5, 十二 → 12, 二十 → 20 (the small numerals percentages are written in)."""
    whole, _, frac = s.replace("两", "二").replace("〇", "零").partition("点")
    digits = CN_DIGITS
    if "百" in whole or "千" in whole or "万" in whole:
        return None
    value = cn_number(whole) if whole else 0
    if value is None:
        return None
    if frac:
        if any(c not in digits for c in frac):
            return None
        value = float(f"{value}." + "".join(str(digits[c]) for c in frac))
    return float(value)


_ANY_NUMBER_RE = re.compile(r"\d|百分之|位数")
_POINTS_LIST_RE = re.compile(r"\s*(?:和|、|及|至|到|-|—)\s*\d+(?:\.\d+)?\s*个百分点")


def find_numbers(clause: str, offset: int = 0) -> list[_Number]:
    """Numbers with their units in ``clause`` (positions shifted by ``offset``)."""
    out: list[_Number] = []
    if not _ANY_NUMBER_RE.search(clause):
        return out
    for m in _NUMBER_RE.finditer(clause):
        s, e = offset + m.start(), offset + m.end()
        if m.group("num"):
            # l0%, I1%: a scanned page's letter l or I for the digit 1
            num = m.group("num")
            try:
                value = float(num)
            except ValueError:  # (1. 5: a number broken where a PDF line wrapped)
                value = float(_rx(r"\s").sub("", num).replace("l", "1").replace("I", "1"))
            if m.group("neg"):
                value = -value
            unit = m.group("unit")
            unit = {"万名": "万人", "名": "人"}.get(unit, unit)
            if unit == "个" and _POINTS_LIST_RE.match(clause, m.end()):
                unit = "个百分点"  # 高于…2.8个和5.7个百分点: the first of a list of points
            high = float(m.group("hi")) if m.group("hi") else None
            out.append(_Number(s, e, value, high, unit))
        elif m.group("cn"):
            v = cn_numeral(m.group("cn"))
            if v is not None:
                out.append(_Number(s, e, v, None, "%"))
        else:
            out.append(_Number(s, e, 10.0, None, "%", at_least=True))
    if "指数" in clause:  # a separate pass: rare, and kept out of the pattern every clause runs
        for m in _INDEX_RE.finditer(clause):
            out.append(_Number(offset + m.start("idx"), offset + m.end(), round(float(m.group("idx")) - 100, 6), None,
                               "%", index=True))
        out.sort(key=lambda n: n.start)
    return out


def _decimals(x: float) -> int:
    s = repr(float(x))
    return 0 if s.endswith(".0") else len(s.split(".")[1])


def _lists_targets(text: str, cue: re.Match) -> bool:
    """Whether a target-list cue met in a review announces a list of targets: a colon or a figure after
    it (主要预期目标是：…, 目标是，力争实现利用外资20亿美元) and no figure of the review before it."""
    rest = text[cue.end():]
    opens = cue.group().endswith((":", "：")) or rest.lstrip().startswith((":", "："))
    return (opens or bool(_NUMBER_RE.search(rest))) and not _NUMBER_RE.search(text, 0, cue.start())


# ------------------------------------------------------------------ periods

@lru_cache(maxsize=4096)
def _time_marker(text: str, report_year: int, prefer_year: bool = False, outcome_year: int | None = None,
                 quarters_done: int = 0) -> tuple[str | None, tuple[int, int] | None]:
    """The last explicit period named in ``text`` (a sentence up to a number): (year, span).
    With ``prefer_year`` a single year wins over a plan named in the same text (今年是“十三五”开局之年，
    …主要预期目标是: the year's targets). In a review (``outcome_year``), 今年 and a quarter are of the
    year reviewed, unless the report was delivered after that quarter of its own year had ended
    (``quarters_done``); 全年 after a quarter returns to the whole year."""
    marks: list[re.Match] = []
    for m in _TIME_RE.finditer(text):
        if m.group("whole"):
            while marks and (marks[-1].group("q") or marks[-1].group("part")):
                marks.pop()  # 一季度下降7.2%，…全年增长3.5%
            continue
        if m.group("part") and outcome_year is None:
            continue  # in a plan, 上半年 is a deadline (饮水安全问题上半年全部解决，完成…): the year's target still
        last = marks[-1] if marks else None
        if prefer_year and last is not None and (last.group("year") or last.group("this")) and not (
                m.group("year") or m.group("this") or m.group("part")):
            continue  # (2022年上半年: the half year still)
        marks.append(m)
    last = marks[-1] if marks else None
    if last is None:
        return None, None
    if last.group("part"):
        return PART_YEAR, None
    if last.group("base"):
        return last.group("base"), None
    if last.group("next5"):
        return None, (report_year, report_year + 4)
    if last.group("span"):
        a, b = int(last.group("a")), int(last.group("b"))
        return (None, (a, b)) if a < b else (None, None)
    if last.group("plan"):
        span = plan_span(plan_number(last.group("plan")))
        return (None, span) if span else (None, None)
    if last.group("year"):
        y = int(last.group("year"))
        return (str(y), None) if 1949 < y < 2100 else (None, None)
    if last.group("this"):
        return str(outcome_year or report_year), None
    if last.group("last"):
        return str(report_year - 1), None
    q = last.group("q")
    n = "一二三四".index(q[-3]) + 1 if q[-3] in "一二三四" else int(q[-3])
    return f"{report_year if outcome_year is None or n <= quarters_done else outcome_year}Q{n}", None


# ------------------------------------------------------------------ the extractor

class _DocExtractor:
    def __init__(self, doc: Document):
        self.doc = doc
        self.year = int(doc.report_year)
        scope = own_scope(doc)
        self.others = others_pattern(scope)
        # For indicator names only: above the county level 县域 narrows a name to the counties, but a clause
        # about them still holds the region's own commitments (建成县域医疗次中心5个).
        self.name_others = others_pattern(scope, counties=document_level(doc) not in ("county", "county_city"))
        self.own_subject = re.compile(rf"^\s*(?:全|我|本){scope}" if scope else r"^(?!)")
        self.places = _other_places(doc)
        # Quarters of the report year over when it was delivered (a June meeting can report the first quarter).
        meeting = _rx(r"(\d{4})-(\d{2})").match(getattr(doc, "meeting_date", None) or "")
        self.quarters_done = (int(meeting.group(2)) - 1) // 3 if meeting and int(meeting.group(1)) == self.year else 0
        self.facts: list[Fact] = []
        self.assessments: list[Assessment] = []
        self._prev_facts: list[Fact] = []

    # ---- sentences
    def sentences(self) -> Iterable[_Sentence]:
        """Sentences with the context their figures are read in: the section's (``sections``),
        overridden by what the sentence itself says (see ``_sentence_context``). Every sentence is seen
        (each may change the context of those after it), but only those holding a number, a cue or an
        indicator's name are given: most hold none of these, and have nothing to read."""
        text = self.doc.text
        contexts = paragraph_contexts(text, self.doc.doc_type, self.doc.report_year, self.doc.title)
        pos = 0
        section: Context | None = None
        switched: Context | None = None  # a target list announced where the headings did not say so
        listing = False  # inside an announced target list (its items may run over several short lines)
        for line, ctx in zip(text.split("\n"), contexts):
            if ctx is not section:
                section, switched, listing = ctx, None, False
            listing = listing and bool(_LIST_ITEM_RE.match(line))
            if ctx.role is not None and not _PARALLEL_BODY_RE.match(line):
                para = switched or ctx
                back = False  # para is a look back announced inside a planning section
                for m in (_DOT_SENTENCE_RE if _DOT_STOP_RE.search(line) else _SENTENCE_RE).finditer(line):
                    said = m.group()
                    if back and self._looks_ahead(said):
                        para, back = switched or ctx, False  # (…打下了良好基础。今年要…: the look back is over)
                    sent_ctx, estimate, announced = self._sentence_context(said, para)
                    if para.role == "outcome" and para is not (switched or ctx) and not estimate:
                        estimate = bool(_ESTIMATE_RE.search(line[:m.start()]))  # 预计 opened the paragraph's look back
                    if back and sent_ctx.role == "target" and announced is None:
                        para, back = switched or ctx, False  # a sentence that plans the year ends it too
                    if announced is not None:
                        back = announced.role == "outcome" and (switched or ctx).role == "target"
                        if back and m.start() and line[m.start() - 1] in "；;":
                            # a look back that is an item after ；(…主要是：…；去年价格上涨的翘尾影响约有1个
                            # 百分点。) holds for that item only
                            announced, back = None, False
                    if announced is not None:
                        para = announced  # the rest of the paragraph lists the same targets
                        listing = announced.role == "target"
                        if (ctx.role == "outcome" and announced.role == "target" and not announced.span
                                and self.doc.doc_type != "fyp_outline"):
                            switched = announced  # and the rest of the section plans the year
                    if _DIGIT_OR_CUE_RE.search(said) or _NAMES_RE.search(said):
                        yield _Sentence(pos + m.start(), pos + m.end(), said, sent_ctx, estimate=estimate,
                                        in_list=listing and sent_ctx.role == "target")
            pos += len(line) + 1

    def _sentence_context(self, text: str, ctx: Context) -> tuple[Context, bool, Context | None]:
        """The context of one sentence, whether its outcomes are preliminary estimates, and the
        target context it announces for what follows (``今年的主要预期目标是：``), if any.

        Target cues: a target list (主要预期目标是, 主要目标：), or a sentence about this year (今年,
        明年, the report year) with 要/力争/确保/争取/计划/预期. Outcome cues in a planning section:
        预计/初步核算 (an estimate of the year just ended), or an earlier year with 完成/实现/比上年."""
        year = self.year
        if not _CONTEXT_CUE_RE.search(text):
            return ctx, False, None  # most sentences name no year, target list or estimate
        cue = _TARGET_LIST_RE.search(text)
        if cue and not _OLD_TARGET_RE.search(_rx(r"[，,；;]").split(text[:cue.start()])[-1]):
            marker, span = _time_marker(text[:cue.end()], year, prefer_year=True)
            # 去年确定的主要预期目标是… reviews an old target; 今年/2013年的主要目标是 announces one.
            if span:
                new = Context("target", span[1], span)
                return new, False, new
            if marker is None and ctx.role == "outcome" and not _lists_targets(text, cue):
                pass  # 我们的目标是变坏事为好事; …3.9%（年度目标为4.6%）: no list follows, the review goes on
            elif marker is None or (marker.isdigit() and int(marker) >= year):
                # No year named: the section's year, but 预期目标 in a plan-period section are the year's.
                default = ctx.year if ctx.role == "target" and ctx.year and not (ctx.span and "预期" in text) else year
                new = (ctx if marker is None and ctx.role == "target" and ctx.span and "预期" not in text
                       else Context("target", int(marker) if marker else default))  # 今后五年的主要目标是
                return new, False, new
        estimate = bool(_ESTIMATE_RE.search(text))
        by = _BY_YEAR_HEAD_RE.match(text)
        if ctx.role == "target" and by and int(by.group(1)) > year and not (ctx.span and int(by.group(1)) == ctx.span[1]):
            # 到2010年，国内生产总值达到6850亿元…: a later horizon, for the rest of the paragraph
            new = Context("target", int(by.group(1)))
            return new, False, new
        if ctx.role == "target" and ctx.span and not estimate:
            head = _THIS_YEAR_HEAD_RE.match(text.lstrip())
            # 今年，是…开局之年。要力争…增长10%: inside the plan-period section, a paragraph that opens on
            # the report year sets that year's targets.
            if head and (head.group("y") is None or int(head.group("y")) == year) and not head.group("next"):
                new = Context("target", year)
                return new, False, new
        if ctx.role == "target":
            marker, span = _time_marker(text, year)
            # A look back inside the planning section (刚刚过去的2015年…; 预计全年…) holds for the rest
            # of its paragraph.
            if estimate and not (marker and marker.isdigit() and int(marker) >= year) and not span:
                back = Context("outcome", int(marker) if marker and marker.isdigit() else year - 1)
                return back, True, back
            if marker and marker.isdigit() and int(marker) < year and not span and _OUTCOME_CUE_RE.search(text):
                back = Context("outcome", int(marker))
                return back, False, back
            compared = _YEARS_COMPARED_RE.search(text)
            if compared and compared.start() < 12 and int(compared.group(2)) < int(compared.group(1)) < year:
                back = Context("outcome", int(compared.group(1)))  # (1986年同1978年相比，…增长102%) a look back
                return back, False, back
            head = _LOOK_BACK_HEAD_RE.match(text)
            if head and not self._looks_ahead(text):
                # 过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%…: the year reviewed, for the
                # rest of the paragraph (until a sentence looks ahead again)
                if head.group("five"):
                    back = Context("outcome", year - 1, (year - 5, year - 1))
                    return back, False, back
                y = int(head.group("y")) if head.group("y") else year - 1
                if y < year:
                    back = Context("outcome", y)
                    return back, False, back
            if span and span[1] < year and "目标" not in text:
                return Context("outcome", span[1], span), False, None  # “十五”期间，…年均增长9.8%: a look back
            return ctx, False, None
        if ctx.role == "outcome" and not ctx.span and not estimate:
            head = _THIS_YEAR_HEAD_RE.search(text)
            # The report's own year named outright (2017年全市生产总值增长7%左右) plans it; 今年 needs a cue.
            if head and (head.group("y") or _TARGET_CUE_RE.search(text)) and not _OUTCOME_CUE_RE.search(text):
                y = head.group("y")
                target_year = int(y) if y else (year + 1 if head.group("next") else year)
                if target_year >= year:
                    return Context("target", target_year), False, None
        return ctx, estimate and ctx.role == "outcome", None

    def _looks_ahead(self, text: str) -> bool:
        """Whether a sentence speaks of the year ahead before its first figure: 今年, 要, 力争, 确保…, or a
        year from the report's own on (到2015年). (…增长6.9%，为做好2016年的工作打下了基础 still looks back.)"""
        first = _NUMBER_RE.search(text)
        head = text[:first.start()] if first else text
        return bool(_AHEAD_CUE_RE.search(head)) or any(
            int(y) >= self.year for y in _rx(r"(\d{4})\s*年").findall(head))

    def run(self) -> None:
        zones = not _ZONE_WORDS_RE.search(self.doc.region or "")  # a zone's own report states its own figures
        for sent in self.sentences():
            zone = _ZONE_SUBJECT_RE.match(sent.text) if zones else None
            # 兰州新区全年…固定资产投资达到435亿元: the zone's figures, not the region's, until a clause
            # turns back to the region (东湖高新区被批准为…，全省国家级开发区由3家增加到11家，…)
            self.read_sentence(sent, zone=bool(zone and not _ZONE_VERB_RE.search(zone.group())))

    # ---- one sentence
    def read_sentence(self, sent: _Sentence, zone: bool = False) -> None:
        clauses = [(sent.start + m.start(), sent.start + m.end()) for m in _CLAUSE_RE.finditer(sent.text)]
        text = self.doc.text
        names = name_spans(sent.text)  # one scan of the sentence serves its clauses
        next_name = 0
        carried: Mention | None = None
        carried_items: list[Mention | None] = []  # the list a 分别 clause assigned, for the next one
        self._sentence_mentions: list[Mention] = []
        self._clause_subjects: list[Mention | None] = []  # per clause stating a level: the indicator it opens on
        for c_start, c_end in clauses:
            clause = text[c_start:c_end]
            if zone:
                if not self.own_subject.match(clause):
                    continue
                zone = False
            rel_start, rel_end = c_start - sent.start, c_end - sent.start
            while next_name < len(names) and names[next_name][0] < rel_start:
                next_name += 1
            first = next_name
            while next_name < len(names) and names[next_name][1] <= rel_end:
                next_name += 1
            mentions = find_mentions(clause, c_start, self.name_others,
                                     [(a - rel_start, b - rel_start, w) for a, b, w in names[first:next_name]])
            if mentions and self.places and mentions[0].start > c_start:
                # 武汉生产总值达到8000亿元: a clause whose subject is a place other than the region
                head = clause[:mentions[0].start - c_start].strip(" “”\u3000")
                if head in self.places:
                    mentions = mentions[1:]
            if not mentions and not _DIGIT_OR_CUE_RE.search(clause):
                continue  # no figure, indicator or cue: nothing to read, nothing to carry
            numbers = [n for n in find_numbers(clause, c_start)]
            attached: set[int] = set()
            subject_of: dict[int, Mention] = {}
            anchor_of: dict[int, int] = {id(m): m.end for m in mentions}
            if not mentions and "产" in clause and "粮食" in sent.text:
                # 粮食播种面积388万亩、产量110万吨; 粮食生产克服连续干旱，总产达到1142.7亿斤: the bare 产量 is grain's
                y = None
                for y in _GRAIN_YIELD_RE.finditer(text, sent.start, c_end):
                    pass
                if y is not None and y.start("y") >= c_start:
                    mentions = [Mention(y.start("y"), y.end("y"), "grain_output", y.group("y"))]
                    anchor_of = {id(mentions[0]): mentions[0].end}
            if carried is not None and carried.code == "industrial_output" and not mentions and _rx(r"\s*增加值").match(clause):
                # 工业产值突破5000亿元，增加值增长15%: the bare 增加值 is the same industry's value added
                at = c_start + clause.index("增加值")
                mentions = [Mention(at, at + 3, "industrial_value_added", "增加值")]
                anchor_of = {id(mentions[0]): mentions[0].end}
            if carried is not None and not mentions:
                if _COMPARISON_RE.search(clause):
                    carried = None  # 比“十二五”时期增加…: a change over an earlier period, not a fact
                else:
                    anchor_of[id(carried)] = c_start
            listed, carried_items = self._respectively(clause, c_start, mentions, numbers, carried_items)
            for num in numbers:
                if num.unit in SKIP_UNITS:
                    continue
                if id(num) in listed:
                    mention = listed[id(num)]
                    at = clause.find("分别")
                    gap_start = (mention.end if mention is not None and mention.start >= c_start
                                 else c_start)  # (总数分别达到: the words before 分别 count too)
                    before = False
                else:
                    mention, gap_start, before = self._attach(num, mentions, anchor_of, carried, clause, c_start)
                if mention is None:
                    if id(num) in listed:
                        attached.add(id(num))  # a list item that is no indicator: its figure is not ours
                    continue
                attached.add(id(num))
                if not before:
                    anchor_of[id(mention)] = _QUALIFIER_AFTER_RE.match(text, num.end).end()
                quote_start = min(mention.start, c_start) if mention.start < c_start else c_start
                fact = self._fact(sent, mention, num, gap_start, quote_start, c_end, before)
                if fact:
                    subject_of[id(num)] = mention
                    fact.listed = id(num) in listed
                    sent.facts.append(fact)
                    if (fact.indicator == "resident_income" and not fact.listed and fact.measure != "level"
                            and _URBAN_RURAL_RE.search(text[max(sent.start, mention.start - 6):mention.end])
                            and not _rx(r"分别").search(clause)
                            and (fact.role == "target" or _rx(r"[均都]").search(text[mention.end:num.start]))):
                        # 城乡居民人均可支配收入增长8%左右: one growth figure for urban and rural income alike (an
                        # outcome only with 均: 城乡居民人均收入增长6.3% alone is the all-resident figure)
                        sent.facts.append(dataclasses.replace(fact, indicator="rural_income", listed=True))
                    elif (fact.indicator == "rural_income" and not fact.listed and fact.measure != "level"
                          and _URBAN_AND_RE.search(text[max(c_start, mention.start - 8):mention.start])
                          and not _rx(r"分别").search(clause)):
                        # 城镇居民和农民人均可支配收入增长10%左右: the figure is the urban one's too
                        sent.facts.append(dataclasses.replace(fact, indicator="resident_income", listed=True))
            if mentions:
                carried = mentions[-1]
                self._sentence_mentions.extend(mentions)
            for num in numbers:  # 其中出口50.4亿美元，进口29亿美元，分别增长…: one item per level stated
                if (num.unit not in SKIP_UNITS and num.unit not in ("%", "‰") and id(num) not in listed
                        and not _rx(r"[从由]\s*$").search(text[max(c_start, num.start - 3):num.start])):
                    # (由1174亿元提高到2527亿元: the level it rose from is no item of its own)
                    self._clause_subjects.append(subject_of.get(id(num)))
            if not mentions and carried is not None and (
                    any(n.unit not in SKIP_UNITS and n.unit not in ("%", "‰") and id(n) not in attached
                        and not _rx(r"新增|增加|净增|增收|增产|减少").search(text[c_start:n.start]) for n in numbers)
                    or _NAMES_RE.search(clause)):
                # 棉花总产量189万吨，增长7.8%; 人均国内生产总值1.9万元，增长…: the clause turned to another
                # item (unnamed, or a name that is not ours), so what follows is not the last indicator's
                carried = None
            if sent.ctx.role == "target":
                self._qualitative(sent, clause, c_start, c_end, mentions, numbers)
            if sent.ctx.role == "outcome":
                self._assess(sent, clause, c_start, c_end, mentions)
                if "持平" in clause:
                    self._flat_outcome(sent, clause, c_start, c_end, mentions, numbers)
            for num in numbers:
                if id(num) not in attached and num.unit not in SKIP_UNITS:
                    self._other(sent, num, clause, c_start, c_end)
        self._enumerations(sent)
        self._revenue_subtotal(sent)
        self._working_figure(sent)
        self._completion_within(sent)
        self.facts.extend(sent.facts)
        # A list split by ；: 城镇…增长9%；农民…增长5.3%，都比年初预期目标高1个百分点 reaches back one sentence.
        self._prev_facts = sent.facts if sent.text.rstrip().endswith(("；", ";")) else []

    def _respectively(self, clause: str, c_start: int, mentions: list[Mention], numbers: list[_Number],
                      carried_items: list[Mention | None]) -> tuple[dict[int, Mention | None], list[Mention | None]]:
        """``A、B和C分别增长x%、y%和z%``: the i-th figure belongs to the i-th item of the list before
        分别 (an item that names no indicator takes its figure away from the others). A following
        clause ``分别达X元和Y元`` reuses the list; ``城乡居民收入分别增长x%和y%`` is urban, then rural."""
        at = clause.find("分别")
        if at < 0:
            # 分别为3.6万元、2.1万元，增长9.4%、10.2%: a clause of as many figures reuses the list.
            nums = [n for n in numbers if n.unit not in SKIP_UNITS]
            paired = len(nums) >= 2 and all(_rx(r"[、和及与\s]*").fullmatch(self.doc.text[a.end:b.start])
                                            for a, b in zip(nums, nums[1:]))
            if not mentions and len(carried_items) >= 2 and len(nums) == len(carried_items) and paired:
                return {id(n): m for n, m in zip(nums, carried_items)}, carried_items
            both = (len(mentions) == 1 and mentions[0].code == "resident_income" and len(nums) == 2
                    and _URBAN_RURAL_RE.search(clause[max(0, mentions[0].start - c_start - 6):mentions[0].end - c_start]))
            joined = len(mentions) >= 2 and all(_rx(r"\s*[、和及与]\s*").fullmatch(self.doc.text[a.end:b.start])
                                                 for a, b in zip(mentions, mentions[1:]))
            if not (mentions and paired and ("、" in clause[:nums[0].start - c_start] or both or joined)):
                return {}, carried_items if not mentions else []
            # 城镇、农村居民人均可支配收入年均增长6.9%、8.8%: a list of items, then as many figures, reads
            # as if 分别 stood before the figures.
            at = nums[0].start - c_start
        nums = [n for n in numbers if n.start >= c_start + at and n.unit not in SKIP_UNITS]
        subject = [m for m in mentions if m.end <= c_start + at]
        items: list[Mention | None]
        if subject:
            start = 0  # the list runs from the clause's start (营收、税收…分别: 营收 is an item too)
            pieces = [(m.start() + start, m.end() + start) for m in _rx(r"[^、和及与]+").finditer(clause[start:at])]
            items = [next((x for x in reversed(subject) if a <= x.start - c_start < b), None) for a, b in pieces]
            # 对GDP增长的贡献率: a name followed by another noun in its item is not that item's indicator
            items = [x if x is not None and _LINK_RE.match(clause[x.end - c_start:b]) else None
                     for x, (a, b) in zip(items, pieces)]
            # 城镇、农村常住居民人均可支配收入: the bare 城镇 item is urban income
            for k in range(len(items) - 1):
                nxt = items[k + 1]
                if (items[k] is None and nxt is not None and nxt.code in ("resident_income", "rural_income")
                        and _rx(r"\W*(?:城镇|城市)(?:常住)?(?:居民)?").fullmatch(clause[pieces[k][0]:pieces[k][1]])):
                    items[k] = Mention(nxt.start, nxt.end, "resident_income", nxt.name)
        elif carried_items:
            items = carried_items
        elif _LINK_RE.match(clause[:at]):
            # 城镇居民人均可支配收入23936元，农民人均纯收入9542元，分别增长10.1%和…: the sentence's
            # last named indicators, one per figure (only when 分别 opens the clause).
            subjects = self._clause_subjects
            if len(nums) >= 2 and len(subjects) >= len(nums):
                items = list(subjects[-len(nums):])
            elif len(nums) >= 2:
                return {id(n): None for n in nums}, []  # the items are not all in this sentence: read none
            else:
                items = []
        else:
            items = []
        if len(items) == 1 and items[0] is not None and _URBAN_RURAL_RE.search(
                clause[max(0, items[0].start - c_start - 6):items[0].end - c_start]) \
                and len(nums) == 2 and items[0].code == "resident_income":
            urban = items[0]
            items = [urban, Mention(urban.start, urban.end, "rural_income", urban.name)]
        if len(items) < 2 or len(nums) != len(items):
            return {}, items if len(items) >= 2 else []
        if subject and _rx(r"(?:企业|项目|园区|行业|产业|单位)的|中[^、，]{1,6}(?:占比|比重|比例)").search(clause[:at]):
            return {id(n): None for n in nums}, []  # 1778家文化类企业的营收、税收分别…: a subset's figures
        return {id(n): m for n, m in zip(nums, items)}, items

    def _attach(self, num: _Number, mentions: list[Mention], anchor_of: dict, carried: Mention | None,
                clause: str, c_start: int) -> tuple[Mention | None, int, bool]:
        """The indicator this number belongs to, where its measure words start, and whether the
        number stands before the name (7个老旧小区微改造)."""
        text = self.doc.text
        if "剩余" in text[max(c_start, num.start - 3):num.start]:
            return None, 0, False  # 剩余50个: a backlog, not the period's figure
        after = [m for m in mentions if m.start >= num.end]
        if after and _rx(r"(?:的|个|名)?(?:国家级|国家|省级|市级|区级)?").fullmatch(text[num.end:after[0].start]):
            return after[0], max(c_start, num.start - 6), True
        before = [m for m in mentions if m.end <= num.start]
        if before:
            m = before[-1]
            gap_start = max(anchor_of.get(id(m), m.end), m.end)
            if (_LINK_RE.match(text[gap_start:num.start]) and not self.others.search(text[gap_start:num.start])
                    and _AFTER_OK_RE.match(text, num.end)):
                return m, m.end, False
            return None, 0, False
        if carried is not None and not mentions:
            prefix = text[anchor_of.get(id(carried), c_start):num.start]
            if _LINK_RE.match(prefix) and not self.others.search(prefix) and _AFTER_OK_RE.match(text, num.end):
                return carried, c_start, False
        return None, 0, False

    def _fact(self, sent: _Sentence, mention: Mention, num: _Number, gap_start: int,
              quote_start: int, c_end: int, before: bool) -> Fact | None:
        text = self.doc.text
        gap = text[gap_start:num.start]
        pre = text[max(sent.start, mention.start - 4):mention.start]
        after = text[num.end:min(num.end + 6, c_end)]
        clause_before = text[quote_start:num.start]
        ctx = sent.ctx
        code = mention.code
        unit = num.unit
        value = num.value
        measure: str
        if num.index or (code == "cpi" and unit == "%" and not _rx(r"年均|平均每年").search(gap + pre)):
            measure = "growth_pct"  # a consumer price figure is inflation whatever the wording
            if not num.index and _rx(r"(?:下降|降低|回落)(?![到至])").search(gap):
                value = -abs(value)  # 居民消费价格总指数比上年下降1.6%
        elif unit in ("%", "‰"):
            if _rx(r"占(?:全[国省市区县州]|全部|总量)").search(gap):
                return None  # 进出口额占全市的49%: a part's share of the whole, not the indicator
            share = _rx(r"比重|比例|占比|强度|率|水平").search(mention.name) or _rx(r"比重|占").search(gap)
            stretch_of = (next((f for f in reversed(sent.facts) if f.indicator == code and f.unit == "%"), None)
                          if _rx(r"力争|争取").search(gap) else None)
            if _rx(r"年均|平均每年|每年平均|年平均").search(gap) or _rx(r"年均").search(pre) or (
                    stretch_of is not None and stretch_of.measure == "avg_growth_pct"):
                # (年均增长9%，力争实现两位数增长: the stretch is on the same average)
                measure = "avg_growth_pct"
                if _rx(r"(?:下降|降低|减少|削减|回落)(?![到至])").search(gap):
                    value = -abs(value)  # 年均下降6.9%
            elif _rx(r"增长|增速|涨幅|上涨").search(mention.name) and (not share or mention.name.endswith("增长率")):
                measure = "growth_pct"  # 经济增长8%左右, 居民消费价格涨幅3%
            elif _rx(r"(?:下降|降低|减少|削减|回落)(?![到至])").search(gap):
                measure, value = "growth_pct", -abs(value)
            elif (_rx(r"增长|增速|增幅|同比|可比|上升|上涨|涨幅|递增|增").search(gap) or _rx(r"的?正?增长").match(after)
                  or (not share and _rx(r"(?:提高|提升)(?![到至])").search(gap))):
                measure = "growth_pct"
            elif share or _rx(r"率").search(gap):  # a rate or share at a level (研发投入强度3.35%)
                measure = "share_pct"
            else:
                # 增长5.5%，并力争达到6%以上: the second figure has the first one's measure.
                prior = next((f for f in reversed(sent.facts) if f.indicator == code and f.unit == "%"), None)
                if prior is None:
                    return None  # a percentage whose meaning the clause does not give
                measure = prior.measure
        elif unit in MONEY or unit in AREA or unit in MASS:
            bare_gap = _rx(r"[\d.]+\s*(?:万|亿)?(?:元|斤|公斤|吨)\s*[和、及与]\s*").sub("", gap)  # (分别增加400元和200元)
            if unit not in AREA and _rx(r"(?:增加|增收|增产|净增|多增|减少|减收|提高|提升)了?\s*$").search(bare_gap):
                return None  # 人均纯收入增加150元, 粮食增产5亿斤: a change in a level, which no measure holds
            measure = "cumulative" if _rx(r"累计").search(clause_before + pre) else "level"
            if measure == "level" and ctx.role == "outcome" and _SUM_OVER_YEARS_RE.search(clause_before + pre):
                measure = "cumulative"  # 五年共利用外资609亿美元, 五年完成固定资产投资1668亿元
            if measure == "level" and unit in AREA and ctx.span and ctx.role == "outcome":
                measure = "cumulative"
            if (measure == "level" and code in _SUMMED_FLOWS and ctx.span and ctx.role == "outcome"
                    and not _rx(r"达到|增长").search(gap + text[num.end:c_end])):
                measure = "cumulative"  # 五年来…实际利用外资5.6亿美元: investment over the period reviewed
        else:
            if code not in _COUNTED:
                return None  # 新增1个经济总量近千亿的县: a count of things is no value of an amount or a rate
            if _rx(r"累计").search(clause_before + pre):
                measure = "cumulative"
            elif (_rx(r"现有|总数|总量|数达|拥有|保有").search(gap) and "新增" not in mention.name) or (
                    _rx(r"现有|总数|总量|数达|拥有|保有").search(pre) and not _rx(r"新增").search(pre + mention.name + gap)):
                measure = "level"
            elif not before and _STOCK_GAP_RE.match(gap) and not re.search(
                    r"新增|认定|净增|增加(?![到至])|就业|转移|培训|改造|建设|完成", pre + mention.name + gap):
                # 高新技术企业达到6989家 / 超过1.4万家: a stock, not what the year added
                measure = "level"
            elif _rx(r"[从由]$|[从由][\d.]+\s*\S{0,2}(?:增加|提高|上升|发展|增长|扩大|跃升)(?:到|至)$").search(gap):
                measure = "level"  # 高新技术企业由500家增加到1570家: a stock at the start, then at the end
            elif (code in _STOCK_INDICATORS and ctx.role == "outcome" and not before and not gap.strip()
                  and not _rx(r"新增|净增|认定|培育|引进|发展|增加").search(text[sent.start:mention.start])):
                measure = "level"  # 高新技术企业2039家 with no verb: the number there are
            else:
                measure = "count"
                if ctx.span and not _rx(r"年均|每年").search(pre + gap):
                    measure = "cumulative"  # a count over a plan period is its total (五年新增就业20万人)
        # Period: an explicit year or plan in the sentence before the number, else the paragraph's.
        before_num = text[sent.start:num.start]
        # 2006年是实施“十一五”规划的开局之年…增长10%: the year, unless the figure is over the plan (年均, 累计).
        marker_year, marker_span = _time_marker(before_num, self.year,
                                                prefer_year=not _rx(r"年均|累计|每年|期间|时期").search(before_num),
                                                outcome_year=ctx.year if ctx.role == "outcome" else None,
                                                quarters_done=self.quarters_done)
        if marker_year == PART_YEAR:
            return None  # 上半年地区生产总值增长1.2%: half a year's figure, neither the year's outcome nor a quarter's
        if marker_year and not marker_span and measure == "cumulative" and not _rx(r"累计").search(clause_before + pre):
            measure = "count" if unit not in MONEY | AREA | MASS else "level"  # 2020年…实现就业22131人: that year's figure
        per_year = bool(_rx(r"年均|每年").search(pre + gap + text[quote_start:mention.start]))
        if measure == "count" and marker_span and not marker_year and not per_year:
            measure = "cumulative"  # “十四五”期间新增…: the plan period's total
        span = marker_span or ctx.span
        held = (span and ctx.role == "target" and measure in ("share_pct", "growth_pct") and unit in ("%", "‰")
                and (code == "unemployment_rate" or _rx(r"(?:控制|保持|稳定|维持|调控)在").search(gap))
                and (marker_year is None or (marker_year == str(span[1])  # (到2010年，失业率控制在…: that year's)
                                             and before_num[before_num.rfind(marker_year):].count("，") > 1))
                and not _rx(r"[五5]年|比").search(pre + gap))
        if held:
            period = f"{span[0]}-{span[1]}"  # 失业率控制在5.5%以内 (到2026年): a bound held over the plan period
        elif marker_year and not (measure in ("cumulative", "avg_growth_pct") and span):
            period = marker_year
        elif span and (measure in ("cumulative", "avg_growth_pct") or (measure in ("count", "level") and per_year)
                       or (measure == "growth_pct" and per_year)):
            period = f"{span[0]}-{span[1]}"
            if measure == "growth_pct":
                measure = "avg_growth_pct"
        elif span and measure == "growth_pct" and re.search(rf"[五5]年|累计|比{PLAN_NAME}?(?:期末|末)|比\d{{4}}\s*年", pre + gap):
            period = f"{span[0]}-{span[1]}"  # 五年降低30%, 比“十五”期末降低13%: the change over the plan period
        elif span and measure in ("share_pct", "growth_pct") and unit in ("%", "‰") and re.search(
                r"(?:控制|保持|稳定|维持|调控)在", gap):
            period = f"{span[0]}-{span[1]}"  # 失业率控制在4%以内: a bound held over the whole period
        elif span:
            period = str(span[1])  # a level or share: the end of the plan period
        else:
            period = ctx.period or str(self.year)
        if measure in ("cumulative", "avg_growth_pct") and "-" not in period:
            if span:
                period = f"{span[0]}-{span[1]}"
            elif period.isdigit() and (measure == "avg_growth_pct" or re.search(
                    r"[五5]年|本届", text[sent.start:num.start] + text[max(0, sent.start - 200):sent.start])):
                # 五年年均增长 with no plan named (年均 alone says the same): the five years that end (review)
                # or start (plan) here
                y = int(period)
                ends = ctx.role == "outcome" or re.search(rf"到\s*{y}\s*年", before_num)  # 到2025年…年均增长8%
                period = f"{y - 4}-{y}" if ends else f"{y}-{y + 4}"
        compared = _YEARS_COMPARED_RE.search(text, sent.start, num.start)
        if compared and compared.group(1) == period and _rx(r"[从由]$").search(gap) and measure in ("level", "share_pct"):
            period = compared.group(2)  # 1986年同1978年相比，国民生产总值由3480亿元增加到9380亿元: 3480 is 1978's
        # 从45.74亿元提高到51.02亿元 in a span: the first is the base year's level (or rate: 城镇化率从73.7%…).
        elif span and _rx(r"[从由]$").search(gap) and (measure in ("level", "share_pct")
                                                   or (measure == "growth_pct" and not per_year)):
            period = str(span[0] - 1)
        elif (_rx(r"[从由]$").search(gap) and measure == "level" and ctx.role == "outcome" and period.isdigit()
              and _rx(r"年均|五年").search(text[num.end:sent.end])):
            period = str(int(period) - 5)  # 从173.2亿元跃升至316.6亿元，年均增长9.6%: the base five years back
        elif _rx(r"[从由]$").search(gap) and not marker_year and measure in ("level", "share_pct"):
            return None  # 由500家增加到1570家 with no base year to be read: the base is no fact of a period
        base = None
        if measure == "growth_pct" and period.isdigit():
            since = _rx(r"比\s*(\d{4})\s*年(?:底|末)?").search(gap)
            base = (int(since.group(1)) if since
                    else int(compared.group(2)) if compared and compared.group(1) == period else None)
        if base and base + 1 < int(period):
            period = f"{base + 1}-{period}"  # 分别比1992年增长96.7%, 2010年与2005年相比…增长79.1%: over those years
        run = _RUN_OF_YEARS_RE.search(gap)
        if run and measure in ("level", "count") and period.isdigit():
            n = int(run.group(1)) if run.group(1).isdigit() else cn_number(run.group(1))
            if n and 1 < n < 40:  # 粮食总产连续7年稳定在1000亿斤以上: a level held (a count made) each of those years
                period = f"{int(period) - n + 1}-{period}"
        role = ctx.role
        if _rx(r"下达[^,，。；;]*?(?:任务|指标)").search(text[quote_start:c_end]):
            role = "target"
        elif (role == "target" and period.isdigit() and int(period) < self.year
              and _rx(rf"{period}\s*年(?:全年)?比\s*\d{{4}}\s*年").search(text[sent.start:num.start])):
            role = "outcome"  # (…1981年比1980年增长9.8%，1982年预计…) a past year set against an earlier one is a result
        comparator = "exact"
        if num.high is not None:
            comparator = "range"
        elif num.at_least or _rx(r"\s*(?:及)?以上").match(after) or _rx(r"(?:超过|超出|超|突破|不低于|不少于|跨入)$").search(gap.rstrip("的")):
            comparator = "at_least"
        elif _rx(r"\s*左右").match(after) or _rx(r"[约近]$").search(gap):
            comparator = "approx"
        elif _rx(r"\s*(?:以内|之内|以下)").match(after) or _rx(r"控制在|不超过").search(gap):
            comparator = "at_most"
        stretch = False
        if role == "target" and _rx(r"力争|争取").search(text[quote_start:num.start]) and any(
                f.indicator == code and f.measure == measure and not f.stretch for f in sent.facts):
            stretch = True
        start = min(quote_start, mention.start) if not before else max(sent.start, quote_start if quote_start < num.start else num.start)
        end = max(num.end, mention.end) if before else num.end
        end = self._clause_end(end, c_end)
        return Fact(role, period, code, measure, value, num.high, unit, comparator, stretch, False,
                    mention.name, self._clause_start(start, sent), end, estimate=sent.estimate and role == "outcome")

    def _clause_start(self, pos: int, sent: _Sentence) -> int:
        text = self.doc.text
        i = pos
        while i > sent.start and text[i - 1] not in ",，:：":
            i -= 1
        return i

    def _clause_end(self, pos: int, limit: int) -> int:
        """Extend to the end of the clause (…万平方米以上)."""
        text = self.doc.text
        i = pos
        while i < limit and text[i] not in ",，:：。；;！？!?\n":
            i += 1
        return i

    # ---- qualitative targets
    def _qualitative(self, sent: _Sentence, clause: str, c_start: int, c_end: int,
                     mentions: list[Mention], numbers: list[_Number]) -> None:
        """Targets without a figure: 基本持平 (growth 0, parity), 与经济增长同步 (parity), 完成…任务,
        稳步增长/继续下降/控制在…范围内/高于… (qualitative). Every indicator the clause lists gets the row;
        城乡居民收入 is urban and rural income."""
        mentions = [m for m in mentions if not _rx(r"增长|增速").search(m.name)]  # 保持经济较快增长 is no target
        # 与经济增长同步, 快于经济总量增长: what follows the comparison word is the yardstick, not a target
        versus = _VERSUS_RE.search(clause)
        if versus:
            mentions = [m for m in mentions if m.end - c_start <= versus.start()]
        if not mentions or any(n.unit not in SKIP_UNITS for n in numbers) or _DOUBLING_RE.search(clause):
            return  # (翻两番的宏伟目标: a ratio goal, no row)
        tail = clause[mentions[-1].end - c_start:]
        # A directional aim (稳步增长, 基本稳定, 提高…) is a target where it stands in the target list or
        # says when (到2025年…持续下降); in the body of the year's work (保持物价总水平基本稳定) it is rhetoric.
        dated = (sent.in_list or sent.ctx.span is not None or bool(_DATED_RE.search(self.doc.text[sent.start:c_start])
                                                                   or _DATED_RE.search(clause))
                 or len(_TARGET_FIGURE_RE.findall(sent.text)) >= 3)  # a sentence of several targets is a list
        if _rx(r"(?<!保)持平").search(clause) and not _rx(r"同步").search(clause):  # (保持平稳 is not 持平)
            kind = "flat"
        elif _rx(r"同步(?!提升|提高|推进|发展|建设|实施)").search(clause):  # (经济总量、运行质量同步提升 is no parity)
            kind = "parity"
        elif (_rx(r"(?:完成|实现|落实)[^,，]*?(?:任务|指标|目标)|全面完成[^,，]*?(?:改造|整治|治理|拆除)").search(clause)
              or _BOUND_TARGET_RE.match(tail) or _TIED_RE.search(tail)
              or (_rx(r"^(?:持续|不断|稳步|逐步)?(?:提升|提高|降低|下降)").match(clause)
                  and (dated or _rx(r"^(?:持续|不断)").match(clause))
                  and not tail.strip(" 。；;！!？?"))  # 提高利用外资的质量: not the indicator
              or (dated and _QUALITATIVE_TARGET_RE.search(tail))):
            kind = "qualitative"
        else:
            return
        period = self._default_period(sent, c_start, level=False)
        if period == PART_YEAR:
            return
        codes: list[tuple[str, str]] = []
        for m in mentions:
            codes.append((m.code, m.name))
            if m.code == "resident_income" and _URBAN_RURAL_RE.search(clause[max(0, m.start - c_start - 6):m.end - c_start]):
                codes.append(("rural_income", m.name))
        for code, name in dict.fromkeys(codes):
            if kind == "flat":
                sent.facts.append(Fact("target", period, code, "growth_pct", 0.0, None, "%", "parity", False, False,
                                       name, c_start, c_end))
            else:
                sent.facts.append(Fact("target", period, code, "qualitative", None, None, None,
                                       "parity" if kind == "parity" else "", False, False, name, c_start, c_end,
                                       listed=True, tied=kind == "parity" or bool(_TIED_RE.search(tail))))

    def _flat_outcome(self, sent: _Sentence, clause: str, c_start: int, c_end: int,
                      mentions: list[Mention], numbers: list[_Number]) -> None:
        """城镇常住居民人均可支配收入同比持平: an outcome of growth 0 (parity) without a figure."""
        if not mentions or any(n.unit not in SKIP_UNITS for n in numbers) or not _rx(r"(?<!保)持平").search(clause):
            return
        period = self._default_period(sent, c_start, level=False)
        if period == PART_YEAR:
            return
        m = mentions[-1]
        sent.facts.append(Fact("outcome", period, m.code, "growth_pct", 0.0, None, "%", "parity", False, False,
                               m.name, c_start, c_end, estimate=sent.estimate))

    def _default_period(self, sent: _Sentence, pos: int, level: bool) -> str:
        year, span = _time_marker(self.doc.text[sent.start:pos], self.year,
                                  outcome_year=sent.ctx.year if sent.ctx.role == "outcome" else None,
                                  quarters_done=self.quarters_done)
        span = span or sent.ctx.span
        if year == PART_YEAR:
            return year  # the caller makes no row of it
        if year and not span:
            return year
        if span:
            return str(span[1]) if level else f"{span[0]}-{span[1]}"
        return sent.ctx.period or str(self.year)

    # ---- assessments
    def _assess(self, sent: _Sentence, clause: str, c_start: int, c_end: int, mentions: list[Mention]) -> None:
        if not _ASSESS_CUE_RE.search(clause):
            return
        facts = sent.facts
        period = self._default_period(sent, c_start, level=False)
        if period == PART_YEAR:
            return
        gap = _GAP_PP_RE.search(clause)
        if gap:
            grown = [f for f in facts if f.measure in ("growth_pct", "avg_growth_pct") and f.role == "outcome"]
            values = [float(gap.group("v"))] + ([float(gap.group("v2"))] if gap.group("v2") else [])
            if len(values) == 2:
                pairs = list(zip(grown[-2:], values)) if len(grown) >= 2 else []  # 分别…10.5和8.1个百分点
            elif gap.group("all"):
                if len(grown) < 2:  # 都比…高: every growth figure of the list, the one before ； too
                    grown = [f for f in self._prev_facts if f.measure in ("growth_pct", "avg_growth_pct")
                             and f.role == "outcome"][-1:] + grown
                pairs = [(f, values[0]) for f in grown]
            else:
                pairs = [(grown[-1], values[0])] if grown else []
            if not pairs:
                code = mentions[-1].code if mentions else "other"
                self.assessments.append(Assessment(period, code, "gap_pp", values[0], c_start, c_end))
            for growth, pp in pairs:
                self.assessments.append(Assessment(growth.period, growth.indicator, "gap_pp", pp, growth.start, c_end))
                v = round(growth.value - pp, max(_decimals(growth.value), _decimals(pp)))
                facts.append(Fact("target", growth.period, growth.indicator, growth.measure, v, None, growth.unit,
                                  "exact", False, True, growth.indicator_name, growth.start, c_end))
            return
        rate = _rx(r"(?:^|目标|任务|计划|投资)完成率(?:为|达到?)?\s*(\d+(?:\.\d+)?)%").search(clause) or re.search(
            r"完成[^,，。；;]{0,12}?(?:计划|任务)的?\s*(\d+(?:\.\d+)?)\s*(倍|%)", clause)
        if rate:
            value = float(rate.group(1)) * (100 if rate.lastindex == 2 and rate.group(2) == "倍" else 1)
            value = round(value, 6)
            outcome = next((f for f in reversed(facts) if f.role == "outcome" and f.measure in ("count", "level")), None)
            code = mentions[-1].code if mentions else (outcome.indicator if outcome else "other")
            start = outcome.start if outcome and outcome.indicator == code else c_start
            self.assessments.append(Assessment(outcome.period if outcome else period, code, "completion_rate", value, start, c_end))
            if outcome is not None and outcome.indicator == code and code != "other" and value > 0:
                v = round(outcome.value / (value / 100), _decimals(outcome.value))
                facts.append(Fact("target", outcome.period, code, outcome.measure, v, None, outcome.unit, "exact",
                                  False, True, outcome.indicator_name, start, c_end))
            return
        if _rx(r"超额完成").search(clause):
            code = mentions[0].code if mentions else "other"
            self.assessments.append(Assessment(period, code, "exceeded", None, c_start, c_end))
            return
        better = _rx(r"(均|都)?(?:好于|高于|超出|超)预期").search(clause)
        # 好于预期的优异答卷 is rhetoric: an assessment needs a figure in the sentence to refer to.
        if better and facts and "的" not in clause[better.end():]:
            codes = [f.indicator for f in facts if f.role == "outcome"]
            if better.group(1):
                codes = list(dict.fromkeys(codes))
                start = next((f.start for f in facts if f.role == "outcome"), c_start)
            else:
                codes = codes[-1:]
                start = facts[-1].start if facts else c_start
            for code in codes or ["other"]:
                self.assessments.append(Assessment(period, code, "exceeded", None, start, c_end))
            return
        # 全面落实X任务 is doing the work; X任务全面落实 and 全面完成X任务 report it done.
        if (_rx(r"(?:全面|全部|圆满|提前(?:[一两三\d]年)?|高标准|顺利|如期)完成").search(clause)
                and _rx(r"目标|任务|计划|指标|实事").search(clause) and not _rx(r"较好|基本完成").search(clause)) or \
                _rx(r"(?:目标|任务|指标|实事|计划)[^,，]{0,6}(?:全面|全部|圆满)(?:完成|落实)").search(clause):
            code = mentions[0].code if mentions else "other"
            if code == "other" and _rx(r"总量目标|总量指标").search(clause) and facts:
                code = facts[0].indicator
            plan = re.search(PLAN_NAME, clause)
            if plan:
                span = plan_span(plan_number(plan.group()))
                if span:
                    period = str(span[1]) if _rx(r"总量").search(clause) else f"{span[0]}-{span[1]}"
            early = _rx(r"提前([一两三\d])年完成[^,，。；;]*?([一二两三四五\d])年(?:行动)?(?:计划|规划|方案)").search(clause)
            if early:  # 提前一年完成三年行动计划: the plan ends a year after the reviewed one
                k, n = (int(g) if g.isdigit() else cn_number(g.replace("两", "二")) for g in early.groups())
                if k and n and period.isdigit():
                    end = int(period) + k
                    period = f"{end - n + 1}-{end}"
            start = facts[0].start if code != "other" and facts else c_start
            self.assessments.append(Assessment(period, code, "met", None, start, c_end))

    # ---- enumerations and completions
    def _enumerations(self, sent: _Sentence) -> None:
        """批发零售业、固定资产投资、税收实现双位数增长: one figure, several indicators."""
        text = self.doc.text
        extra: list[Fact] = []
        for f in sent.facts:
            if f.derived or f.indicator == "other" or f.listed:
                continue
            clause_text = text[f.start:f.end]
            ms = find_mentions(clause_text, f.start, self.name_others)
            chain = [ms[-1]] if ms else []
            for a, b in zip(ms[-2::-1], ms[:0:-1]):
                if _rx(r"[、和及与]").fullmatch(text[a.end:b.start]):
                    chain.append(a)
                else:
                    break
            for m in chain[1:]:
                if m.code != f.indicator:
                    extra.append(Fact(**{**f.__dict__, "indicator": m.code, "indicator_name": m.name}))
        sent.facts.extend(extra)

    def _revenue_subtotal(self, sent: _Sentence) -> None:
        """…财政一般预算收入达2116亿元，其中地方一般预算财政收入523.79亿元: revenue stated with its local part
        (其中地方…) is the total (fiscal_revenue), and the part is the local budget revenue."""
        at = sent.text.find("其中")
        if at < 0 or not _rx(r"其中(?:市|地方|本级|区|县)").match(sent.text[at:]):
            return
        cut = sent.start + at
        revenue = ("budget_revenue", "fiscal_revenue")
        before = [f for f in sent.facts if f.indicator in revenue and f.start < cut and not f.derived]
        after = [f for f in sent.facts if f.indicator in revenue and f.start >= cut and not f.derived]
        if before and after:
            for f in before:
                f.indicator = "fiscal_revenue"
            for f in after:
                f.indicator = "budget_revenue"

    def _working_figure(self, sent: _Sentence) -> None:
        """``增长5%-5.5%，在实际工作中按照5.5%推进``: the figure the government works to is a stretch
        row next to the stated range."""
        if sent.ctx.role != "target" or "按" not in sent.text:
            return
        m = _WORKING_FIGURE_RE.search(sent.text)
        if not m:
            return
        at = sent.start + m.start()
        base = next((f for f in reversed(sent.facts) if f.start < at and f.unit == "%" and not f.stretch
                     and f.indicator != "other"), None)
        if base is not None:
            sent.facts.append(Fact(**{**base.__dict__, "value": float(m.group(1)), "value_high": None,
                                      "comparator": "exact", "stretch": True, "listed": True,
                                      "start": base.start, "end": sent.start + m.end()}))

    def _completion_within(self, sent: _Sentence) -> None:
        """实施7个…微改造，其中完成3个: the period's count is what is completed."""
        text = sent.text
        m = _rx(r"其中(?:完成|建成)[^。；;]*?(\d+)\s*个").search(text) if "其中" in text else None
        if not m:
            return
        for f in sent.facts:
            if f.role == "target" and f.measure == "count" and f.unit == "个" and sent.start + m.start() > f.start:
                f.value = float(m.group(1))
                f.end = sent.start + m.end()
                f.start = sent.start + m.start()

    # ---- other commitments
    def _other(self, sent: _Sentence, num: _Number, clause: str, c_start: int, c_end: int) -> None:
        if num.unit in ("%",) or self.others.search(clause) or num.high is not None:
            return
        text = self.doc.text
        rel = num.start - c_start
        verb = None
        for v in COMMIT_VERBS.finditer(clause[:rel]):
            verb = v
        if verb is None:
            return
        following = _rx(r"[\u4e00-\u9fff“”\"A-Za-z0-9]{2,14}").match(text[num.end:c_end])
        between = clause[verb.end():rel]
        if _rx(r"[\u4e00-\u9fff]{0,2}").fullmatch(between) and following:
            name = following.group()
        else:
            name = _rx(r"^(?:各类|各种|全区|我区)").sub("", between).strip("、 的")
        name = name.strip("“”\"")
        if not _rx(r"[\u4e00-\u9fffA-Za-z0-9“”]{2,16}").fullmatch(name) or _rx(r"\d{4}年|第").search(name):
            return
        if num.unit in MONEY or num.unit in AREA or num.unit in MASS:
            measure = "cumulative" if "累计" in clause[:rel] else "level"
        else:
            measure = "cumulative" if "累计" in clause[:rel] else "count"
        period = self._default_period(sent, num.start, level=measure == "level")
        if period == PART_YEAR:
            return
        if measure in ("count", "level") and "-" in period:
            period = period if _rx(r"年均|每年").search(clause) else period.split("-")[1]
        comparator = "at_least" if _rx(r"\s*(?:及)?以上").match(text[num.end:num.end + 4]) or _rx(r"超过?|突破|不少于$").search(clause[:rel]) else "exact"
        sent.facts.append(Fact(sent.ctx.role or "target", period, "other", measure, num.value, None, num.unit,
                               comparator, False, False, name, c_start, c_end))


# ------------------------------------------------------------------ tables

def _same_figure(a: Fact, b: Fact) -> bool:
    """Whether two values are one figure stated twice, at most at different precision
    (6.2万人 in the body, 61814人 in an annex); two different figures are never the same."""
    if a.value is None or b.value is None:
        return a.value is None and b.value is None
    if (a.value_high is None) != (b.value_high is None):
        return False
    ca, cb = to_canonical(a.value, a.unit), to_canonical(b.value, b.unit)
    if canonical_unit(a.unit) != canonical_unit(b.unit) or ca is None or cb is None:
        return False
    step = max(10.0 ** -_decimals(a.value) * (to_canonical(1.0, a.unit) or 1.0),
               10.0 ** -_decimals(b.value) * (to_canonical(1.0, b.unit) or 1.0))
    same = abs(ca - cb) <= step / 2 + 1e-9 * max(1.0, abs(ca))
    if same and a.value_high is not None:
        same = abs(a.value_high - b.value_high) <= step / 2 + 1e-9
    return same


def _dedupe(facts: Sequence[Fact]) -> list[Fact]:
    """A fact stated twice in a document (restated, appendix, scrape duplication) counts once, from
    its first statement; two different values under one key are two facts and both stay."""
    out: list[Fact] = []
    by_key: dict[tuple, list[Fact]] = {}
    for f in facts:
        if f.indicator == "other":
            key = ("other", f.role, f.period, f.indicator_name, f.unit)
        else:
            key = (f.role, f.period, f.indicator, f.measure, f.stretch, f.derived)
        kept = by_key.setdefault(key, [])
        if any(_same_figure(f, k) for k in kept):
            continue
        kept.append(f)
        out.append(f)
    # A milestone (跨入3000亿元) is no fact when the exact level of the same period is stated.
    exact_levels = {(f.role, f.period, f.indicator) for f in out
                    if f.measure == "level" and f.comparator == "exact" and f.indicator != "other"}
    out = [f for f in out if not (f.measure == "level" and f.comparator == "at_least" and f.role == "outcome"
                                  and (f.role, f.period, f.indicator) in exact_levels)]
    # A qualitative restatement (全面完成节能减排任务) of an indicator with a figure for the period is no second row.
    numeric = {(f.period, f.indicator) for f in out if f.role == "target" and f.measure != "qualitative"}
    out = [f for f in out if not (f.role == "target" and f.measure == "qualitative" and not f.tied
                                  and (f.period, f.indicator) in numeric)]
    # A stated target makes a derived one for the same fact redundant.
    stated = {(f.period, f.indicator, f.measure) for f in out if f.role == "target" and not f.derived}
    return [f for f in out if not (f.derived and (f.period, f.indicator, f.measure) in stated)]


def _dedupe_assessments(items: Sequence[Assessment]) -> list[Assessment]:
    seen: set = set()
    out = []
    for a in items:
        key = (a.period, a.indicator, a.kind, a.value) if a.indicator != "other" else (a.start, a.kind)
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out


def extract_document(doc: Document) -> tuple[list[dict], list[dict]]:
    """Facts and assessments of one document as row dicts (empty for unusable documents)."""
    if not doc.ok or doc.report_year is None:
        return [], []
    ex = _DocExtractor(doc)
    ex.run()
    text = doc.text
    for item in (*ex.facts, *ex.assessments):
        while item.end > item.start and text[item.end - 1] in "。；;！？!?,，":
            item.end -= 1  # a quote is the clause, without its closing punctuation
    facts = []
    for f in _dedupe(ex.facts):
        rs, re_ = doc.raw_span(f.start, f.end)
        facts.append({
            "doc_id": doc.doc_id, "region": doc.region, "doc_type": doc.doc_type, "report_year": doc.report_year,
            "role": f.role, "period": f.period, "indicator": f.indicator, "measure": f.measure,
            "value": f.value, "value_high": f.value_high, "unit": f.unit, "comparator": f.comparator,
            "stretch": f.stretch, "derived": f.derived, "estimate": f.estimate, "indicator_name": f.indicator_name,
            "quote": text[f.start:f.end], "char_start": f.start, "char_end": f.end, "raw_start": rs, "raw_end": re_,
        })
    assessments = []
    for a in _dedupe_assessments(ex.assessments):
        rs, re_ = doc.raw_span(a.start, a.end)
        assessments.append({
            "doc_id": doc.doc_id, "region": doc.region, "report_year": doc.report_year, "period": a.period,
            "indicator": a.indicator, "kind": a.kind, "value": a.value, "quote": text[a.start:a.end],
            "char_start": a.start, "char_end": a.end, "raw_start": rs, "raw_end": re_,
        })
    return facts, assessments


def extract_facts(docs: Iterable[Document]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts and assessments tables of a corpus (documents that are not ``ok`` give no rows)."""
    facts: list[dict] = []
    assessments: list[dict] = []
    for doc in docs:
        f, a = extract_document(doc)
        facts.extend(f)
        assessments.extend(a)
    return typed_frame(facts, FACT_COLUMNS), typed_frame(assessments, ASSESSMENT_COLUMNS)


_INT_COLUMNS = ("report_year", "char_start", "char_end", "raw_start", "raw_end")
_FLOAT_COLUMNS = ("value", "value_high")
_BOOL_COLUMNS = ("stretch", "derived", "estimate")


def typed_frame(rows: Sequence[dict], columns: Sequence[str]) -> pd.DataFrame:
    """The rows as a table whose column types survive a CSV round trip the same way every time.

    Built column by column from the rows (one DataFrame at the end): typing a finished frame column by
    column cost a seventh of the extraction of a short report."""
    data: dict[str, pd.Series] = {}
    for c in columns:
        values = [row.get(c) for row in rows]
        if c in _INT_COLUMNS:
            data[c] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype("Int64")
        elif c in _FLOAT_COLUMNS:
            data[c] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype("float64")
        elif c in _BOOL_COLUMNS:
            data[c] = pd.Series([parse_bool(v) is True for v in values], dtype=bool)
        else:
            texts = [None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values]
            if c == "period":  # 2021.0 (a year read back from a float column) is the year 2021
                texts = [v[:-2] if v is not None and v.endswith(".0") else v for v in texts]
            data[c] = pd.Series(texts, dtype="object")
    return pd.DataFrame(data, columns=list(columns), index=pd.RangeIndex(len(rows)))
