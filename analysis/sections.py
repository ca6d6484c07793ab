"""Which part of a report a paragraph belongs to, and so what its numbers are.

A work report reviews last year (outcomes) and then sets this year's work (targets); around
a five-year plan it also reviews the plan period that ended and sets the new one's goals.
Annexes list the year's livelihood projects (targets) or their completion (outcomes), and a
glossary (名词解释) that holds no facts. A five-year plan outline reviews the previous plan
(outcomes over its span) and otherwise sets targets for its own span.

``paragraph_contexts`` gives, for every line of the clean text, a ``Context``: the role of its
figures and the default period. Explicit years in a sentence override the period (extract).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# plan_number and plan_span are re-exported: extract reads plan names through this module too.
from .periods import PLAN_NAME, PLAN_NAME_RE, plan_name, plan_number, plan_span, plan_starting

# Markup a page may wrap a title in: Markdown #, bold **.
_MARKUP = r"(?:#+\s*)?(?:\*\*)?\s*"
_HEADING_RE = re.compile(_MARKUP + r"(?:[一二三四五六七八九十]{1,2}|第[一二三四五六七八九十]{1,3}[部章篇])[、.．\s]\s*(?P<h>[^\s。*]{2,40})")
# A numbered title run into its first paragraph after a space (三、真抓实干，确保“十二五”实现良好开局 今年是…).
_RUN_IN_HEADING_RE = re.compile(r"(?:[一二三四五六七八九十]{1,2}|第[一二三四五六七八九十]{1,3}[部章篇])、\s*(?P<h>[^\s。；;]{4,30})[ \u3000]+(?=\S)")
# An unnumbered title: a short line set in bold or as a Markdown heading (**2013年工作回顾**).
_PLAIN_HEADING_RE = re.compile(r"^(?:#+\s*|\*\*)(?P<h>[^。！？*#]{2,30}?)(?:\*\*)?\s*$")
_REVIEW_WORDS = re.compile(r"回顾|工作总结|主要成绩|取得的成绩|成就|成绩|成效|(?:过去|以来|来)的工作")
_PLAN_WORDS = re.compile(r"工作安排|工作任务|主要任务|奋斗目标|主要目标|总体要求|工作部署|目标任务|目标和任务|工作建议|"
                         r"重点工作|主要工作|各项工作|工作重点|总体思路|指导思想|(?:今后|未来)五年")
_SALUTATION_RE = re.compile(r"^\W{0,3}各位代表")
# Bold lines that are not section titles: salutation, speaker, meeting, date.
_NOT_A_TITLE_RE = re.compile(r"\s|代表|省长|市长|主席|县长|区长|州长|旗长|盟长|会议|报告|\d+月|[一二三四五六七八九十]+月")
# A numbered heading is a section title only when it is short (a long numbered line is a list item).
_MAX_HEADING_LINE = 60
_PLAN_SPAN_RE = re.compile(rf"(?P<plan>{PLAN_NAME})|五年|(?P<a>\d{{4}})\s*[—–\-－至]\s*(?P<b>\d{{4}})")
_YEAR_RE = re.compile(r"(\d{4})\s*年")
# A paragraph that opens the review of the plan period that just ended.
_SPAN_REVIEW_RE = re.compile(r"^(?:各位代表[,，!！:：]?\s*)?(?:[^。；;]{0,16}[，,；;]\s*)?"
                             rf"(?:回顾{PLAN_NAME}|五年来|过去(?:的)?五年|{PLAN_NAME}(?:时期|期间|以来)|—*这是[^。；;]{{0,30}}?的五年)")
# …and one that opens on the year just reviewed (刚刚过去的一年，…; 2020年，…) returns to it.
_YEAR_REVIEW_RE = re.compile(r"^(?:各位代表[,，!！:：]?\s*)?(?:(?:刚刚)?过去的?一年|一年来|去年|(?P<y>\d{4})\s*年(?:[，,]|是|全[省市区县州]|我[省市区县州]))")
# A title set on its own line without markup (the page lost its bold): short, no sentence punctuation,
# and worded as a review or a plan (2015年及“十二五”工作回顾, “十三五”发展目标任务, 2016年主要工作).
_BARE_TITLE_RE = re.compile(r"^(?P<h>[^，,。；;：:！？!?、]{4,24})$")
# 过去五年/今后五年 in a title: the five years that end before / start with the report year.
_FIVE_YEARS_RE = re.compile(r"五年|5年")
# A title that names the new plan to open it (实现“十四五”良好开局, 开好局起好步): the year's work.
_OPENING_YEAR_RE = re.compile(r"开局|起步|开好头|首年|第一年|开门红")
# A paragraph of a planning section that opens on the new plan period (“十四五”时期是…, 今后五年，…):
# the section's figures from here on are the plan's, until the next title.
_SPAN_PLAN_RE = re.compile(r"^(?:各位代表[,，!！:：]?\s*)?(?:(?P<plan>" + PLAN_NAME + r")(?:时期|期间)|今后五年|未来五年)")
# …and a paragraph that opens on the report year (2021年，是…; 今年是…) returns to the year's work.
_YEAR_OPENING_RE = re.compile(r"^(?:各位代表[,，!！:：]?\s*)?(?:(?P<y>\d{4})\s*年|今年|新的一年)(?:[，,]|是|全[省市区县州]|的?(?:主要|工作|经济|发展))")
_PLAN_PERIOD_RE = re.compile(PLAN_NAME + r"时期|五年规划|规划纲要")
_ANNEX_RE = re.compile(r"^附件\s*\d*")
_GLOSSARY_RE = re.compile(r"名\s*词\s*解\s*释|名词说明|注释")


@dataclass(frozen=True)
class Context:
    """How to read the figures of a paragraph: ``role`` None means read none."""

    role: str | None  # outcome | target | None
    year: int | None  # default single-year period
    span: tuple[int, int] | None = None  # plan span when the paragraph is about one

    @property
    def period(self) -> str | None:
        if self.span:
            return f"{self.span[0]}-{self.span[1]}"
        return str(self.year) if self.year else None


def plan_span_named(text: str) -> tuple[int, int] | None:
    """The span of the first plan named in ``text`` (“十四五” or 2021—2025年), else None."""
    m = _PLAN_SPAN_RE.search(text)
    if not m:
        return None
    if m.group("plan"):
        return plan_span(plan_number(m.group("plan")))
    if m.group("a"):
        return int(m.group("a")), int(m.group("b"))
    return None


def _annex_context(title: str, year: int) -> Context:
    """An annex: completion list → outcomes of its year; a dated list → targets; else nothing."""
    years = [int(y) for y in _YEAR_RE.findall(title)]
    if _GLOSSARY_RE.search(title) or not years:
        return Context(None, None)
    return Context("outcome" if "完成情况" in title else "target", years[0])


def _work_report_contexts(lines: list[str], year: int) -> list[Context]:
    out: list[Context] = []
    ctx = Context("outcome", year - 1)  # the opening summarises last year
    in_review = True
    # Titles come numbered (一、…) or plain (**2013年工作回顾**). The kind of the first title (or of the
    # review's) is the top level; later titles of that kind plan the year, titles of the other kind are
    # its subsections (**2009年工作回顾** then **一、灾后恢复重建全力推进** reviews).
    top_kind: str | None = None
    top_reviews = False
    top_titles = 0
    # Titles count from the salutation on: above it stand the report's title, date and speaker lines.
    body = next((i for i, ln in enumerate(lines[:80]) if _SALUTATION_RE.match(ln.strip())), 0)
    for i, line in enumerate(lines):
        s = line.strip()
        short = len(s) <= _MAX_HEADING_LINE and "。" not in s[:-1]
        heading = _HEADING_RE.match(s) if i > body and short else _RUN_IN_HEADING_RE.match(s) if i > body else None
        short = short or heading is not None  # a run-in title counts as a title line
        kind = "numbered" if heading else None
        if heading is None and i > body and len(s) <= 34:
            heading = _PLAIN_HEADING_RE.match(s)
            heading = heading if heading and not _NOT_A_TITLE_RE.search(heading.group("h")) else None
            if heading is None and not _NOT_A_TITLE_RE.search(s):
                bare = _BARE_TITLE_RE.match(s)
                heading = bare if bare and (_REVIEW_WORDS.search(s) or _PLAN_WORDS.search(s)) else None
            kind = "plain" if heading else None
        head_text = heading.group("h") if heading else ""
        head_years = [int(y) for y in _YEAR_RE.findall(head_text)]
        if heading and (top_kind is None or (_REVIEW_WORDS.search(head_text) and top_titles <= 1 and not top_reviews)):
            # (once a review title set the top level, its subsections' 取得新成效 titles do not reset it)
            top_kind, top_reviews = kind, bool(_REVIEW_WORDS.search(head_text))
        top_level = heading is not None and kind == top_kind
        top_titles += top_level
        if _ANNEX_RE.match(s):
            # The annex title may share the line or follow on the next one.
            nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
            ctx = _annex_context((s + " " + nxt)[:100], year)
            in_review = False
        elif heading and (_REVIEW_WORDS.search(head_text) or (head_years and max(head_years) < year) and (
                not _PLAN_SPAN_RE.search(head_text) or (plan_span_named(head_text) or (year, year))[1] < year)):
            # 2013年工作回顾; 关于2005年的主要工作 (an earlier year's work is a review; so is “十三五”时期及2020年
            # 主要工作, plan and year both over); a title that names only a plan or five years (“十五”时期回顾,
            # 过去五年工作回顾) reviews that span.
            span = plan_span_named(head_text) or ((year - 5, year - 1) if _FIVE_YEARS_RE.search(head_text) else None)
            span = span if span and span[1] < year and not head_years else None
            ctx = Context("outcome", span[1] if span else head_years[0] if head_years else year - 1, span)
            in_review = True
        elif heading and (_PLAN_WORDS.search(head_text) or (top_level and top_titles > 1 and short)):
            # A plan heading, or any later section title: a work report reviews, then plans (二、大力调整
            # 产业结构… after 一、2014年工作回顾 sets this year's work).
            span = plan_span_named(head_text) or ((year, year + 4) if _FIVE_YEARS_RE.search(head_text) else None)
            span = None if _OPENING_YEAR_RE.search(head_text) else span
            years = [int(y) for y in _YEAR_RE.findall(head_text)]
            ctx = Context("target", span[1], span) if span and not years else Context("target", years[0] if years else year)
            in_review = False
            run_on = _SPAN_PLAN_RE.match(s[heading.end():].strip())
            if run_on and not ctx.span:  # (…再上新台阶 “十二五”时期是…: the run-in paragraph opens the plan)
                named = run_on.group("plan")
                span = plan_span(plan_number(named)) if named else (year, year + 4)
                if span and span[0] >= year:
                    ctx = Context("target", span[1], span)
        elif in_review and ctx.role == "outcome" and ctx.span and (m := _YEAR_REVIEW_RE.match(s)) and (
                m.group("y") is None or int(m.group("y")) == year - 1):
            ctx = Context("outcome", year - 1)
        elif in_review and ctx.role == "outcome" and _SPAN_REVIEW_RE.match(s):
            named = PLAN_NAME_RE.search(s[:20])
            span = plan_span(plan_number(named.group())) if named else (year - 5, year - 1)
            if span and span[0] >= year:
                ctx = Context("target", span[1], span)  # “十五五”时期是…: the new plan, under a mixed title
                in_review = False
            else:
                ctx = Context("outcome", span[1] if span else year - 1, span)
        elif ctx.role == "target" and not ctx.span and _SPAN_PLAN_RE.match(s):
            named = _SPAN_PLAN_RE.match(s).group("plan")
            span = plan_span(plan_number(named)) if named else (year, year + 4)
            if span and span[0] >= year:
                ctx = Context("target", span[1], span)
        elif ctx.role == "target" and ctx.span and (m := _YEAR_OPENING_RE.match(s)) and (
                m.group("y") is None or int(m.group("y")) == year) and not _PLAN_PERIOD_RE.search(s):
            # (今年，我们开始实施第十二个五年规划。“十二五”时期…的主要目标是: still the plan's paragraph)
            ctx = Context("target", year)
        elif ctx.role == "target" and _SPAN_REVIEW_RE.match(s):
            # 过去的五年，… inside the plan section looks back over the plan that ended: this paragraph only.
            named = PLAN_NAME_RE.search(s[:20])
            span = plan_span(plan_number(named.group())) if named else (year - 5, year - 1)
            if span and span[1] < year:
                out.append(Context("outcome", span[1], span))
                continue
        out.append(ctx)
    return out


def _outline_contexts(lines: list[str], start: int) -> list[Context]:
    """Outline: the previous plan's review block gives outcomes; everything else targets."""
    span = (start, start + 4)
    prev = (start - 5, start - 1)
    number = plan_starting(start)
    # the previous plan named with or without quotes (十三五); only from 十一五 on, as 十五 is also fifteen
    prev_name = plan_name(number - 1) if number and 12 <= number <= 20 else None
    marks = [i for i, ln in enumerate(lines) if prev_name and prev_name in ln and i < len(lines) * 0.5]
    review = set()
    if marks:
        first, last = marks[0], marks[-1]
        review.update(range(first, last + 1))
        j = last + 1
        while j < len(lines) and re.match(r"^\s*(?:说明|注|\d+[.．、])", lines[j]):
            review.add(j)
            j += 1
    return [Context("outcome", prev[1], prev) if i in review else Context("target", span[1], span)
            for i in range(len(lines))]


def paragraph_contexts(text: str, doc_type: str | None, report_year: int | None,
                       title: str | None = None) -> list[Context]:
    """One Context per line of ``text`` (``text.split('\\n')``)."""
    lines = text.split("\n")
    if report_year is None:
        return [Context(None, None)] * len(lines)
    if doc_type == "fyp_outline":
        span = plan_span_named(title or "") or plan_span_named(text[:3000])
        start = span[0] if span and plan_starting(span[0]) else report_year
        return _outline_contexts(lines, start)
    if doc_type == "plan_execution":
        # 计划执行情况报告: last year's execution, then this year's plan, like a work report.
        return _work_report_contexts(lines, report_year)
    return _work_report_contexts(lines, report_year)
