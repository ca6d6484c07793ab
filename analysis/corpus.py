"""Read reports as they are really found and turn them into clean simplified-Chinese Documents.

The steps, each in its own module:

1. ``decode``: bytes → text (UTF-8 with/without BOM, UTF-16, GB18030, Big5), or a status
   (missing, empty, too_large, binary, undecodable) with one warning line naming the file;
2. ``normalize``: line ends, full-width digits/letters/signs, traditional → simplified (t2s,
   only for traditional documents), Taiwan vocabulary back to mainland words;
3. ``boilerplate``: one-line reports split into paragraphs; navigation, forum panels, spam,
   footers, page furniture and repeated paragraphs removed (every removal recorded);
   PDF hard line breaks joined; one paragraph per line;
4. ``metadata``: region, year, type, meeting date, speaker, title, read from the text.

Every edit carries the clean→raw position map (``offsets``), so any quote in ``Document.text``
can be shown in the raw file with ``Document.raw_span``.
"""

from __future__ import annotations

import glob as _glob
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence, TextIO

import pandas as pd

from .boilerplate import clean_lines, split_long_lines
from .decode import DecodeError, decode_bytes
from .metadata import read_metadata
from .normalize import char_edits, detect_script, taiwan_phrase_edits, to_simplified
from .offsets import OffsetMap, apply_edits, identity_map

# A report is well under 1 MB; a file far larger is refused without being read.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Fewer Chinese characters than this cannot be a report.
MIN_REPORT_CJK = 200

STATUSES = ("ok", "copy", "not_a_report", "empty", "binary", "undecodable", "too_large", "missing")


