"""Check a run's output folder against ``analysis/schema.py`` (in the spirit of PUDL's output checks).

Per table: the columns are the schema's (none missing, none unknown), every cell has the column's
type, values are among the allowed ones, key columns are never empty and keys are unique. Across
tables: every pair's target and outcome documents are in the documents table, every pair's facts
exist in facts.csv, every fact's document was read, and the manifest's row counts equal the tables'.
Each violation is one line naming the file and the problem.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Mapping

import pandas as pd

from . import schema


class ValidationError(RuntimeError):
    """The outputs break their schema; the message is the first problem (all are in ``problems``)."""

    def __init__(self, problems: list[str]):
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)
        self.problems = problems


def _raw_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def _type_problems(name: str, raw: pd.DataFrame, t: schema.Table) -> list[str]:
    problems = []
    for col in raw.columns:
        spec = t.column(str(col))
        if spec is None:
            problems.append(f"{name}.csv: column {col!r} is not in analysis/schema.py")
            continue
        if spec.dtype != "str" or spec.allowed:  # free text needs no look at each cell
            problems += _cell_problems(name, str(col), schema.csv_unescape_series(raw[col].dropna()), spec)
        if not spec.nullable and raw[col].isna().any():
            row = int(raw[col].isna().to_numpy().nonzero()[0][0]) + 2
            problems.append(f"{name}.csv: column {col} is empty in row {row}")
    missing = [c.name for c in t.columns if c.required and c.name not in raw.columns]
    if missing:
        problems.append(f"{name}.csv: missing column(s) {', '.join(missing)}")
    return problems


def _cell_problems(name: str, col: str, cells: pd.Series, spec: schema.Column) -> list[str]:
    """Cells (unescaped, empty ones dropped) that do not have the column's type or allowed values."""
    problems = []
    if spec.dtype in ("int", "float"):
        numbers = pd.to_numeric(cells, errors="coerce")
        bad = cells[numbers.isna()]
        if spec.dtype == "int":
            bad = pd.concat([bad, cells[numbers.notna() & (numbers.fillna(0) % 1 != 0)]])
    elif spec.dtype == "bool":
        bad = cells[~cells.map(_is_flag)]
    else:
        bad = cells.iloc[0:0]
    if len(bad):
        problems.append(f"{name}.csv: column {col} should be {spec.dtype} but row {bad.index[0] + 2} "
                        f"holds {bad.iloc[0]!r} ({len(bad)} such cells)")
    if spec.allowed:
        odd = cells[~cells.isin(spec.allowed)]
        if len(odd):
            problems.append(f"{name}.csv: column {col} has {odd.iloc[0]!r} (row {odd.index[0] + 2}), "
                            f"not one of {', '.join(spec.allowed)}")
    return problems


def _is_flag(cell: str) -> bool:
    try:
        return schema.parse_bool(cell) is not None or cell == ""
    except ValueError:
        return False


def _key_problems(name: str, df: pd.DataFrame, t: schema.Table) -> list[str]:
    key = [k for k in t.key if k in df.columns]
    if not key or df.empty:
        return []
    dup = df.duplicated(subset=key, keep=False)
    if dup.any():
        first = df.loc[dup, key].iloc[0].tolist()
        return [f"{name}.csv: {int(dup.sum())} rows share a key ({', '.join(key)}), e.g. {first}"]
    return []


def check_table(name: str, path: Path) -> list[str]:
    """Problems of one CSV table against its schema."""
    return _checked_table(name, path)[0]


def _checked_table(name: str, path: Path) -> tuple[list[str], pd.DataFrame]:
    """Problems of one CSV table, and the table as ``schema.read_table`` reads it (read once, used twice)."""
    t = schema.table(name)
    raw = _raw_csv(path)
    problems = _type_problems(name, raw, t)
    frame = schema.read_table(path, name)
    problems += _key_problems(name, frame, t)
    return problems, frame


def _indicator_codes() -> set[str]:
    from .codebook import codebook_frame

    return set(codebook_frame()["code"]) | {"other"}


