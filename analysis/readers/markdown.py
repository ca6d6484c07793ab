"""Markdown (``.md``): YAML front matter becomes metadata hints; markup is stripped.

Headings lose their ``#``, emphasis its ``*``/``_``, links keep their text, images, HTML comments
and footnote marks go; table rows are kept as text lines (cells joined by a space) and their
``|---|`` rulers dropped. Front matter keys are kept as hints (title, source/url, date, region …).
Every step only deletes characters (the space joining two table cells stands for the gap between
them), so the record carries the map from each text position to its position in the decoded file.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..offsets import Edit, apply_edits, identity_map
from . import Record
from ._decode import decode_or_record

EXTENSIONS = (".md", ".markdown")

_FRONT_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """(keys, body) of a text that may open with YAML front matter."""
    keys, start = _front_matter_at(text)
    return keys, text[start:]


def _front_matter_at(text: str) -> tuple[dict[str, str], int]:
    """(keys, where the body starts) of a text that may open with YAML front matter."""
    m = _FRONT_RE.match(text)
    if not m:
        return {}, 0
    block = m.group(1)
    keys: dict[str, str] = {}
    import yaml  # a required dependency (PyYAML)

    try:
        loaded = yaml.safe_load(block)
    except (yaml.YAMLError, ValueError):  # not valid YAML (ValueError: a date such as 2021-02-30)
        for line in block.splitlines():  # read simple "key: value" lines
            k, sep, v = line.partition(":")
            if sep and k.strip():
                keys[k.strip().lower()] = v.strip().strip("'\"")
    else:
        if isinstance(loaded, dict):
            keys = {str(k).strip().lower(): str(v).strip() for k, v in loaded.items() if v is not None}
    return keys, m.end()


_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_TABLE_LINE_RE = re.compile(r"^[ \t]*\|[^\n]*$", re.M)
_RULE_LINE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$\n?", re.M)
_SUBS = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # heading marks
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # quotes
    (re.compile(r"^\[\^[^\]\n]*\]:\s*", re.M), ""),  # footnote definitions keep their text
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),  # images
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[\^[^\]\n]*\]"), ""),  # footnote marks
    (re.compile(r"(\*{1,3}|_{2,3})(\S(?:[^\n]*?\S)?)\1"), r"\2"),  # emphasis
    (re.compile(r"\*\*"), ""),
    (re.compile(r"[ \t]{2,}$", re.M), ""),  # hard breaks
]


def _table_row_edits(m: re.Match) -> list[Edit]:
    """Edits that turn a table row into its non-empty cells joined by a space (a ruler into nothing)."""
    g, base = m.group(), m.start()
    if _TABLE_RULE_RE.match(g):
        return [(m.start(), m.end(), "")]
    # The cells as ``g.strip().strip("|").split("|")`` with each cell stripped, but as spans of the file.
    inner = g.strip()
    off = base + len(g) - len(g.lstrip())
    off += len(inner) - len(inner.lstrip("|"))
    cells: list[tuple[int, int]] = []
    for cell in inner.strip("|").split("|"):
        core = cell.strip()
        if core:
            lead = len(cell) - len(cell.lstrip())
            cells.append((off + lead, off + lead + len(core)))
        off += len(cell) + 1
    if not cells:
        return [(m.start(), m.end(), "")]
    edits: list[Edit] = [(m.start(), cells[0][0], "")]
    # The joining space stands for the gap (at least the "|") between two cells.
    edits += [(a[1], b[0], " ") for a, b in zip(cells, cells[1:])]
    edits.append((cells[-1][1], m.end(), ""))
    return [e for e in edits if e[1] > e[0] or e[2]]


def _sub(rx: re.Pattern, repl: str, text: str, cmap: np.ndarray) -> tuple[str, np.ndarray]:
    """``rx.sub(repl, text)`` for a ``repl`` that is "" or one group, as deletions that carry the map."""
    group = int(repl[1:]) if repl else 0
    edits: list[Edit] = []
    for m in rx.finditer(text):
        if group:  # keep the group, delete what surrounds it
            edits += [(m.start(), m.start(group), ""), (m.end(group), m.end(), "")]
        else:
            edits.append((m.start(), m.end(), ""))
    return apply_edits(text, cmap, [e for e in edits if e[1] > e[0]])


def strip_markup_map(body: str) -> tuple[str, np.ndarray]:
    """(plain text, map): ``map[i]`` is the position in ``body`` of plain-text character ``i``
    (one extra entry for the end). Every step deletes characters, except the space that joins
    two table cells, which stands at the position of the gap between them."""
    text, cmap = body, identity_map(len(body))
    text, cmap = _sub(_COMMENT_RE, "", text, cmap)
    edits = [e for m in _TABLE_LINE_RE.finditer(text) for e in _table_row_edits(m)]
    text, cmap = apply_edits(text, cmap, edits)
    text, cmap = _sub(_RULE_LINE_RE, "", text, cmap)
    for rx, repl in _SUBS:
        text, cmap = _sub(rx, repl, text, cmap)
    return text, cmap


def strip_markup(body: str) -> str:
    """Markdown body → plain text lines (see the module docstring)."""
    return strip_markup_map(body)[0]


def read(path: Path, data: bytes) -> list[Record]:
    got = decode_or_record(data)
    if isinstance(got, Record):
        return [got]
    text, encoding = got
    keys, start = _front_matter_at(text)
    plain, cmap = strip_markup_map(text[start:])
    hints = {k: v for k, v in keys.items() if v}
    if "source" in hints and "url" not in hints and hints["source"].startswith("http"):
        hints["url"] = hints["source"]
    # Raw offsets index the decoded file: the map skips the front matter and the markup.
    return [Record(text=plain, encoding=encoding, hints=hints, hint_source="front_matter" if hints else "",
                   file_text=text, file_map=cmap + start)]
