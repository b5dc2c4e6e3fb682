"""Access units (接入单位数), department connection rate (部门连网率) and VPN account figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from inventory.coverage.areas import connected_sites, online_cutoff, ratio, site_online_q
from inventory.models import Department, EventKind, Site, SiteStatus, StatusEvent, VpnAccount
from inventory.models.areas import LEVEL_ORDER, prefix_of

ACTIVE_DAYS = 30


@dataclass(frozen=True)
class AccessUnitCount:
    """Connected access units (sites) in a subtree at one area level and of one site kind."""

    level: str
    kind: str
    count: int


@dataclass(frozen=True)
class RateResult:
    """A rate with its parts. Example: RateResult(connected=80, total=83, ratio=0.964, missing=("市档案馆", ...))."""

    connected: int
    total: int
    ratio: float | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class VpnStats:
    """VPN accounts: registered (enabled), active in the last 30 days, online now, and the peak number online
    at the same time over [peak_start, peak_end] from the vpn_up/vpn_down history."""

    registered: int
    active_30d: int
    online_now: int
    peak_online: int
    peak_start: datetime.datetime
    peak_end: datetime.datetime


def access_units(
    area_code: str, *, variant: str = "registered", now: datetime.datetime | None = None
) -> list[AccessUnitCount]:
    """Distinct connected sites in the subtree by area level and site kind. One query.

    Example: [AccessUnitCount("county", "department_office", 41), AccessUnitCount("village", "village_committee", 2900)]
    """
    rows = (
        connected_sites(area_code, variant=variant, now=now)
        .values("area__level", "kind")
        .annotate(count=Count("id", distinct=True))
        .order_by()
    )
    result = [AccessUnitCount(r["area__level"], r["kind"], r["count"]) for r in rows]
    return sorted(result, key=lambda r: (LEVEL_ORDER.index(r.level), r.kind))


def department_connection_rate(*, variant: str = "registered", now: datetime.datetime | None = None) -> RateResult:
    """Departments on the must-connect list with at least one connected site ÷ that list. One query.

    `missing` names the must-connect departments without a connected site, in name order.
    """
    connected_q = Site.objects.filter(department=OuterRef("pk"), status=SiteStatus.CONNECTED)
    if variant == "online":
        connected_q = connected_q.filter(site_online_q(online_cutoff(now)))
    rows = (
        Department.objects.filter(must_connect=True)
        .annotate(connected=Exists(connected_q))
        .order_by("name")
        .values_list("name", "connected")
    )
    names = list(rows)
    missing = tuple(name for name, connected in names if not connected)
    total = len(names)
    return RateResult(total - len(missing), total, ratio(total - len(missing), total), missing)


def _peak_online(
    accounts: Q, start: datetime.datetime, end: datetime.datetime, online_now: int, end_is_now: bool
) -> int:
    """Sweep the vpn_up/vpn_down history over [start, end]; the state at `start` is each account's last event
    before it (an account without history counts as offline). Two queries."""
    kinds = (EventKind.VPN_UP, EventKind.VPN_DOWN)
    last_before = (
        StatusEvent.objects.filter(vpn_account=OuterRef("pk"), kind__in=kinds, time__lt=start)
        .order_by("-time", "-id")
        .values("kind")[:1]
    )
    initial = VpnAccount.objects.filter(accounts).annotate(state=Subquery(last_before)).values_list("pk", "state")
    up = {pk for pk, state in initial if state == EventKind.VPN_UP}
    peak = len(up)
    events = (
        StatusEvent.objects.filter(kind__in=kinds, time__gte=start, time__lte=end)
        .filter(vpn_account__in=VpnAccount.objects.filter(accounts).values("pk"))
        .order_by("time", "id")
        .values_list("vpn_account_id", "kind")
    )
    for account_id, kind in events:
        if kind == EventKind.VPN_UP:
            up.add(account_id)
        else:
            up.discard(account_id)
        peak = max(peak, len(up))
    # The live flag is the freshest evidence; the history may lag it by one poll.
    return max(peak, online_now) if end_is_now else peak


def vpn_account_stats(
    area_code: str | None = None,
    *,
    now: datetime.datetime | None = None,
    peak_start: datetime.datetime | None = None,
    peak_end: datetime.datetime | None = None,
) -> VpnStats:
    """VPN account figures for the whole city or one subtree (by the account's site area). Three queries.

    The peak period defaults to the last 24 hours.
    """
    now = now or timezone.now()
    accounts = Q(enabled=True)
    if area_code is not None:
        accounts &= Q(site__area__code__startswith=prefix_of(area_code))
    active_since = now - datetime.timedelta(days=ACTIVE_DAYS)
    counts = VpnAccount.objects.filter(accounts).aggregate(
        registered=Count("pk"),
        active=Count("pk", filter=Q(online=True) | Q(last_seen_online__gte=active_since)),
        online=Count("pk", filter=Q(online=True)),
    )
    end = peak_end or now
    start = peak_start or end - datetime.timedelta(hours=24)
    peak = _peak_online(accounts, start, end, counts["online"], end_is_now=peak_end is None)
    return VpnStats(counts["registered"], counts["active"], counts["online"], peak, start, end)
