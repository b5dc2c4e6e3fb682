"""Link availability (链路可用率) from the status history, per link and rolled up per county.

availability = (period − down time) ÷ period. Down time comes from link_down/link_up StatusEvents, never from
gaps between polls. The state at the start of the period is the link's last event before it; a link with no
earlier event is taken as up (nothing on record says otherwise). A link belongs to the county of its downstream
(`b`) end's site — `a` is the upstream end by convention.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from inventory.models import Area, EventKind, Link, StatusEvent
from inventory.models.areas import level_of, prefix_of

LINK_KINDS = (EventKind.LINK_UP, EventKind.LINK_DOWN)


@dataclass(frozen=True)
class LinkAvailability:
    """One link over the period. Example: LinkAvailability(link_id=7, label="临沂-核心-1:GE1/0/1 ↔ ...",
    county_code="371302000000", down_seconds=360.0, availability=0.99583)."""

    link_id: int
    label: str
    county_code: str | None
    down_seconds: float
    availability: float


@dataclass(frozen=True)
class CountyAvailability:
    """Mean availability of a county's links (= total up time ÷ total link time)."""

    code: str | None
    name: str
    links: int
    down_seconds: float
    availability: float | None


@dataclass(frozen=True)
class LinkAvailabilityReport:
    start: datetime.datetime
    end: datetime.datetime
    links: tuple[LinkAvailability, ...]
    counties: tuple[CountyAvailability, ...]


def _county_of(area_code: str) -> str | None:
    return area_code[:6].ljust(12, "0") if level_of(area_code) in ("county", "township", "village") else None


def _down_seconds(
    initially_down: bool, events: list[tuple[datetime.datetime, str]], start: datetime.datetime, end: datetime.datetime
) -> float:
    down_since = start if initially_down else None
    total = 0.0
    for time, kind in events:
        if kind == EventKind.LINK_DOWN and down_since is None:
            down_since = time
        elif kind == EventKind.LINK_UP and down_since is not None:
            total += (time - down_since).total_seconds()
            down_since = None
    if down_since is not None:
        total += (end - down_since).total_seconds()
    return total


def link_availability(
    area_code: str | None, start: datetime.datetime, end: datetime.datetime, *, monitored_only: bool = True
) -> LinkAvailabilityReport:
    """Availability of the links whose downstream end lies in the subtree (None: every link), over [start, end).

    Three queries: links with their ends and state at `start`, the period's events, county names."""
    if end <= start:
        raise ValueError("end must be after start")
    period = (end - start).total_seconds()
    last_before = (
        StatusEvent.objects.filter(link=OuterRef("pk"), kind__in=LINK_KINDS, time__lt=start)
        .order_by("-time", "-id")
        .values("kind")[:1]
    )
    links = Link.objects.all()
    if area_code is not None:
        links = links.filter(b_interface__device__site__area__code__startswith=prefix_of(area_code))
    if monitored_only:
        links = links.filter(monitored=True)
    rows = links.annotate(state=Subquery(last_before)).order_by("pk")
    wanted = rows.values_list(
        "pk",
        "a_interface__device__name",
        "a_interface__name",
        "b_interface__device__name",
        "b_interface__name",
        "b_interface__device__site__area_id",
        "state",
    )
    history: dict[int, list[tuple[datetime.datetime, str]]] = defaultdict(list)
    # All link events of the period, matched to the links above in Python: cheaper than joining them to the
    # area again (which costs a pass over the interface table, by far the largest).
    events = StatusEvent.objects.filter(kind__in=LINK_KINDS, time__gte=start, time__lt=end, link__isnull=False)
    for link_id, time, kind in events.order_by("time", "id").values_list("link_id", "time", "kind"):
        history[link_id].append((time, kind))
    per_link = []
    for pk, a_dev, a_if, b_dev, b_if, area_id, state in wanted:
        down = _down_seconds(state == EventKind.LINK_DOWN, history.get(pk, []), start, end)
        label = f"{a_dev}:{a_if} ↔ {b_dev}:{b_if}"
        per_link.append(LinkAvailability(pk, label, _county_of(area_id), down, (period - down) / period))
    return LinkAvailabilityReport(start, end, tuple(per_link), _roll_up(per_link, period))


def _roll_up(per_link: list[LinkAvailability], period: float) -> tuple[CountyAvailability, ...]:
    groups: dict[str | None, list[LinkAvailability]] = defaultdict(list)
    for link in per_link:
        groups[link.county_code].append(link)
    names = dict(Area.objects.filter(code__in=[c for c in groups if c]).values_list("code", "name"))
    counties = []
    for code in sorted(groups, key=lambda c: c or ""):
        members = groups[code]
        down = sum(m.down_seconds for m in members)
        avail = (period * len(members) - down) / (period * len(members)) if members else None
        counties.append(CountyAvailability(code, names.get(code, "") if code else "", len(members), down, avail))
    return tuple(counties)
