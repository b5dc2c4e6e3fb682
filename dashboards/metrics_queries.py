"""The database side of /metrics for the small families (collector health, planning figures, compliance): one
set-based aggregate query per group, a few rows each. The per-device, per-link and per-interface families, which are
most of a scrape, are written by the database itself (dashboards.metrics_sql).

Each function returns finished metric families. Unknown values (`None`: no cycle finished yet, no target)
produce no sample rather than a made-up number.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import Left
from django.utils import timezone

from dashboards.metrics import RowFamily, families
from inventory.models import (
    Area,
    BusinessSystem,
    ComplianceResult,
    DeviceStatus,
    PollCycle,
    VpnAccount,
)
from inventory.models.areas import CODE_RE, level_of

Families = list[Any]


class Counties:
    """Division code → its county's code ("" above county level), memoised for one scrape only."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, code: str | None) -> str:
        if not code:
            return ""
        county = self._cache.get(code)
        if county is None:
            ok = CODE_RE.match(code) and level_of(code) in ("county", "township", "village")
            county = code[:6].ljust(12, "0") if ok else ""
            self._cache[code] = county
        return county


def _add(family: RowFamily, labels: list[str], value: float | None) -> None:
    family.add_metric(labels, value)


def collector_intervals() -> dict[str, float]:
    """Seconds between cycles per PollCycle kind, from settings."""
    status = float(settings.YUNWANG_POLL_INTERVAL_SECONDS)
    return {
        "status": status,
        "discovery": status * settings.YUNWANG_DISCOVERY_EVERY_CYCLES,
        "ssh": float(settings.YUNWANG_SSH_INTERVAL_SECONDS),
    }


def collector_families() -> Families:
    fam = families(
        "yunwang_collector_last_success_timestamp_seconds",
        "yunwang_collector_cycle_duration_seconds",
        "yunwang_collector_devices_polled",
        "yunwang_collector_devices_failed",
        "yunwang_collector_interval_seconds",
    )
    for kind, seconds in collector_intervals().items():
        fam["yunwang_collector_interval_seconds"].add_metric([kind], seconds)
    done = PollCycle.objects.filter(finished_at__isnull=False, skipped=False)
    latest = list(done.values_list("kind", "poller_group").annotate(last=Max("finished_at")).order_by())
    for kind, group, last in latest:
        fam["yunwang_collector_last_success_timestamp_seconds"].add_metric([kind, group], last.timestamp())
    if latest:
        which = functools.reduce(operator.or_, (Q(kind=k, poller_group=g, finished_at=t) for k, g, t in latest))
        seen: set[tuple[str, str]] = set()
        for kind, group, duration, polled, failed in done.filter(which).values_list(
            "kind", "poller_group", "duration_seconds", "polled", "failed_by_reason"
        ):
            if (kind, group) in seen:  # two cycles finishing in the same instant: report one
                continue
            seen.add((kind, group))
            _add(fam["yunwang_collector_cycle_duration_seconds"], [kind, group], duration)
            fam["yunwang_collector_devices_polled"].add_metric([kind, group], float(polled))
            for reason, count in sorted((failed or {}).items()):
                fam["yunwang_collector_devices_failed"].add_metric([kind, group, str(reason)], float(count))
    return list(fam.values())


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def business_families() -> Families:
    fam = families("yunwang_business_systems")
    grouped = BusinessSystem.objects.values_list("department__name", "cloud_status").annotate(n=Count("id"))
    for department, status, n in grouped.order_by():
        fam["yunwang_business_systems"].add_metric([department, status], float(n))
    return list(fam.values())


def vpn_families() -> Families:
    fam = families("yunwang_vpn_accounts")
    county = Counties()
    since = timezone.now() - datetime.timedelta(days=30)
    totals: dict[tuple[str, str], int] = Counter()
    # As inventory.coverage.vpn_account_stats: registered means enabled; grouped by county in one query.
    grouped = (
        VpnAccount.objects.filter(enabled=True)
        .values_list("site__area_id")
        .annotate(
            # Annotation names must not shadow the fields the filters read.
            n_registered=Count("id"),
            n_active=Count("id", filter=Q(online=True) | Q(last_seen_online__gte=since)),
            n_online=Count("id", filter=Q(online=True)),
        )
    )
    for area, registered, active, online in grouped.order_by():
        c = county(area)
        for state, n in (("registered", registered), ("active_30d", active), ("online", online)):
            totals[(c, state)] += n
    for (c, state), n in sorted(totals.items()):
        fam["yunwang_vpn_accounts"].add_metric([c, state], float(n))
    return list(fam.values())


def area_families() -> Families:
    fam = families("yunwang_area_info")
    county = Counties()
    for code, name, level in Area.objects.filter(level__in=("city", "county", "township")).values_list(
        "code", "name", "level"
    ):
        fam["yunwang_area_info"].add_metric([code, name, level, county(code)], 1.0)
    return list(fam.values())


def planning_families() -> Families:
    from dashboards import metrics_coverage

    return [
        *area_families(),
        *metrics_coverage.coverage_families(),
        *metrics_coverage.organisation_families(),
        *business_families(),
        *vpn_families(),
    ]


def _county_of_prefix(prefix: str) -> str:
    """The county code for the first six digits of a division code ("" when they name a province or city)."""
    return prefix.ljust(12, "0") if len(prefix) == 6 and prefix[4:6] != "00" else ""


def compliance_families() -> Families:
    fam = families("yunwang_compliance_failing_devices", "yunwang_compliance_checked_devices")
    # Counted in the database: a few rows per check and county come back, not one per device and check.
    grouped = (
        ComplianceResult.objects.filter(current=True, status__in=("pass", "fail"))
        .exclude(device__status=DeviceStatus.DECOMMISSIONED)  # as on the compliance page
        .annotate(county=Left("device__site__area_id", 6))
        .values_list("check_id", "county")
        .annotate(checked=Count("id"), failing=Count("id", filter=Q(status="fail")))
        .order_by()
    )
    checked: Counter[tuple[str, str]] = Counter()
    failing: Counter[tuple[str, str]] = Counter()
    for check, prefix, n_checked, n_failing in grouped:
        key = (check, _county_of_prefix(prefix))
        checked[key] += n_checked
        failing[key] += n_failing
    for key, n in sorted(checked.items()):
        fam["yunwang_compliance_checked_devices"].add_metric(list(key), float(n))
        fam["yunwang_compliance_failing_devices"].add_metric(list(key), float(failing[key]))
    return list(fam.values())
