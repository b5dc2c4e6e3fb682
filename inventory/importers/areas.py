"""Import the division-code table (CSV `code,name[,parent_code]`): bulk, one transaction, idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from inventory.changelog import diff, record_changes, snapshot
from inventory.importers.report import ImportFailed, RowError
from inventory.importers.tabular import Cell, Sheet, read_tables
from inventory.models import Area
from inventory.models.areas import CODE_RE, LEVEL_ORDER, kind_of, level_of, parent_code_of

HEADERS = {
    "code": ("code", "区划代码", "代码", "统计用区划代码"),
    "name": ("name", "名称", "区划名称"),
    "parent_code": ("parent_code", "parent", "上级代码", "上级区划代码"),
}


@dataclass(frozen=True)
class AreaImportResult:
    created: int
    updated: int
    unchanged: int
    file_format: str


def _columns(sheet: Sheet) -> dict[str, int]:
    lookup = {alias.lower(): key for key, aliases in HEADERS.items() for alias in aliases}
    found = {lookup[h.lower()]: i for i, h in enumerate(sheet.headers) if h.lower() in lookup}
    if "code" not in found or "name" not in found:
        raise ImportFailed([RowError(sheet.name, 1, "", ",".join(sheet.headers), "header must name code and name")])
    return found


def _text(row: Sequence[Cell], index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an XLSX cell holding the code as a number
    return str(value).strip()


def _parse(sheet: Sheet) -> tuple[dict[str, tuple[int, str]], list[RowError]]:
    cols = _columns(sheet)
    rows: dict[str, tuple[int, str]] = {}
    errors: list[RowError] = []
    for n, row in sheet.rows:
        code, name = _text(row, cols["code"]), _text(row, cols["name"])
        parent = _text(row, cols.get("parent_code"))
        err = _check_row(code, name, parent, rows)
        if err:
            column, value, reason = err
            errors.append(RowError(sheet.name, n, column, value, reason))
        else:
            rows[code] = (n, name)
    return rows, errors


def _check_row(code: str, name: str, parent: str, seen: dict[str, tuple[int, str]]) -> tuple[str, str, str] | None:
    if not CODE_RE.match(code):
        hint = " (Excel turned it into a number? format the column as text)" if "E+" in code.upper() else ""
        return "code", code, f"a division code is exactly 12 digits{hint}"
    if code in seen:
        return "code", code, f"duplicate of row {seen[code][0]}"
    if not name:
        return "name", name, "name is required"
    if len(name) > Area._meta.get_field("name").max_length:  # type: ignore[operator]
        return "name", name, "name is too long"
    expected = parent_code_of(code)
    if parent and parent != expected:
        return "parent_code", parent, f"the parent of {code} ({level_of(code)}) must be {expected}"
    return None


def import_areas(path: Path, *, actor: str | None = None) -> AreaImportResult:
    """Upsert every area in the file; raise ImportFailed (nothing written) listing every bad row."""
    sheets, file_format = read_tables(path)
    if len(sheets) != 1:
        raise ImportFailed([RowError(path.name, 0, "", "", "expected exactly one table of areas")])
    sheet = sheets[0]
    rows, errors = _parse(sheet)
    existing = {a.code: a for a in Area.objects.filter(code__in=_with_parents(rows))}
    for code, (n, _name) in rows.items():
        parent = parent_code_of(code)
        if parent is not None and parent not in rows and parent not in existing:
            errors.append(
                RowError(sheet.name, n, "parent_code", parent, "parent area is neither in the file nor loaded")
            )
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    return _write(rows, existing, actor or f"import:{path.name}", file_format)


def _with_parents(rows: dict[str, tuple[int, str]]) -> set[str]:
    codes = set(rows)
    codes |= {p for p in map(parent_code_of, rows) if p is not None}
    return codes


def _write(
    rows: dict[str, tuple[int, str]], existing: dict[str, Area], actor: str, file_format: str
) -> AreaImportResult:
    creates: list[Area] = []
    updates: list[tuple[Area, dict[str, list[object]]]] = []
    for code in sorted(rows, key=lambda c: (LEVEL_ORDER.index(level_of(c)), c)):  # parents first
        name = rows[code][1]
        area = existing.get(code)
        if area is None:
            new = Area(code=code, name=name, parent_id=parent_code_of(code), level=level_of(code), kind=kind_of(code))
            try:
                new.clean()
            except ValidationError as exc:  # the model's own rules, kept as the last word
                raise ImportFailed([RowError("", rows[code][0], "code", code, "; ".join(exc.messages))]) from exc
            creates.append(new)
        elif area.name != name:
            before = snapshot(area)
            area.name = name
            updates.append((area, diff(before, snapshot(area), Area)))
    with transaction.atomic():
        Area.objects.bulk_create(creates, batch_size=1000)
        Area.objects.bulk_update([a for a, _ in updates], ["name"], batch_size=1000)
        record_changes([(a, "create", diff(None, snapshot(a), Area)) for a in creates], actor=actor)
        record_changes([(a, "update", changes) for a, changes in updates], actor=actor)
    for area in [*creates, *(a for a, _ in updates)]:
        area._loaded = snapshot(area)  # type: ignore[attr-defined]  # so a later save() logs only its own change
    unchanged = len(rows) - len(creates) - len(updates)
    return AreaImportResult(len(creates), len(updates), unchanged, file_format)
