"""Link status and isolation, recomputed after each poll cycle over the whole link graph, in memory.

A link's `oper_up` comes from both ends: down if a reachable end reports its port down or an end's device is
down; up if the ends that can be seen are up; unknown (None) if neither end can be seen.

Isolation walks the planned topology from the core devices downstream (a link's `a` end is upstream). A device
is *ok* when a path of links that are not seen down, through devices that are not down, reaches it from a core.
A down device reached over such a path failed by itself (it is the cause, not isolated). Every other device
below a failure is *isolated*, and its cause is the nearest failed upstream: the down device above it, or the
upstream device whose link to it is down. Devices with no upstream link at all are never isolated (we cannot
tell). "Down" means unreachable because it did not answer (timeout, refused); a device that answers with a
wrong community or garbage is alive and carries traffic.

`recompute()` loads two queries, computes, and writes the differences in one transaction: bulk updates,
StatusEvents (LINK_UP/LINK_DOWN, DEVICE_ISOLATED naming the cause) and ChangeRecords (actor collector:snmp).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from collectors.apply import ref
from collectors.records import now as utc_now
from inventory.changelog import record_changes
from inventory.models import Device, Link, StatusEvent

# Error kinds that mean "the device answered": it is alive and forwards traffic.
ALIVE_ERROR_KINDS = frozenset({"auth", "malformed", "prompt", "host_key", "unsupported", "internal"})
CORE_ROLE = "core"
OPER_UP = 1


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    is_core: bool
    reachable: bool | None
    poll_error_kind: str = ""
    isolated: bool = False
    isolated_by: int | None = None

    @property
    def down(self) -> bool:
        return self.reachable is False and self.poll_error_kind not in ALIVE_ERROR_KINDS


@dataclass(frozen=True)
class Edge:
    id: int
    a: int  # upstream device
    b: int  # downstream device
    a_oper: int | None
    b_oper: int | None
    oper_up: bool | None = None  # as stored


def seen_down(edge: Edge, nodes: Mapping[int, Node]) -> bool:
    """A reachable end reports its port not up."""
    ends = ((edge.a_oper, nodes[edge.a]), (edge.b_oper, nodes[edge.b]))
    return any(n.reachable and oper is not None and oper != OPER_UP for oper, n in ends)


def link_status(edge: Edge, nodes: Mapping[int, Node]) -> bool | None:
    a, b = nodes[edge.a], nodes[edge.b]
    if seen_down(edge, nodes) or a.down or b.down:
        return False
    seen = [oper for oper, n in ((edge.a_oper, a), (edge.b_oper, b)) if n.reachable and oper is not None]
    return True if seen else None


def _roots(nodes: Mapping[int, Node], edges: Iterable[Edge]) -> list[int]:
    cores = [n.id for n in nodes.values() if n.is_core]
    if cores:
        return cores
    downstream = {e.b for e in edges}  # no core role on file: start from devices nothing is upstream of
    return [pk for pk in nodes if pk not in downstream]


def _walk(
    nodes: Mapping[int, Node], edges: list[Edge], children: Mapping[int, list[Edge]]
) -> tuple[set[int], set[int]]:
    """(ok, failed): devices reached from a core over working links; failed ones are down by themselves."""
    ok: set[int] = set()
    failed: set[int] = set()
    queue: deque[int] = deque()
    for root in _roots(nodes, edges):
        (failed if nodes[root].down else ok).add(root)
        queue.append(root)
    while queue:
        a = queue.popleft()
        if a not in ok:
            continue
        for e in children.get(a, ()):
            if e.b in ok or e.b in failed or seen_down(e, nodes):
                continue
            if nodes[e.b].down:
                failed.add(e.b)
            else:
                ok.add(e.b)
                queue.append(e.b)
    return ok, failed


def isolation(nodes: Mapping[int, Node], edges: list[Edge]) -> dict[int, int]:
    """Isolated device id -> the upstream device that causes it (see the module docstring)."""
    children: dict[int, list[Edge]] = {}
    parents: dict[int, list[Edge]] = {}
    for e in edges:
        children.setdefault(e.a, []).append(e)
        parents.setdefault(e.b, []).append(e)
    ok, failed = _walk(nodes, edges, children)
    causes: dict[int, int] = {}
    memo: dict[int, int | None] = {}
    for pk in sorted(nodes):
        if pk in ok or pk in failed or pk not in parents:
            continue
        cause = _cause(pk, parents, ok, failed, nodes, memo)
        if cause is not None:
            causes[pk] = cause
    return causes


def _cause(
    pk: int,
    parents: Mapping[int, list[Edge]],
    ok: set[int],
    failed: set[int],
    nodes: Mapping[int, Node],
    memo: dict[int, int | None],
) -> int | None:
    """The nearest failed upstream of an isolated device (memoised; a cycle yields None)."""
    if pk in memo:
        return memo[pk]
    memo[pk] = None  # guards against cycles in a mis-drawn topology
    found: int | None = None
    for e in sorted(parents.get(pk, ()), key=lambda e: e.a):
        if e.a in ok or e.a in failed:  # a working upstream whose link to us is down, or a down upstream
            found = e.a
        elif e.a in parents:
            found = _cause(e.a, parents, ok, failed, nodes, memo)
        if found is not None:
            break
    memo[pk] = found
    return found


@dataclass
class TopologyResult:
    links_changed: int = 0
    isolated: int = 0
    newly_isolated: int = 0
    change_records: int = 0


def load_graph() -> tuple[dict[int, Node], list[Edge]]:
    nodes = {
        pk: Node(pk, name, role == CORE_ROLE, reachable, kind or "", isolated, isolated_by)
        for pk, name, role, reachable, kind, isolated, isolated_by in Device.objects.values_list(
            "id", "name", "role__slug", "reachable", "poll_error_kind", "isolated", "isolated_by_id"
        )
    }
    edges = [
        Edge(*row)
        for row in Link.objects.values_list(
            "id",
            "a_interface__device_id",
            "b_interface__device_id",
            "a_interface__oper_status",
            "b_interface__oper_status",
            "oper_up",
        )
    ]
    return nodes, edges


def _write_links(
    edges: list[Edge], nodes: Mapping[int, Node], when: datetime, log_rows: list[tuple[Any, str, Any]]
) -> tuple[int, list[StatusEvent]]:
    events: list[StatusEvent] = []
    changed: dict[bool | None, list[int]] = {}
    for e in edges:
        new = link_status(e, nodes)
        if new == e.oper_up:
            continue
        changed.setdefault(new, []).append(e.id)
        log_rows.append((ref(Link, e.id, f"link {e.id}"), "update", {"oper_up": [e.oper_up, new]}))
        if new is not None and e.oper_up is not None:
            kind = "link_up" if new else "link_down"
            reason = f"{nodes[e.a].name} - {nodes[e.b].name}"
            events.append(StatusEvent(time=when, kind=kind, device_id=e.a, link_id=e.id, reason=reason))
    for value, ids in changed.items():
        Link.objects.filter(pk__in=ids).update(oper_up=value, last_change=when)
    return sum(len(v) for v in changed.values()), events


def _write_isolation(
    nodes: Mapping[int, Node], causes: Mapping[int, int], when: datetime, log_rows: list[tuple[Any, str, Any]]
) -> tuple[int, list[StatusEvent]]:
    events: list[StatusEvent] = []
    rows: list[Device] = []
    for n in nodes.values():
        cause = causes.get(n.id)
        if (n.isolated, n.isolated_by) == (cause is not None, cause):
            continue
        rows.append(Device(pk=n.id, isolated=cause is not None, isolated_by_id=cause))
        changes: dict[str, list[Any]] = {"isolated": [n.isolated, cause is not None]}
        changes["isolated_by"] = [n.isolated_by, cause]
        log_rows.append((ref(Device, n.id, n.name), "update", {k: v for k, v in changes.items() if v[0] != v[1]}))
        if cause is not None:
            reason = f"upstream {nodes[cause].name} down"
            events.append(StatusEvent(time=when, kind="device_isolated", device_id=n.id, cause_id=cause, reason=reason))
    Device.objects.bulk_update(rows, ["isolated", "isolated_by"], batch_size=500)
    return sum(1 for n in rows if n.isolated), events


def recompute(when: datetime | None = None, actor: str = "collector:snmp") -> TopologyResult:
    """Derive every link's status and every device's isolation; write the differences."""
    when = when or utc_now()
    nodes, edges = load_graph()
    causes = isolation(nodes, edges)
    log_rows: list[tuple[Any, str, Any]] = []
    with transaction.atomic():
        links_changed, link_events = _write_links(edges, nodes, when, log_rows)
        newly, iso_events = _write_isolation(nodes, causes, when, log_rows)
        StatusEvent.objects.bulk_create(link_events + iso_events, batch_size=1000)
        written = record_changes(log_rows, actor=actor)
    return TopologyResult(links_changed, len(causes), newly, written)
