"""Read reports as they are really found and turn them into clean simplified-Chinese Documents.

The steps, each in its own module:

1. ``decode``: bytes → text (UTF-8 with/without BOM, UTF-16, GB18030, Big5), or a status
   (missing, empty, too_large, binary, undecodable) with one warning line naming the file;
2. ``normalize``: line ends, full-width digits/letters/signs, traditional → simplified (t2s,
   only for traditional documents), Taiwan vocabulary back to mainland words;
3. ``boilerplate``: one-line reports split into paragraphs; navigation, forum panels, spam,
   footers, page furniture and repeated paragraphs removed (every removal recorded);
   PDF hard line breaks joined; one paragraph per line;
4. ``metadata``: region, level, parent, year, type, meeting date, speaker, title, each with the
   source that decided it (sidecar ``metadata.csv`` > reader hints > title and date lines >
   self-references > path).

Files are read by format through ``analysis.readers`` (txt, md, html, csv/jsonl/parquet, docx,
pdf); folders recursively, optionally filtered by a glob. ``raw_text`` is what raw positions refer
to: the decoded file for ``.txt`` and ``.md``, the text as the reader produced it for the other
formats (see ``analysis.readers``). The doc_id is the path
relative to the corpus root without its extension, ``/``-separated (a table row adds ``/<row>``);
``safe_name`` turns it into one file-name component.

Every edit carries the clean→raw position map (``offsets``), so any quote in ``Document.text``
can be shown in the raw file with ``Document.raw_span``.
"""

from __future__ import annotations

import glob as _glob
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence, TextIO

import numpy as np
import pandas as pd

from .boilerplate import clean_lines, split_long_lines
from .metadata import read_metadata
from .normalize import char_edits, detect_script, pinyin_gloss_edits, taiwan_phrase_edits, to_simplified
from .offsets import OffsetMap, apply_edits, identity_map

# A report is well under 1 MB; a file far larger is refused without being read.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Fewer Chinese characters than this cannot be a report.
MIN_REPORT_CJK = 200

STATUSES = ("ok", "copy", "not_a_report", "no_metadata", "no_text_layer", "empty", "binary", "undecodable",
            "too_large", "missing")
SIDECAR_NAME = "metadata.csv"
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class RemovedSpan:
    """A piece of the raw file that normalisation dropped, and why."""

    raw_start: int
    raw_end: int
    reason: str  # navigation, page_meta, forum_panel, footer, spam_banner, repeated_banner, page_furniture, duplicate_paragraph, pinyin_gloss
    text: str


@dataclass
class Document:
    """One input file: its raw text, its clean text, and what was read from it.

    ``text`` is what every later step sees. ``clean_to_raw[i]`` is the index in ``raw_text`` (the
    decoded file for ``.txt`` and ``.md``, see ``analysis.readers``) of clean character ``i`` (one
    extra entry at the end for the end position), so any quote found in ``text`` can be shown in
    the original file.
    """

    doc_id: str
    path: Path
    raw_text: str = ""
    text: str = ""
    encoding: str | None = None
    script: str | None = None  # "simplified" | "traditional"
    region: str | None = None  # full name with level: 荔湾区, 广州市
    report_year: int | None = None
    doc_type: str | None = None  # work_report | fyp_outline | plan_execution | budget_report | news_summary
    level: str | None = None  # national | province | prefecture | district | county | county_city
    parent: str | None = None  # province of a prefecture, city of a district, 中国 of a province
    region_code: str | None = None  # adcode (6 digits)
    region_source: str | None = None  # what decided each field: sidecar, front_matter, title, date_line, …
    report_year_source: str | None = None
    doc_type_source: str | None = None
    level_source: str | None = None
    parent_source: str | None = None
    source_file: str | None = None  # the file read
    source_row: int | None = None  # 1-based row of a table
    source_page: str | None = None  # pages of a PDF
    reader: str | None = None  # the reader module: text, markdown, html, table, docx, pdf
    meeting_date: str | None = None  # ISO date when stated
    speaker: str | None = None
    title: str | None = None
    status: str = "ok"  # one of STATUSES
    copy_of: str | None = None  # doc_id of the document this one duplicates
    warnings: list[str] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    duplicates_dropped: int = 0
    clean_to_raw: Sequence[int] = field(default_factory=list)
    hints: dict = field(default_factory=dict, repr=False)  # what the reader found (front matter, columns)
    hint_source: str = ""
    path_parts: list = field(default_factory=list, repr=False)  # doc_id's folders and stem, for path metadata
    overrides: dict = field(default_factory=dict, repr=False)  # the sidecar's fields for this document

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


