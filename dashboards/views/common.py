"""What every page shares: the navigation for the user's roles, and table exports (CSV/XLSX)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dashboards.roles import (
    ADMIN,
    AVAILABILITY_ROLES,
    COMPLIANCE_ROLES,
    COVERAGE_ROLES,
    MIGRATION_ROLES,
    STATUS_ROLES,
    has_role,
    roles_of,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def nav_items(request: HttpRequest) -> list[tuple[str, str, str]]:
    """(url name, label, key) of the pages this user may open."""
    items = []
    if has_role(request.user, *STATUS_ROLES):
        items.append(("dashboards:status", _("Status board"), "status"))
    if has_role(request.user, *COMPLIANCE_ROLES):
        items.append(("dashboards:compliance", _("Compliance"), "compliance"))
    if has_role(request.user, *AVAILABILITY_ROLES):
        items.append(("dashboards:availability", _("Link availability"), "availability"))
    if has_role(request.user, *COVERAGE_ROLES):
        items.append(("dashboards:coverage", _("Coverage"), "coverage"))
    if has_role(request.user, *MIGRATION_ROLES):
        items.append(("dashboards:migration", _("Cloud migration"), "migration"))
    return items


def page(request: HttpRequest, template: str, context: dict[str, Any], *, section: str = "") -> HttpResponse:
    roles = roles_of(request.user)
    context = {
        **context,
        "nav": nav_items(request),
        "section": section,
        "user_roles": sorted(roles),
        "is_admin": ADMIN in roles,
        "languages": settings.LANGUAGES,
    }
    return render(request, template, context)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str | int | float):
        return value
    return str(value)


def table_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, *, sheet: str = "data"
) -> HttpResponse:
    """A table as a CSV (UTF-8 with BOM, so Chinese Excel opens it right) or XLSX download."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=sheet[:31])
        worksheet.append([str(h) for h in headers])
        for row in rows:
            worksheet.append([_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow([str(h) for h in headers])
        for row in rows:
            writer.writerow([_cell(v) for v in row])
        response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{"xlsx" if fmt == "xlsx" else "csv"}"'
    return response
