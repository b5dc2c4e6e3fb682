"""Operator link-availability page: 链路可用率 per county over a window, from the alarm ledger, worst first.

The figures are `dashboards.alerts.link_availability_by_county` (LinkDown alarms posted by Alertmanager) as they
are; this module only picks the window, names the counties and sorts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dashboards.alerts import CountyAvailability, link_availability_by_county
from dashboards.roles import AVAILABILITY_ROLES, role_required
from dashboards.views.common import page, table_response
from dashboards.views.device import format_duration
from inventory.models import Area

WINDOWS = {1: gettext_lazy("last 24 hours"), 7: gettext_lazy("last 7 days"), 30: gettext_lazy("last 30 days")}
DEFAULT_DAYS = 7


def window_days(query: QueryDict) -> int:
    try:
        days = int(query.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in WINDOWS else DEFAULT_DAYS


@dataclass(frozen=True)
class CountyRow:
    code: str  # "" for links above county level (the city's own core)
    name: str
    figures: CountyAvailability

    @property
    def percent(self) -> str:
        rate = self.figures.availability
        return "—" if rate is None else f"{rate * 100:.3f}%"

    @property
    def downtime(self) -> str:
        return format_duration(self.figures.down_seconds)


@dataclass(frozen=True)
class AvailabilityReport:
    days: int
    start: datetime.datetime
    end: datetime.datetime
    rows: list[CountyRow]


def _worst_first(row: CountyRow) -> tuple[float, float, str]:
    # Counties without monitored links (alarms only) have no rate: after every county that has one.
    rate = row.figures.availability
    return (2.0 if rate is None else rate, -row.figures.down_seconds, row.code)


def availability_report(days: int, now: datetime.datetime | None = None) -> AvailabilityReport:
    """The helper's figures for [now − days, now], with county names (one more query), worst first."""
    end = now or timezone.now()
    start = end - datetime.timedelta(days=days)
    figures = link_availability_by_county(start, end)
    names = dict(Area.objects.filter(code__in=[c for c in figures if c]).values_list("code", "name"))
    rows = [
        CountyRow(code, names.get(code, code) if code else _("city level (above any county)"), f)
        for code, f in figures.items()
    ]
    return AvailabilityReport(days, start, end, sorted(rows, key=_worst_first))


@require_GET
@role_required(*AVAILABILITY_ROLES)
def availability_page(request: HttpRequest) -> HttpResponse:
    report = availability_report(window_days(request.GET))
    context = {"report": report, "windows": list(WINDOWS.items())}
    return page(request, "dashboards/availability.html", context, section="availability")


@require_GET
@role_required(*AVAILABILITY_ROLES)
def availability_export(request: HttpRequest) -> HttpResponse:
    report = availability_report(window_days(request.GET))
    headers = [
        _("division code"),
        _("county"),
        _("monitored links"),
        _("availability"),
        _("downtime (link-seconds)"),
        _("link-down alarms"),
    ]
    rows = [
        (
            r.code,
            r.name,
            r.figures.links,
            None if r.figures.availability is None else round(r.figures.availability, 6),
            round(r.figures.down_seconds, 1),
            r.figures.alarms,
        )
        for r in report.rows
    ]
    fmt = request.GET.get("format", "csv")
    return table_response(f"link-availability-{report.days}d", headers, rows, fmt, sheet="availability")
