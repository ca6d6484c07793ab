"""Stata .dta for ``analysis.schema.write_table`` (which writes CSV and Parquet), byte-for-byte the
same for the same table.

Stata needs ASCII variable names of at most 32 characters, labels of at most 80, no booleans and
no pandas missing markers in text columns; Chinese text needs format 118 (UTF-8). The .dta time
stamp is fixed so that reruns give identical files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .schema import text_series

STATA_VERSION = 118  # the first format that stores UTF-8 (Chinese) text
STATA_TIME_STAMP = dt.datetime(2000, 1, 1, 0, 0)  # fixed: to_stata otherwise writes the current time
_STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")
# Text longer than this many bytes goes to Stata strL, which stores each value at its own length: as fixed
# width str#, a whole corpus's quotes made targets_vs_outcomes.dta 386 MB and took 1.4 GB to write; as strL
# 113 MB and 0.6 GB (and twice the time). 244 is the width older Stata allowed for str#.
_STR_MAX = 244


def stata_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with types Stata can store: booleans → 0/1 (missing stays missing), text without NA."""
    bad = [c for c in frame.columns if not _STATA_NAME.match(str(c))]
    if bad:
        raise ValueError(f"not valid Stata variable names (ASCII, ≤32 characters): {bad}")
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s) and not isinstance(s.dtype, pd.BooleanDtype):
            out[col] = s.astype("int8")
        elif isinstance(s.dtype, pd.BooleanDtype) or (isinstance(s.dtype, pd.api.extensions.ExtensionDtype)
                                                      and pd.api.types.is_integer_dtype(s)):
            # Nullable flags and integers: float keeps Stata's missing value for NA.
            out[col] = s.astype("Float64").astype(float)
        elif pd.api.types.is_float_dtype(s):
            out[col] = s.astype(float)
        elif not pd.api.types.is_numeric_dtype(s):
            out[col] = text_series(s, "")
    return out


def write_stata(frame: pd.DataFrame, path: Path, labels: Mapping[str, str] | None = None) -> Path:
    """Write ``frame`` to a Stata 118 .dta with variable labels (each cut to 80 characters)."""
    data = stata_frame(frame)
    strl = [c for c in data.columns if data[c].dtype == object
            and len(data) and data[c].str.encode("utf-8").str.len().max() > _STR_MAX]
    var_labels = {c: str(labels[c])[:80] for c in data.columns if labels and c in labels}
    data.to_stata(path, write_index=False, version=STATA_VERSION, time_stamp=STATA_TIME_STAMP,
                  variable_labels=var_labels or None, convert_strl=strl or None)
    return path
