"""Plain text (``.txt``, and any file without a known suffix): the decoded file, as it is."""

from __future__ import annotations

from pathlib import Path

from . import Record
from ._decode import decode_or_record

EXTENSIONS = (".txt", ".text")


def read(path: Path, data: bytes) -> list[Record]:
    got = decode_or_record(data)
    if isinstance(got, Record):
        return [got]
    text, encoding = got
    return [Record(text=text, encoding=encoding)]
