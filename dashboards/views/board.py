"""The status board's query: device states, filters, counts and one page of rows in a constant number of queries.

A device is in exactly one state, checked in this order:
never polled (no poll result yet) → isolated (an upstream device is down) → down (unreachable) →
stale (last poll older than two poll intervals: the collector, not the device, may be the problem) → up.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inventory.models import Area, Device, DeviceRole, DeviceStatus, Manufacturer
from inventory.models.areas import prefix_of

PAGE_SIZE = 50
# Display order: what needs an operator first.
STATES = ("down", "isolated", "stale", "never", "up")
STATE_LABELS = {
    "up": _("up"),
    "down": _("down"),
    "isolated": _("isolated"),
    "never": _("never polled"),
    "stale": _("stale"),
}


def stale_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(seconds=2 * settings.YUNWANG_POLL_INTERVAL_SECONDS)


def state_q(state: str, cutoff: datetime.datetime) -> Q:
    """The filter that selects the devices in one state (the states are disjoint and cover every device)."""
    polled = Q(last_polled__isnull=False, reachable__isnull=False)
    queries = {
        "never": Q(last_polled__isnull=True) | Q(reachable__isnull=True),
        "isolated": polled & Q(isolated=True),
        "down": polled & Q(isolated=False, reachable=False),
        "stale": polled & Q(isolated=False, reachable=True, last_polled__lt=cutoff),
        "up": polled & Q(isolated=False, reachable=True, last_polled__gte=cutoff),
    }
    return queries[state]


def state_rank(cutoff: datetime.datetime) -> Case:
    whens = [When(state_q(state, cutoff), then=Value(rank)) for rank, state in enumerate(STATES)]
    return Case(*whens, default=Value(len(STATES)), output_field=IntegerField())


def page_number(query: QueryDict) -> int:
    """The `page` parameter; anything but a positive integer is page 1."""
    try:
        return max(1, int(query.get("page", "1")))
    except ValueError:
        return 1


def filter_query(values: dict[str, Any]) -> str:
    """A page's filters as a query string: empty values and page 1 left out, so equal filters give equal URLs."""
    parts = QueryDict(mutable=True)
    for key, value in values.items():
        if value and not (key == "page" and value == 1):
            parts[key] = str(value)
    return parts.urlencode()


@dataclass(frozen=True)
class BoardFilters:
    """What the operator asked for, from the query string (unknown values are ignored, never an error)."""

    area: str = ""
    role: str = ""
    vendor: str = ""
    state: str = ""
    q: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: QueryDict) -> BoardFilters:
        area = query.get("area", "").strip()
        state = query.get("state", "").strip()
        return cls(
            area=area if area.isdigit() and len(area) == 12 else "",
            role=query.get("role", "").strip(),
            vendor=query.get("vendor", "").strip(),
            state=state if state in STATES else "",
            q=query.get("q", "").strip()[:100],
            page=page_number(query),
        )

    def query_string(self, **override: Any) -> str:
        values: dict[str, Any] = {
            "area": self.area,
            "role": self.role,
            "vendor": self.vendor,
            "state": self.state,
            "q": self.q,
        }
        values.update({"page": self.page}, **override)
        return filter_query(values)


@dataclass(frozen=True)
class BoardDevice:
    """What one board row shows: plain values (no model instances, so no per-row change-tracking snapshot)."""

    pk: int
    name: str
    serial: str
    management_ip: str | None
    role: str
    vendor: str | None
    vendor_slug: str | None
    model: str | None
    site: str
    area: str
    area_code: str
    last_polled: datetime.datetime | None
    poll_error_kind: str
    poll_error: str
    isolated_by_id: int | None
    isolated_by: str | None


ROW_FIELDS = {
    "pk": "pk",
    "name": "name",
    "serial": "serial",
    "management_ip": "management_ip",
    "role": "role__name",
    "vendor": "device_type__manufacturer__name",
    "vendor_slug": "device_type__manufacturer__slug",
    "model": "device_type__model",
    "site": "site__name",
    "area": "site__area__name",
    "area_code": "site__area_id",
    "last_polled": "last_polled",
    "poll_error_kind": "poll_error_kind",
    "poll_error": "poll_error",
    "isolated_by_id": "isolated_by_id",
    "isolated_by": "isolated_by__name",
}


