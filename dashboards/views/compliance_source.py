"""The fleet compliance page's queries: per-check counts and one page of failing (device, check) rows.

Only current results count (`ComplianceResult.current`: each device's latest set); decommissioned devices are left
out, as on the status board. A page costs three queries whatever the number of devices or rows: the counts, the
page's ids, and those rows with their device/area names and "failing since".

Failing since: the collector stores a new set of results only when some result changed, so a (device, check) pair's
history is a list of sets, and the current fail run started at the first fail stored after the last non-fail
(pass / not applicable) result of that pair. With no non-fail result on record, it is the first result stored: the
failure may be older than yunwang's first look. Two correlated subqueries per row shown, on the
(device, check_id, checked_at) index.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language

from collectors.compliance import CHECKS
from dashboards.views.board import filter_query, page_number
from inventory.models import CheckStatus, ComplianceResult, DeviceStatus
from inventory.models.areas import CODE_RE, prefix_of

PAGE_SIZE = 50
STATUSES = (CheckStatus.PASS.value, CheckStatus.FAIL.value, CheckStatus.NOT_APPLICABLE.value)


def check_title(check_id: str) -> str:
    """The check's title in the active language (zh-Hans or English); a check id no longer defined is its own title."""
    titles = CHECKS.get(check_id)
    if titles is None:
        return check_id
    return titles[0] if (get_language() or "").lower().startswith("zh") else titles[1]


@dataclass(frozen=True)
class ComplianceFilters:
    """Area (county/township subtree) and check from the query string; unknown values are ignored."""

    area: str = ""
    check: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: QueryDict) -> ComplianceFilters:
        area = query.get("area", "").strip()
        check = query.get("check", "").strip()
        return cls(
            area=area if CODE_RE.match(area) else "",
            check=check if check in CHECKS else "",
            page=page_number(query),
        )

    def query_string(self, **override: Any) -> str:
        return filter_query({"area": self.area, "check": self.check, "page": self.page, **override})


@dataclass(frozen=True)
class CheckCounts:
    """How many devices pass, fail, or are not applicable for one check (current results)."""

    check_id: str
    title: str
    passed: int
    failed: int
    not_applicable: int

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.not_applicable


@dataclass(frozen=True)
class FailingRow:
    """One failing (device, check) pair as the list and the exports show it."""

    device_id: int
    device: str
    area: str
    area_code: str
    check_id: str
    title: str
    evidence: str
    checked_at: datetime.datetime
    failing_since: datetime.datetime
    url: str  # the device page


def current_results(area: str = "") -> QuerySet[ComplianceResult]:
    """The current results of devices in service, optionally of one area's subtree."""
    qs = ComplianceResult.objects.filter(current=True).exclude(device__status=DeviceStatus.DECOMMISSIONED)
    if area:
        qs = qs.filter(device__site__area__code__startswith=prefix_of(area))
    return qs


def check_counts(area: str = "") -> list[CheckCounts]:
    """One line per check (the 16 in their defined order, then any retired check id still stored), one query."""
    found: dict[str, dict[str, int]] = {}
    rows = current_results(area).values_list("check_id", "status").annotate(n=Count("pk")).order_by()
    for check_id, status, n in rows:
        found.setdefault(check_id, {})[status] = n
    order = [*CHECKS, *sorted(set(found) - set(CHECKS))]
    return [
        CheckCounts(
            check_id,
            check_title(check_id),
            found.get(check_id, {}).get(CheckStatus.PASS, 0),
            found.get(check_id, {}).get(CheckStatus.FAIL, 0),
            found.get(check_id, {}).get(CheckStatus.NOT_APPLICABLE, 0),
        )
        for check_id in order
    ]


def failing(filters: ComplianceFilters) -> QuerySet[ComplianceResult]:
    qs = current_results(filters.area).filter(status=CheckStatus.FAIL)
    return qs.filter(check_id=filters.check) if filters.check else qs


def _same_pair() -> Q:
    return Q(device_id=OuterRef("device_id"), check_id=OuterRef("check_id"))


def with_failing_since(qs: QuerySet[ComplianceResult]) -> QuerySet[ComplianceResult]:
    """Annotate `failing_since` on current fail rows (see the module docstring)."""
    history = ComplianceResult.objects.filter(_same_pair())
    last_ok = history.exclude(status=CheckStatus.FAIL).order_by("-checked_at").values("checked_at")[:1]
    fails = history.filter(status=CheckStatus.FAIL).order_by("checked_at").values("checked_at")
    return qs.annotate(last_ok=Subquery(last_ok)).annotate(
        # When there is no non-fail result, `checked_at > NULL` matches nothing and the first fail ever counts.
        failing_since=Coalesce(Subquery(fails.filter(checked_at__gt=OuterRef("last_ok"))[:1]), Subquery(fails[:1]))
    )


ROW_FIELDS = (
    "device_id",
    "device__name",
    "device__site__area__name",
    "device__site__area_id",
    "check_id",
    "evidence",
    "checked_at",
    "failing_since",
)
ORDER = ("device__name", "device_id", "check_id")


def failing_rows(qs: QuerySet[ComplianceResult]) -> Iterator[FailingRow]:
    """The rows of `qs` (current fail results), by device name then check, with failing_since: one query."""
    # One reverse() for all rows, not one per row.
    url = reverse("dashboards:device", args=[0]).replace("/0/", "/{}/")
    values = with_failing_since(qs).order_by(*ORDER).values_list(*ROW_FIELDS)
    for device_id, device, area, area_code, check_id, evidence, checked_at, since in values.iterator(2000):
        yield FailingRow(
            device_id, device, area, area_code, check_id, check_title(check_id), evidence, checked_at,
            since or checked_at, url.format(device_id),
        )  # fmt: skip


@dataclass(frozen=True)
class FailingPage:
    filters: ComplianceFilters
    rows: list[FailingRow]
    total: int
    page: int
    pages: int
    page_size: int

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.page_size, self.total)

    @property
    def prev_link(self) -> str | None:
        return "?" + self.filters.query_string(page=self.page - 1) if self.page > 1 else None

    @property
    def next_link(self) -> str | None:
        return "?" + self.filters.query_string(page=self.page + 1) if self.page < self.pages else None


def failing_page(filters: ComplianceFilters, counts: list[CheckCounts]) -> FailingPage:
    """One page of failing rows: two queries (the total comes from `counts`, already filtered by area)."""
    total = sum(c.failed for c in counts if not filters.check or c.check_id == filters.check)
    page_size = PAGE_SIZE
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    start = (page - 1) * page_size
    # Two steps, as on the status board: sort the narrow rows and keep one page of ids, then compute the
    # subqueries for those rows only.
    base = failing(filters)
    ids = list(base.order_by(*ORDER).values_list("pk", flat=True)[start : start + page_size])
    rows = list(failing_rows(ComplianceResult.objects.filter(pk__in=ids))) if ids else []
    return FailingPage(filters, rows, total, page, pages, page_size)
