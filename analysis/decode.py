"""Bytes of a scraped report → text, saying which encoding was used.

Order: byte-order marks; binary signatures; UTF-16 only with clear evidence (NUL bytes at
alternating positions: almost any byte string decodes as UTF-16); strict UTF-8; then
GB18030 vs Big5, choosing the decoding whose Chinese characters are common ones
(a wrong double-byte decoding yields rare characters).
"""

from __future__ import annotations

import codecs
from functools import lru_cache

from .paths import data_file


class DecodeError(ValueError):
    """The bytes are not text we can read; ``status`` says why (binary, undecodable)."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


# File signatures of formats that are sometimes saved with a .txt name.
BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP/Office file",
    b"\x1f\x8b": "a gzip file",
    b"\xd0\xcf\x11\xe0": "an old Office file",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"RIFF": "a RIFF (WebP/WAV) file",
    b"\x7fELF": "an executable",
}

# A decoding with more U+FFFD than this share is refused; below it we accept with a warning.
MAX_REPLACEMENT_SHARE = 0.002


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """Frequent Chinese characters (simplified and traditional), from ``data/common_chars.txt``."""
    chars: set[str] = set()
    with open(data_file("common_chars.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                chars.update(line.strip())
    return frozenset(chars)


def _cjk_share_common(text: str) -> float:
    """Share of CJK characters that are common ones (1.0 for a right decoding of real Chinese)."""
    common = common_chars()
    total = hits = 0
    for ch, n in _char_counts(text):
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch > "\uffff":
            total += n
            if ch in common:
                hits += n
        elif "\ue000" <= ch <= "\uf8ff":  # private use: a sure sign of a wrong decoding
            total += n
    return hits / total if total else 0.0


def _char_counts(text: str):
    from collections import Counter

    return Counter(text).items()


def _binary_kind(data: bytes) -> str | None:
    for sig, kind in BINARY_SIGNATURES.items():
        if data.startswith(sig):
            return kind
    return None


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3000" <= ch <= "\u303f" \
        or "\uff00" <= ch <= "\uffef"


def _utf16_evidence(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for UTF-16 text without a byte-order mark, else None.

    Two kinds of evidence are both required, because almost any even-length byte string decodes as
    UTF-16: (1) zero bytes sit at alternating positions — the high byte of ASCII digits, spaces and
    line breaks, which even a Chinese report has — and mostly on one side (the other side's zeros
    are the low bytes of CJK code points such as 一 U+4E00); (2) the decoding is mostly CJK text
    (or plain ASCII) whose Chinese characters are common ones.
    """
    sample = data[:65536]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd >= max(2, 0.005 * half) and even <= 0.5 * odd:
        codecs_to_try = ("utf-16-le", "utf-16-be")
    elif even >= max(2, 0.005 * half) and odd <= 0.5 * even:
        codecs_to_try = ("utf-16-be", "utf-16-le")
    else:
        return None
    # Zeros on one side only: ASCII (zero high byte) in one byte order, or CJK code points such as
    # 一 U+4E00 (zero low byte) in the other; the decoding decides which.
    for codec in codecs_to_try:
        if _reads_as_text(data[: len(data) // 2 * 2], codec):
            return codec
    return None


def _reads_as_text(data: bytes, codec: str) -> bool:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return False
    if text.isascii():
        return all(ch.isprintable() or ch in "\t\r\n" for ch in text[:4096])
    visible = [ch for ch in text[:20000] if not ch.isspace() and not ch.isascii()]
    cjk_share = sum(map(_is_cjk, visible)) / max(len(visible), 1)
    return cjk_share >= 0.8 and _cjk_share_common(text) > 0.8


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a report's bytes; return ``(text, encoding)``. Raises ``DecodeError``."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return data.decode("utf-32", errors="replace"), "utf-32"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data[: len(data) // 2 * 2].decode("utf-16", errors="replace"), "utf-16"
    kind = _binary_kind(data)
    if kind:
        raise DecodeError("binary", f"binary file ({kind}), not text")
    utf16 = _utf16_evidence(data)
    if utf16:
        return data[: len(data) // 2 * 2].decode(utf16, errors="replace"), utf16
    if b"\x00" in data[:65536]:
        raise DecodeError("binary", "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for order, codec in enumerate(("gb18030", "big5", "cp950")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # Ties go to the first codec in the order above (GB18030 can encode everything).
        candidates.append((_cjk_share_common(text), -order, codec))
    if candidates:
        score, _, codec = max(candidates)
        if score >= 0.6:
            return data.decode(codec), codec
    # Nothing decodes cleanly: accept a nearly clean decoding (a few broken bytes are common
    # in scraped pages), refuse the rest.
    best: tuple[float, str, str] | None = None
    for codec in ("utf-8", "gb18030", "big5"):
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd") / max(len(text), 1)
        if bad <= MAX_REPLACEMENT_SHARE and _cjk_share_common(text) >= 0.6:
            if best is None or bad < best[0]:
                best = (bad, text, codec)
    if best is not None:
        return best[1], best[2] + "+replace"
    if _control_share(data) > 0.05:
        raise DecodeError("binary", "binary file (control bytes), not text")
    raise DecodeError("undecodable", "not decodable as UTF-8, UTF-16, GB18030 or Big5")


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    ctrl = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 13))
    return ctrl / max(len(sample), 1)
