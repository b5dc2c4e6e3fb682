"""Reconcile: what the inventory holds + what a driver saw → the changes to write. Pure: no DB, no network.

`plan(state, record)` compares one device's current state (`DeviceState`, loaded by `collectors.apply`) with
one `DeviceRecord` and returns a `Plan`. Collectors write only observed fields; fields people own (name, site,
role, status, planned links, monitored flags) never appear in a plan. Change detection comes first: a plan for
an unchanged device holds no interface writes, so a steady-state cycle writes no Interface rows.

Example::

    state = DeviceState(id=7, name="KF-CORE-01", reachable=True, ...)
    p = plan(state, record)
    p.device_changes      # {"os_version": ("V200R019C10", "V200R019C10SPC500")}
    p.interface_updates   # (InterfaceUpdate(interface_id=71, changes={"oper_status": (1, 2)}),)
    p.events              # (PlannedEvent(kind="interface_down", interface_id=71),)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from collectors.reconcile_lldp import LinkEnd, LinkFinding, NeighbourPlan, PlannedDiscovery, neighbour_plan
from collectors.records import DeviceRecord, InterfaceRecord

# sysUpTime is a TimeTicks (hundredths of a second, unsigned 32 bit): it wraps to 0 after ~497 days.
UPTIME_WRAP_SECONDS = 2**32 / 100
# How close to the wrap point the old uptime (plus the time since) must be for a drop to count as a wrap.
WRAP_SLACK_SECONDS = 3600.0
OPER_UP = 1

# Observed device fields a record may set, with the column's max length (None: unbounded text).
DEVICE_TEXT_FIELDS: dict[str, int | None] = {
    "sys_name": 255,
    "sys_descr": None,
    "sys_object_id": 128,
    "sys_location": 255,
    "vendor": 50,
    "model": 100,
    "serial": 100,
    "os_version": 200,
}
# Interface columns a full discovery writes (status polls write only STATUS_FIELDS).
INTERFACE_FIELDS = (
    "if_index",
    "name",
    "description",
    "alias",
    "type",
    "mtu",
    "speed_bps",
    "mac",
    "admin_status",
    "oper_status",
    "last_change_seconds",
)
STATUS_FIELDS = ("admin_status", "oper_status", "last_change_seconds")
TEXT_LIMITS = {"name": 100, "description": 255, "alias": 255, "mac": 17}


class InterfaceState(NamedTuple):
    """One stored Interface row, as apply loaded it (a NamedTuple: built straight from DB rows, ~50x per
    device per cycle, where a frozen dataclass's __init__ would dominate the steady-state cycle)."""

    id: int
    name: str
    if_index: int | None = None
    description: str = ""
    alias: str = ""
    type: int | None = None
    mtu: int | None = None
    speed_bps: int | None = None
    mac: str = ""
    admin_status: int | None = None
    oper_status: int | None = None
    last_change_seconds: float | None = None
    monitored: bool = False

    def value(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class DeviceState:
    """One device as the inventory holds it: observed fields, its interfaces and the links that touch it."""

    id: int
    name: str
    reachable: bool | None = None
    last_polled: datetime | None = None
    uptime_seconds: float | None = None
    poll_error_kind: str = ""
    poll_error: str = ""
    observed: Mapping[str, str] = field(default_factory=dict)  # DEVICE_TEXT_FIELDS as stored ("" when blank)
    observed_sources: Mapping[str, str] = field(default_factory=dict)
    interfaces: tuple[InterfaceState, ...] = ()
    links: tuple[LinkEnd, ...] = ()
    known_devices: Mapping[str, int] = field(default_factory=dict)  # lower-cased name/sysName -> device id


@dataclass(frozen=True)
class PlannedEvent:
    kind: str  # inventory.models.EventKind value
    interface_id: int | None = None
    link_id: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class InterfaceUpdate:
    interface_id: int
    changes: Mapping[str, tuple[Any, Any]]  # field -> (before, after)


@dataclass(frozen=True)
class CountersUpsert:
    interface_id: int
    in_octets: int | None
    out_octets: int | None
    in_errors: int | None
    out_errors: int | None


@dataclass(frozen=True)
class Plan:
    device_id: int
    source: str
    collected_at: datetime
    device_changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)  # tracked observed fields
    volatile: Mapping[str, Any] = field(default_factory=dict)  # last_polled/last_seen/uptime: not change-logged
    interface_creates: tuple[Mapping[str, Any], ...] = ()
    interface_updates: tuple[InterfaceUpdate, ...] = ()
    counters: tuple[CountersUpsert, ...] = ()
    events: tuple[PlannedEvent, ...] = ()
    discoveries: tuple[PlannedDiscovery, ...] = ()
    link_confirmations: Mapping[int, bool] = field(default_factory=dict)  # link id -> lldp_confirmed
    findings: tuple[LinkFinding, ...] = ()

    @property
    def has_writes(self) -> bool:
        """Anything that needs the device's own transaction (volatile fields and counters are batched)."""
        return bool(
            self.device_changes
            or self.interface_creates
            or self.interface_updates
            or self.events
            or self.discoveries
            or self.link_confirmations
        )


def plan(state: DeviceState, record: DeviceRecord) -> Plan:
    """The changes that bring `state` in line with what `record` observed (see the module docstring)."""
    if record.source == "ssh" and not record.ok:
        # SNMP owns reachability: a failed SSH login says nothing about whether the device is up.
        return Plan(device_id=state.id, source=record.source, collected_at=record.collected_at)
    if not record.ok:
        return _plan_failure(state, record)
    events: list[PlannedEvent] = []
    volatile: dict[str, Any] = {"last_seen": record.collected_at}
    device_changes: dict[str, tuple[Any, Any]] = {}
    if record.source == "snmp":
        # SSH uptime is rounded to minutes (a false "reboot" against SNMP's ticks); SNMP alone decides these.
        device_changes = _reachability_changes(state, record, events)
        _check_reboot(state, record, events)
        volatile["last_polled"] = record.collected_at
        if record.system.sys_uptime_seconds is not None:
            volatile["uptime_seconds"] = record.system.sys_uptime_seconds
        if record.complete:
            volatile["last_discovery"] = record.collected_at
    sources = dict(state.observed_sources)
    creates: list[dict[str, Any]] = []
    if record.complete:
        device_changes.update(_device_field_changes(state, record, sources))
    if record.source == "ssh":
        updates, creates = _interface_changes_ssh(state, record.interfaces, events, record.complete)
    elif record.complete:
        updates, creates = _interface_changes_full(state, record.interfaces, events)
    else:
        updates = _interface_changes_status(state, record.interfaces, events)
    if sources != dict(state.observed_sources):
        volatile["observed_sources"] = sources
    neighbours = neighbour_plan(state, record) if record.complete else NeighbourPlan()
    return Plan(
        device_id=state.id,
        source=record.source,
        collected_at=record.collected_at,
        device_changes=device_changes,
        volatile=volatile,
        interface_creates=tuple(creates),
        interface_updates=tuple(updates),
        counters=_counters(state, record.interfaces) if record.source == "snmp" else (),
        events=tuple(events),
        discoveries=neighbours.discoveries,
        link_confirmations=neighbours.confirmations,
        findings=neighbours.findings,
    )


def _plan_failure(state: DeviceState, record: DeviceRecord) -> Plan:
    """Unreachable: keep every last-known value, record why."""
    assert record.error is not None
    kind, message = str(record.error.kind), record.error.message[:2000]
    changes: dict[str, tuple[Any, Any]] = {}
    events: list[PlannedEvent] = []
    if state.reachable is not False:
        changes["reachable"] = (state.reachable, False)
        events.append(PlannedEvent("device_down", reason=kind))
    if state.poll_error_kind != kind:
        changes["poll_error_kind"] = (state.poll_error_kind, kind)
    if state.poll_error != message:
        changes["poll_error"] = (state.poll_error, message)
    return Plan(
        device_id=state.id,
        source=record.source,
        collected_at=record.collected_at,
        device_changes=changes,
        volatile={"last_polled": record.collected_at},
        events=tuple(events),
    )


def _reachability_changes(
    state: DeviceState, record: DeviceRecord, events: list[PlannedEvent]
) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    if state.reachable is not True:
        changes["reachable"] = (state.reachable, True)
        events.append(PlannedEvent("device_up", reason=record.source))
    # A changed SSH host key is an alarm that only a successful SSH collection (or a person) may clear:
    # an SNMP answer says nothing about who holds the SSH key.
    if state.poll_error_kind == "host_key" and record.source != "ssh":
        return changes
    if state.poll_error_kind:
        changes["poll_error_kind"] = (state.poll_error_kind, "")
    if state.poll_error:
        changes["poll_error"] = (state.poll_error, "")
    return changes


def is_reboot(old_uptime: float | None, new_uptime: float | None, elapsed_seconds: float | None) -> bool:
    """Uptime went backwards, and not because the 32-bit TimeTicks counter wrapped (~497 days)."""
    if old_uptime is None or new_uptime is None or new_uptime >= old_uptime:
        return False
    expected = old_uptime + max(elapsed_seconds or 0.0, 0.0)
    wrapped = expected + WRAP_SLACK_SECONDS >= UPTIME_WRAP_SECONDS
    return not wrapped


def _check_reboot(state: DeviceState, record: DeviceRecord, events: list[PlannedEvent]) -> None:
    elapsed = None if state.last_polled is None else (record.collected_at - state.last_polled).total_seconds()
    if is_reboot(state.uptime_seconds, record.system.sys_uptime_seconds, elapsed):
        new = record.system.sys_uptime_seconds
        events.append(PlannedEvent("device_rebooted", reason=f"uptime {state.uptime_seconds:.0f}s -> {new:.0f}s"))


# Which source wins a field both SNMP and SSH observe. The other source only fills it while the winner has not:
# without this the two disagree every cycle (SSH's synthesized sysDescr vs the agent's) and each overwrites the
# other, a ChangeRecord per device per cycle.
PREFERRED_SOURCE = {
    "sys_name": "snmp", "sys_descr": "snmp", "sys_object_id": "snmp", "sys_location": "snmp", "vendor": "snmp",
    "model": "ssh", "serial": "ssh", "os_version": "ssh",
}  # fmt: skip


def _device_field_changes(
    state: DeviceState, record: DeviceRecord, sources: dict[str, str]
) -> dict[str, tuple[Any, Any]]:
    seen = {
        "sys_name": record.system.sys_name,
        "sys_descr": record.system.sys_descr,
        "sys_object_id": record.system.sys_object_id,
        "sys_location": record.system.sys_location,
        "vendor": record.vendor,
        "model": record.model,
        "serial": record.serial,
        "os_version": record.os_version,
    }
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in seen.items():
        if value is None:  # not observed this time: keep the last known value
            continue
        preferred = PREFERRED_SOURCE[name]
        if record.source != preferred and sources.get(name) == preferred:
            continue
        limit = DEVICE_TEXT_FIELDS[name]
        new = value if limit is None else value[:limit]
        old = state.observed.get(name, "")
        if new != old:
            changes[name] = (old, new)
        sources[name] = record.source
    return changes


__all__ = [
    "CountersUpsert", "DeviceState", "InterfaceState", "InterfaceUpdate", "LinkEnd", "LinkFinding", "Plan",
    "PlannedDiscovery", "PlannedEvent", "is_reboot", "plan",
]  # fmt: skip


def interface_name(rec: InterfaceRecord) -> str:
    """The stored name: ifName, else ifDescr, else the index (the DB needs one, unique per device)."""
    return (rec.name or rec.descr or f"ifIndex {rec.if_index}")[: TEXT_LIMITS["name"]]


def _wanted(rec: InterfaceRecord, name: str) -> dict[str, Any]:
    """Record → column values; None marks 'not observed' (keep what is stored)."""
    return {
        "if_index": rec.if_index,
        "name": name,
        "description": None if rec.descr is None else rec.descr[: TEXT_LIMITS["description"]],
        "alias": None if rec.alias is None else rec.alias[: TEXT_LIMITS["alias"]],
        "type": rec.type,
        "mtu": rec.mtu,
        "speed_bps": rec.speed_bps,
        "mac": rec.mac,
        "admin_status": rec.admin_status,
        "oper_status": rec.oper_status,
        "last_change_seconds": rec.last_change,
    }


def _unique_names(records: tuple[InterfaceRecord, ...]) -> list[tuple[InterfaceRecord, str]]:
    """Pair each record with a name unique on the device (duplicate ifNames get their ifIndex appended)."""
    seen_index: set[int] = set()
    used: set[str] = set()
    out: list[tuple[InterfaceRecord, str]] = []
    for rec in records:
        if rec.if_index in seen_index:  # duplicate rows: keep the first
            continue
        seen_index.add(rec.if_index)
        name = interface_name(rec)
        if name in used:
            name = f"{name} #{rec.if_index}"[: TEXT_LIMITS["name"]]
        used.add(name)
        out.append((rec, name))
    return out


def _match(
    state: DeviceState, pairs: list[tuple[InterfaceRecord, str]]
) -> tuple[list[tuple[InterfaceRecord, str, InterfaceState]], list[tuple[InterfaceRecord, str]]]:
    """Match by name first (stable across reboots), then by ifIndex (a renamed port)."""
    by_name = {i.name: i for i in state.interfaces}
    matched: list[tuple[InterfaceRecord, str, InterfaceState]] = []
    rest: list[tuple[InterfaceRecord, str]] = []
    taken: set[int] = set()
    for rec, name in pairs:
        hit = by_name.get(name)
        if hit is not None:
            matched.append((rec, name, hit))
            taken.add(hit.id)
        else:
            rest.append((rec, name))
    by_index = {i.if_index: i for i in state.interfaces if i.id not in taken and i.if_index is not None}
    unmatched: list[tuple[InterfaceRecord, str]] = []
    for rec, name in rest:
        hit = by_index.pop(rec.if_index, None)
        if hit is not None:
            matched.append((rec, name, hit))
        else:
            unmatched.append((rec, name))
    return matched, unmatched


def _interface_changes_full(
    state: DeviceState, records: tuple[InterfaceRecord, ...], events: list[PlannedEvent]
) -> tuple[list[InterfaceUpdate], list[dict[str, Any]]]:
    matched, unmatched = _match(state, _unique_names(records))
    updates: list[InterfaceUpdate] = []
    for rec, name, cur in matched:
        changes = _diff_fields(cur, _wanted(rec, name), INTERFACE_FIELDS)
        if changes:
            updates.append(InterfaceUpdate(cur.id, changes))
        _oper_event(cur, rec, events)
    # An ifIndex now worn by another port frees the stale row's index first (unique per device).
    claimed = {rec.if_index for rec, _ in unmatched} | {rec.if_index for rec, _, cur in matched}
    matched_ids = {cur.id for _, _, cur in matched}
    for cur in state.interfaces:
        if cur.id not in matched_ids and cur.if_index is not None and cur.if_index in claimed:
            updates.append(InterfaceUpdate(cur.id, {"if_index": (cur.if_index, None)}))
    creates = []
    for rec, name in unmatched:
        row = {k: v for k, v in _wanted(rec, name).items() if v is not None}
        creates.append({"description": "", "alias": "", "mac": ""} | row)
    return updates, creates


def _diff_fields(cur: InterfaceState, wanted: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    for name in fields:
        new = wanted.get(name)
        if new is None:
            continue
        old = cur.value(name)
        if new != old:
            changes[name] = (old, new)
    return changes


def _oper_event(cur: InterfaceState, rec: InterfaceRecord, events: list[PlannedEvent]) -> None:
    """An up/down transition (first sight of a port is not a transition)."""
    if cur.oper_status is None or rec.oper_status is None:
        return
    was_up, is_up = cur.oper_status == OPER_UP, rec.oper_status == OPER_UP
    if was_up != is_up:
        kind = "interface_up" if is_up else "interface_down"
        events.append(PlannedEvent(kind, interface_id=cur.id, reason=f"oper {cur.oper_status} -> {rec.oper_status}"))


def _interface_changes_status(
    state: DeviceState, records: tuple[InterfaceRecord, ...], events: list[PlannedEvent]
) -> list[InterfaceUpdate]:
    """Status poll: statuses of known ports only (new ports wait for the next discovery)."""
    by_index = {i.if_index: i for i in state.interfaces if i.if_index is not None}
    updates: list[InterfaceUpdate] = []
    for rec in records:
        cur = by_index.pop(rec.if_index, None)
        if cur is None:
            continue
        # Fast path: this runs for every port of every device each cycle, and almost always nothing changed.
        if (
            (rec.oper_status is None or rec.oper_status == cur.oper_status)
            and (rec.admin_status is None or rec.admin_status == cur.admin_status)
            and (rec.last_change is None or rec.last_change == cur.last_change_seconds)
        ):
            continue
        wanted: dict[str, Any] = {"admin_status": rec.admin_status, "oper_status": rec.oper_status}
        wanted["last_change_seconds"] = rec.last_change
        changes = _diff_fields(cur, wanted, STATUS_FIELDS)
        if changes:
            updates.append(InterfaceUpdate(cur.id, changes))
        _oper_event(cur, rec, events)
    return updates


def _interface_changes_ssh(
    state: DeviceState, records: tuple[InterfaceRecord, ...], events: list[PlannedEvent], complete: bool
) -> tuple[list[InterfaceUpdate], list[dict[str, Any]]]:
    """SSH knows port names, not ifIndex (its if_index is a list position): match by name only, never write
    if_index, and create ports only on a device nothing else has discovered (names differ between CLI and
    ifName on some platforms, and a second row for the same port is worse than a missing one)."""
    by_name = {i.name: i for i in state.interfaces}
    fields = tuple(f for f in (INTERFACE_FIELDS if complete else STATUS_FIELDS) if f != "if_index")
    updates: list[InterfaceUpdate] = []
    creates: list[dict[str, Any]] = []
    for rec, name in _unique_names(records):
        cur = by_name.get(name)
        if cur is not None:
            changes = _diff_fields(cur, _wanted(rec, name), fields)
            if changes:
                updates.append(InterfaceUpdate(cur.id, changes))
            _oper_event(cur, rec, events)
        elif complete and not state.interfaces:
            row = {k: v for k, v in _wanted(rec, name).items() if v is not None and k != "if_index"}
            creates.append({"description": "", "alias": "", "mac": ""} | row)
    return updates, creates


def _counters(state: DeviceState, records: tuple[InterfaceRecord, ...]) -> tuple[CountersUpsert, ...]:
    """Counters of monitored ports only; they go to InterfaceCounters, never to Interface rows."""
    monitored = {i.if_index: i.id for i in state.interfaces if i.monitored and i.if_index is not None}
    if not monitored:
        return ()
    out = []
    for rec in records:
        iface = monitored.get(rec.if_index)
        if iface is None:
            continue
        values = (rec.in_octets, rec.out_octets, rec.in_errors, rec.out_errors)
        if any(v is not None for v in values):
            out.append(CountersUpsert(iface, *values))
    return tuple(out)
