"""The database side of /metrics: one set-based query per group of families, iterated without model instances.

Each function returns finished metric families. Rows are streamed with `.values_list().iterator()`, so memory grows
with the families being built, never with Django model objects. Unknown values (`None`: never polled, no counter yet)
produce no sample rather than a made-up number.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import Left, RowNumber
from django.utils import timezone

from dashboards.metrics import LabelSet, RowFamily, families
from inventory.models import (
    Area,
    BusinessSystem,
    ComplianceResult,
    Device,
    Interface,
    Link,
    PollCycle,
    VpnAccount,
)
from inventory.models.areas import CODE_RE, level_of

CHUNK = 10000  # rows per fetch from the server-side cursor: bounded memory, few round trips
IF_ADMIN_DOWN = 2
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


def _ts(value: datetime.datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _flag(value: bool | None) -> float | None:
    return None if value is None else float(value)


def _add(family: RowFamily, labels: list[str], value: float | None) -> None:
    family.add_metric(labels, value)


def _put(fam: dict[str, RowFamily], name: str, labels: LabelSet, value: float | None) -> None:
    fam[name].add(labels, value)


def device_families() -> Families:
    fam = families(
        "yunwang_device_info",
        "yunwang_device_up",
        "yunwang_device_isolated",
        "yunwang_device_uptime_seconds",
        "yunwang_device_last_poll_success_timestamp_seconds",
        "yunwang_device_last_poll_timestamp_seconds",
    )
    county = Counties()
    rows = Device.objects.values_list(
        "name",
        "role__slug",
        "device_type__manufacturer__slug",
        "vendor",
        "device_type__model",
        "model",
        "platform__slug",
        "status",
        "poller_group",
        "site__kind",
        "site__access_mode",
        "site__area_id",
        "reachable",
        "isolated",
        "isolated_by__name",
        "uptime_seconds",
        "last_seen",
        "last_polled",
    ).iterator(chunk_size=CHUNK)
    for row in rows:
        (name, role, maker, vendor, type_model, model, platform, status, group, site_kind, access, area) = row[:12]
        reachable, isolated, upstream, uptime, last_seen, last_polled = row[12:]
        labels = {"device": name, "role": role, "vendor": maker or vendor.lower(), "area_code": area,
                  "county": county(area)}  # fmt: skip
        info = {**labels, "model": type_model or model, "platform": platform or "", "status": status,
                "poller_group": group, "site_kind": site_kind, "access_mode": access}  # fmt: skip
        _put(fam, "yunwang_device_info", LabelSet(info), 1.0)
        _put(fam, "yunwang_device_up", LabelSet(labels), _flag(reachable))
        cause = (upstream or "") if isolated else ""
        _put(fam, "yunwang_device_isolated", LabelSet({**labels, "upstream": cause}), float(isolated))
        device = LabelSet({"device": name})
        _put(fam, "yunwang_device_uptime_seconds", device, uptime)
        _put(fam, "yunwang_device_last_poll_success_timestamp_seconds", device, _ts(last_seen))
        _put(fam, "yunwang_device_last_poll_timestamp_seconds", device, _ts(last_polled))
    return list(fam.values())


def _admin_up(a_admin: int | None, b_admin: int | None) -> float | None:
    if a_admin is None and b_admin is None:
        return None
    return 0.0 if IF_ADMIN_DOWN in (a_admin, b_admin) else 1.0


def link_families() -> Families:
    fam = families("yunwang_link_up", "yunwang_link_admin_up")
    county = Counties()
    rows = Link.objects.values_list(
        "a_interface__device__name",
        "a_interface__name",
        "b_interface__device__name",
        "b_interface__name",
        "kind",
        "b_interface__device__site__area_id",
        "a_interface__device__site__area_id",
        "monitored",
        "oper_up",
        "a_interface__admin_status",
        "b_interface__admin_status",
    ).iterator(chunk_size=CHUNK)
    for a_dev, a_if, b_dev, b_if, kind, b_area, a_area, monitored, up, a_admin, b_admin in rows:
        # A link belongs to the county of its downstream end (where the outage is felt), else its upstream's.
        labels = {"a_device": a_dev, "a_interface": a_if, "b_device": b_dev, "b_interface": b_if, "kind": kind,
                  "county": county(b_area) or county(a_area)}  # fmt: skip
        monitored_label = "true" if monitored else "false"
        _put(fam, "yunwang_link_up", LabelSet({**labels, "monitored": monitored_label}), _flag(up))
        _put(fam, "yunwang_link_admin_up", LabelSet(labels), _admin_up(a_admin, b_admin))
    return list(fam.values())


def interface_families() -> Families:
    names = (
        "yunwang_interface_admin_status",
        "yunwang_interface_oper_status",
        "yunwang_interface_speed_bps",
        "yunwang_interface_receive_bytes_total",
        "yunwang_interface_transmit_bytes_total",
        "yunwang_interface_receive_errors_total",
        "yunwang_interface_transmit_errors_total",
    )
    fam = families(*names)
    targets = [fam[name].rows.append for name in names]
    rows = (
        Interface.objects.filter(monitored=True)
        .values_list(
            "device__name",
            "name",
            "admin_status",
            "oper_status",
            "speed_bps",
            "counters__in_octets",
            "counters__out_octets",
            "counters__in_errors",
            "counters__out_errors",
        )
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        labels = LabelSet({"device": row[0], "interface": row[1]})
        for append, value in zip(targets, row[2:], strict=True):
            if value is not None:
                append((labels, float(value)))
    return list(fam.values())


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


def _latest_compliance() -> Any:
    """The latest result per (device, check): DISTINCT ON where the database has it (PostgreSQL, walking the
    (device, check_id, checked_at) index), a row-number window elsewhere."""
    if connection.features.can_distinct_on_fields:
        return ComplianceResult.objects.order_by("device_id", "check_id", "-checked_at").distinct(
            "device_id", "check_id"
        )
    window = Window(RowNumber(), partition_by=[F("device_id"), F("check_id")], order_by=F("checked_at").desc())
    return ComplianceResult.objects.annotate(rn=window).filter(rn=1)


def _county_of_prefix(prefix: str) -> str:
    """The county code for the first six digits of a division code ("" when they name a province or city)."""
    return prefix.ljust(12, "0") if len(prefix) == 6 and prefix[4:6] != "00" else ""


def compliance_families() -> Families:
    fam = families("yunwang_compliance_failing_devices", "yunwang_compliance_checked_devices")
    # Counted in the database: a few rows per check and county come back, not one per device and check.
    grouped = (
        ComplianceResult.objects.filter(pk__in=_latest_compliance().values("pk"), status__in=("pass", "fail"))
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
