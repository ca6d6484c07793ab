"""Web pages (``.html``, ``.htm``): the main content through trafilatura (Apache-2.0).

The charset is the page's own (``<meta charset>`` or ``http-equiv`` content type), else guessed
like a text file. trafilatura drops navigation, comments and footers and keeps tables; when it
finds no main content (a very short page) the page's whole text is used, so nothing is lost
silently. The page title becomes the ``title`` hint, its date the ``date`` hint.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import Record
from ._decode import decode_or_record

EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml")

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Labels that pages use for a wider encoding than they name.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def page_charset(data: bytes) -> str | None:
    m = _META_CHARSET_RE.search(data[:8192])
    return m.group(1).decode("ascii").lower() if m else None


def decode_page(data: bytes) -> tuple[str, str] | Record:
    charset = page_charset(data)
    if charset:
        enc = _WIDER.get(charset, charset)
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass  # the page lies about its charset: guess instead
    return decode_or_record(data)


def read(path: Path, data: bytes) -> list[Record]:
    got = decode_page(data)
    if isinstance(got, Record):
        return [got]
    html, encoding = got
    import trafilatura

    hints: dict[str, str] = {}
    text = None
    try:
        doc = trafilatura.bare_extraction(html, include_tables=True, include_comments=False,
                                          favor_recall=True, with_metadata=True)
        if doc is not None:
            d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
            text = d.get("text")
            for key in ("title", "date", "url"):
                if d.get(key):
                    hints[key] = str(d[key])
    except Exception:  # a malformed page: fall back to its whole text below
        text = None
    if not text or len(text) < 200:
        whole = trafilatura.html2txt(html) or ""
        text = whole if len(whole) > len(text or "") else text
    if not text:
        return [Record(status="empty", problem="the page has no text", encoding=encoding)]
    return [Record(text=text, encoding=encoding, hints=hints, hint_source="html_meta" if hints else "")]
