"""Cloud migration figures (上云率) under "应上尽上": every non-classified system migrates unless an exemption is on
record (classified, vertically managed with its own data centre, approved retained data centre).

- should migrate = systems that are neither exempt (cloud_status "exempt", which the model ties to a recorded
  exemption reason) nor classified. A classified system is out of the denominator even if nobody has marked it
  exempt yet; `exemptions()` lists it with an empty reason so the gap in the record is visible.
- migrated = should-migrate systems with cloud_status "migrated".
- 上云率 = migrated ÷ should migrate (`None` when nothing should migrate).
Every function is one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from inventory.coverage.areas import ratio
from inventory.models import BusinessSystem, Classification, CloudStatus, Department, ExemptionReason

_OUT = Q(cloud_status=CloudStatus.EXEMPT) | Q(classification=Classification.CLASSIFIED)


@dataclass(frozen=True)
class MigrationResult:
    """Example: MigrationResult(migrated=534, should_migrate=534, ratio=1.0, exempt=12)."""

    migrated: int
    should_migrate: int
    ratio: float | None
    exempt: int


@dataclass(frozen=True)
class DepartmentMigration:
    department_id: int
    name: str
    migrated: int
    should_migrate: int
    ratio: float | None
    exempt: int


@dataclass(frozen=True)
class Exemption:
    """One system out of the 上云率 denominator and the record that puts it there (auditable list)."""

    system_id: int
    system: str
    department: str
    classification: str
    cloud_status: str
    reason: str  # ExemptionReason value; "" for a classified system not yet marked exempt
    reason_label: str
    note: str


@dataclass(frozen=True)
class ShareResult:
    """New systems deployed on the cloud: on_cloud ÷ total (new systems that should migrate), exempt aside."""

    on_cloud: int
    total: int
    ratio: float | None
    exempt: int


@dataclass(frozen=True)
class ResourceUse:
    allocated: int
    used: int
    ratio: float | None  # used ÷ allocated


@dataclass(frozen=True)
class CloudResources:
    """Summed over migrated systems that report resources (None values are left out of the sums)."""

    systems: int
    vcpu: ResourceUse
    ram_gb: ResourceUse
    storage_gb: ResourceUse


def _migration_aggregates(prefix: str = "") -> dict[str, Count]:
    """Counts over systems reached through `prefix` ("" for BusinessSystem itself, "systems__" from Department)."""
    out = Q(**{f"{prefix}cloud_status": CloudStatus.EXEMPT}) | Q(
        **{f"{prefix}classification": Classification.CLASSIFIED}
    )
    migrated = Q(**{f"{prefix}cloud_status": CloudStatus.MIGRATED}) & ~out
    return {
        "migrated": Count(f"{prefix}pk", filter=migrated),
        "should": Count(f"{prefix}pk", filter=~out),
        "exempt": Count(f"{prefix}pk", filter=out),
    }


def migration_rate(department_id: int | None = None) -> MigrationResult:
    """上云率 for the whole city or one department."""
    systems = BusinessSystem.objects.all()
    if department_id is not None:
        systems = systems.filter(department_id=department_id)
    c = systems.aggregate(**_migration_aggregates())
    return MigrationResult(c["migrated"], c["should"], ratio(c["migrated"], c["should"]), c["exempt"])


def migration_by_department() -> list[DepartmentMigration]:
    """上云率 per department (departments without systems included, ratio None), in name order."""
    rows = Department.objects.annotate(**_migration_aggregates("systems__")).order_by("name")
    return [
        DepartmentMigration(d.pk, d.name, d.migrated, d.should, ratio(d.migrated, d.should), d.exempt)  # type: ignore[attr-defined]
        for d in rows
    ]


def exemptions() -> list[Exemption]:
    """Every system outside the 上云率 denominator, with its reason and record, by department then name."""
    labels = dict(ExemptionReason.choices)
    rows = (
        BusinessSystem.objects.filter(_OUT)
        .order_by("department__name", "name")
        .values_list(
            "pk", "name", "department__name", "classification", "cloud_status", "exemption_reason", "exemption_note"
        )
    )
    return [
        Exemption(pk, name, dept, cls, status, reason, str(labels.get(reason, "")) if reason else "", note)
        for pk, name, dept, cls, status, reason, note in rows
    ]


def new_systems_on_cloud_share() -> ShareResult:
    """Share of new systems (built after the cloud policy) that are deployed on the cloud; exempt ones aside."""
    c = BusinessSystem.objects.filter(is_new=True).aggregate(**_migration_aggregates())
    return ShareResult(c["migrated"], c["should"], ratio(c["migrated"], c["should"]), c["exempt"])


def cloud_resources(department_id: int | None = None) -> CloudResources:
    """Allocated vs used vCPU / RAM / storage of migrated systems."""
    systems = BusinessSystem.objects.filter(cloud_status=CloudStatus.MIGRATED)
    if department_id is not None:
        systems = systems.filter(department_id=department_id)
    fields = ("vcpu", "ram_gb", "storage_gb")
    sums = systems.aggregate(
        systems=Count("pk"),
        **{f"{f}_{part}": Sum(f"{f}_{part}") for f in fields for part in ("allocated", "used")},
    )

    def use(field: str) -> ResourceUse:
        allocated, used = sums[f"{field}_allocated"] or 0, sums[f"{field}_used"] or 0
        return ResourceUse(allocated, used, ratio(used, allocated))

    return CloudResources(sums["systems"], use("vcpu"), use("ram_gb"), use("storage_gb"))
