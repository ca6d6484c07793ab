"""Markdown (``.md``): YAML front matter becomes metadata hints; markup is stripped.

Headings lose their ``#``, emphasis its ``*``/``_``, links keep their text, images, HTML comments
and footnote marks go; table rows are kept as text lines (cells joined by a space) and their
``|---|`` rulers dropped. Front matter keys are kept as hints (title, source/url, date, region …).
"""

from __future__ import annotations

import re
from pathlib import Path

from . import Record
from ._decode import decode_or_record

EXTENSIONS = (".md", ".markdown")

_FRONT_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """(keys, body) of a text that may open with YAML front matter."""
    m = _FRONT_RE.match(text)
    if not m:
        return {}, text
    block, body = m.group(1), text[m.end():]
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
    return keys, body


_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


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


def _table_row(m: re.Match) -> str:
    if _TABLE_RULE_RE.match(m.group()):
        return ""
    cells = [c.strip() for c in m.group().strip().strip("|").split("|")]
    return " ".join(c for c in cells if c)


def strip_markup(body: str) -> str:
    """Markdown body → plain text lines (see the module docstring)."""
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"^[ \t]*\|[^\n]*$", _table_row, body, flags=re.M)
    body = _RULE_LINE_RE.sub("", body)
    for rx, repl in _SUBS:
        body = rx.sub(repl, body)
    return body


def read(path: Path, data: bytes) -> list[Record]:
    got = decode_or_record(data)
    if isinstance(got, Record):
        return [got]
    text, encoding = got
    keys, body = front_matter(text)
    hints = {k: v for k, v in keys.items() if v}
    if "source" in hints and "url" not in hints and hints["source"].startswith("http"):
        hints["url"] = hints["source"]
    return [Record(text=strip_markup(body), encoding=encoding, hints=hints,
                   hint_source="front_matter" if hints else "")]
