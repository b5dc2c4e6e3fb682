"""From the topology and the faults in force to the `DeviceView` one CLI session prints.

These rules are the ones the SNMP side must follow too, so both protocols agree:
- an interface is oper-up when it is admin-up and either logical (not ethernetCsmacd, or without a MAC) or a
  linked physical port whose link is not in `Faults.down_links`; an unlinked physical port is down (nothing
  plugged in) — as `lab.snmprec.interface_records` and the `yw` variation serve ifOperStatus;
- a link's LLDP entries (both ends) disappear while the link is down; remote port id = the peer's ifName,
  port description = the peer's ifAlias, chassis id = the peer's chassis MAC, mgmt address = the peer's host
  (as `lab.snmprec.lldp_records`);
- uptime is `lab.state.uptime_seconds` (restarts at an injected reboot);
- VPN sessions: every VPN site's account is online on the gateway except ~1 in 10 that are idle (a stable choice
  per account and seed, see `vpn_idle`) and accounts whose site name or account is listed in
  `Faults.down_devices`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lab.configs import config_for
from lab.ssh.model import DeviceView, IfaceView, NeighborView, VpnSession
from lab.state import Faults, LabState, link_is_down, uptime_seconds
from lab.topology import LabDevice, LabInterface, LabLink, LabSite, Topology

ETHERNET_CSMACD = 6  # IANAifType of the physical ports; everything else is logical (loopback, NULL, VLAN if)


def _stable(*parts: object) -> int:
    """A stable pseudo-random number from its inputs (Python's hash() changes per process)."""
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:8], "big")


def oper_up(topology: Topology, device: LabDevice, iface: LabInterface, faults: Faults) -> bool:
    """Whether `iface` of `device` is operationally up (the rule both the SSH and the SNMP side follow)."""
    return _oper_up(device.name, iface, topology.link_of(device.name, iface.if_index), faults)


def _oper_up(name: str, iface: LabInterface, link: LabLink | None, faults: Faults) -> bool:
    if not iface.admin_up:
        return False
    if iface.type != ETHERNET_CSMACD or not iface.mac:
        return True
    if link is None:
        return False
    return not (
        link_is_down(faults, link.a_device, link.a_if_index) or link_is_down(faults, link.b_device, link.b_if_index)
    )


def vpn_idle(topology: Topology, site: LabSite) -> bool:
    """About one VPN account in ten is registered but not connected right now (stable per seed)."""
    return _stable(topology.seed, site.vpn_account) % 10 == 0


def vpn_online_sites(topology: Topology, faults: Faults) -> list[LabSite]:
    """The VPN sites whose tunnel is up on the gateway, in topology order."""
    return [
        s
        for s in topology.sites
        if s.access_mode == "vpn"
        and s.vpn_account
        and not vpn_idle(topology, s)
        and not ({s.name, s.vpn_account} & faults.down_devices)
    ]


def _vpn_session(topology: Topology, site: LabSite) -> VpnSession:
    h = _stable(topology.seed, site.vpn_account, "vpn")
    return VpnSession(
        account=site.vpn_account or "",
        site=site.name,
        peer_ip=f"100.{64 + (h >> 8) % 64}.{(h >> 16) % 256}.{(h >> 24) % 253 + 2}",
        conn_id=16_777_216 + (h % 1_000_000) * 2,
        spi_in=(h >> 20) % 4_000_000_000 + 256,
        spi_out=(h >> 28) % 4_000_000_000 + 256,
        online_seconds=600 + (h >> 12) % 86_400,
    )


@dataclass
class LabContext:
    """The loaded lab: topology, its start, and what never changes while it runs (configs, link indexes)."""

    topology: Topology
    state: LabState
    faults: Callable[[], Faults]
    _configs: dict[str, str] = field(default_factory=dict)
    links: dict[tuple[str, int], LabLink] = field(default_factory=dict)
    adjacent: dict[str, list[tuple[LabInterface, LabDevice, LabInterface]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Topology.link_of/neighbors_of scan every link; a city-scale lab answers thousands of commands.
        by_name = {d.name: d for d in self.topology.devices}
        for link in self.topology.links:
            a, b = by_name[link.a_device], by_name[link.b_device]
            self.links[(a.name, link.a_if_index)] = self.links[(b.name, link.b_if_index)] = link
            a_if, b_if = a.interface(link.a_if_index), b.interface(link.b_if_index)
            self.adjacent.setdefault(a.name, []).append((a_if, b, b_if))
            self.adjacent.setdefault(b.name, []).append((b_if, a, a_if))
        for neighbors in self.adjacent.values():
            neighbors.sort(key=lambda t: t[0].if_index)

    def config(self, device: LabDevice) -> str:
        if device.name not in self._configs:
            self._configs[device.name] = config_for(device, self.topology)
        return self._configs[device.name]

    def view(self, name: str, now: float | None = None) -> DeviceView:
        return build_view(self, self.topology.device(name), self.faults(), time.time() if now is None else now)


def _neighbors(ctx: LabContext, device: LabDevice, faults: Faults) -> tuple[NeighborView, ...]:
    out = []
    for local, peer, remote in ctx.adjacent.get(device.name, ()):
        if link_is_down(faults, device.name, local.if_index) or link_is_down(faults, peer.name, remote.if_index):
            continue
        out.append(
            NeighborView(
                local_if=local.name,
                remote_name=peer.name,
                remote_if=remote.name,
                remote_if_descr=remote.alias or "",
                remote_chassis_mac=peer.chassis_mac,
                remote_sys_descr=peer.sys_descr,
                remote_mgmt_ip=peer.host,
            )
        )
    return tuple(out)


def build_view(ctx: LabContext, device: LabDevice, faults: Faults, now: float) -> DeviceView:
    topology = ctx.topology
    interfaces = tuple(
        IfaceView(
            if_index=i.if_index,
            name=i.name,
            descr=i.descr,
            alias=i.alias,
            speed_bps=i.speed_bps,
            mtu=i.mtu,
            mac=i.mac or device.chassis_mac,
            admin_up=i.admin_up,
            oper_up=_oper_up(device.name, i, ctx.links.get((device.name, i.if_index)), faults),
        )
        for i in device.interfaces
    )
    is_gateway = topology.vpn_gateway == device.name
    sessions = tuple(_vpn_session(topology, s) for s in vpn_online_sites(topology, faults)) if is_gateway else ()
    return DeviceView(
        name=device.name,
        vendor=device.vendor,
        platform=device.platform,
        role=device.role,
        model=device.model,
        os_version=device.os_version,
        sys_descr=device.sys_descr,
        serial=device.serial,
        chassis_mac=device.chassis_mac,
        host=device.host,
        uptime_seconds=int(uptime_seconds(device, ctx.state, faults, now)),
        interfaces=interfaces,
        neighbors=_neighbors(ctx, device, faults),
        config=ctx.config(device),
        vpn_sessions=sessions,
        is_vpn_gateway=is_gateway,
    )
