"""Status-poll state kept between cycles, so a steady cycle does not re-read every interface row.

A status poll compares each port's statuses with what the inventory holds. Reading ~520k interface rows per
cycle at 10k devices costs more than everything else the write path does; but the collector is the only
writer of those columns, so after its own writes it can advance its copy itself (`advance`). What people
change (a port's monitored flag, a deleted port, a device edit) shows up in the change log: `refresh()` at the
start of each cycle drops the devices that ChangeRecords by anyone but the SNMP collector (people, imports,
SSH collection) touched since the last look.
A full discovery reloads everything from the database and empties the cache.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.db.models import Max

from collectors.reconcile import DeviceState, Plan
from inventory.models import ChangeRecord, Interface

# The cache follows its own (SNMP) writes itself; everyone else's, SSH collection included, invalidate.
OWN_ACTOR = "collector:snmp"


class StateCache:
    def __init__(self) -> None:
        self.states: dict[int, DeviceState] = {}
        self.mark: int | None = None  # the last ChangeRecord id looked at
        self.people_changed = True  # anything written by others since the last refresh (links, roles...)

    def clear(self) -> None:
        self.states.clear()
        self.mark = None

    def refresh(self) -> int:
        """Forget devices people changed since the last refresh; returns how many were dropped."""
        if self.mark is None:
            self.states.clear()
            self.mark = ChangeRecord.objects.aggregate(m=Max("id"))["m"] or 0
            self.people_changed = True
            return 0
        rows = list(
            ChangeRecord.objects.filter(id__gt=self.mark)
            .exclude(actor=OWN_ACTOR)
            .values_list("id", "object_type", "object_id", "action")
        )
        self.people_changed = bool(rows)
        if not rows:
            return 0
        self.mark = max(r[0] for r in rows)
        if any(kind == "inventory.interface" and action == "delete" for _, kind, _, action in rows):
            dropped = len(self.states)  # the port is gone and so is its device id: start afresh
            self.states.clear()
            return dropped
        devices = {int(pk) for _, kind, pk, _ in rows if kind == "inventory.device"}
        iface_ids = [int(pk) for _, kind, pk, _ in rows if kind == "inventory.interface"]
        if iface_ids:
            devices |= set(Interface.objects.filter(pk__in=iface_ids).values_list("device_id", flat=True))
        return sum(self.states.pop(pk, None) is not None for pk in devices)

    def get(self, pk: int) -> DeviceState | None:
        return self.states.get(pk)

    def update(self, written: Iterable[tuple[Plan, DeviceState]]) -> None:
        """Advance the cached devices by the plans that were written (full plans: reload next time)."""
        for p, state in written:
            if p.interface_creates or p.discoveries or p.link_confirmations or "last_discovery" in p.volatile:
                self.states.pop(state.id, None)
            else:
                self.states[state.id] = advance(state, p)

    def drop(self, pks: Iterable[int]) -> None:
        for pk in pks:
            self.states.pop(pk, None)


def advance(state: DeviceState, p: Plan) -> DeviceState:
    """The state after `p` was written (status fields only: what a status plan can change)."""
    changes = {pk: u.changes for pk, u in ((u.interface_id, u) for u in p.interface_updates)}
    interfaces = state.interfaces
    if changes:
        interfaces = tuple(
            i._replace(**{k: after for k, (_, after) in changes[i.id].items()}) if i.id in changes else i
            for i in interfaces
        )
    values = {
        k: after for k, (_, after) in p.device_changes.items() if k in ("reachable", "poll_error_kind", "poll_error")
    }
    for key in ("last_polled", "uptime_seconds", "observed_sources"):
        if key in p.volatile:
            values[key] = p.volatile[key]
    return dataclasses.replace(state, interfaces=interfaces, **values)
