"""Where things live. Paths resolve from the package, never from the working directory."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parent
DATA_DIR: Path = PACKAGE_DIR / "data"
PROJECT_DIR: Path = PACKAGE_DIR.parent
SEEDS_DIR: Path = PROJECT_DIR / "seeds"
NOTEBOOKS_DIR: Path = PROJECT_DIR / "notebooks"
OUTPUTS_DIR: Path = PROJECT_DIR / "outputs"


def data_file(name: str) -> Path:
    """Path of a vocabulary file shipped inside the package (``analysis/data``)."""
    return DATA_DIR / name