def cross_table_problems(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Invariants between tables: documents, facts and pairs agree."""
    problems: list[str] = []
    docs, facts, tvo = tables.get("documents"), tables.get("facts"), tables.get("targets_vs_outcomes")
    known = set(docs["doc_id"].dropna()) if docs is not None and "doc_id" in docs else None
    if known is not None:
        for name in ("facts", "assessments", "emphasis", "kwic", "commitments"):
            t = tables.get(name)
            if t is not None and "doc_id" in t.columns:
                stray = sorted(set(t["doc_id"].dropna()) - known)
                if stray:
                    problems.append(f"{name}.csv: {len(stray)} doc_id(s) not in documents.csv, e.g. {stray[0]}")
    if facts is not None and "indicator" in facts.columns and len(facts):
        odd = sorted(set(facts["indicator"].dropna()) - _indicator_codes())
        if odd:
            problems.append(f"facts.csv: indicator {odd[0]!r} is not in the codebook")
    if tvo is not None and facts is not None and len(tvo):
        problems += _pairs_in_facts(tvo, facts)
    return problems


def _same(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and (
            b is None or (isinstance(b, float) and math.isnan(b)))
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _squeeze(quote) -> str:
    """A quote without surrounding white space (the matcher trims quotes it shows)."""
    return str(quote).strip()


def _pairs_in_facts(tvo: pd.DataFrame, facts: pd.DataFrame) -> list[str]:
    """Every pair's target and outcome quote is a fact of its document (derived targets excepted)."""
    problems = []
    quotes = {(d, _squeeze(q)) for d, q in zip(facts["doc_id"], facts["quote"])}
    for side in ("target", "outcome"):
        doc_col, quote_col = f"{side}_doc", f"{side}_quote"
        if doc_col not in tvo.columns or quote_col not in tvo.columns:
            continue
        rows = tvo[tvo[doc_col].notna() & tvo[quote_col].notna()]
        if side == "target" and "derived" in rows.columns:
            rows = rows[~schema.bool_series(rows["derived"])]
        if side == "outcome" and "comparison" in rows.columns:
            # A span outcome computed from the yearly outcomes cites all their documents and says how it
            # was computed; each yearly outcome is a pair of its own, so only its documents are checked.
            computed = rows["comparison"] == "span_computed"
            fact_docs = set(facts["doc_id"])
            stray = [d for ds in rows.loc[computed, doc_col] for d in str(ds).split(";") if d not in fact_docs]
            if stray:
                problems.append(f"targets_vs_outcomes.csv: {len(stray)} computed span outcome(s) cite a document "
                                f"with no facts, e.g. {stray[0]}")
            rows = rows[~computed]
        missing = [(d, q) for d, q in zip(rows[doc_col], rows[quote_col]) if (d, _squeeze(q)) not in quotes]
        if missing:
            problems.append(f"targets_vs_outcomes.csv: {len(missing)} pair(s) cite a {side} quote that is not in "
                            f"facts.csv, e.g. {missing[0][0]}: {missing[0][1][:40]}")
    return problems


def manifest_problems(output_dir: Path, tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The manifest's row counts equal the tables' and every file it lists exists."""
    path = Path(output_dir) / "manifest.json"
    if not path.exists():
        return []
    manifest = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for name, n in (manifest.get("row_counts") or {}).items():
        if name in tables and len(tables[name]) != n:
            problems.append(f"manifest.json: {name} has {n} rows in the manifest but {len(tables[name])} in {name}.csv")
    for rel in manifest.get("outputs", {}):
        if not (Path(output_dir) / rel).exists():
            problems.append(f"manifest.json: lists {rel}, which is not in the folder")
    return problems


def validate_outputs(output_dir: Path) -> list[str]:
    """Every problem of an output folder, one line each (empty list: the outputs are valid)."""
    output_dir = Path(output_dir)
    problems: list[str] = []
    tables: dict[str, pd.DataFrame] = {}
    for name, t in schema.TABLES.items():
        path = output_dir / f"{name}.csv"
        if not path.exists():
            continue
        found, frame = _checked_table(name, path)
        problems += found
        if not found:
            tables[name] = frame
    for name in ("documents", "facts"):
        if not (output_dir / f"{name}.csv").exists() and any((output_dir / f"{n}.csv").exists() for n in schema.TABLES):
            problems.append(f"{output_dir / (name + '.csv')}: missing")
    problems += cross_table_problems(tables)
    problems += manifest_problems(output_dir, tables)
    return problems


def row_counts(output_dir: Path) -> dict[str, int]:
    """Rows of every schema table present in ``output_dir`` (for the manifest)."""
    counts = {}
    for name in schema.TABLES:
        path = Path(output_dir) / f"{name}.csv"
        if path.exists():
            counts[name] = len(_raw_csv(path))
    return counts


def check(output_dir: Path) -> None:
    """Raise ``ValidationError`` (first problem as its message) when the outputs are not valid."""
    problems = validate_outputs(output_dir)
    if problems:
        raise ValidationError(problems)


if __name__ == "__main__":
    import sys

    found = validate_outputs(Path(sys.argv[1] if len(sys.argv) > 1 else "outputs"))
    for line in found:
        print(line, file=sys.stderr)
    print(f"{len(found)} problem(s)" if found else "outputs valid")
    raise SystemExit(1 if found else 0)
