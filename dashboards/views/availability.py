"""Operator link-availability page: 链路可用率 per county over a window, worst first, from two sources side by side.

- status history: `inventory.coverage.link_availability` — DOMAIN.md's definition (down time from the collectors'
  link_down/link_up events), the figure to report;
- alarm ledger: `dashboards.alerts.link_availability_by_county` — what Alertmanager told yunwang (LinkDown alarms),
  with the alarm count; it differs when alerting missed or delayed an outage, which is worth seeing.
This module only picks the window, names the counties, joins the two and sorts.
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
from inventory.coverage import link_availability
from inventory.coverage.links import CountyAvailability as HistoryAvailability
from inventory.models import Area

WINDOWS = {1: gettext_lazy("last 24 hours"), 7: gettext_lazy("last 7 days"), 30: gettext_lazy("last 30 days")}
DEFAULT_DAYS = 7


def window_days(query: QueryDict) -> int:
    try:
        days = int(query.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in WINDOWS else DEFAULT_DAYS


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.3f}%"


@dataclass(frozen=True)
class CountyRow:
    code: str  # "" for links above county level (the city's own core)
    name: str
    figures: CountyAvailability  # from the alarm ledger
    history: HistoryAvailability | None  # from the status history; None: no monitored link of the county

    @property
    def percent(self) -> str:
        return _percent(self.figures.availability)

    @property
    def history_percent(self) -> str:
        return _percent(self.history.availability if self.history else None)

    @property
    def history_downtime(self) -> str:
        return format_duration(self.history.down_seconds) if self.history else "—"

    @property
    def downtime(self) -> str:
        return format_duration(self.figures.down_seconds)


@dataclass(frozen=True)
class AvailabilityReport:
    days: int
    start: datetime.datetime
    end: datetime.datetime
    rows: list[CountyRow]


def _worst_first(row: CountyRow) -> tuple[float, float, float, str]:
    # The status history decides, the ledger breaks ties; no rate (no monitored link) sorts after every rate.
    history = row.history.availability if row.history else None
    ledger = row.figures.availability
    return (2.0 if history is None else history, 2.0 if ledger is None else ledger, -row.figures.down_seconds, row.code)


def availability_report(days: int, now: datetime.datetime | None = None) -> AvailabilityReport:
    """The helper's figures for [now − days, now], with county names (one more query), worst first."""
    end = now or timezone.now()
    start = end - datetime.timedelta(days=days)
    history = {c.code or "": c for c in link_availability(None, start, end).counties}
    figures = link_availability_by_county(start, end)
    for code in history.keys() - figures.keys():  # down in the history, never alarmed: still a row
        figures[code] = CountyAvailability(code, history[code].links, 0.0, 1.0)
    names = dict(Area.objects.filter(code__in=[c for c in figures if c]).values_list("code", "name"))
    rows = [
        CountyRow(code, names.get(code, code) if code else _("city level (above any county)"), f, history.get(code))
        for code, f in figures.items()
    ]
    return AvailabilityReport(days, start, end, sorted(rows, key=_worst_first))


@require_GET
@role_required(*AVAILABILITY_ROLES)
def availability_page(request: HttpRequest) -> HttpResponse:
    report = availability_report(window_days(request.GET))
    context = {"report": report, "windows": list(WINDOWS.items())}
    return page(request, "dashboards/availability.html", context, section="availability")


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


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
        _("availability (status history)"),
        _("downtime (status history, link-seconds)"),
    ]
    rows = [
        (
            r.code,
            r.name,
            r.figures.links,
            _rounded(r.figures.availability, 6),
            round(r.figures.down_seconds, 1),
            r.figures.alarms,
            _rounded(r.history.availability if r.history else None, 6),
            _rounded(r.history.down_seconds if r.history else None, 1),
        )
        for r in report.rows
    ]
    fmt = request.GET.get("format", "csv")
    return table_response(f"link-availability-{report.days}d", headers, rows, fmt, sheet="availability")
