"""Coverage of the administrative tree (覆盖率): county / township / village units reached by the extranet.

Definitions (DOMAIN.md, "The numbers planners report"), as implemented here:

- A unit at level L is *counted* unless it, or an area above it, is marked exempt or merged (`Area.exclusion`,
  which always carries a recorded reason). An exempt county therefore takes its townships and villages out of the
  denominators too; `excluded_areas()` lists what is out and why.
- A counted unit is *covered* when at least one connected access point (a `Site` with status connected) lies in the
  unit's subtree (same code prefix at L's length). A site registered on a county-level area covers that county,
  not any of its townships.
- Variant "registered": a connected site exists. Variant "online": in addition, within the last
  `YUNWANG_ONLINE_WINDOW_HOURS` (default 24) one of its devices was reachable (currently reachable, or last seen
  within the window), or one of its devices' links was up (up now, or changed state within the window — a link
  that went down inside the window was up just before), or one of its enabled VPN accounts was online (now, or last
  seen online within the window).
- `access_mode` ("dedicated" / "vpn") counts only sites with that access mode in the numerator; the denominator is
  unchanged, so dedicated + vpn coverage can exceed total coverage when a unit has both.
- ratio = covered / total, `None` when there is nothing to count.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat, Left
from django.utils import timezone

from inventory.models import Area, Device, Interface, Link, Site, SiteStatus, VpnAccount
from inventory.models.areas import LEVEL_ORDER, PREFIX_LENGTH, level_of, prefix_of

COVERAGE_LEVELS = ("city", "county", "township", "village")
VARIANTS = ("registered", "online")
ACCESS_MODES = ("dedicated", "vpn")


@dataclass(frozen=True)
class CoverageResult:
    """Coverage of one area's subtree at one level.

    Example: CoverageResult(area_code="371300000000", level="township", variant="online", access_mode=None,
    total=156, covered=150, ratio=0.9615, uncovered=("371302004000", ...)). `uncovered` is None when not computed
    (coverage_matrix), ordered by code otherwise.
    """

    area_code: str
    level: str
    variant: str
    access_mode: str | None
    total: int
    covered: int
    ratio: float | None
    uncovered: tuple[str, ...] | None

    @property
    def full(self) -> bool | None:
        """全覆盖: every counted unit covered (None when there is nothing to count)."""
        return None if self.total == 0 else self.covered == self.total


@dataclass(frozen=True)
class CoverageRow:
    """One child area's line in a per-county / per-township table (e.g. townships covered in each county)."""

    code: str
    name: str
    total: int
    covered: int
    ratio: float | None
    full: bool | None
    exclusion: str  # "" when counted, else "exempt" / "merged" (then total is 0)


@dataclass(frozen=True)
class SplitRow:
    """Coverage of one unit kind (village_split): kind is "community", "village" or "similar"."""

    kind: str
    total: int
    covered: int
    ratio: float | None


@dataclass(frozen=True)
class ExcludedArea:
    """An area out of the coverage denominators, with the reason on record."""

    code: str
    name: str
    level: str
    exclusion: str
    reason: str


