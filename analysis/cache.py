"""An incremental cache of per-document results, under the output folder.

A document's result (clean text, documents-table row, facts, text measures) is a pure function of
its input file and of the package: its code, its version and its vocabularies (``analysis/data``).
The cache key is therefore

    sha256(file bytes) + the file's name relative to the corpus root (the doc_id comes from it)
    + the package fingerprint (version, every vocabulary file's hash, the hash of every module that
      makes per-document results: all but the downstream ones listed in ``DOWNSTREAM_MODULES``).

Adding ten reports to a corpus re-reads only those ten; editing the codebook or any other
vocabulary file changes the fingerprint and so invalidates every entry. Entries are pickles written
atomically (temporary file, then rename), one per input file, in ``<output>/cache/<fingerprint>/``;
entries of older fingerprints are removed when a new fingerprint writes its first entry.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .paths import DATA_DIR, PACKAGE_DIR

CACHE_DIRNAME = "cache"
# Bumped when the layout of a cached entry changes.
ENTRY_FORMAT = 1


def file_sha256(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes ("missing" when it cannot be read: the reader reports why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return "missing"
    return h.hexdigest()


def _tree_hashes(root: Path, pattern: str) -> list[tuple[str, str]]:
    return [(p.relative_to(root).as_posix(), file_sha256(p))
            for p in sorted(root.rglob(pattern)) if p.is_file() and "__pycache__" not in p.parts]


# Modules that only use the per-document results (tables, figures, report, runner): editing them
# leaves the cache valid. Every other module, including any new one, is part of the fingerprint.
DOWNSTREAM_MODULES = frozenset({
    "__main__.py", "pipeline.py", "match.py", "figures.py", "report.py", "findings.py", "hierarchy.py",
    "filters.py", "export.py", "score.py", "schema.py", "validate.py", "fonts.py",
})


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Hash of the package version, the vocabulary files and the source of the modules that make
    per-document results (16 hex digits)."""
    h = hashlib.sha256(f"{__version__}|{ENTRY_FORMAT}".encode())
    modules = [(n, d) for n, d in _tree_hashes(PACKAGE_DIR, "*.py") if n not in DOWNSTREAM_MODULES]
    for name, digest in _tree_hashes(DATA_DIR, "*") + modules:
        h.update(f"{name}={digest}\n".encode())
    return h.hexdigest()[:16]


class ResultCache:
    """Per-input-file results on disk. ``enabled=False`` keeps them only for this run (a temp folder).

    Either way results live on disk, not in memory, so a corpus of thousands of reports can be
    streamed document by document.
    """

    def __init__(self, output_dir: str | os.PathLike | None, enabled: bool = True,
                 root: str | os.PathLike | None = None):
        # ``root`` puts the cache elsewhere than ``output_dir/cache``: the pipeline keeps it beside the
        # output folder, which an atomic run replaces as a whole.
        self.enabled = enabled and (output_dir is not None or root is not None)
        self.fingerprint = package_fingerprint()
        if self.enabled:
            self.root = Path(root) if root is not None else Path(output_dir) / CACHE_DIRNAME
            self.folder = self.root / self.fingerprint
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="gwr-results-")
            self.root = self.folder = Path(self._tmp.name)
        self.hits = 0
        self.misses = 0

    def key(self, path: str | os.PathLike, name: str) -> str:
        """The entry key of an input file whose documents are named from ``name``."""
        return hashlib.sha256(f"{file_sha256(path)}|{name}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pkl"

    def get(self, key: str) -> Any | None:
        """The stored result, or None (counted as a hit or a miss). Only for an enabled cache."""
        if not self.enabled:
            self.misses += 1
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> Path:
        """Store a result atomically; return where."""
        path = self._path(key)
        if not self.folder.exists() and self.enabled:
            self._drop_stale()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return path

    def load(self, key: str) -> Any:
        """A result this run stored (raises when it is gone)."""
        with open(self._path(key), "rb") as fh:
            return pickle.load(fh)

    def _drop_stale(self) -> None:
        """Entries of other fingerprints can never be used again: remove them."""
        if self.root.is_dir():
            for old in self.root.iterdir():
                if old.is_dir() and old.name != self.fingerprint:
                    shutil.rmtree(old, ignore_errors=True)
