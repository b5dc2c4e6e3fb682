"""Export sites, departments, systems and devices in exactly the columns the importer reads, so a planner can
export, edit in Excel and import again. Secrets have no column: a device names its credentials profile only."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.db import models

from inventory.importers.columns import KINDS, Kind
from inventory.importers.tabular import Cell, write_csv, write_xlsx
from inventory.models import BusinessSystem, Department, Device, Site
from inventory.models.areas import prefix_of

REFERENCE_GETTERS: dict[str, Callable[[Any], Cell]] = {
    "area_code": lambda o: o.site.area_id if isinstance(o, Device) else o.area_id,
    "department": lambda o: o.department.name if o.department_id else None,
    "site": lambda o: o.site.name,
    "role": lambda o: o.role.slug,
    "device_type": lambda o: o.device_type.slug if o.device_type_id else None,
    "platform": lambda o: o.platform.slug if o.platform_id else None,
    "credentials": lambda o: o.credentials.name if o.credentials_id else None,
}


def _queryset(kind: Kind, area_code: str | None) -> models.QuerySet[Any]:
    """All rows of a kind in natural-key order, with what the reference columns need (one query)."""
    if kind.model is Department:
        return Department.objects.order_by("name")
    if kind.model is BusinessSystem:
        return BusinessSystem.objects.select_related("department").order_by("department__name", "name")
    prefix = prefix_of(area_code) if area_code else ""
    if kind.model is Site:
        return (
            Site.objects.select_related("department").filter(area__code__startswith=prefix).order_by("area_id", "name")
        )
    return (
        Device.objects.select_related("site", "role", "device_type", "platform", "credentials")
        .filter(site__area__code__startswith=prefix)
        .order_by("name")
    )


def _value(obj: models.Model, key: str, field: str | None, xlsx: bool) -> Cell:
    value = REFERENCE_GETTERS[key](obj) if field is None else getattr(obj, field)
    if xlsx:
        return value  # native cells: numbers, booleans and dates stay typed in Excel
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def rows_for(kind: Kind, *, area_code: str | None = None, xlsx: bool = False) -> list[list[Cell]]:
    return [[_value(obj, c.key, c.field, xlsx) for c in kind.columns] for obj in _queryset(kind, area_code)]


def headers_for(kind: Kind, chinese: bool) -> list[str]:
    return [c.zh if chinese else c.key for c in kind.columns]


def export_inventory(
    path: Path,
    *,
    kinds: Sequence[str] | None = None,
    area_code: str | None = None,
    chinese_headers: bool = False,
    encoding: str = "utf-8-sig",
) -> dict[str, int]:
    """Write the file; returns rows written per kind. XLSX: one sheet per kind; CSV: exactly one kind."""
    chosen = [KINDS[k] for k in (kinds or list(KINDS))]
    if path.suffix.lower() == ".xlsx":
        sheets = [
            (
                k.zh if chinese_headers else k.name,
                headers_for(k, chinese_headers),
                rows_for(k, area_code=area_code, xlsx=True),
            )
            for k in chosen
        ]
        write_xlsx(path, sheets)
        return {k.name: len(rows) for k, (_, _, rows) in zip(chosen, sheets, strict=True)}
    if path.suffix.lower() != ".csv":
        raise ValueError(f"{path.name}: use a .csv or .xlsx file name")
    if len(chosen) != 1:
        raise ValueError("a CSV holds one kind: pass --kind (or export to .xlsx for all kinds)")
    rows = rows_for(chosen[0], area_code=area_code)
    write_csv(path, headers_for(chosen[0], chinese_headers), rows, encoding=encoding)
    return {chosen[0].name: len(rows)}
