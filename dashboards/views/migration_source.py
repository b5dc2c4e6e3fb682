"""上云率 figures for the migration report, from `inventory.migration` (the 应上尽上 definition lives there)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from inventory.migration import Exemption, exemptions, migration_by_department, migration_rate
from inventory.models import BusinessSystem, CloudStatus

STATUS_ORDER = [s.value for s in CloudStatus]


@dataclass(frozen=True)
class MigrationFigures:
    """上云率 of one department (or the whole city when `department_id` is None), plus systems by status."""

    department_id: int | None
    name: str
    migrated: int
    should_migrate: int
    exempt: int
    rate: float | None
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)

    @property
    def status_counts(self) -> list[int]:
        return [self.count(s) for s in STATUS_ORDER]


def _status_counts() -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    overall: dict[str, int] = {}
    per_dept: dict[int, dict[str, int]] = {}
    rows = BusinessSystem.objects.values_list("department_id", "cloud_status").annotate(n=Count("id")).order_by()
    for dept_id, status, n in rows:
        per_dept.setdefault(dept_id, {})[status] = n
        overall[status] = overall.get(status, 0) + n
    return overall, per_dept


def migration_figures() -> tuple[MigrationFigures, list[MigrationFigures]]:
    """The overall figures and one per department with systems, lowest 上云率 first (three queries)."""
    overall_counts, per_dept = _status_counts()
    total = migration_rate()
    overall = MigrationFigures(
        None, "", total.migrated, total.should_migrate, total.exempt, total.ratio, overall_counts
    )
    departments = [
        MigrationFigures(d.department_id, d.name, d.migrated, d.should_migrate, d.exempt, d.ratio,
                         per_dept.get(d.department_id, {}))
        for d in migration_by_department()
        if d.department_id in per_dept
    ]  # fmt: skip
    departments.sort(key=lambda f: (f.rate if f.rate is not None else 2.0, f.name))
    return overall, departments


def exemption_list() -> list[Exemption]:
    """Every system out of the denominator with its recorded reason: the explicit, auditable list."""
    return exemptions()
