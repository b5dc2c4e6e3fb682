"""Import sites, departments, business systems and devices from CSV/XLSX.

The whole file is one transaction. Every row of every sheet is checked (cells, references, the model's own
clean() rules, duplicates); valid rows are written as they go so later sheets can refer to them, and if any row was
bad the transaction is rolled back at the end: nothing is written and every bad row is reported. A dry run rolls
back too, after reporting the creates and updates it would have made. Rows are matched on natural keys, so
re-importing the same file changes nothing and writes no ChangeRecords; every write leaves one (actor
"import:<file>").
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from inventory.changelog import acting_as, diff, record_changes, snapshot
from inventory.importers.columns import KINDS, SECRET_WORDS, Column, Kind, kind_for_name
from inventory.importers.references import References, lookup
from inventory.importers.report import ImportFailed, KindSummary, RowError
from inventory.importers.tabular import Cell, Sheet, read_tables
from inventory.models import BusinessSystem, Device, Site

# Reference columns -> the model field they fill.
REFERENCE_FIELDS = {
    "area_code": "area",
    "department": "department",
    "site": "site",
    "role": "role",
    "device_type": "device_type",
    "platform": "platform",
    "credentials": "credentials",
}


@dataclass(frozen=True)
class InventoryImportResult:
    file_format: str
    dry_run: bool
    summaries: tuple[KindSummary, ...]


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # XLSX keeps numbers as floats; a code or a count must not gain ".0"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def assign_kinds(sheets: Sequence[Sheet], kind: str | None) -> tuple[list[tuple[Kind, Sheet]], list[RowError]]:
    """Which kind each table holds: --kind for a single CSV, else the sheet title / file name."""
    pairs, errors = [], []
    for sheet in sheets:
        found = KINDS.get(kind) if kind else kind_for_name(sheet.name)
        if found is None:
            names = ", ".join(f"{k.name}/{k.zh}" for k in KINDS.values())
            errors.append(RowError(sheet.name, 0, "", sheet.name, f"cannot tell the kind: name it one of {names}"))
        else:
            pairs.append((found, sheet))
    order = list(KINDS)
    return sorted(pairs, key=lambda p: order.index(p[0].name)), errors


def map_headers(kind: Kind, sheet: Sheet) -> tuple[dict[int, Column], list[RowError]]:
    by_header = {}
    for column in kind.columns:
        for alias in (column.key, column.zh, *column.aliases):
            by_header[alias.lower()] = column
    mapping: dict[int, Column] = {}
    errors = []
    for i, header in enumerate(sheet.headers):
        if not header:
            continue
        low = header.lower()
        if any(word in low for word in SECRET_WORDS):
            errors.append(RowError(sheet.name, 1, header, "", "secrets are never imported: use a credentials profile"))
        elif low not in by_header:
            errors.append(RowError(sheet.name, 1, header, "", f"unknown column for {kind.name}"))
        else:
            mapping[i] = by_header[low]
    present = {c.key for c in mapping.values()}
    for key in kind.key:
        if key not in present:
            errors.append(RowError(sheet.name, 1, key, "", "required column is missing"))
    return mapping, errors


class _KindImport:
    """One kind's rows: parse, resolve, validate, then write the valid ones in bulk."""

    def __init__(self, kind: Kind, refs: References, summary: KindSummary) -> None:
        self.kind, self.refs, self.summary = kind, refs, summary
        self.existing = _existing(kind)
        self.seen: dict[tuple[str, ...], int] = {}
        self.creates: list[models.Model] = []
        self.updates: list[tuple[models.Model, dict[str, list[Any]]]] = []
        self.errors: list[RowError] = []

    def add_sheet(self, sheet: Sheet, mapping: dict[int, Column]) -> None:
        for number, row in sheet.rows:
            values = {col.key: cell_text(row[i]) if i < len(row) else "" for i, col in mapping.items()}
            self._row(sheet.name, number, values)

    def _error(self, sheet: str, row: int, column: str, value: str, reason: str) -> None:
        self.errors.append(RowError(sheet, row, column, value, reason))

    def _row(self, sheet: str, number: int, values: dict[str, str]) -> None:
        before = len(self.errors)
        key = tuple(values.get(k, "") for k in self.kind.key)
        for k, v in zip(self.kind.key, key, strict=True):
            if not v:
                self._error(sheet, number, k, v, "required")
        if key in self.seen:
            self._error(sheet, number, "", " / ".join(key), f"duplicate of row {self.seen[key]}")
        if len(self.errors) > before:
            return
        self.seen[key] = number
        obj = self.existing.get(key)
        old = snapshot(obj) if obj is not None else None
        obj = obj or self.kind.model()
        self._apply(obj, sheet, number, values)
        if len(self.errors) == before:
            self._validate(obj, sheet, number, values)
        if len(self.errors) == before:
            self._plan(obj, old, " / ".join(key))

    def _apply(self, obj: models.Model, sheet: str, number: int, values: dict[str, str]) -> None:
        columns = {c.key: c for c in self.kind.columns}
        for key, raw in values.items():
            column = columns[key]
            try:
                if column.field is None:
                    self._reference(obj, key, column.parse(raw) if raw else "", values)
                else:
                    setattr(obj, column.field, column.parse(raw) if raw else _empty(obj, column.field))
            except ValueError as exc:
                self._error(sheet, number, key, raw, str(exc))

    def _reference(self, obj: models.Model, key: str, raw: str, values: dict[str, str]) -> None:
        refs = self.refs
        value: object
        if key == "area_code":
            if isinstance(obj, Device):
                return  # used with the site column below
            value = refs.area(raw)
        elif key == "department":
            value = refs.department(raw) if raw else None
        elif key == "site":
            value = refs.site(values.get("area_code") or None, raw)
        elif key == "role":
            value = lookup(refs.roles, raw, "device role") if raw else None
        elif key in ("device_type", "platform"):
            table = refs.types if key == "device_type" else refs.platforms
            value = lookup(table, raw, key.replace("_", " ")) if raw else None
        else:
            value = refs.credentials_profile(raw) if raw else None
        setattr(obj, f"{REFERENCE_FIELDS[key]}_id", value)

    def _validate(self, obj: models.Model, sheet: str, number: int, values: dict[str, str]) -> None:
        missing = [f for f in ("area", "department", "site", "role") if _required_fk_missing(obj, f)]
        reverse = {field: key for key, field in REFERENCE_FIELDS.items()}
        for field in missing:
            self._error(sheet, number, reverse[field], "", "required")
        if missing:
            return
        fks = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.full_clean(exclude=fks, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            columns = {c.field: c.key for c in self.kind.columns if c.field}
            for field, messages in exc.message_dict.items():
                column = columns.get(field, "" if field == "__all__" else field)
                self._error(sheet, number, column, values.get(column, ""), "; ".join(messages))

    def _plan(self, obj: models.Model, old: dict[str, Any] | None, label: str) -> None:
        if old is None:
            self.creates.append(obj)
            return
        changes = diff(old, snapshot(obj), type(obj))
        if changes:
            self.updates.append((obj, changes))
            self.summary.changes.append((label, tuple(changes)))
        else:
            self.summary.unchanged += 1

    def write(self) -> None:
        model = self.kind.model
        model.objects.bulk_create(self.creates, batch_size=1000)  # type: ignore[attr-defined]
        attnames = {f.attname: f.name for f in model._meta.concrete_fields}
        fields = sorted({attnames[a] for _, changes in self.updates for a in changes})
        if fields:
            model.objects.bulk_update([o for o, _ in self.updates], fields, batch_size=1000)  # type: ignore[attr-defined]
        record_changes([(o, "create", diff(None, snapshot(o), model)) for o in self.creates])
        record_changes([(o, "update", changes) for o, changes in self.updates])
        for obj in [*self.creates, *(o for o, _ in self.updates)]:
            obj._loaded = snapshot(obj)  # type: ignore[attr-defined]  # so a later save() logs only its own change
        self.summary.created += len(self.creates)
        self.summary.updated += len(self.updates)


def _empty(obj: models.Model, name: str) -> Any:
    """An empty cell: None for nullable fields, else the field's default (blank text, default choice)."""
    field = obj._meta.get_field(name)
    if field.null:
        return None
    return field.get_default()  # type: ignore[union-attr]


def _required_fk_missing(obj: models.Model, name: str) -> bool:
    try:
        field = obj._meta.get_field(name)
    except Exception:  # the model has no such field
        return False
    return not field.null and getattr(obj, field.attname) is None  # type: ignore[union-attr]


def _existing(kind: Kind) -> dict[tuple[str, ...], Any]:
    """Current rows of a kind by natural key (one query)."""
    if kind.model is Site:
        return {(s.area_id, s.name): s for s in Site.objects.all()}
    if kind.model is BusinessSystem:
        return {(s.department.name, s.name): s for s in BusinessSystem.objects.select_related("department")}
    return {(o.name,): o for o in kind.model.objects.all()}  # type: ignore[attr-defined]


def import_inventory(
    path: Path, *, kind: str | None = None, dry_run: bool = False, actor: str | None = None
) -> InventoryImportResult:
    """Import every table in the file. Raises ImportFailed (after rolling back) listing every bad row."""
    sheets, file_format = read_tables(path)
    pairs, errors = assign_kinds(sheets, kind)
    summaries = {name: KindSummary(name) for name in KINDS if any(k.name == name for k, _ in pairs)}
    try:
        with acting_as(actor or f"import:{path.name}"), transaction.atomic():
            errors += _run(pairs, summaries)
            if errors:
                raise ImportFailed(errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return InventoryImportResult(file_format, dry_run, tuple(summaries.values()))


def _run(pairs: list[tuple[Kind, Sheet]], summaries: dict[str, KindSummary]) -> list[RowError]:
    refs = References()
    errors: list[RowError] = []
    for name in summaries:
        job = _KindImport(KINDS[name], refs, summaries[name])
        for kind, sheet in pairs:
            if kind.name == name:
                mapping, header_errors = map_headers(kind, sheet)
                errors += header_errors
                if not header_errors:
                    job.add_sheet(sheet, mapping)
        job.write()  # valid rows, so later sheets can refer to them; rolled back if anything was bad
        errors += job.errors
        refs.refresh_departments()
        refs.refresh_sites()
    return errors
