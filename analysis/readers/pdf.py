"""PDF files with a text layer, through pypdf (BSD): the pages' text joined by blank lines.

A PDF whose pages carry (almost) no text — a scan — gets the status ``no_text_layer``: it needs
OCR first. ``Record.page`` is the page range read (``1-12``).
"""

from __future__ import annotations

import io
from pathlib import Path

from . import Record

EXTENSIONS = (".pdf",)
# Fewer visible characters per page than this: a scan, not a text layer.
MIN_CHARS_PER_PAGE = 20


def read(path: Path, data: bytes) -> list[Record]:
    from pypdf import PdfReader  # a required dependency: a missing one raises, never reads as a bad PDF

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(p.extract_text() or "") for p in reader.pages]
    except Exception as exc:  # damaged or encrypted
        return [Record(status="undecodable", problem=f"not a readable PDF ({type(exc).__name__}: {exc})")]
    if not pages:
        return [Record(status="empty", problem="the PDF has no pages")]
    visible = sum(len("".join(p.split())) for p in pages)
    page_range = f"1-{len(pages)}"
    if visible < MIN_CHARS_PER_PAGE * len(pages):
        return [Record(status="no_text_layer", page=page_range,
                       problem=f"{len(pages)} page(s) without a text layer (a scan?): run OCR first")]
    hints = {}
    try:
        title = (reader.metadata.title or "").strip() if reader.metadata else ""
        if title:
            hints["title"] = title
    except Exception:
        pass
    return [Record(text="\n\n".join(p.strip() for p in pages), encoding="pdf", page=page_range,
                   hints=hints, hint_source="pdf_metadata" if hints else "")]