def ratio(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


def online_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    hours = getattr(settings, "YUNWANG_ONLINE_WINDOW_HOURS", 24)
    return (now or timezone.now()) - datetime.timedelta(hours=hours)


def site_online_q(cutoff: datetime.datetime) -> Q:
    """Sites with evidence of being up since `cutoff`: a device, a link of a device, or a VPN tunnel.

    Uncorrelated `pk IN (...)` subqueries that the database runs once and hashes (ORed correlated EXISTS would run
    once per site).
    """
    device_up = Q(reachable=True) | Q(last_seen__gte=cutoff)
    vpn_up = VpnAccount.objects.filter(Q(online=True) | Q(last_seen_online__gte=cutoff), enabled=True)
    link_recent = Q(oper_up=True) | Q(last_change__gte=cutoff)
    # A link only matters for a device that is itself down (an up device makes its site online already), and
    # those are few: starting from them keeps the interface table (by far the largest) to index lookups.
    down = Device.objects.exclude(device_up).values("pk")
    links_up = Link.objects.filter(link_recent)
    link_up_ends = Interface.objects.filter(device__in=down).filter(
        Q(pk__in=links_up.values("a_interface_id")) | Q(pk__in=links_up.values("b_interface_id"))
    )
    return (
        Q(pk__in=Device.objects.filter(device_up).values("site_id"))
        | Q(pk__in=vpn_up.values("site_id"))
        | Q(pk__in=link_up_ends.values("device__site_id"))
    )


def connected_sites(
    area_code: str, *, variant: str = "registered", access_mode: str | None = None, now: datetime.datetime | None = None
) -> QuerySet[Site]:
    """Connected access points in the area's subtree (the numerator's raw material)."""
    _check_variant(variant, access_mode)
    sites = Site.objects.filter(status=SiteStatus.CONNECTED, area__code__startswith=prefix_of(area_code))
    if access_mode is not None:
        sites = sites.filter(access_mode=access_mode)
    if variant == "online":
        sites = sites.filter(site_online_q(online_cutoff(now)))
    return sites


def _check_variant(variant: str, access_mode: str | None) -> None:
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")
    if access_mode is not None and access_mode not in ACCESS_MODES:
        raise ValueError(f"access_mode must be one of {ACCESS_MODES} or None, got {access_mode!r}")


def _check_levels(area_code: str, *levels: str) -> None:
    """Each level must be a coverage level at or below the area's own level (and in the given order)."""
    depth = LEVEL_ORDER.index(level_of(area_code))
    for level in levels:
        if level not in COVERAGE_LEVELS:
            raise ValueError(f"level must be one of {COVERAGE_LEVELS}, got {level!r}")
        if LEVEL_ORDER.index(level) < depth:
            raise ValueError(f"{level!r} is above the level of {area_code}")
        depth = LEVEL_ORDER.index(level)


def _ancestors(code: str) -> list[str]:
    level = level_of(code)
    return [code[: PREFIX_LENGTH[lvl]].ljust(12, "0") for lvl in LEVEL_ORDER[: LEVEL_ORDER.index(level)]]


def excluded_areas(area_code: str) -> list[ExcludedArea]:
    """Areas in the subtree (or above it) marked exempt or merged, with their recorded reasons. One query."""
    rows = (
        Area.objects.filter(Q(code__startswith=prefix_of(area_code)) | Q(code__in=_ancestors(area_code)))
        .exclude(exclusion="")
        .order_by("code")
        .values_list("code", "name", "level", "exclusion", "exclusion_reason")
    )
    return [ExcludedArea(*row) for row in rows]


def _counted_units(
    area_code: str, level: str, excluded: list[ExcludedArea] | None = None, *, levels: tuple[str, ...] = ()
) -> QuerySet[Area]:
    """Units at `level` (or at any of `levels`) in the subtree that count in denominators (one query to fetch the
    exclusions if not given)."""
    units = Area.objects.filter(level__in=levels or (level,), code__startswith=prefix_of(area_code))
    out = Q()
    for ex in excluded_areas(area_code) if excluded is None else excluded:
        out |= Q(code=ex.code) if ex.level == "village" else Q(code__startswith=prefix_of(ex.code))
    return units.exclude(out) if out else units


def _unit_codes(sites: QuerySet[Site], level: str) -> QuerySet[Any, Any]:
    """The code of the unit at `level` that each site lies in (a site above that level yields no unit code)."""
    n = PREFIX_LENGTH[level]
    if n == 12:
        return sites.values("area_id")
    unit: Combinable = Concat(Left("area_id", n), Value("0" * (12 - n)), output_field=CharField())
    return sites.annotate(unit=unit).values("unit")


def _aggregates(level: str, covered: Mapping[str, QuerySet[Site]]) -> dict[str, Count]:
    aggs = {"total": Count("code")}
    for name, sites in covered.items():
        aggs[name] = Count("code", filter=Q(code__in=_unit_codes(sites, level)))
    return aggs


def coverage(
    area_code: str,
    level: str,
    *,
    variant: str = "registered",
    access_mode: str | None = None,
    now: datetime.datetime | None = None,
) -> CoverageResult:
    """Coverage of `area_code`'s subtree at `level`. Two queries (exclusions; units with a covered flag)."""
    _check_levels(area_code, level)
    sites = connected_sites(area_code, variant=variant, access_mode=access_mode, now=now)
    covered_flag = ExpressionWrapper(Q(code__in=_unit_codes(sites, level)), output_field=BooleanField())
    units = _counted_units(area_code, level).annotate(covered=covered_flag).order_by("code")
    flags = list(units.values_list("code", "covered"))
    uncovered = tuple(code for code, covered in flags if not covered)
    total, covered = len(flags), len(flags) - len(uncovered)
    return CoverageResult(area_code, level, variant, access_mode, total, covered, ratio(covered, total), uncovered)


def coverage_matrix(
    area_code: str, *, levels: tuple[str, ...] | None = None, now: datetime.datetime | None = None
) -> list[CoverageResult]:
    """Every level × variant × access mode (all, dedicated, vpn) for the subtree, without uncovered lists.

    Three queries whatever the size (exclusions, counted units, connected sites with an online flag); the
    counting is a pass in Python over those rows, so the online test (the costly part) runs once, not 9 times.
    What the command's summary and /metrics use.
    """
    depth = LEVEL_ORDER.index(level_of(area_code))
    wanted = levels or tuple(lvl for lvl in COVERAGE_LEVELS if LEVEL_ORDER.index(lvl) > depth)
    _check_levels(area_code, *sorted(wanted, key=LEVEL_ORDER.index))
    units = _counted_units(area_code, "", excluded_areas(area_code), levels=wanted).values_list("code", "level")
    online = ExpressionWrapper(site_online_q(online_cutoff(now)), output_field=BooleanField())
    sites = connected_sites(area_code).annotate(online=online).values_list("area_id", "access_mode", "online")
    reached = _reached_units(sites, wanted)
    by_level: dict[str, list[str]] = {lvl: [] for lvl in wanted}
    for code, lvl in units:
        by_level[lvl].append(code)
    results = []
    for lvl in wanted:
        total = len(by_level[lvl])
        for variant, mode in ((v, m) for v in VARIANTS for m in (None, *ACCESS_MODES)):
            covered = len(reached.get((variant, mode), set()).intersection(by_level[lvl]))
            results.append(CoverageResult(area_code, lvl, variant, mode, total, covered, ratio(covered, total), None))
    return results


def _reached_units(
    sites: Iterable[tuple[str, str, bool]], levels: tuple[str, ...]
) -> dict[tuple[str, str | None], set[str]]:
    """(variant, access mode or None) -> codes of the units at `levels` that hold such a site."""
    reached: dict[tuple[str, str | None], set[str]] = {}
    for area_id, site_mode, is_online in sites:
        units = {area_id[: PREFIX_LENGTH[lvl]].ljust(12, "0") for lvl in levels}
        for variant in ("registered", "online") if is_online else ("registered",):
            reached.setdefault((variant, None), set()).update(units)
            reached.setdefault((variant, site_mode), set()).update(units)
    return reached


def coverage_by_child(
    area_code: str,
    *,
    child_level: str,
    level: str,
    variant: str = "registered",
    access_mode: str | None = None,
    now: datetime.datetime | None = None,
) -> list[CoverageRow]:
    """Coverage at `level` for each child area at `child_level`, e.g. townships covered per county of a city.

    Three queries (exclusions, children, grouped counts), ordered by child code.
    """
    _check_levels(area_code, child_level, level)
    n = PREFIX_LENGTH[child_level]
    sites = connected_sites(area_code, variant=variant, access_mode=access_mode, now=now)
    grouped = (
        _counted_units(area_code, level)
        .annotate(child=Left("code", n))
        .values("child")
        .annotate(**_aggregates(level, {"covered": sites}))
        .order_by()
    )
    by_prefix: dict[str, tuple[int, int]] = {}
    for row in grouped:
        counts: dict[str, Any] = dict(row)
        by_prefix[counts["child"]] = (counts["total"], counts["covered"])
    children = Area.objects.filter(level=child_level, code__startswith=prefix_of(area_code)).order_by("code")
    rows = []
    for code, name, exclusion in children.values_list("code", "name", "exclusion"):
        total, covered = by_prefix.get(code[:n], (0, 0))
        full = None if total == 0 else covered == total
        rows.append(CoverageRow(code, name, total, covered, ratio(covered, total), full, exclusion))
    return rows


def village_split(
    area_code: str,
    variant: str = "registered",
    *,
    access_mode: str | None = None,
    now: datetime.datetime | None = None,
) -> list[SplitRow]:
    """Village-level coverage split by kind from the code ranges: community (社区), village (村), similar units.

    Two queries. Kinds with no units are left out.
    """
    _check_levels(area_code, "village")
    sites = connected_sites(area_code, variant=variant, access_mode=access_mode, now=now)
    grouped = (
        _counted_units(area_code, "village")
        .values("kind")
        .annotate(**_aggregates("village", {"covered": sites}))
        .order_by("kind")
    )
    order = {"community": 0, "village": 1, "similar": 2}
    rows = []
    for row in grouped:
        r: dict[str, Any] = dict(row)
        rows.append(SplitRow(r["kind"], r["total"], r["covered"], ratio(r["covered"], r["total"])))
    return sorted(rows, key=lambda row: order.get(row.kind, 9))