@dataclass
class RemovedSpan:
    """A piece of the raw file that normalisation dropped, and why."""

    raw_start: int
    raw_end: int
    reason: str  # navigation, page_meta, forum_panel, footer, spam_banner, repeated_banner, page_furniture, duplicate_paragraph
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
    clean_to_raw: Sequence[int] = field(default_factory=list)

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
    """Turn folders, globs and file names into a list of paths (missing ones kept, in order given).

    A folder gives its files (not hidden ones), sorted by name; a glob its matches, sorted.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    paths: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            paths.extend(sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith(".")))
        elif not p.exists() and any(ch in str(item) for ch in "*?["):
            matches = sorted(_glob.glob(str(item)))
            paths.extend(Path(x) for x in matches) if matches else paths.append(p)
        else:
            paths.append(p)
    return paths


def _fail(doc: Document, status: str, problem: str) -> Document:
    doc.status = status
    doc.warnings.append(f"{doc.path}: {status}: {problem}")
    return doc


def load_document(path: str | os.PathLike, *, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read one file into a Document (never raises for bad input: see ``status``)."""
    path = Path(path)
    doc = Document(doc_id=path.stem, path=path)
    if not path.exists():
        return _fail(doc, "missing", "no such file")
    if not path.is_file():
        return _fail(doc, "missing", "not a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _fail(doc, "too_large", f"{size:,} bytes, more than the {max_bytes:,} a report can be")
        data = path.read_bytes()
    except OSError as exc:
        return _fail(doc, "missing", f"cannot be read ({exc.strerror or exc})")
    if not data.strip():
        return _fail(doc, "empty", "the file is empty")
    try:
        doc.raw_text, doc.encoding = decode_bytes(data)
    except DecodeError as exc:
        return _fail(doc, exc.status, str(exc))
    del data
    if not doc.raw_text.strip():
        return _fail(doc, "empty", "the file holds only whitespace")
    if doc.encoding.endswith("+replace"):
        doc.warnings.append(f"{path}: a few bytes could not be decoded as {doc.encoding[:-8]} and were replaced")
    normalize_document(doc)
    return doc


def normalize_document(doc: Document) -> Document:
    """Fill ``text``, ``clean_to_raw``, ``removed``, metadata and status from ``raw_text``."""
    text, edits = char_edits(doc.raw_text)
    cmap = identity_map(len(text))
    text, cmap = apply_edits(text, cmap, edits)
    doc.script = detect_script(text)
    if doc.script == "traditional":
        text = to_simplified(text)  # length-preserving: the map stays as it is
        # Taiwan vocabulary only in traditional documents: a simplified (mainland) text is left
        # as written (软体动物, 宽频 are mainland words too).
        text, cmap = apply_edits(text, cmap, taiwan_phrase_edits(text))
    text, cmap = apply_edits(text, cmap, split_long_lines(text))
    result = clean_lines(text)
    raw = doc.raw_text
    for s, e, reason in result.removed:
        if e <= s:
            continue
        rs, re_ = int(cmap[s]), int(cmap[e - 1]) + 1
        doc.removed.append(RemovedSpan(rs, re_, reason, raw[rs:re_]))
    doc.duplicates_dropped = result.duplicates_dropped
    text, cmap = apply_edits(text, cmap, result.edits)
    doc.text = text
    doc.clean_to_raw = OffsetMap(cmap)

    md = read_metadata(text)
    doc.region, doc.report_year, doc.doc_type = md.region, md.report_year, md.doc_type
    doc.meeting_date, doc.speaker, doc.title = md.meeting_date, md.speaker, md.title
    cjk = sum(1 for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff")
    if cjk < min(MIN_REPORT_CJK, len(text) // 2 + 1) or doc.doc_type is None:
        why = "too little Chinese text" if cjk < MIN_REPORT_CJK else "no report title, date line or 各位代表 found"
        return _fail(doc, "not_a_report", f"not a government report ({why})")
    doc.warnings.extend(md.warnings)
    return doc


def load_corpus(inputs: str | os.PathLike | Sequence[str | os.PathLike], *,
                max_bytes: int = MAX_FILE_BYTES) -> list[Document]:
    """Load a folder, a glob, or a list of files; every input appears in the result.

    Two readable reports of the same region, year and type (a government page and its
    mirror) are copies: the later one (by doc_id) gets status ``copy`` and ``copy_of``.
    """
    docs = [load_document(p, max_bytes=max_bytes) for p in expand_inputs(inputs)]
    mark_copies(docs)
    return docs


def mark_copies(docs: Sequence[Document]) -> None:
    """Flag later documents that repeat an earlier one's (region, report_year, doc_type)."""
    first: dict[tuple, Document] = {}
    for doc in sorted(docs, key=lambda d: (d.doc_id, str(d.path))):
        if doc.status != "ok" or None in (doc.region, doc.report_year, doc.doc_type):
            continue
        key = (doc.region, doc.report_year, doc.doc_type)
        if key in first:
            doc.status = "copy"
            doc.copy_of = first[key].doc_id
            doc.warnings.append(f"{doc.path}: copy: same region, year and type as {doc.copy_of}; {doc.copy_of} is used")
        else:
            first[key] = doc


def problem_lines(docs: Sequence[Document]) -> list[str]:
    """One line per document that later steps will not use, naming the file and the problem."""
    out = []
    for d in docs:
        if d.status != "ok":
            line = next((w for w in d.warnings if w.startswith(str(d.path))), f"{d.path}: {d.status}")
            out.append(line)
    return out


def log_problems(docs: Sequence[Document], stream: TextIO | None = None) -> int:
    """Print ``problem_lines`` (to stderr by default); return how many there were."""
    lines = problem_lines(docs)
    stream = stream or sys.stderr
    for line in lines:
        print(line, file=stream)
    return len(lines)


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
    df = pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)
    df["report_year"] = df["report_year"].astype("Int64")
    return df


REMOVED_COLUMNS = ["doc_id", "reason", "raw_start", "raw_end", "chars", "excerpt"]


def removed_spans_table(docs: Sequence[Document], excerpt_chars: int = 40) -> pd.DataFrame:
    """The normalisation report: one row per removed span (raw positions), in file order."""
    rows = []
    for d in docs:
        for r in sorted(d.removed, key=lambda r: (r.raw_start, r.raw_end, r.reason)):
            flat = " ".join(r.text.split())
            excerpt = flat if len(flat) <= excerpt_chars else flat[:excerpt_chars] + "…"
            rows.append({"doc_id": d.doc_id, "reason": r.reason, "raw_start": r.raw_start,
                         "raw_end": r.raw_end, "chars": r.raw_end - r.raw_start, "excerpt": excerpt})
    return pd.DataFrame(rows, columns=REMOVED_COLUMNS)


def write_normalized(docs: Sequence[Document], out_dir: str | os.PathLike) -> list[Path]:
    """Write each document's clean text to ``out_dir/<doc_id>.txt`` (UTF-8); return the paths.

    Documents without text (missing, empty, binary ...) are not written; they are in the
    documents table with their status.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for d in docs:
        if not d.text:
            continue
        p = out / f"{d.doc_id}.txt"
        p.write_text(d.text if d.text.endswith("\n") else d.text + "\n", encoding="utf-8", newline="\n")
        written.append(p)
    return written


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def format_documents_table(df: pd.DataFrame, max_cell: int = 60) -> str:
    """A plain-text table (aligned for Chinese characters, which are two columns wide)."""
    cols = list(df.columns)

    def cell(v) -> str:
        s = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
        s = " ".join(s.split())
        return s if _width(s) <= max_cell else s[: max_cell - 1] + "…"

    rows = [[cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    widths = [max([_width(c)] + [_width(r[i]) for r in rows]) for i, c in enumerate(cols)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(cols), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)
