"""Administrative areas for the lab profiles: read from inventory/data/areas/<prefix>.csv when it is there,
otherwise generate plausible 12-digit division codes (province 2 + city 2 + county 2 + township 3 + village 3)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

AREAS_DIR = Path(__file__).resolve().parent.parent / "inventory" / "data" / "areas"


@dataclass(frozen=True)
class Area:
    code: str  # 12 digits
    name: str
    parent_code: str | None


# Kaifu district's streets and towns (开福区), in code order; used when the area table is not available.
KAIFU_STREETS = (
    "东风路街道", "清水塘街道", "望麓园街道", "湘雅路街道", "伍家岭街道", "新河街道", "通泰街街道",
    "四方坪街道", "芙蓉北路街道", "洪山街道", "秀峰街道", "青竹湖街道", "捞刀河街道",
)  # fmt: skip
_COMMUNITY_STEMS = (
    "湘江", "德雅", "新河", "营盘", "潘家坪", "松桂园", "戥子桥", "湘春", "北站", "八一桥", "福城", "丝茅冲",
    "福安", "金泰", "马栏山", "鸭子铺", "东屯渡", "青竹", "大明", "万家丽", "兴旺", "望月", "晴岚", "金霞",
)  # fmt: skip
LINYI_COUNTIES = (
    ("371302", "兰山区"), ("371311", "罗庄区"), ("371312", "河东区"), ("371321", "沂南县"), ("371322", "郯城县"),
    ("371323", "沂水县"), ("371324", "兰陵县"), ("371325", "费县"), ("371326", "平邑县"), ("371327", "莒南县"),
    ("371328", "蒙阴县"), ("371329", "临沭县"),
)  # fmt: skip


def read_area_csv(prefix: str) -> list[Area] | None:
    """Areas of `inventory/data/areas/<prefix>.csv` (columns code,name,parent_code), or None when absent."""
    path = AREAS_DIR / f"{prefix}.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        return [Area(r["code"], r["name"], r.get("parent_code") or None) for r in csv.DictReader(fh)]


def children(areas: list[Area], parent_code: str) -> list[Area]:
    return sorted((a for a in areas if a.parent_code == parent_code), key=lambda a: a.code)


def kaifu_areas() -> list[Area]:
    """Kaifu district 430105: 13 streets and 102 communities (real table if present, else generated)."""
    real = read_area_csv("430105")
    if real:
        return real
    areas = [Area("430000000000", "湖南省", None), Area("430100000000", "长沙市", "430000000000")]
    areas.append(Area("430105000000", "开福区", "430100000000"))
    per_street = [8] * 11 + [7, 7]  # 102 communities over 13 streets
    for s, (street, count) in enumerate(zip(KAIFU_STREETS, per_street, strict=True), start=1):
        street_code = f"430105{s:03d}000"
        areas.append(Area(street_code, street, "430105000000"))
        for v in range(1, count + 1):
            stem = _COMMUNITY_STEMS[(s * 7 + v * 5) % len(_COMMUNITY_STEMS)]
            areas.append(Area(f"430105{s:03d}{v:03d}", f"{stem}{_ordinal(v)}社区", street_code))
    return areas


def linyi_areas() -> list[Area]:
    """Linyi city 3713: its counties, townships and villages (real table if present, else generated)."""
    real = read_area_csv("3713")
    if real:
        return real
    areas = [Area("370000000000", "山东省", None), Area("371300000000", "临沂市", "370000000000")]
    for c, (county, cname) in enumerate(LINYI_COUNTIES):
        county_code = f"{county}000000"
        areas.append(Area(county_code, cname, "371300000000"))
        for t in range(1, 14):
            # Streets near the county seat, then towns (100-199) — the code ranges of the national table.
            tcode = t if t <= 4 else 100 + t
            town_code = f"{county}{tcode:03d}000"
            suffix = "街道" if t <= 4 else "镇"
            areas.append(Area(town_code, f"{cname[:-1]}第{t}{suffix}", county_code))
            for v in range(1, 17 + (c + t) % 8):
                vcode = v if t <= 4 else 200 + v  # communities in streets, villages in towns
                kind = "社区" if t <= 4 else "村"
                areas.append(Area(f"{county}{tcode:03d}{vcode:03d}", f"第{v}{kind}", town_code))
    return areas


def _ordinal(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)
