"""Each shared helper is defined once: a second copy of a vocabulary or parser fails here.

The source checks are plain text searches of ``analysis/``: cheap, and aimed at the shapes the old
copies had (a plan-name character class, a unit alternation, a period regex, a true/false word set,
a table reader or writer).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis import figures, periods, report, schema, units

PACKAGE = Path(schema.__file__).resolve().parent
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _hits(pattern: str, allowed: set[str]) -> list[str]:
    """``file:line`` of every source line matching ``pattern`` outside the ``allowed`` files."""
    rx = re.compile(pattern)
    out = []
    for path in SOURCES:
        name = path.relative_to(PACKAGE).as_posix()
        if name in allowed:
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if rx.search(line):
                out.append(f"{name}:{no}: {line.strip()}")
    return out


def test_the_source_search_sees_the_package():
    # a search that finds nothing proves nothing: it must find the one definition there is
    assert len(SOURCES) > 20
    assert [hit.split(":")[0] for hit in _hits(r"^PLAN_NAME = ", set())] == ["periods.py"]


@pytest.mark.parametrize("what, pattern, home", [
    # 十[一二…九]五 written as a character class: a plan-name pattern (heading numerals list 十 inside the class)
    ("plan-name pattern", r"十\(?\[一二三四五六七八九\]", {"periods.py"}),
    ("plan start year", r"1981 \+ 5", {"periods.py"}),
    ("period pattern", r"Q\(?(?:\?P<\w+>)?\[1-4\]", {"periods.py"}),
    ("unit alternation", r"亿元\||\|亿元|\"亿元\", \"千万元\"", {"units.py"}),
    ("flow-unit set", r"\"万平方米\", \"平方公里\", \"公顷\"", {"units.py"}),
    ("true/false word set", r"[({]\"true\", \"1\"|_TRUE\b|_FALSE\b", {"schema.py"}),
    ("table reader or writer", r"^def (?:read|write)_table\(", {"schema.py"}),
    ("pair status vocabulary", r"STATUSES\b.*=.*\"not_comparable\"", {"schema.py"}),
    ("Chinese digit table", r"\"八\": ?\"?8|〇一二三四五六七八九", {"metadata.py"}),
])
def test_no_second_definition(what, pattern, home):
    assert _hits(pattern, home) == [], f"a second {what}: use the one in {', '.join(sorted(home))}"


def test_units_as_written_are_ordered_for_a_regex_alternation():
    written = units.UNITS_AS_WRITTEN
    assert len(set(written)) == len(written)
    # an earlier spelling that starts a later one would always win: 万人 before 万人次 never reads 万人次
    shadowed = [(a, b) for i, a in enumerate(written) for b in written[i + 1:] if b.startswith(a)]
    assert shadowed == []


def test_unit_kinds_are_units_the_extractor_reads_and_agree_with_the_conversions():
    written = set(units.UNITS_AS_WRITTEN)
    for kind in (units.MONEY_UNITS, units.MASS_UNITS, units.AREA_UNITS, units.PEOPLE_UNITS):
        assert kind <= written
    assert {units.canonical_unit(u) for u in units.MONEY_UNITS} == {"亿元", "亿美元"}
    assert {units.canonical_unit(u) for u in units.MASS_UNITS} == {"万吨"}
    assert units.FLOW_UNITS <= {units.canonical_unit(u) for u in written}


def test_plan_names_in_every_module_are_the_periods_pattern():
    from analysis import extract, sections

    assert extract.PLAN_NAME is periods.PLAN_NAME and sections.PLAN_NAME is periods.PLAN_NAME
    assert extract.plan_number is periods.plan_number and extract.plan_span is periods.plan_span


def _allowed_statuses() -> set[str]:
    return {v for t in schema.TABLES.values() for c in t.columns if c.name == "status" for v in c.allowed}


@pytest.mark.parametrize("lang", report.LANGS)
def test_every_pair_status_has_a_label_in_report_and_figures(lang):
    statuses = _allowed_statuses()
    assert "not_comparable" in statuses and statuses == set(schema.STATUSES)
    for status in statuses:
        label = report.status_label(status, lang)
        assert label and f"status_{status}" in report._strings(), status
        assert figures.say(f"s_{status}", lang) == label, (status, "figures and report name it alike")
        if lang == "zh":
            assert label != status and not re.search(r"[a-z_]", label), (status, label)
