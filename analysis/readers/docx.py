"""Word files (``.docx``) through python-docx (MIT): paragraphs in order, then table rows
(cells joined by a space), one per line. The core properties' title becomes the ``title`` hint."""

from __future__ import annotations

import io
from pathlib import Path

from . import Record

EXTENSIONS = (".docx",)


def read(path: Path, data: bytes) -> list[Record]:
    import docx  # a required dependency: imported here so the registry loads fast; missing → ImportError

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # not a Word file, or a damaged one
        return [Record(status="undecodable", problem=f"not a readable .docx file ({type(exc).__name__})")]
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = []
            for c in row.cells:  # merged cells repeat: keep each once
                if not cells or c.text != cells[-1]:
                    cells.append(c.text)
            lines.append(" ".join(x.strip() for x in cells if x.strip()))
    text = "\n".join(lines).strip()
    if not text:
        return [Record(status="empty", problem="the document has no text")]
    hints = {}
    title = (document.core_properties.title or "").strip()
    if title:
        hints["title"] = title
    return [Record(text=text, encoding="docx", hints=hints, hint_source="docx_properties" if hints else "")]
