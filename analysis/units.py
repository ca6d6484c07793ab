"""Units as written → one canonical unit per kind, so values stated differently compare.

Money goes to 亿元 (US dollars to 亿美元), people to 人, areas to 万平方米, grain to 万吨 (1亿斤 = 5万吨);
other units are kept as written.
"""

from __future__ import annotations

import math

# Every unit the extractor reads after a number, as written. Order matters in a regex alternation
# (the first that fits wins), so a longer spelling comes before any shorter one it starts with
# (万人次 before 万人, 个百分点 before 个).
UNITS_AS_WRITTEN: tuple[str, ...] = (
    "万亿元", "亿美元", "万美元", "美元", "亿元", "千万元", "百万元", "万元", "元", "亿吨", "万吨", "万亿斤", "亿斤", "万斤", "亿公斤", "万公斤",
    "公斤", "吨", "‰", "万平方米", "平方米", "平方公里", "万千米", "千米", "公里", "公顷", "亩", "万人次", "人次", "万人", "万名", "人", "名",
    "万户", "户", "万家", "家", "万个", "个百分点", "个", "%", "座", "所", "条", "项", "宗", "万套", "套", "万间", "间", "张", "万台", "台",
    "处", "场", "倍", "万辆", "辆", "株", "棵", "盏", "部",
)
UNIT_PATTERN = "|".join(UNITS_AS_WRITTEN)
# Kinds of units as written (the extractor reads a money, mass or area figure as a level, a count of
# 人 as a count).
MONEY_UNITS = frozenset({"万亿元", "亿元", "千万元", "百万元", "万元", "元", "亿美元", "万美元", "美元"})
MASS_UNITS = frozenset({"亿吨", "万吨", "吨", "万亿斤", "亿斤", "万斤", "亿公斤", "万公斤", "公斤"})
AREA_UNITS = frozenset({"万平方米", "平方米", "平方公里", "公顷", "亩", "公里", "千米", "万千米"})  # and lengths
PEOPLE_UNITS = frozenset({"万人", "人", "万人次", "人次"})
# Canonical units whose yearly amounts add up over a span (money, areas, lengths); stocks such as
# 家 of firms do not.
FLOW_UNITS = frozenset({"亿元", "万平方米", "平方公里", "公顷", "亩", "公里"})

# unit as written → (canonical unit, factor to multiply the value by)
_CANONICAL: dict[str, tuple[str, float]] = {
    "万亿元": ("亿元", 10000.0),
    "亿元": ("亿元", 1.0),
    "千万元": ("亿元", 0.1),
    "百万元": ("亿元", 0.01),
    "万元": ("亿元", 0.0001),
    "元": ("亿元", 1e-8),
    "亿人": ("人", 1e8),
    "万人": ("人", 10000.0),
    "人": ("人", 1.0),
    "万人次": ("人次", 10000.0),
    "人次": ("人次", 1.0),
    "平方米": ("万平方米", 0.0001),
    "万平方米": ("万平方米", 1.0),
    "平方公里": ("平方公里", 1.0),
    "公顷": ("公顷", 1.0),
    "亩": ("亩", 1.0),
    "亿美元": ("亿美元", 1.0),
    "万美元": ("亿美元", 0.0001),
    "美元": ("亿美元", 1e-8),
    "亿吨": ("万吨", 10000.0),
    "万吨": ("万吨", 1.0),
    "吨": ("万吨", 0.0001),
    "万亿斤": ("万吨", 50000.0),
    "亿斤": ("万吨", 5.0),
    "万斤": ("万吨", 0.0005),
    "亿公斤": ("万吨", 10.0),
    "万公斤": ("万吨", 0.001),
    "公斤": ("万吨", 1e-7),
    "万个": ("个", 10000.0),
    "个": ("个", 1.0),
    "万户": ("户", 10000.0),
    "户": ("户", 1.0),
    "万家": ("家", 10000.0),
    "家": ("家", 1.0),
}


def canonical_unit(unit: str | None) -> str | None:
    """The unit a value in ``unit`` is compared in (the unit itself when unknown)."""
    if unit is None or (isinstance(unit, float) and math.isnan(unit)) or unit == "":
        return None
    return _CANONICAL.get(unit, (unit, 1.0))[0]


def to_canonical(value: float | None, unit: str | None) -> float | None:
    """``value`` expressed in ``canonical_unit(unit)``; None stays None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if unit is None or (isinstance(unit, float) and math.isnan(unit)) or unit == "":
        return float(value)
    factor = _CANONICAL.get(unit, (unit, 1.0))[1]
    return round(float(value) * factor, 10)
