"""The numbers planners report (DOMAIN.md), as plain query functions for pages, /metrics and `manage.py coverage`.

Every function runs a small, constant number of SQL queries whatever the size of the inventory: subtrees are
code-prefix filters (`Area.code` is the primary key, so `Site.area_id` holds the code and needs no join) and the
counting happens in the database.
"""

from __future__ import annotations

from inventory.coverage.areas import (
    COVERAGE_LEVELS,
    VARIANTS,
    CoverageResult,
    CoverageRow,
    ExcludedArea,
    SplitRow,
    connected_sites,
    coverage,
    coverage_by_child,
    coverage_matrix,
    excluded_areas,
    online_cutoff,
    ratio,
    site_online_q,
    village_split,
)
from inventory.coverage.links import LinkAvailability, LinkAvailabilityReport, link_availability
from inventory.coverage.organisations import (
    AccessUnitCount,
    RateResult,
    VpnStats,
    access_units,
    department_connection_rate,
    vpn_account_stats,
)

__all__ = [
    "COVERAGE_LEVELS",
    "VARIANTS",
    "AccessUnitCount",
    "CoverageResult",
    "CoverageRow",
    "ExcludedArea",
    "SplitRow",
    "connected_sites",
    "coverage_matrix",
    "online_cutoff",
    "ratio",
    "site_online_q",
    "LinkAvailability",
    "LinkAvailabilityReport",
    "RateResult",
    "VpnStats",
    "access_units",
    "coverage",
    "coverage_by_child",
    "department_connection_rate",
    "excluded_areas",
    "link_availability",
    "village_split",
    "vpn_account_stats",
]
