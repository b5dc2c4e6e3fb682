"""Operator compliance page: MLPS 2.0 results across the fleet (current results), failing list, CSV/XLSX export."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from collectors.compliance import CHECKS
from dashboards.roles import COMPLIANCE_ROLES, role_required
from dashboards.views.board import Choice, area_choices
from dashboards.views.common import page, table_response
from dashboards.views.compliance_source import (
    ComplianceFilters,
    check_counts,
    check_title,
    failing,
    failing_page,
    failing_rows,
)


def check_choices() -> list[Choice]:
    return [Choice(check_id, check_title(check_id)) for check_id in CHECKS]


@require_GET
@role_required(*COMPLIANCE_ROLES)
def compliance_page(request: HttpRequest) -> HttpResponse:
    filters = ComplianceFilters.from_query(request.GET)
    counts = check_counts(filters.area)
    export = reverse("dashboards:compliance_export") + "?" + filters.query_string(page=1)
    context = {
        "filters": filters,
        # (counts, link filtering the list to the check: None for a retired check id, which the filter ignores)
        "counts": [
            (c, "?" + filters.query_string(check=c.check_id, page=1) if c.check_id in CHECKS else None) for c in counts
        ],
        "devices_checked": max((c.total for c in counts), default=0),
        "failing": failing_page(filters, counts),
        "areas": area_choices(),
        "checks": check_choices(),
        "export_csv": export + ("&" if filters.area or filters.check else "") + "format=csv",
        "export_xlsx": export + ("&" if filters.area or filters.check else "") + "format=xlsx",
    }
    return page(request, "dashboards/compliance.html", context, section="compliance")


def _local(when: datetime.datetime) -> str:
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M:%S}"


@require_GET
@role_required(*COMPLIANCE_ROLES)
def compliance_export(request: HttpRequest) -> HttpResponse:
    """Every failing (device, check) row matching the filters, not just one page."""
    filters = ComplianceFilters.from_query(request.GET)
    fmt = request.GET.get("format", "csv")
    headers = [
        _("device"),
        _("division code"),
        _("area"),
        _("check"),
        _("check title"),
        _("failing since"),
        _("last checked"),
        _("evidence"),
    ]
    rows = (
        (r.device, r.area_code, r.area, r.check_id, r.title, _local(r.failing_since), _local(r.checked_at), r.evidence)
        for r in failing_rows(failing(filters))
    )
    name = "-".join(["compliance-failing", *[v for v in (filters.area, filters.check) if v]])
    return table_response(name, headers, rows, fmt, sheet="failing")
