"""Positions in the clean text mapped back to the raw file.

Normalisation is a chain of edits (delete a span, replace a span by other text). Each edit
keeps, for every character of the new text, the raw position it came from. During the
chain the map is a numpy array (fast to slice and concatenate); the Document keeps a
compact piecewise-linear ``OffsetMap`` (one entry per break, not per character), so a
thousand 50k-character reports do not cost gigabytes of Python ints.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterator, Sequence

import numpy as np

# An edit: replace text[start:end] by `replacement` ("" deletes).
Edit = tuple[int, int, str]


def identity_map(n: int) -> np.ndarray:
    """Map of an unedited text of ``n`` characters (plus the end position)."""
    return np.arange(n + 1, dtype=np.int64)


def apply_edits(text: str, cmap: np.ndarray, edits: Sequence[Edit]) -> tuple[str, np.ndarray]:
    """Apply non-overlapping edits to ``text`` and carry the position map along.

    ``cmap`` has ``len(text) + 1`` entries (the last one is the end position). A replacement
    of length m for the span [s, e) maps its characters to raw positions of the span, in
    order, the surplus ones to the span's last character.
    """
    if not edits:
        return text, cmap
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    parts: list[str] = []
    maps: list[np.ndarray] = []
    pos = 0
    for start, end, repl in edits:
        if start < pos:  # overlapping edit: the earlier one wins
            continue
        parts.append(text[pos:start])
        maps.append(cmap[pos:start])
        if repl:
            span = max(end - start, 1)
            idx = np.minimum(np.arange(len(repl)), span - 1) + start
            idx = np.minimum(idx, len(text))
            parts.append(repl)
            maps.append(cmap[idx])
        pos = end
    parts.append(text[pos:])
    maps.append(cmap[pos:])  # includes the end entry
    return "".join(parts), np.concatenate(maps)


class OffsetMap(Sequence[int]):
    """``m[i]`` is the raw position of clean character ``i``; ``m[len(text)]`` is the raw end.

    Stored as runs: within a run, clean and raw positions advance together.
    """

    __slots__ = ("_starts", "_raws", "_n")

    def __init__(self, positions: np.ndarray | Sequence[int]):
        arr = np.asarray(positions, dtype=np.int64)
        self._n = int(arr.size)
        if self._n == 0:
            self._starts: list[int] = []
            self._raws: list[int] = []
            return
        breaks = np.flatnonzero(np.diff(arr) != 1) + 1
        starts = np.concatenate(([0], breaks))
        self._starts = starts.tolist()
        self._raws = arr[starts].tolist()

    def __len__(self) -> int:
        return self._n

    def _at(self, i: int) -> int:
        k = bisect_right(self._starts, i) - 1
        return self._raws[k] + (i - self._starts[k])

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("clean position out of range")
        return self._at(i)

    def __iter__(self) -> Iterator[int]:
        for k, start in enumerate(self._starts):
            stop = self._starts[k + 1] if k + 1 < len(self._starts) else self._n
            raw = self._raws[k]
            yield from range(raw, raw + stop - start)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OffsetMap):
            return (self._n, self._starts, self._raws) == (other._n, other._starts, other._raws)
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"OffsetMap(len={self._n}, runs={len(self._starts)})"

    def tolist(self) -> list[int]:
        """Every position, as a plain list."""
        return list(self)

    @property
    def runs(self) -> int:
        """How many linear runs the map has (a measure of how much was edited)."""
        return len(self._starts)
