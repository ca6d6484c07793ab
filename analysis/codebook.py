"""The indicator codebook (``data/codebook.csv``): codes, Chinese names, English labels, direction.

A data file rather than a dict in code, so a researcher can add an indicator or a name variant
without touching the extractor. ``docs/codebook.md`` documents the codes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import data_file

CODEBOOK_COLUMNS = ("code", "names", "english", "direction", "exclude")


@dataclass(frozen=True)
class Indicator:
    code: str
    names: tuple[str, ...]  # Chinese names and variants, as written in reports
    english: str
    direction: str  # "higher" or "lower": which way is better
    exclude: tuple[str, ...]  # phrases around a name that mean it is NOT this indicator

    @property
    def chinese(self) -> str:
        return self.names[0]


def read_codebook(path: str | Path | None = None) -> dict[str, Indicator]:
    """Read and check a codebook file; errors name the file and the line."""
    path = Path(path) if path else data_file("codebook.csv")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines)
    if tuple(reader.fieldnames or ()) != CODEBOOK_COLUMNS:
        raise ValueError(f"{path}: header must be {','.join(CODEBOOK_COLUMNS)}, found {reader.fieldnames}")
    out: dict[str, Indicator] = {}
    for n, row in enumerate(reader, start=2):
        code = (row["code"] or "").strip()
        names = tuple(x.strip() for x in (row["names"] or "").split("|") if x.strip())
        if not code or not names:
            raise ValueError(f"{path}: row {n}: code and names are required")
        if code in out:
            raise ValueError(f"{path}: row {n}: code {code!r} appears twice")
        if row["direction"] not in ("higher", "lower"):
            raise ValueError(f"{path}: row {n}: direction must be 'higher' or 'lower', not {row['direction']!r}")
        exclude = tuple(x.strip() for x in (row["exclude"] or "").split("|") if x.strip())
        out[code] = Indicator(code, names, (row["english"] or code).strip(), row["direction"], exclude)
    return out


@lru_cache(maxsize=1)
def codebook() -> dict[str, Indicator]:
    """The package's codebook, read once."""
    return read_codebook()


def codebook_frame() -> pd.DataFrame:
    """The codebook as a table (``names`` and ``exclude`` joined with ``|``, as in the file)."""
    return pd.DataFrame([{"code": i.code, "names": "|".join(i.names), "english": i.english,
                          "direction": i.direction, "exclude": "|".join(i.exclude)} for i in codebook().values()],
                        columns=list(CODEBOOK_COLUMNS))


def directions() -> dict[str, str]:
    """Indicator code → ``higher`` or ``lower`` (which way is better)."""
    return {code: ind.direction for code, ind in codebook().items()}


def indicator_label(code: str, lang: str = "zh") -> str:
    """Display name of an indicator code: Chinese (first name) or English; ``other`` stays as is."""
    ind = codebook().get(code)
    if ind is None:
        return {"zh": "其他", "en": "other"}.get(lang, code) if code == "other" else code
    return ind.chinese if lang == "zh" else ind.english


def direction(code: str) -> str:
    """``higher`` or ``lower``: which way is better for this indicator (``higher`` when unknown)."""
    ind = codebook().get(code)
    return ind.direction if ind else "higher"


# ------------------------------------------------------------------ docs/codebook.md

DOC_START = "<!-- codebook table: generated from analysis/data/codebook.csv by `python -m analysis.codebook docs/codebook.md`; edit the CSV, not this table -->"
DOC_END = "<!-- end of codebook table -->"


def codebook_markdown() -> str:
    """The codebook as the Markdown table docs/codebook.md shows (one row per indicator)."""
    rows = ["| code | Chinese names seen in reports | English | better when | not when around the name |",
            "|---|---|---|---|---|"]
    for ind in codebook().values():
        rows.append(f"| `{ind.code}` | {', '.join(ind.names)} | {ind.english} | {ind.direction} | "
                    f"{', '.join(ind.exclude)} |")
    return "\n".join(rows)


def render_codebook_doc(text: str) -> str:
    """``text`` (docs/codebook.md) with the table between its markers replaced by the current codebook."""
    start, end = text.find(DOC_START), text.find(DOC_END)
    if start < 0 or end < start:
        raise ValueError("docs/codebook.md: the generated-table markers are missing")
    return text[:start] + DOC_START + "\n" + codebook_markdown() + "\n" + text[end:]


def write_codebook_doc(path: str | Path) -> bool:
    """Regenerate the codebook table in ``path``; True when the file changed."""
    path = Path(path)
    old = path.read_text(encoding="utf-8")
    new = render_codebook_doc(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/codebook.md")
    print(f"{target}: {'updated' if write_codebook_doc(target) else 'already up to date'}")
