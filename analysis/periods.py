"""Periods and five-year-plan names, parsed in one place.

A period is written ``2021`` (a year), ``2021-2025`` (a span: a five-year plan's average or total),
or ``2021Q1`` (a quarter). Plans are named 十一五 … 十九五; from the sixth plan (1981–1985) on they
run in step, so the n-th plan starts in 1981 + 5 (n − 6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The short name of a five-year plan (十四五), with its number in the group ``n``.
PLAN_NAME = r"十(?P<n>[一二三四五六七八九])五"
PLAN_NAME_RE = re.compile(PLAN_NAME)
_DIGITS = {ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}
_PERIOD_RE = re.compile(r"^(?P<start>\d{4})(?:\.0)?(?:\s*[-–—~至]\s*(?P<end>\d{4})|Q(?P<q>[1-4]))?$")


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
    """``2021`` / ``2021-2025`` / ``2021Q1`` (also ``2021.0`` from a float column) → Period; else None."""
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


def plan_number(name: str) -> int | None:
    """十四五 → 14 (the first plan name in ``name``), else None."""
    m = PLAN_NAME_RE.search(name or "")
    return 10 + _DIGITS[m["n"]] if m else None


def plan_span(number: int) -> tuple[int, int]:
    """Years of the n-th five-year plan: 14 → (2021, 2025)."""
    start = 1981 + 5 * (number - 6)
    return start, start + 4
