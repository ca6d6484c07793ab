"""Read reports as they are really found and turn them into clean simplified-Chinese Documents.

PROVISIONAL: this first version only fixes the interface (``Document``, ``load_corpus``,
``documents_table``); decoding, script conversion, junk stripping, de-duplication and
metadata are being filled in behind it. Later steps rely only on the fields below.
"""

from __future__ import annotations

import glob as _glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd


@dataclass
class RemovedSpan:
    """A piece of the raw file that normalisation dropped, and why."""

    raw_start: int
    raw_end: int
    reason: str  # e.g. "navigation", "forum_panel", "spam_banner", "footer", "duplicate_paragraph", "page_furniture"
    text: str


@dataclass
class Document:
    """One input file: its raw text, its clean text, and what was read from it.

    ``text`` is what every later step sees. ``clean_to_raw[i]`` is the index in ``raw_text``
    of clean character ``i`` (one extra entry at the end for the end position), so any
    quote found in ``text`` can be shown in the original file.
    """

    doc_id: str
    path: Path
    raw_text: str = ""
    text: str = ""
    encoding: str | None = None
    script: str | None = None  # "simplified" | "traditional"
    region: str | None = None  # full name with level: 荔湾区, 广州市
    report_year: int | None = None
    doc_type: str | None = None  # work_report | fyp_outline | plan_report
    meeting_date: str | None = None  # ISO date when stated
    speaker: str | None = None
    title: str | None = None
    status: str = "ok"  # ok | empty | binary | undecodable | too_large | missing | not_a_report | copy
    copy_of: str | None = None  # doc_id of the document this one duplicates
    warnings: list[str] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    duplicates_dropped: int = 0
    clean_to_raw: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when later steps should use this document."""
        return self.status == "ok"

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the clean text to the raw text."""
        if not self.clean_to_raw:
            return start, end
        raw_start = self.clean_to_raw[start]
        raw_end = self.clean_to_raw[end - 1] + 1 if end > start else raw_start
        return raw_start, raw_end


def expand_inputs(inputs: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """Turn folders, globs and file names into a sorted list of paths (missing ones kept)."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    paths: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            paths.extend(sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith(".")))
        elif any(ch in str(item) for ch in "*?["):
            paths.extend(Path(x) for x in sorted(_glob.glob(str(item))))
        else:
            paths.append(p)
    return paths


def load_document(path: str | os.PathLike) -> Document:
    """Read one file into a Document (never raises for bad input: see ``status``)."""
    from opencc import OpenCC

    path = Path(path)
    doc = Document(doc_id=path.stem, path=path)
    raw = path.read_bytes()
    doc.raw_text = raw.decode("utf-8-sig")
    doc.encoding = "utf-8"
    doc.text = OpenCC("t2s").convert(doc.raw_text)
    doc.clean_to_raw = list(range(len(doc.text) + 1))
    return doc


def load_corpus(inputs: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Document]:
    """Load a folder, a glob, or a list of files; every input appears in the result."""
    return [load_document(p) for p in expand_inputs(inputs)]


DOCUMENT_COLUMNS = [
    "doc_id", "region", "report_year", "doc_type", "encoding", "script", "raw_chars",
    "clean_chars", "boilerplate_chars", "duplicates_dropped", "status", "warnings",
]


def documents_table(docs: Sequence[Document]) -> pd.DataFrame:
    """One row per document: what was read and what normalisation did."""
    rows = []
    for d in docs:
        rows.append({
            "doc_id": d.doc_id, "region": d.region, "report_year": d.report_year,
            "doc_type": d.doc_type, "encoding": d.encoding, "script": d.script,
            "raw_chars": len(d.raw_text), "clean_chars": len(d.text),
            "boilerplate_chars": sum(r.raw_end - r.raw_start for r in d.removed if r.reason != "duplicate_paragraph"),
            "duplicates_dropped": d.duplicates_dropped, "status": d.status,
            "warnings": "; ".join(d.warnings),
        })
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)
