"""A CJK font for figures that works on a fresh machine, and a loud failure when a glyph is missing.

The ``mplfonts`` package ships Noto Sans CJK SC (SIL Open Font License) as a plain file. We register that
file with matplotlib's in-memory font manager and select it. We deliberately do NOT run ``mplfonts init``
or call ``mplfonts.use_font``: they rewrite matplotlib's files in site-packages and its cache. The SimHei
file that ``mplfonts`` also carries is proprietary and is never used.

Matplotlib draws a missing glyph as an empty box and only warns; ``check_glyphs`` and
``glyph_warnings_as_errors`` turn that into an error naming the characters.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

FONT_FILE = "NotoSansCJKsc-Regular.otf"
# Proprietary fonts that mplfonts also carries: never registered, never returned.
_FORBIDDEN_FONT_FILES = frozenset({"simhei.ttf"})
# Matplotlib's warning text for a character its fonts cannot draw (Agg and SVG both emit it).
_GLYPH_WARNING = r"Glyph .* missing from"
# Fixed salt for the ids matplotlib writes into SVG files, so reruns give identical bytes.
SVG_HASH_SALT = "gov-work-reports"


class MissingGlyphError(RuntimeError):
    """Text in a figure uses characters the selected font cannot draw (they would print as empty boxes)."""


def _is_forbidden(path: Path) -> bool:
    return path.name.lower() in _FORBIDDEN_FONT_FILES or "simhei" in path.name.lower()


def _candidate_rank(path: Path) -> tuple[int, str] | None:
    """Sort key of a font file that may serve as the CJK sans font; None when it may not."""
    name = path.name.lower()
    if _is_forbidden(path) or path.suffix.lower() not in (".otf", ".ttf", ".ttc"):
        return None
    if "noto" not in name or not ("cjk" in name or name.endswith(("sc-regular.otf", "sc-regular.ttf"))):
        return None
    # Prefer the sans face, then the mono one; a serif face only as a last resort.
    rank = 0 if path.name == FONT_FILE else 1 if "mono" not in name and "serif" not in name else \
        2 if "mono" in name else 3
    return rank, name


def cjk_font_path() -> Path:
    """The Noto Sans CJK SC file shipped inside the ``mplfonts`` package; clear error when absent.

    Found through the import system without importing ``mplfonts`` (its import has no use here). The exact
    file ``NotoSansCJKsc-Regular.otf`` is preferred; otherwise any Noto CJK file in the package. SimHei is
    never returned.
    """
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the CJK font for figures is missing: install the mplfonts package "
                                "(it ships Noto Sans CJK SC)")
    found: list[tuple[tuple[int, str], Path]] = []
    for base in spec.submodule_search_locations:
        for path in sorted(Path(base).rglob("*")):
            rank = _candidate_rank(path) if path.is_file() else None
            if rank is not None:
                found.append((rank, path))
    if not found:
        raise FileNotFoundError(f"mplfonts is installed but has no Noto Sans CJK font file (looked for "
                                f"{FONT_FILE} under {', '.join(spec.submodule_search_locations)})")
    return min(found)[1]


@lru_cache(maxsize=None)
def _registered(path: str) -> str:
    """Add the font file to matplotlib's in-memory font list once; its family name."""
    from matplotlib import font_manager

    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def use_cjk_font() -> str:
    """Register Noto Sans CJK SC and make it matplotlib's sans-serif font; returns its family name.

    Idempotent: calling it again changes nothing. Only matplotlib's in-memory state is touched.
    """
    import matplotlib

    name = _registered(str(cjk_font_path()))
    others = [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    matplotlib.rcParams["font.sans-serif"] = [name, *others]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    # ASCII hyphen-minus for negative numbers: one glyph fewer to worry about in every font.
    matplotlib.rcParams["axes.unicode_minus"] = False
    # Reproducible SVG: fixed ids (hash salt) and text drawn as paths (no font needed to view the file).
    matplotlib.rcParams["svg.hashsalt"] = SVG_HASH_SALT
    matplotlib.rcParams["svg.fonttype"] = "path"
    return name


@lru_cache(maxsize=None)
def _covered_codepoints(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        cmap = font.getBestCmap() or {}
    return frozenset(cmap)


def _needs_glyph(ch: str) -> bool:
    # Whitespace and control/format characters are never drawn as glyphs. Private-use (Co), unassigned (Cn)
    # and surrogate (Cs) characters are drawn, so they must be in the font.
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")


def missing_glyphs(texts: Iterable[str], font_path: Path | str | None = None) -> list[str]:
    """Characters of ``texts`` the font (default: the CJK font) has no glyph for, sorted, each once."""
    covered = _covered_codepoints(str(font_path or cjk_font_path()))
    found = {ch for text in texts for ch in str(text) if _needs_glyph(ch) and ord(ch) not in covered}
    return sorted(found)


def check_glyphs(texts: Iterable[str] | str, font_path: Path | str | None = None) -> None:
    """Raise ``MissingGlyphError`` (a RuntimeError) naming every character of ``texts`` the font cannot draw.

    ``texts`` is one string or an iterable of strings.
    """
    texts = [texts] if isinstance(texts, str) else [str(t) for t in texts]
    missing = missing_glyphs(texts, font_path)
    if missing:
        where = sorted({t for t in texts if any(ch in t for ch in missing)})
        shown = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing)
        font = Path(font_path or cjk_font_path()).name
        raise MissingGlyphError(f"{font} has no glyph for {shown}; used in: {'; '.join(where[:5])}"
                                f"{' …' if len(where) > 5 else ''}")


@contextlib.contextmanager
def glyph_warnings_as_errors() -> Iterator[None]:
    """Within the block, matplotlib's "Glyph ... missing from font" warning raises instead of drawing a box."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=_GLYPH_WARNING)
        yield


def is_glyph_warning(exc: BaseException) -> bool:
    """Whether an exception is matplotlib's missing-glyph warning raised as an error."""
    return isinstance(exc, UserWarning) and re.search(_GLYPH_WARNING, str(exc)) is not None
