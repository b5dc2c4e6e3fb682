"""Coverage, access units, the department connection rate and 上云率 as metric families.

The definitions are `inventory.coverage` / `inventory.migration`'s (DOMAIN.md); this module only groups their
building blocks (connected_sites, site_online_q, the counted units) so that a scrape stays a handful of queries
whatever the number of counties and townships: the connected sites are read once with their online evidence and
counted against the units here, for every county and township, variant and access mode at once, instead of one
`coverage_by_child()` call per combination (tests check both agree).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper
from django.db.models.functions import Left

from dashboards.metrics import families
from inventory.coverage import (
    VARIANTS,
    connected_sites,
    department_connection_rate,
    excluded_areas,
    online_cutoff,
    site_online_q,
)
from inventory.coverage.areas import _counted_units
from inventory.migration import migration_by_department, migration_rate
from inventory.models import Area
from inventory.models.areas import PREFIX_LENGTH, prefix_of

MODES: tuple[str | None, ...] = (None, "dedicated", "vpn")
# (area level the ratio is reported for, level of the units counted)
PAIRS = (("county", "township"), ("county", "village"), ("township", "village"))
UNIT_LEVELS = ("township", "village")


def _key(variant: str, mode: str | None) -> str:
    return f"{variant}__{mode or 'all'}"


def _roots() -> list[str]:
    """Top areas of the loaded tree (usually one province): coverage is computed below each. A parentless area
    inside another root's subtree (a partial import) is left out, or its series would be exported twice."""
    roots: list[str] = []
    for code in sorted(Area.objects.filter(parent__isnull=True).values_list("code", flat=True), key=prefix_of):
        if not any(code.startswith(prefix_of(root)) for root in roots):
            roots.append(code)
    return roots


def _covered_units(root: str) -> dict[tuple[str, str, str | None], set[str]]:
    """(unit level, variant, access mode or None) → codes of the units with a connected access point. One query:
    each connected site once, with its online evidence, as inventory.coverage defines them."""
    online = ExpressionWrapper(site_online_q(online_cutoff()), output_field=BooleanField())
    sites = connected_sites(root).annotate(online=online).values_list("area_id", "access_mode", "online")
    covered: dict[tuple[str, str, str | None], set[str]] = defaultdict(set)
    for area, mode, is_online in sites.iterator(chunk_size=5000):
        for level in UNIT_LEVELS:
            # A site above the unit level yields an ancestor's code, which is no unit of that level: no effect.
            unit = area[: PREFIX_LENGTH[level]].ljust(12, "0")
            for variant in VARIANTS if is_online else ("registered",):
                covered[(level, variant, None)].add(unit)
                covered[(level, variant, mode)].add(unit)
    return covered


def _coverage_rows(root: str) -> list[tuple[str, str, str, str, str, float]]:
    """(area_code, area_level, level, variant, access_mode, ratio) for every county and township under `root`.

    Four queries (exclusions, the counted units of the two unit levels, the connected sites); the counting is
    done here, per child area, for every variant and access mode at once.
    """
    excluded = excluded_areas(root)
    units = {level: list(_counted_units(root, level, excluded).values_list("code", flat=True)) for level in UNIT_LEVELS}
    covered = _covered_units(root)
    rows = []
    for area_level, level in PAIRS:
        n = PREFIX_LENGTH[area_level]
        totals = Counter(code[:n] for code in units[level])
        for variant in VARIANTS:
            for mode in MODES:
                hit = covered.get((level, variant, mode), set())
                hits = Counter(code[:n] for code in units[level] if code in hit)
                for child, total in sorted(totals.items()):
                    rows.append((child.ljust(12, "0"), area_level, level, variant, mode or "all", hits[child] / total))
    return rows


def coverage_families() -> list[Any]:
    fam = families("yunwang_coverage_ratio", "yunwang_coverage_target_ratio", "yunwang_access_units")
    fam["yunwang_coverage_target_ratio"].add_metric([], float(settings.YUNWANG_COVERAGE_TARGET))
    access_units: Counter[tuple[str, str, str]] = Counter()
    for root in _roots():
        for code, area_level, level, variant, mode, ratio in _coverage_rows(root):
            county = code[:6].ljust(12, "0")
            fam["yunwang_coverage_ratio"].add_metric([code, area_level, county, level, variant, mode], ratio)
        units = (
            connected_sites(root)
            .annotate(county=Left("area_id", 6))
            .values_list("county", "area__level", "kind")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
        for prefix, level, kind, n in units:
            # Every city- or province-level site falls under county "": sum them, one series per label set.
            in_county = level in ("county", "township", "village")
            access_units[(prefix.ljust(12, "0") if in_county else "", level, kind)] += n
    for labels, n in sorted(access_units.items()):
        fam["yunwang_access_units"].add_metric(list(labels), float(n))
    return list(fam.values())


def organisation_families() -> list[Any]:
    fam = families(
        "yunwang_department_connection_ratio",
        "yunwang_cloud_migration_ratio",
        "yunwang_cloud_migration_overall_ratio",
        "yunwang_cloud_migration_target_ratio",
    )
    rate = department_connection_rate()
    if rate.ratio is not None:
        fam["yunwang_department_connection_ratio"].add_metric([], rate.ratio)
    for department in migration_by_department():
        if department.ratio is not None:
            fam["yunwang_cloud_migration_ratio"].add_metric([department.name], department.ratio)
    overall = migration_rate()
    if overall.ratio is not None:
        fam["yunwang_cloud_migration_overall_ratio"].add_metric([], overall.ratio)
    fam["yunwang_cloud_migration_target_ratio"].add_metric([], float(settings.YUNWANG_MIGRATION_TARGET))
    return list(fam.values())