def _is_hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _folder_files(folder: Path, glob: str | None) -> list[Path]:
    """Files under a folder, recursively (no hidden files or folders, no sidecar), sorted by relative path."""
    from .readers import NOT_REPORT_SUFFIXES

    out = []
    for q in folder.glob(glob or "**/*"):
        rel = q.relative_to(folder)
        if not q.is_file() or _is_hidden(rel) or rel.as_posix() == SIDECAR_NAME:
            continue
        if glob is None and q.suffix.lower() in NOT_REPORT_SUFFIXES:
            continue
        out.append(q)
    return sorted(out, key=lambda q: q.relative_to(folder).as_posix())


def _glob_root(pattern: str) -> Path:
    """The folder part of a glob before its first wildcard (the root its doc_ids are relative to)."""
    fixed = []
    for part in Path(pattern).parts:
        if any(ch in part for ch in "*?["):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def expand_sources(inputs: str | os.PathLike | Iterable[str | os.PathLike], *,
                   glob: str | None = None) -> list[tuple[Path, Path | None]]:
    """(file, corpus root) for every input: a folder's files recursively (root = the folder), a glob's
    matches (root = its fixed folder part), a named file (root None: its doc_id is its stem)."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    out: list[tuple[Path, Path | None]] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend((q, p) for q in _folder_files(p, glob))
        elif not p.exists() and any(ch in str(item) for ch in "*?["):
            root = _glob_root(str(item))
            files = [Path(x) for x in sorted(_glob.glob(str(item), recursive=True)) if Path(x).is_file()]
            out.extend((q, root) for q in files) if files else out.append((p, None))
        else:
            out.append((p, None))
    return out


def expand_inputs(inputs: str | os.PathLike | Iterable[str | os.PathLike], *,
                  glob: str | None = None) -> list[Path]:
    """Turn folders, globs and file names into a list of paths (missing ones kept, in order given).

    A folder gives its files recursively (not hidden ones, not the ``metadata.csv`` sidecar), sorted
    by relative path; ``glob`` (e.g. ``**/*.md``) selects a folder's files; a glob gives its matches.
    """
    return [p for p, _ in expand_sources(inputs, glob=glob)]


def doc_id_for(path: Path, root: Path | None) -> str:
    """The path relative to the corpus root without its extension, ``/``-separated; a lone file's stem."""
    if root is None:
        return path.stem
    rel = path.relative_to(root)
    return rel.with_suffix("").as_posix() if rel.suffix else rel.as_posix()


def safe_name(doc_id: str) -> str:
    """A doc_id as one file-name component: ``/`` becomes ``__``; characters file systems refuse become ``_``."""
    name = doc_id.replace("/", "__")
    return re.sub(r'[\\:*?"<>|\x00-\x1f]', "_", name) or "_"


def _fail(doc: Document, status: str, problem: str) -> Document:
    doc.status = status
    doc.warnings.append(f"{doc.path}: {status}: {problem}")
    return doc


def load_file(path: str | os.PathLike, *, doc_id: str | None = None, max_bytes: int = MAX_FILE_BYTES,
              use_path: bool = True, overrides: dict[str, str] | None = None) -> list[Document]:
    """Read one file into Documents, one per report (a table gives one per row); never raises for bad input.

    A pure function of the file and the vocabularies, so a corpus can be read in parallel.
    ``use_path=False`` leaves folder and file names out of the metadata (to test the text alone);
    ``overrides`` are the sidecar's fields for this file (they win over everything).
    """
    path = Path(path)
    doc_id = doc_id or path.stem
    parts = doc_id.split("/") if use_path else []
    doc = Document(doc_id=doc_id, path=path, source_file=str(path), path_parts=parts)
    if not path.exists():
        return [_fail(doc, "missing", "no such file")]
    if not path.is_file():
        return [_fail(doc, "missing", "not a file")]
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return [_fail(doc, "too_large", f"{size:,} bytes, more than the {max_bytes:,} a report can be")]
        data = path.read_bytes()
    except OSError as exc:
        return [_fail(doc, "missing", f"cannot be read ({exc.strerror or exc})")]
    if not data.strip():
        return [_fail(doc, "empty", "the file is empty")]
    from .readers import read_file

    reader, records = read_file(path, data)
    del data
    docs = []
    for rec in records:
        d = Document(doc_id=f"{doc_id}/{rec.key}" if rec.key else doc_id, path=path, source_file=str(path),
                     source_row=rec.row, source_page=rec.page, reader=reader, encoding=rec.encoding,
                     hints=dict(rec.hints), hint_source=rec.hint_source, path_parts=parts,
                     overrides=dict(overrides or {}))
        if rec.status != "ok":
            docs.append(_fail(d, rec.status, rec.problem or rec.status))
            continue
        if not rec.text.strip():
            docs.append(_fail(d, "empty", "the file holds only whitespace"))
            continue
        if (d.encoding or "").endswith("+replace"):
            d.warnings.append(f"{path}: a few bytes could not be decoded as {d.encoding[:-8]} and were replaced")
        file_map = None
        if rec.file_text is not None and rec.file_map is not None:
            file_map = checked_file_map(rec.text, rec.file_text, rec.file_map)
            if file_map is None:
                d.warnings.append(f"{path}: raw offsets refer to the text the {reader} reader produced, "
                                  "not to the decoded file (its position map did not check out)")
        d.raw_text = rec.file_text if file_map is not None else rec.text
        docs.append(normalize_document(d, source=rec.text, source_map=file_map))
    return docs


def load_document(path: str | os.PathLike, *, max_bytes: int = MAX_FILE_BYTES, doc_id: str | None = None,
                  use_path: bool = True) -> Document:
    """Read one file into a Document (a table's first row; never raises for bad input)."""
    return load_file(path, doc_id=doc_id, max_bytes=max_bytes, use_path=use_path)[0]


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def checked_file_map(text: str, file_text: str, file_map) -> np.ndarray | None:
    """A reader's text → file position map if it holds up, else None (then raw offsets index ``text``).

    It holds up when it has ``len(text) + 1`` entries, increases strictly within the file, and each
    text character is the file character it points at — spaces excepted (a reader may let one stand
    for a gap, as the Markdown reader does between table cells).
    """
    fmap = np.asarray(file_map, dtype=np.int64)
    if fmap.shape != (len(text) + 1,) or not len(text):
        return None
    body = fmap[:-1]
    if body[0] < 0 or fmap[-1] > len(file_text) or (np.diff(fmap) <= 0).any():
        return None
    chars = _codepoints(text)
    same = _codepoints(file_text)[body] == chars
    return fmap if bool((same | (chars == ord(" "))).all()) else None


def normalize_document(doc: Document, *, source: str | None = None, source_map=None) -> Document:
    """Fill ``text``, ``clean_to_raw``, ``removed``, metadata and status from ``raw_text``.

    ``source`` is the text to normalise when it is not ``raw_text`` itself (a Markdown body without
    markup); ``source_map`` then gives, for each of its positions plus the end, the position in
    ``raw_text``, so every raw position refers to ``raw_text``.
    """
    if source is None or source_map is None:
        source, source_map = doc.raw_text, None
    text, edits = char_edits(source)
    cmap = identity_map(len(text)) if source_map is None else np.asarray(source_map, dtype=np.int64)
    text, cmap = apply_edits(text, cmap, edits)
    # Pinyin glosses go before t2s and the Taiwan phrase map so that 地区生产总值 is whole again.
    glosses = pinyin_gloss_edits(text)
    for s, e, _ in glosses:
        rs, re_ = int(cmap[s]), int(cmap[e - 1]) + 1
        doc.removed.append(RemovedSpan(rs, re_, "pinyin_gloss", doc.raw_text[rs:re_]))
    text, cmap = apply_edits(text, cmap, glosses)
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

    md = read_metadata(text, doc.hints, doc.hint_source or "front_matter", doc.path_parts,
                       overrides=doc.overrides)
    apply_metadata(doc, md)
    cjk = len(_CJK_RE.findall(text, 0, 20000))
    if cjk < min(MIN_REPORT_CJK, len(text) // 2 + 1) or doc.doc_type is None:
        why = "too little Chinese text" if cjk < MIN_REPORT_CJK else "no report title, date line or 各位代表 found"
        return _fail(doc, "not_a_report", f"not a government report ({why})")
    doc.warnings.extend(md.warnings)
    check_metadata(doc)
    return doc


_MD_FIELDS = ("region", "level", "parent", "region_code", "report_year", "doc_type", "meeting_date",
              "speaker", "title")


def apply_metadata(doc: Document, md) -> None:
    """Copy a Metadata's fields and their sources onto the Document."""
    for name in _MD_FIELDS:
        setattr(doc, name, getattr(md, name))
    for name in ("region", "report_year", "doc_type", "level", "parent"):
        setattr(doc, f"{name}_source", md.sources.get(name))


def check_metadata(doc: Document) -> None:
    """Status ``no_metadata`` with one line when the year or region is still unknown."""
    if doc.status != "ok":
        return
    missing = [n for n, v in (("region", doc.region), ("report_year", doc.report_year)) if v in (None, "")]
    if missing:
        _fail(doc, "no_metadata",
              f"{' and '.join(missing)} unknown (not in the title, date line, text or path); supply "
              f"{' and '.join(missing)} for doc_id {doc.doc_id} in a {SIDECAR_NAME} in the corpus folder")


def read_sidecar(root: Path) -> dict[str, dict[str, str]]:
    """The user's ``metadata.csv`` in a corpus folder: doc_id or file (relative path) → fields.

    Columns: ``doc_id`` or ``file``, then any of region, parent, level, report_year (or year),
    doc_type, title, meeting_date; empty cells are ignored. Missing file → {}.
    """
    f = root / SIDECAR_NAME
    if not f.is_file():
        return {}
    try:
        table = pd.read_csv(f, dtype=str, keep_default_na=False, comment="#")
    except Exception as exc:
        print(f"{f}: cannot be read as a CSV table ({type(exc).__name__}: {exc}); ignored", file=sys.stderr)
        return {}
    out: dict[str, dict[str, str]] = {}
    for row in table.to_dict("records"):
        key = (row.pop("doc_id", "") or row.pop("file", "")).strip().replace("\\", "/")
        row.pop("file", None)
        fields = {k.strip(): v.strip() for k, v in row.items() if isinstance(v, str) and v.strip()}
        if "year" in fields and "report_year" not in fields:
            fields["report_year"] = fields.pop("year")
        if key:
            out[key] = fields
    return out


def _sidecar_row(sidecar: dict[str, dict[str, str]], path: Path, root: Path | None, doc_id: str) -> dict[str, str]:
    if not sidecar:
        return {}
    rel = path.relative_to(root).as_posix() if root is not None else path.name
    return sidecar.get(doc_id) or sidecar.get(rel) or sidecar.get(path.name) or {}


@dataclass(frozen=True)
class InputFile:
    """One file to read, with what its place in the corpus decides: doc_id, path metadata, sidecar fields."""

    path: Path
    doc_id: str
    use_path: bool
    overrides: tuple[tuple[str, str], ...] = ()


def plan_inputs(inputs: str | os.PathLike | Sequence[str | os.PathLike], *, glob: str | None = None,
                use_path: bool = True) -> list[InputFile]:
    """Every input file with its doc_id (unique: a later clash keeps its extension, then ``~2`` …) and
    the fields of the folder's ``metadata.csv`` sidecar that apply to it."""
    sidecars: dict[Path, dict] = {}
    seen: set[str] = set()
    planned: list[InputFile] = []
    for path, root in expand_sources(inputs, glob=glob):
        doc_id = doc_id_for(path, root)
        if doc_id in seen:
            doc_id = doc_id_for(path, root) + path.suffix
            n = 2
            while doc_id in seen:
                doc_id, n = f"{doc_id_for(path, root)}~{n}", n + 1
        seen.add(doc_id)
        sidecar = sidecars.setdefault(root or path.parent, read_sidecar(root or path.parent))
        overrides = _sidecar_row(sidecar, path, root, doc_id)
        planned.append(InputFile(path, doc_id, use_path and root is not None, tuple(sorted(overrides.items()))))
    return planned


def load_input(item: InputFile, *, max_bytes: int = MAX_FILE_BYTES) -> list[Document]:
    """Read one planned input (see ``plan_inputs``): a pure function of the file, its place and the vocabularies."""
    return load_file(item.path, doc_id=item.doc_id, max_bytes=max_bytes, use_path=item.use_path,
                     overrides=dict(item.overrides))


def load_corpus(inputs: str | os.PathLike | Sequence[str | os.PathLike], *,
                max_bytes: int = MAX_FILE_BYTES, glob: str | None = None,
                use_path: bool = True) -> list[Document]:
    """Load folders (recursively; ``glob`` selects files such as ``**/*.md``), globs or files;
    every input appears in the result.

    A folder's ``metadata.csv`` (see ``read_sidecar``) overrides what is read from its files. The
    doc_id is the path relative to the folder without extension; when two inputs give the same
    doc_id, the later one keeps its extension and then gets ``~2``, ``~3`` … Two readable reports
    of the same region, year and type (a government page and its mirror) are copies: the later one
    (by doc_id) gets status ``copy`` and ``copy_of``. ``analysis.parallel.process_corpus`` does the
    same in worker processes, with a cache.
    """
    docs = [d for item in plan_inputs(inputs, glob=glob, use_path=use_path)
            for d in load_input(item, max_bytes=max_bytes)]
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


# The first twelve as before (other tools read them by position); hierarchy, sources, provenance after.
DOCUMENT_COLUMNS = [
    "doc_id", "region", "report_year", "doc_type", "encoding", "script", "raw_chars",
    "clean_chars", "boilerplate_chars", "duplicates_dropped", "status", "warnings",
    "level", "parent", "region_code", "region_source", "report_year_source", "doc_type_source",
    "level_source", "parent_source", "source_file", "source_row", "source_page", "reader",
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
            "level": d.level, "parent": d.parent, "region_code": d.region_code,
            "region_source": d.region_source, "report_year_source": d.report_year_source,
            "doc_type_source": d.doc_type_source, "level_source": d.level_source,
            "parent_source": d.parent_source, "source_file": d.source_file, "source_row": d.source_row,
            "source_page": d.source_page, "reader": d.reader,
        })
    df = pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)
    df["report_year"] = df["report_year"].astype("Int64")
    df["source_row"] = df["source_row"].astype("Int64")
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
    """Write each document's clean text to ``out_dir/<safe_name(doc_id)>.txt`` (UTF-8); return the paths.

    Documents without text (missing, empty, binary ...) are not written; they are in the
    documents table with their status.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for d in docs:
        if not d.text:
            continue
        p = out / f"{safe_name(d.doc_id)}.txt"
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
