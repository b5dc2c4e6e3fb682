"""The coverage figures the planner pages show, reshaped from `inventory.coverage` (the definitions live there).

One cell per child area with covered/total units and the dedicated-line vs VPN split, the area's own total, and
the uncovered villages and communities with their names. No counting happens here.
"""

from __future__ import annotations

from dataclasses import dataclass

from inventory.coverage import coverage, coverage_by_child
from inventory.models import Area
from inventory.models.areas import LEVEL_ORDER, level_of

VARIANTS = ("registered", "online")
MODES = ("", "dedicated", "vpn")  # "" = both access modes
UNIT_LEVELS = ("county", "township", "village")


@dataclass(frozen=True)
class CoverageCell:
    """Coverage of one area: units at `level` below it, how many are covered (any mode, dedicated, VPN)."""

    code: str
    name: str
    level: str
    covered: int
    total: int
    dedicated: int
    vpn: int
    exclusion: str = ""

    @property
    def rate(self) -> float | None:
        return self.covered / self.total if self.total else None


@dataclass(frozen=True)
class UncoveredUnit:
    code: str
    name: str
    kind: str  # community / village / similar
    township: str


def child_level_of(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def unit_levels_below(level: str) -> list[str]:
    return [lvl for lvl in UNIT_LEVELS if LEVEL_ORDER.index(lvl) > LEVEL_ORDER.index(level)]


def _mode(mode: str) -> str | None:
    return mode or None


def coverage_cells(area_code: str, level: str, variant: str) -> list[CoverageCell]:
    """One cell per child area of `area_code`, counting units at `level` (all modes, dedicated, VPN)."""
    child_level = child_level_of(level_of(area_code))
    if child_level is None or LEVEL_ORDER.index(child_level) > LEVEL_ORDER.index(level):
        return []
    by_mode = {
        mode: coverage_by_child(
            area_code, child_level=child_level, level=level, variant=variant, access_mode=_mode(mode)
        )
        for mode in MODES
    }
    return [
        CoverageCell(
            code=row.code,
            name=row.name,
            level=child_level,
            covered=row.covered,
            total=row.total,
            dedicated=dedicated.covered,
            vpn=vpn.covered,
            exclusion=row.exclusion,
        )
        for row, dedicated, vpn in zip(by_mode[""], by_mode["dedicated"], by_mode["vpn"], strict=True)
    ]


def coverage_total(area_code: str, level: str, variant: str) -> CoverageCell:
    area = Area.objects.get(code=area_code)
    results = {mode: coverage(area_code, level, variant=variant, access_mode=_mode(mode)) for mode in MODES}
    return CoverageCell(
        code=area.code,
        name=area.name,
        level=area.level,
        covered=results[""].covered,
        total=results[""].total,
        dedicated=results["dedicated"].covered,
        vpn=results["vpn"].covered,
        exclusion=area.exclusion,
    )


def uncovered_units(area_code: str, variant: str, mode: str) -> list[UncoveredUnit]:
    """Villages and communities under the area without a (matching) connected access point."""
    codes = coverage(area_code, "village", variant=variant, access_mode=_mode(mode)).uncovered or ()
    villages = Area.objects.filter(code__in=codes).select_related("parent").order_by("code")
    return [UncoveredUnit(v.code, v.name, v.kind, v.parent.name if v.parent else "") for v in villages]