@dataclass(frozen=True)
class BoardRow:
    device: BoardDevice
    state: str
    url: str  # the device page
    cause_url: str | None  # the page of the upstream device that isolates this one

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class Board:
    filters: BoardFilters
    counts: dict[str, int]
    total: int  # devices matching every filter, the state filter included
    rows: list[BoardRow]
    page: int
    pages: int
    generated_at: datetime.datetime
    state_labels: dict[str, str] = field(default_factory=dict)

    @property
    def all_count(self) -> int:
        return sum(self.counts.values())

    @property
    def count_items(self) -> list[tuple[str, str, int, str]]:
        """(state, label, count, link that filters the board to it), in the order the header shows them."""
        return [
            (s, self.state_labels[s], self.counts[s], "?" + self.filters.query_string(state=s, page=1))
            for s in ("up", "down", "isolated", "never", "stale")
        ]

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * PAGE_SIZE, self.total)

    def page_link(self, page: int) -> str:
        return "?" + self.filters.query_string(page=page)

    @property
    def prev_link(self) -> str | None:
        return self.page_link(self.page - 1) if self.page > 1 else None

    @property
    def next_link(self) -> str | None:
        return self.page_link(self.page + 1) if self.page < self.pages else None


def _filtered(filters: BoardFilters) -> QuerySet[Device]:
    qs = Device.objects.exclude(status=DeviceStatus.DECOMMISSIONED)
    if filters.area:
        qs = qs.filter(site__area__code__startswith=prefix_of(filters.area))
    if filters.role:
        qs = qs.filter(role__slug=filters.role)
    if filters.vendor:
        qs = qs.filter(device_type__manufacturer__slug=filters.vendor)
    if filters.q:
        term = filters.q
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(sys_name__icontains=term)
            | Q(management_ip__startswith=term)
            | Q(serial__iexact=term)
        )
    return qs


def build_board(filters: BoardFilters, now: datetime.datetime | None = None) -> Board:
    """Counts (one query) and one page of rows (two queries), whatever the number of devices or rows."""
    cutoff = stale_cutoff(now)
    base = _filtered(filters)
    # Aliases get a prefix: "isolated" is also a field name, and an aggregate may not shadow it.
    counts_row = base.aggregate(**{f"n_{s}": Count("pk", filter=state_q(s, cutoff)) for s in STATES})
    counts = {s: int(counts_row[f"n_{s}"] or 0) for s in STATES}
    total = counts[filters.state] if filters.state else sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    rows_qs = base.filter(state_q(filters.state, cutoff)) if filters.state else base
    start = (page - 1) * PAGE_SIZE
    # Two steps: sort the device table alone and keep one page of ids, then load just those rows with their
    # related objects. Sorting 10,000 joined rows costs several times more than sorting the bare table.
    if filters.state:  # one state: no CASE to sort on, and the name index can serve the order
        ids = rows_qs.order_by("name").values_list("pk", flat=True)[start : start + PAGE_SIZE]
        page_ids = [(pk, STATES.index(filters.state)) for pk in ids]
    else:
        page_ids = list(
            rows_qs.annotate(state_rank=state_rank(cutoff))
            .order_by("state_rank", "name")
            .values_list("pk", "state_rank")[start : start + PAGE_SIZE]
        )
    ids_on_page = [pk for pk, _ in page_ids]
    values = Device.objects.filter(pk__in=ids_on_page).order_by().values_list(*ROW_FIELDS.values())
    devices = {row[0]: BoardDevice(*row) for row in values}
    # One reverse() per page, not two {% url %} per row: URL resolution is a noticeable share of rendering.
    url = reverse("dashboards:device", args=[0]).replace("/0/", "/{}/")
    rows = [
        BoardRow(
            devices[pk],
            STATES[rank],
            url.format(pk),
            url.format(devices[pk].isolated_by_id) if devices[pk].isolated_by_id else None,
        )
        for pk, rank in page_ids
        if pk in devices  # deleted between the two queries
    ]
    return Board(
        filters=filters,
        counts=counts,
        total=total,
        rows=rows,
        page=page,
        pages=pages,
        generated_at=now or timezone.now(),
        state_labels={s: str(label) for s, label in STATE_LABELS.items()},
    )


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    indent: bool = False


def area_choices() -> list[Choice]:
    """Counties and their townships (indented), in code order: the area filter of every operator page (one query)."""
    areas = Area.objects.filter(level__in=("county", "township")).order_by("code")
    return [Choice(code, name, level == "township") for code, name, level in areas.values_list("code", "name", "level")]


@dataclass(frozen=True)
class FilterChoices:
    areas: list[Choice]
    roles: list[Choice]
    vendors: list[Choice]


def filter_choices() -> FilterChoices:
    """Options for the filter form: three small queries, independent of the number of devices.

    values_list, not model instances: tracked models snapshot every field on load, which `.only()` would defeat.
    """
    return FilterChoices(
        areas=area_choices(),
        roles=[Choice(*row) for row in DeviceRole.objects.order_by("name").values_list("slug", "name")],
        vendors=[Choice(*row) for row in Manufacturer.objects.order_by("name").values_list("slug", "name")],
    )
