"""Where the shared real corpus is, for tests that use it (they skip when it is absent).

``GWR_CORPUS_DIR`` (or ``GWR_CORPUS``) may point at an unpacked copy (the folders 政府工作报告-…); else the archives in
``GWR_SHARED``/corpora or ``<checkout>/../shared/corpora`` are unpacked once into a temporary folder.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("GWR_SHARED") or Path(__file__).resolve().parents[1] / ".." / "shared")


_UNPACKED: list[Path] = []  # one unpacked copy per test session


def corpus_root(tmp_path_factory) -> Path:
    for name in ("GWR_CORPUS_DIR", "GWR_CORPUS"):
        unpacked = os.environ.get(name)
        if unpacked and Path(unpacked).is_dir():
            return Path(unpacked)
    if _UNPACKED:
        return _UNPACKED[0]
    archives = sorted((SHARED / "corpora").glob("gwr_*.tar.xz"))
    if not archives:
        pytest.skip("the shared corpus (../shared/corpora) is not here")
    root = tmp_path_factory.mktemp("gwr")
    for a in archives:
        with tarfile.open(a) as tar:
            tar.extractall(root, filter="data")
    _UNPACKED.append(root)
    return root
