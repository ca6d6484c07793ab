"""China's administrative hierarchy: resolve a region name to its code, level, parent and place.

The units come from the gazetteer shipped by the ``cpca`` package (MIT; ``resources/adcodes.csv``:
12-digit adcodes with names and coordinates for provinces, prefectures and county-level units),
read as data without importing ``cpca``. Level and parent follow from the code: ``XX0000`` is a
province (the four municipalities included), ``XXYY00`` a prefecture, anything else a county-level
unit whose parent is its prefecture (or its province where the prefecture slot is a placeholder such as
市辖区 or 省直辖县级行政区划). Names the gazetteer lacks — historical names, mergers, the nation,
a few short forms — are in ``data/region_aliases.csv``. Short names (上海, 五莲, 广西) are derived by
rule: the name without its unit suffix and, for autonomous units, without the ethnic names.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

_DATA = Path(__file__).resolve().parent / "data"
LEVELS = ("national", "province", "prefecture", "district", "county", "county_city")
# Placeholders in the prefecture slot, not real units.
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区",
             "省", "市", "县", "区", "旗", "盟")


@dataclass(frozen=True)
class Region:
    name: str
    code: str  # 6-digit adcode
    level: str  # one of LEVELS
    parent: str  # province for a prefecture, prefecture (or municipality) for a county-level unit, 中国 for a province
    lat: float | None = None
    lon: float | None = None
    until: int | None = None  # last year under this name (historical names only)


def _gazetteer_file() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gazetteer package cpca is not installed (pip install cpca)")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


def _level_from_code(code: str, name: str) -> str:
    if code == "100000":
        return "national"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    if name.endswith("区") and not name.endswith("林区"):
        return "district"
    if name.endswith("市"):
        return "county_city"
    return "county"


def level_from_suffix(name: str) -> str | None:
    """A level guessed from the name's ending only (for names the gazetteer does not know)."""
    if re.search(r"(?:省|自治区|特别行政区)$", name) or name in ("北京市", "上海市", "天津市", "重庆市"):
        return "province"
    if re.search(r"(?:市|自治州|地区|盟)$", name):
        return "prefecture"
    if name.endswith("区"):
        return "district"
    if re.search(r"(?:县|旗)$", name):
        return "county"
    return None


@lru_cache(maxsize=1)
def _nations() -> tuple[str, ...]:
    f = _gazetteer_file().parent / "56_nations.csv"
    names = [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    # Also without 族 (维吾尔自治区), longest first so 蒙古族 goes before 蒙古.
    forms = set(names) | {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    return tuple(sorted(forms, key=len, reverse=True))


def short_names(name: str) -> list[str]:
    """Short forms of a full name: 上海市 → 上海, 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边 / 延边州."""
    out = []
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf):
            stem = name[: -len(suf)]
            if suf.startswith("自治"):
                changed = True
                while changed:
                    changed = False
                    for n in _nations():
                        if stem.endswith(n) and len(stem) - len(n) >= 2:
                            stem, changed = stem[: -len(n)], True
                            break
                if suf == "自治州":
                    out.append(stem + "州")
            if len(stem) >= 2:
                out.append(stem)
            break
    return out


class Gazetteer:
    """All units by code, with lookups by full name and by short name."""

    def __init__(self, rows: Iterable[tuple[str, str, float | None, float | None]],
                 aliases: Iterable[dict[str, str]] = ()):
        names = {code: name for code, name, _, _ in rows}
        self.by_code: dict[str, Region] = {}
        for code, name, lon, lat in rows:
            if name in _PLACEHOLDERS:
                continue
            level = _level_from_code(code, name)
            if level == "province":
                parent = "中国"
            elif level == "prefecture":
                parent = names.get(code[:2] + "0000", "")
            else:
                pref = names.get(code[:4] + "00")
                parent = pref if pref and pref not in _PLACEHOLDERS else names.get(code[:2] + "0000", "")
            self.by_code[code] = Region(name, code, level, parent, lat, lon)
        self.by_name: dict[str, list[Region]] = {}
        self.by_short: dict[str, list[Region]] = {}
        for r in self.by_code.values():
            self.by_name.setdefault(r.name, []).append(r)
            for s in short_names(r.name):
                self.by_short.setdefault(s, []).append(r)
        for a in aliases:
            target = self.by_name.get(a["name"]) if a.get("name") else None
            if target and not a.get("until"):
                self.by_short.setdefault(a["alias"], []).extend(target)  # a short form of a live unit
                continue
            known = self.by_code.get(a["code"]) if not a.get("until") else None
            region = known or Region(a["alias"], a["code"], a["level"], a["parent"],
                                     until=int(a["until"]) if a.get("until") else None)
            self.by_name.setdefault(a["alias"], []).append(region)

    def candidates(self, name: str) -> list[Region]:
        """Every unit this name may stand for: full names first, else short names."""
        found = self.by_name.get(name) or self.by_short.get(name) or []
        return list({r.code + r.name: r for r in found}.values())

    def ancestors(self, region: Region) -> list[Region]:
        out, seen = [], set()
        r = region
        while r.parent and r.parent not in seen:
            seen.add(r.parent)
            ups = [p for p in self.by_name.get(r.parent, []) if p.code[:2] == r.code[:2]] or self.by_name.get(r.parent, [])
            if not ups:
                break
            r = ups[0]
            out.append(r)
        return out

    def resolve(self, name: str, context: Iterable[str] = ()) -> Region | None:
        """The unit a name stands for, or None when unknown or ambiguous.

        ``context`` holds other names known to enclose it (the 广州市 of 广州市荔湾区, a folder's
        province); among several units of one name the one inside the context wins, then the one
        of highest level when only one has it (吉林 → 吉林省).
        """
        name = (name or "").strip()
        cands = self.candidates(name)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        ctx = [c for c in context if c and c != name]
        if ctx:
            ctx_full = set(ctx)
            for c in ctx:
                ctx_full.update(r.name for r in self.candidates(c))
            inside = [r for r in cands if any(a.name in ctx_full for a in self.ancestors(r))]
            if len(inside) == 1:
                return inside[0]
            if inside:
                cands = inside
        rank = {lv: i for i, lv in enumerate(LEVELS)}
        best = min(rank[r.level] for r in cands)
        top = [r for r in cands if rank[r.level] == best]
        live = [r for r in top if r.until is None]
        top = live or top
        return top[0] if len(top) == 1 else None

    def longest_name_at(self, text: str, start: int, max_len: int = 12) -> str | None:
        """The longest known full or short name that starts at ``text[start]``."""
        for n in range(min(max_len, len(text) - start), 1, -1):
            piece = text[start:start + n]
            if piece in self.by_name or piece in self.by_short:
                return piece
        return None


def _read_aliases() -> list[dict[str, str]]:
    lines = [ln for ln in (_DATA / "region_aliases.csv").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, read once per process."""
    rows = []
    with open(_gazetteer_file(), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            code = rec["adcode"][:6]
            lon = float(rec["longitude"]) if rec.get("longitude") else None
            lat = float(rec["latitude"]) if rec.get("latitude") else None
            rows.append((code, rec["name"], lon, lat))
    return Gazetteer(rows, _read_aliases())


def resolve(name: str, context: Iterable[str] = ()) -> Region | None:
    """Resolve one name (full, short or historical) to a Region; see ``Gazetteer.resolve``."""
    return gazetteer().resolve(name, context)
