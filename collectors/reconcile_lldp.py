"""LLDP against the planned links: confirmations, findings (missing / unexpected / mismatched) and discoveries.

Pure, like the rest of reconcile: a neighbour whose sysName is not in the inventory becomes a planned
`Discovery` (for people to review), never a Device; a neighbour on a port with a planned link confirms it when
the device and the port match. Only the upstream (a) end withdraws a confirmation, so two ends that disagree
for a cycle do not flip the flag back and forth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from collectors.records import DeviceRecord, NeighborRecord

if TYPE_CHECKING:
    from collectors.reconcile import DeviceState, InterfaceState

OPER_UP = 1


@dataclass(frozen=True)
class LinkEnd:
    """A stored link seen from this device: which local interface, and who should be on the other end."""

    link_id: int
    local_interface_id: int
    is_a_end: bool
    peer_device_id: int
    peer_names: frozenset[str]  # lower-cased inventory name and sysName of the peer device
    peer_ports: frozenset[str]  # lower-cased name/ifDescr of the peer interface
    lldp_confirmed: bool | None = None


@dataclass(frozen=True)
class PlannedDiscovery:
    local_port: str
    remote_sys_name: str
    remote_chassis_id: str
    remote_port: str


@dataclass(frozen=True)
class LinkFinding:
    """Planned vs discovered: a planned link LLDP did not see, a neighbour no link plans, or a wrong port."""

    kind: Literal["missing", "unexpected", "mismatched"]
    local_port: str
    detail: str
    link_id: int | None = None


@dataclass(frozen=True)
class NeighbourPlan:
    discoveries: tuple[PlannedDiscovery, ...] = ()
    confirmations: Mapping[int, bool] = field(default_factory=dict)
    findings: tuple[LinkFinding, ...] = ()


def _local_interface(state: DeviceState, n: NeighborRecord, by_index: bool) -> InterfaceState | None:
    for iface in state.interfaces:
        if by_index and n.local_if_index is not None and iface.if_index == n.local_if_index:
            return iface
    for iface in state.interfaces:
        if n.local_port and n.local_port in (iface.name, iface.description):
            return iface
    return None


def _lower(*values: str | None) -> set[str]:
    return {v.strip().lower() for v in values if v and v.strip()}


def neighbour_plan(state: DeviceState, record: DeviceRecord) -> NeighbourPlan:
    links_by_iface = {end.local_interface_id: end for end in state.links}
    seen_links: set[int] = set()
    discoveries: list[PlannedDiscovery] = []
    confirmations: dict[int, bool] = {}
    findings: list[LinkFinding] = []
    for n in record.neighbors:
        local = _local_interface(state, n, record.source == "snmp")
        port = local.name if local is not None else (n.local_port or "")
        end = links_by_iface.get(local.id) if local is not None else None
        remote_names = _lower(n.remote_sys_name)
        known = next((state.known_devices[x] for x in remote_names if x in state.known_devices), None)
        if end is None:
            if known is None:
                discoveries.append(_discovery(port, n))
            else:
                detail = f"LLDP sees {n.remote_sys_name} but no link is on file"
                findings.append(LinkFinding("unexpected", port, detail))
            continue
        seen_links.add(end.link_id)
        verdict = _compare(end, n, remote_names, port, findings)
        if verdict != end.lldp_confirmed and (verdict or end.is_a_end):
            confirmations[end.link_id] = verdict
    if record.neighbors:  # LLDP runs here: a planned link on an up port with no neighbour is missing
        up = {i.if_index for i in record.interfaces if i.oper_status == OPER_UP}
        _missing_links(state, seen_links, up, confirmations, findings)
    return NeighbourPlan(tuple(discoveries), confirmations, tuple(findings))


def _discovery(port: str, n: NeighborRecord) -> PlannedDiscovery:
    return PlannedDiscovery(
        local_port=port[:100],
        remote_sys_name=(n.remote_sys_name or "")[:255],
        remote_chassis_id=(n.remote_chassis_id or "")[:100],
        remote_port=(n.remote_port_id or n.remote_port_descr or "")[:100],
    )


def _compare(end: LinkEnd, n: NeighborRecord, remote_names: set[str], port: str, findings: list[LinkFinding]) -> bool:
    """Does this LLDP entry confirm the planned link on the same port? Report how it differs if not."""
    if not remote_names & end.peer_names:
        findings.append(LinkFinding("mismatched", port, f"LLDP sees {n.remote_sys_name} on this port", end.link_id))
        return False
    if not _lower(n.remote_port_id, n.remote_port_descr) & end.peer_ports:
        detail = f"peer port is {n.remote_port_id or n.remote_port_descr}, planned {sorted(end.peer_ports)}"
        findings.append(LinkFinding("mismatched", port, detail, end.link_id))
        return False
    return True


def _missing_links(
    state: DeviceState, seen: set[int], up: set[int], confirmations: dict[int, bool], findings: list[LinkFinding]
) -> None:
    ifaces = {i.id: i for i in state.interfaces}
    for end in state.links:
        iface = ifaces.get(end.local_interface_id)
        if end.link_id in seen or iface is None or iface.if_index not in up:
            continue  # a down port is a status problem, not a cabling one
        findings.append(LinkFinding("missing", iface.name, "planned link not seen over LLDP", end.link_id))
        if end.is_a_end and end.lldp_confirmed is not False:
            confirmations[end.link_id] = False
