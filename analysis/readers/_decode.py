"""Bytes → text for the text-based readers (shared helper, not a reader)."""

from __future__ import annotations

from ..decode import DecodeError, decode_bytes
from . import Record


def decode_or_record(data: bytes) -> tuple[str, str] | Record:
    """(text, encoding), or a Record with the status when the bytes are not readable text."""
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        return Record(status=exc.status, problem=str(exc))
