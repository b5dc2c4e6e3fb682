"""Apply: planned changes → database. The only collector code that writes inventory rows.

`apply_records([(device_id, record), ...])` loads the current state of a batch of devices in a few bulk
queries, plans each device with the pure `collectors.reconcile.plan`, and writes the differences only: bulk
creates, `executemany` updates of just the changed columns, StatusEvents, and ChangeRecords (through
`inventory.changelog.record_changes`, actor `collector:<source>`).

Transactions: each device's changes are all-or-nothing. For speed the devices of one batch share one
transaction and its bulk statements (a group commit: one commit per ~200 devices instead of one per device,
which is what keeps a 10k-device cycle inside its budget, see bench/RESULTS.md). If that transaction fails,
the batch is written again device by device, each in its own transaction, so one bad device can never cost
the others their writes; the bad one is reported as an `internal` failure.

Volatile fields (last polled/seen, uptime) are written with the rest but are not change-logged
(Device.changelog_exclude): they move every poll and StatusEvents carry the history.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import DatabaseError, connection, models, transaction

from collectors.reconcile import DEVICE_TEXT_FIELDS, DeviceState, InterfaceState, LinkEnd, Plan, plan
from collectors.records import DeviceRecord
from inventory.changelog import record_changes
from inventory.models import Device, Discovery, Interface, InterfaceCounters, Link, StatusEvent

if TYPE_CHECKING:
    from collectors.statecache import StateCache

log = logging.getLogger(__name__)

# Column order of InterfaceState (a NamedTuple built straight from these rows).
_IFACE_FULL = (
    "id",
    "name",
    "if_index",
    "description",
    "alias",
    "type",
    "mtu",
    "speed_bps",
    "mac",
    "admin_status",
    "oper_status",
    "last_change_seconds",
    "monitored",
)
# A status poll only compares statuses: load the narrow columns (descriptions etc. stay at their defaults).
_IFACE_STATUS = ("id", "name", "if_index", "admin_status", "oper_status", "last_change_seconds", "monitored")
_DEVICE_COLUMNS = (
    "id",
    "name",
    "reachable",
    "last_polled",
    "uptime_seconds",
    "poll_error_kind",
    "poll_error",
    "observed_sources",
    *DEVICE_TEXT_FIELDS,
)
LogRow = tuple[models.Model, str, dict[str, list[Any]]]


@dataclass
class BatchResult:
    """What one batch (or a whole cycle, summed) did."""

    devices: int = 0
    failed_by_reason: Counter[str] = field(default_factory=Counter)
    change_records: int = 0
    interface_rows: int = 0
    events: int = 0
    findings: int = 0

    def add(self, other: BatchResult) -> None:
        self.devices += other.devices
        self.failed_by_reason.update(other.failed_by_reason)
        self.change_records += other.change_records
        self.interface_rows += other.interface_rows
        self.events += other.events
        self.findings += other.findings


class _Ref:
    """Enough of a model instance for record_changes (label, pk, text) without loading the row."""

    def __init__(self, model: type[models.Model], pk: int, text: str) -> None:
        self._meta = model._meta
        self.pk = pk
        self._text = text

    def __str__(self) -> str:
        return self._text


def ref(model: type[models.Model], pk: int, text: str) -> models.Model:
    return cast(models.Model, _Ref(model, pk, text))


# --- loading -----------------------------------------------------------------------------------------------


def load_directory() -> dict[str, int]:
    """Every device by lower-cased inventory name and sysName: how an LLDP neighbour is recognised."""
    directory: dict[str, int] = {}
    for pk, name, sys_name in Device.objects.values_list("id", "name", "sys_name"):
        for key in (sys_name, name):  # the inventory name wins when both match different devices
            if key:
                directory[key.strip().lower()] = pk
    return directory


def _link_ends(device_ids: Sequence[int]) -> dict[int, list[LinkEnd]]:
    ends: dict[int, list[LinkEnd]] = {}
    for local, peer in (("a", "b"), ("b", "a")):
        rows = Link.objects.filter(**{f"{local}_interface__device_id__in": device_ids}).values_list(
            "id",
            "lldp_confirmed",
            f"{local}_interface_id",
            f"{local}_interface__device_id",
            f"{peer}_interface__device_id",
            f"{peer}_interface__device__name",
            f"{peer}_interface__device__sys_name",
            f"{peer}_interface__name",
            f"{peer}_interface__description",
        )
        for link_id, confirmed, local_iface, local_dev, peer_dev, p_name, p_sys, p_port, p_descr in rows:
            names = frozenset(x.strip().lower() for x in (p_name, p_sys) if x)
            ports = frozenset(x.strip().lower() for x in (p_port, p_descr) if x)
            end = LinkEnd(link_id, local_iface, local == "a", peer_dev, names, ports, confirmed)
            ends.setdefault(local_dev, []).append(end)
    return ends


def _interfaces(device_ids: Sequence[int], full: bool) -> dict[int, list[InterfaceState]]:
    ifaces: dict[int, list[InterfaceState]] = {}
    qs = Interface.objects.filter(device_id__in=device_ids)
    if full:
        for dev, *row in qs.values_list("device_id", *_IFACE_FULL):
            ifaces.setdefault(dev, []).append(InterfaceState._make(row))
    else:
        make = InterfaceState
        for dev, pk, name, if_index, admin, oper, last_change, monitored in qs.values_list("device_id", *_IFACE_STATUS):
            row = make(pk, name, if_index, "", "", None, None, None, "", admin, oper, last_change, monitored)
            ifaces.setdefault(dev, []).append(row)
    return ifaces


def load_states(
    device_ids: Sequence[int], directory: dict[str, int] | None = None, *, full: bool = True
) -> dict[int, DeviceState]:
    """Current state of the given devices in 2 queries (status) or 4 (full: names, links), whatever their number."""
    directory = load_directory() if directory is None and full else (directory or {})
    ifaces = _interfaces(device_ids, full)
    links = _link_ends(device_ids) if full else {}
    states: dict[int, DeviceState] = {}
    for row in Device.objects.filter(pk__in=device_ids).values(*_DEVICE_COLUMNS):
        pk = row["id"]
        states[pk] = DeviceState(
            id=pk,
            name=row["name"],
            reachable=row["reachable"],
            last_polled=row["last_polled"],
            uptime_seconds=row["uptime_seconds"],
            poll_error_kind=row["poll_error_kind"],
            poll_error=row["poll_error"],
            observed={k: row[k] for k in DEVICE_TEXT_FIELDS},
            observed_sources=row["observed_sources"] or {},
            interfaces=tuple(ifaces.get(pk, ())),
            links=tuple(links.get(pk, ())),
            known_devices=directory,
        )
    return states


# --- writing -----------------------------------------------------------------------------------------------


VALUES_CHUNK = 2000  # rows per UPDATE ... FROM (VALUES ...) statement (PostgreSQL allows 65535 parameters)


def update_rows(model: type[models.Model], rows: Iterable[tuple[int, dict[str, Any]]]) -> int:
    """UPDATE only the given columns of the given rows, grouped by the set of columns.

    Django's bulk_update builds a CASE expression per column per row, which costs more CPU than the database
    spends. On PostgreSQL one `UPDATE ... FROM (VALUES ...)` per group and chunk; elsewhere (SQLite, in-process)
    an executemany of plain statements."""
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
    for pk, values in rows:
        groups.setdefault(tuple(sorted(values)), []).append((pk, values))
    count = 0
    for names, members in groups.items():
        fields = [cast("models.Field[Any, Any]", model._meta.get_field(n)) for n in names]
        params = [[pk] + [f.get_db_prep_save(values[f.name], connection) for f in fields] for pk, values in members]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for start in range(0, len(params), VALUES_CHUNK):
                    chunk = params[start : start + VALUES_CHUNK]
                    cursor.execute(_values_update_sql(model, fields, len(chunk)), [p for row in chunk for p in row])
            else:
                cursor.executemany(_plain_update_sql(model, fields), [row[1:] + row[:1] for row in params])
        count += len(members)
    return count


def _plain_update_sql(model: type[models.Model], fields: list[models.Field[Any, Any]]) -> str:
    qn = connection.ops.quote_name
    columns = ", ".join(f"{qn(str(f.column))} = %s" for f in fields)
    pk_column = str(cast("models.Field[Any, Any]", model._meta.pk).column)
    return f"UPDATE {qn(model._meta.db_table)} SET {columns} WHERE {qn(pk_column)} = %s"


def _values_update_sql(model: type[models.Model], fields: list[models.Field[Any, Any]], rows: int) -> str:
    qn = connection.ops.quote_name
    pk = cast("models.Field[Any, Any]", model._meta.pk)
    # Every parameter is cast: a VALUES list takes its column types from its rows, and NULLs carry none.
    casts = [str(pk.db_type(connection))] + [_cast_type(f) for f in fields]
    row = "(" + ", ".join(f"%s::{t}" for t in casts) + ")"
    aliases = ["pk"] + [f"c{i}" for i in range(len(fields))]
    sets = ", ".join(f"{qn(str(f.column))} = v.c{i}" for i, f in enumerate(fields))
    table = qn(model._meta.db_table)
    return (
        f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * rows)}) AS v({', '.join(aliases)}) "
        f"WHERE {table}.{qn(str(pk.column))} = v.pk"
    )


def _cast_type(field: models.Field[Any, Any]) -> str:
    db_type = str(field.db_type(connection))
    if isinstance(field, models.ForeignKey):
        db_type = str(field.target_field.db_type(connection))
    return db_type.split(" CHECK", 1)[0].replace("serial", "integer")


@dataclass
class _Batch:
    """Everything a set of plans writes, gathered so each kind of row goes out in one statement."""

    devices: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    iface_updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    iface_moving: list[int] = field(default_factory=list)
    iface_creates: list[tuple[Interface, dict[str, Any], str]] = field(default_factory=list)
    links: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    discoveries: list[Discovery] = field(default_factory=list)
    events: list[StatusEvent] = field(default_factory=list)
    counters: list[InterfaceCounters] = field(default_factory=list)
    log: dict[str, list[LogRow]] = field(default_factory=dict)


def _gather(p: Plan, state: DeviceState, b: _Batch) -> None:
    actor = f"collector:{p.source}"
    log_rows = b.log.setdefault(actor, [])
    device_values = {k: after for k, (_, after) in p.device_changes.items()} | dict(p.volatile)
    if device_values:
        b.devices.append((p.device_id, device_values))
    if p.device_changes:
        log_rows.append((ref(Device, state.id, state.name), "update", _pairs(p.device_changes)))
    names = {i.id: i.name for i in state.interfaces}
    for u in p.interface_updates:
        b.iface_updates.append((u.interface_id, {k: after for k, (_, after) in u.changes.items()}))
        if "if_index" in u.changes:
            b.iface_moving.append(u.interface_id)
        log_rows.append(
            (ref(Interface, u.interface_id, f"{state.id}:{names.get(u.interface_id)}"), "update", _pairs(u.changes))
        )
    b.iface_creates += [(Interface(device_id=state.id, **row), dict(row), actor) for row in p.interface_creates]
    before = {end.link_id: end.lldp_confirmed for end in state.links}
    for link_id, value in p.link_confirmations.items():
        b.links.append((link_id, {"lldp_confirmed": value}))
        log_rows.append(
            (ref(Link, link_id, f"link {link_id}"), "update", {"lldp_confirmed": [before.get(link_id), value]})
        )
    b.discoveries += [
        Discovery(
            seen_by_id=p.device_id,
            local_port=d.local_port,
            remote_sys_name=d.remote_sys_name,
            remote_chassis_id=d.remote_chassis_id,
            remote_port=d.remote_port,
            first_seen=p.collected_at,
            last_seen=p.collected_at,
        )
        for d in p.discoveries
    ]
    b.events += [
        StatusEvent(
            time=p.collected_at,
            kind=e.kind,
            device_id=p.device_id,
            interface_id=e.interface_id,
            link_id=e.link_id,
            reason=e.reason[:255],
        )
        for e in p.events
    ]
    b.counters += [
        InterfaceCounters(
            interface_id=c.interface_id,
            in_octets=c.in_octets,
            out_octets=c.out_octets,
            in_errors=c.in_errors,
            out_errors=c.out_errors,
            collected_at=p.collected_at,
        )
        for c in p.counters
    ]


def _pairs(changes: Any) -> dict[str, list[Any]]:
    return {k: [a, b] for k, (a, b) in changes.items()}


def _write(b: _Batch) -> tuple[int, int]:
    """All of a batch's rows, in bulk. Returns (ChangeRecords, interface rows written)."""
    update_rows(Device, b.devices)
    if b.iface_moving:  # an ifIndex moving between ports: clear them first so (device, ifIndex) stays unique
        update_rows(Interface, [(pk, {"if_index": None}) for pk in b.iface_moving])
    iface_rows = update_rows(Interface, b.iface_updates)
    created = Interface.objects.bulk_create([obj for obj, _, _ in b.iface_creates], batch_size=1000)
    for obj, (_, row, actor) in zip(created, b.iface_creates, strict=True):
        b.log.setdefault(actor, []).append((obj, "create", {k: [None, v] for k, v in row.items()}))
    update_rows(Link, b.links)
    if b.discoveries:
        Discovery.objects.bulk_create(
            b.discoveries,
            update_conflicts=True,
            unique_fields=["seen_by", "local_port", "remote_chassis_id", "remote_port"],
            update_fields=["last_seen", "remote_sys_name"],
        )
    StatusEvent.objects.bulk_create(b.events, batch_size=1000)
    if b.counters:
        InterfaceCounters.objects.bulk_create(
            b.counters,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["interface"],
            update_fields=["in_octets", "out_octets", "in_errors", "out_errors", "collected_at"],
        )
    written = sum(record_changes(rows, actor=actor) for actor, rows in b.log.items() if rows)
    return written, iface_rows + len(created)


