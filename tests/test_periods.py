"""Periods and plan names, parsed once."""

from __future__ import annotations

import pytest

from analysis.periods import Period, parse_period, plan_number, plan_span


@pytest.mark.parametrize("text, expected", [
    ("2021", Period(2021, 2021)), ("2021.0", Period(2021, 2021)), ("2021-2025", Period(2021, 2025)),
    ("2021—2025", Period(2021, 2025)), ("2021Q3", Period(2021, 2021, 3)), (2022, Period(2022, 2022)),
])
def test_periods_parse(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", None, float("nan"), "2025-2021", "twenty", "2021Q5", "21"])
def test_non_periods_are_none(text):
    assert parse_period(text) is None


def test_period_helpers():
    p = parse_period("2021-2025")
    assert p.is_span and p.contains(2023) and not p.contains(2026) and str(p) == "2021-2025"
    assert str(parse_period("2021Q1")) == "2021Q1"


def test_plan_names():
    assert plan_number("“十四五”规划") == 14 and plan_number("十一五期间") == 11 and plan_number("十五") is None
    assert plan_span(14) == (2021, 2025) and plan_span(11) == (2006, 2010) and plan_span(6) == (1981, 1985)


def test_plan_names_cover_every_plan_written_in_the_reports():
    from analysis.periods import plan_name, plan_starting

    # 九五 and 十五 count only in quotes (bare 十五 is fifteen) unless the context vouches for them
    assert plan_number("“九五”期间") == 9 and plan_number("“十五”时期") == 10 and plan_number("十五五规划") == 15
    assert plan_number("九五") is None and plan_number("十五规划", bare_ten=True) == 10
    assert [plan_name(n) for n in (9, 10, 14)] == ["九五", "十五", "十四五"]
    assert all(plan_number(f"“{plan_name(n)}”") == n for n in range(6, 20))
    assert plan_starting(2021) == 14 and plan_starting(2022) is None and plan_span(plan_starting(2006)) == (2006, 2010)
    assert plan_span(None) is None and plan_span(5) is None
