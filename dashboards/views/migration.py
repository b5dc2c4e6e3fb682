"""Cloud-migration report: 上云率 overall and per department against 应上尽上, systems by status, exemptions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards.roles import MIGRATION_ROLES, role_required
from dashboards.views.common import page, table_response
from dashboards.views.migration_source import STATUS_ORDER, exemption_list, migration_figures
from inventory.models import Classification, CloudStatus

STATUS_LABELS = dict(CloudStatus.choices)
CLASS_LABELS = dict(Classification.choices)


@dataclass(frozen=True)
class ExemptionLine:
    department: str
    system: str
    classification: str
    reason: str  # label; empty when a classified system has no exemption on record yet
    note: str


def exemption_lines() -> list[ExemptionLine]:
    return [
        ExemptionLine(e.department, e.system, str(CLASS_LABELS.get(e.classification, e.classification)),
                      e.reason_label, e.note)
        for e in exemption_list()
    ]  # fmt: skip


@require_GET
@role_required(*MIGRATION_ROLES)
def migration_page(request: HttpRequest) -> HttpResponse:
    overall, departments = migration_figures()
    context = {
        "overall": overall,
        "departments": departments,
        "statuses": [(s, STATUS_LABELS[s], overall.count(s)) for s in STATUS_ORDER],
        "exemptions": exemption_lines(),
        "target": settings.YUNWANG_MIGRATION_TARGET,
        "below_target": [d for d in departments if d.rate is not None and d.rate < settings.YUNWANG_MIGRATION_TARGET],
    }
    return page(request, "dashboards/migration.html", context, section="migration")


@require_GET
@role_required(*MIGRATION_ROLES)
def migration_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if request.GET.get("table") == "exemptions":
        headers = [_("department"), _("business system"), _("classification"), _("exemption reason"), _("record")]
        exempt = [(e.department, e.system, e.classification, e.reason, e.note) for e in exemption_lines()]
        return table_response("cloud-exemptions", headers, exempt, fmt, sheet="exemptions")
    overall, departments = migration_figures()
    headers = [
        _("department"),
        _("systems"),
        _("exempt"),
        _("should migrate"),
        _("migrated"),
        _("cloud migration rate"),
        *[str(STATUS_LABELS[s]) for s in STATUS_ORDER],
    ]
    rows: list[tuple[Any, ...]] = [
        (d.name, d.total, d.exempt, d.should_migrate, d.migrated, _round(d.rate), *d.status_counts)
        for d in [*departments, overall]
    ]
    rows[-1] = (_("total"), *rows[-1][1:])
    return table_response("cloud-migration", headers, rows, fmt, sheet="migration")


def _round(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)
