"""Notebook parameters → subsets of tables and documents (empty selection = everything)."""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from .corpus import Document
from .periods import parse_period


def _as_strings(values: Iterable | str | None) -> set[str]:
    """A selection as a set of strings; a string is a comma-separated list (as from ``-p key a,b``)."""
    if isinstance(values, str):
        values = [v.strip() for v in values.replace("，", ",").split(",") if v.strip()]
    return {str(v) for v in (values or [])}


def select_rows(table: pd.DataFrame, regions: Sequence[str] | None = None, years: Sequence | None = None,
                indicators: Sequence[str] | None = None, year_column: str = "period") -> pd.DataFrame:
    """Rows of ``table`` in the given regions, years (matched as text on ``year_column``) and indicators."""
    keep = pd.Series(True, index=table.index)
    if _as_strings(regions):
        keep &= table["region"].astype(str).isin(_as_strings(regions))
    if _as_strings(years) and year_column in table:
        # a span period such as 2021-2025 is kept when any selected year falls inside it
        wanted = {int(y) for y in _as_strings(years)}

        def in_years(value: object) -> bool:
            period = parse_period(value)
            return period is not None and any(period.contains(y) for y in wanted)

        keep &= table[year_column].map(in_years)
    if _as_strings(indicators) and "indicator" in table:
        keep &= table["indicator"].astype(str).isin(_as_strings(indicators))
    return table[keep].reset_index(drop=True)


def select_documents(docs: Sequence[Document], regions: Sequence[str] | None = None,
                     years: Sequence | None = None) -> list[Document]:
    """Usable documents (status ok) of the given regions and report years."""
    wanted_regions, wanted_years = _as_strings(regions), _as_strings(years)
    return [d for d in docs if d.ok
            and (not wanted_regions or str(d.region) in wanted_regions)
            and (not wanted_years or str(d.report_year) in wanted_years)]
