"""Periods and five-year-plan names, parsed in one place.

A period is written ``2021`` (a year), ``2021-2025`` (a span: a five-year plan's average or total),
or ``2021Q1`` (a quarter). Plans are named “六五” … “九五”, “十五”, 十一五 … 十五五; from the sixth plan
(1981–1985) on they run in step, so the n-th plan starts in 1981 + 5 (n − 6). Every module that reads a
plan name uses ``PLAN_NAME`` from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# A five-year plan's short name: 十一五 … 十九五 (十五五 included), and “六五” … “九五”, “十五” only in
# quotes, as bare 十五 is also fifteen. No groups, so one pattern may use it twice.
PLAN_NAME = r"(?:“(?:十[一二三四五六七八九]?|[六七八九])五”|十[一二三四五六七八九]五”?)"
PLAN_NAME_RE = re.compile(PLAN_NAME)
# Where the words around make a plan certain (“十五”规划 written 十五规划, a 十五工作回顾 title), bare 十五
# is the tenth plan too.
PLAN_NAME_OR_TEN = rf"(?:{PLAN_NAME}|十五)"
_PLAN_NAME_OR_TEN_RE = re.compile(PLAN_NAME_OR_TEN)
_DIGITS = {ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}
_NUMERALS = {i: ch for ch, i in _DIGITS.items()}
FIRST_PLAN_IN_STEP = 6  # 六五, 1981–1985
_PERIOD_RE = re.compile(r"^(?P<start>\d{4})(?:\.0)?(?:\s*[-–—－~～至]\s*(?P<end>\d{4})|\s*[Qq](?P<q>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    """A parsed period: first and last year, and the quarter for ``YYYYQn``."""

    start: int
    end: int
    quarter: int | None = None

    @property
    def is_span(self) -> bool:
        return self.end > self.start

    def contains(self, year: int) -> bool:
        return self.start <= int(year) <= self.end

    def __str__(self) -> str:
        if self.quarter:
            return f"{self.start}Q{self.quarter}"
        return f"{self.start}-{self.end}" if self.is_span else str(self.start)


def parse_period(value: Any) -> Period | None:
    """``2021`` / ``2021-2025`` / ``2021Q1`` → Period; else None.

    Also read: ``2021.0`` (a float column), other dashes and 至 (``2021—2025``), ``2021q1``;
    ``str(period)`` writes the one spelling every table uses.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    m = _PERIOD_RE.match(str(value).strip())
    if not m:
        return None
    start = int(m["start"])
    end = int(m["end"]) if m["end"] else start
    if end < start:
        return None
    return Period(start, end, int(m["q"]) if m["q"] else None)


def plan_number(name: str | None, bare_ten: bool = False) -> int | None:
    """The number of the first plan named in ``name`` (“九五” → 9, “十五” → 10, 十四五 → 14), else None.

    ``bare_ten``: also read an unquoted 十五 as the tenth plan (only where the context says it is one).
    """
    m = (_PLAN_NAME_OR_TEN_RE if bare_ten else PLAN_NAME_RE).search(name or "")
    if not m:
        return None
    numeral = m.group().strip("“”")[:-1]  # 九, 十, 十四
    return 10 + _DIGITS.get(numeral[1:], 0) if numeral.startswith("十") else _DIGITS[numeral]


def plan_name(number: int) -> str:
    """The short name of the n-th plan as written without quotes: 9 → 九五, 10 → 十五, 14 → 十四五."""
    if not FIRST_PLAN_IN_STEP <= number <= 19:
        raise ValueError(f"no short plan name for plan {number}")
    return (_NUMERALS[number] if number < 10 else "十" + _NUMERALS.get(number - 10, "")) + "五"


def plan_span(number: int | None) -> tuple[int, int] | None:
    """Years of the n-th five-year plan: 14 → (2021, 2025); None before the sixth plan (or for None)."""
    if number is None or number < FIRST_PLAN_IN_STEP:
        return None
    start = 1981 + 5 * (number - FIRST_PLAN_IN_STEP)
    return start, start + 4


def plan_starting(year: int) -> int | None:
    """The number of the plan whose first year is ``year`` (2021 → 14), else None."""
    if (year - 1981) % 5:
        return None
    return (year - 1981) // 5 + FIRST_PLAN_IN_STEP
