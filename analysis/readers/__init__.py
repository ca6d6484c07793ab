"""One reader per file format, behind one registry.

A reader is a module in this package with ``EXTENSIONS`` (lower-case suffixes such as ``".md"``)
and ``read(path, data) -> list[Record]``; the registry finds the modules itself, so adding a
format is adding one file. Readers never raise for bad input: a file they cannot use gives one
``Record`` with a ``status`` (``undecodable``, ``binary``, ``no_text_layer`` …) and a ``problem``.

Raw offsets: ``Document.raw_text`` is the text every raw position (``raw_span``, removed spans,
facts' raw offsets) refers to. For ``.txt`` it is the decoded file, which is also ``Record.text``.
For ``.md`` it is the decoded file too: ``Record.text`` is the body without front matter and
markup, and the reader hands over the decoded file (``file_text``) and, for each text position,
its position there (``file_map``), since it only deleted characters. Where a file position has
no meaning it is ``Record.text`` itself: the main content that trafilatura extracted for
``.html``, the text cell for a table row, paragraphs and table rows for ``.docx``, the pages'
text layers joined by blank lines for ``.pdf``. None of them counts bytes on disk: positions are
characters of the decoded text.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any


@dataclass
class Record:
    """One report as a reader found it: text plus metadata hints, or a status saying why not."""

    text: str = ""
    encoding: str | None = None
    hints: dict[str, str] = field(default_factory=dict)  # title, region, parent, year, date, doc_type, url …
    hint_source: str = ""  # front_matter | column | html_meta | docx_properties | pdf_metadata
    key: str | None = None  # sub-id within the file (a table row), appended to the doc_id
    row: int | None = None  # 1-based row of a table
    page: str | None = None  # pages of a PDF ("1-12")
    status: str = "ok"
    problem: str = ""
    # For a reader whose text is the decoded file with characters deleted (or replaced in place):
    # the decoded file, and the position in it of each text character (numpy ints, len(text) + 1).
    file_text: str | None = None
    file_map: Any = None


@lru_cache(maxsize=1)
def registry() -> dict[str, ModuleType]:
    """Suffix → reader module, for every reader module in this package."""
    out: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for ext in getattr(mod, "EXTENSIONS", ()):
            out[ext] = mod
    return out


def reader_for(path: Path) -> ModuleType | None:
    """The reader for a file's suffix; files without a known suffix are read as plain text."""
    reg = registry()
    return reg.get(path.suffix.lower()) or (reg[".txt"] if path.suffix.lower() not in NOT_REPORT_SUFFIXES else None)


# Suffixes that are certainly not reports: skipped when a folder is read, refused when named.
NOT_REPORT_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".zip", ".gz", ".xz", ".tar", ".exe", ".py", ".ipynb"}


def supported_suffixes() -> set[str]:
    return set(registry())


def read_file(path: Path, data: bytes) -> tuple[str, list[Record]]:
    """(reader name, records) for one file's bytes."""
    mod = reader_for(path) or registry()[".txt"]
    return mod.__name__.rsplit(".", 1)[-1], mod.read(path, data)