def write_plans(plans: Sequence[tuple[Plan, DeviceState]]) -> tuple[int, int, list[int]]:
    """Write plans in one transaction; on failure, device by device. Returns (changes, iface rows, failed ids)."""
    batch = _Batch()
    for p, state in plans:
        _gather(p, state, batch)
    try:
        with transaction.atomic():
            written, rows = _write(batch)
        return written, rows, []
    except DatabaseError:
        if len(plans) == 1:
            log.exception("writing device %s failed", plans[0][1].name)
            return 0, 0, [plans[0][0].device_id]
        log.warning("batch write failed; retrying device by device", exc_info=True)
    written = rows = 0
    failed: list[int] = []
    for one in plans:
        w, r, f = write_plans([one])
        written, rows, failed = written + w, rows + r, failed + f
    return written, rows, failed


def _states(
    ids: list[int], directory: dict[str, int] | None, full: bool, cache: StateCache | None
) -> dict[int, DeviceState]:
    if cache is None or full:
        return load_states(ids, directory, full=full)
    states = {pk: st for pk in ids if (st := cache.get(pk)) is not None}
    missing = [pk for pk in ids if pk not in states]
    if missing:
        states.update(load_states(missing, directory, full=False))
    return states


def apply_records(
    items: Sequence[tuple[int, DeviceRecord]], directory: dict[str, int] | None = None, cache: StateCache | None = None
) -> BatchResult:
    """Reconcile and write a batch of (device id, record) pairs (see the module docstring).

    With a `StateCache`, a batch of status records takes the devices' state from it instead of the database,
    and the cache is advanced by what was written."""
    result = BatchResult()
    if not items:
        return result
    full = any(record.complete and record.ok for _, record in items)
    states = _states([pk for pk, _ in items], directory, full, cache)
    plans: list[tuple[Plan, DeviceState]] = []
    for pk, record in items:
        state = states.get(pk)
        if state is None:  # deleted while we were polling it
            continue
        p = plan(state, record)
        plans.append((p, state))
        result.devices += 1
        result.events += len(p.events)
        result.findings += len(p.findings)
        for finding in p.findings:
            log.info("link %s on %s:%s: %s", finding.kind, state.name, finding.local_port, finding.detail)
        if record.error is not None:
            result.failed_by_reason[str(record.error.kind)] += 1
    result.change_records, result.interface_rows, failed = write_plans(plans)
    for _ in failed:
        result.failed_by_reason["internal"] += 1
    if cache is not None:
        cache.drop(failed)
        cache.update((p, st) for p, st in plans if p.device_id not in failed)
    return result
