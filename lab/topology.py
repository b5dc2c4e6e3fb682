"""The simulated extranet: devices, links and access sites built from a profile, seeded and reproducible.

Profiles:
- ``kaifu``: the demo district (开福区 430105): 2 core 10G MPLS routing switches, a firewall, a security isolation
  gateway, a VPN gateway, IPS + load balancer + firewall at the Internet exit, 13 street aggregation switches each
  dual-GE-linked to both cores, an access switch per community (some communities join over VPN instead).
- ``linyi``: city scale (临沂市 3713): a core pair in the city centre, an NE40E-X8 aggregation router per county
  (10G to both city cores), an aggregation switch per township, access units in every village, most villages
  over VPN.
- ``scale:N``: N devices in a core / aggregation / access tree, for benchmarks.

The same (profile, seed) always gives the identical topology: every random choice draws from one seeded Random.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LabInterface:
    if_index: int
    name: str  # ifName
    descr: str  # ifDescr
    alias: str | None  # ifAlias (often Chinese)
    type: int  # IANAifType
    mtu: int
    speed_bps: int
    mac: str  # "00:e0:fc:12:34:56"; "" for interfaces without one (NULL0, loopbacks)
    admin_up: bool = True


@dataclass(frozen=True)
class LabDevice:
    name: str
    host: str  # 127.x.y.z, its own loopback address
    vendor: str  # huawei, h3c, ruijie, cisco, hillstone, sangfor
    platform: str  # huawei_vrp, h3c_comware, ruijie_rgos, cisco_ios, hillstone_stoneos, sangfor_os
    role: str  # core, aggregation, access, firewall, isolation_gateway, vpn_gateway, ips, load_balancer
    model: str
    sys_object_id: str
    sys_descr: str
    os_version: str
    serial: str
    area_code: str  # 12 digits
    site: str
    sys_location: str
    text_encoding: str  # "utf-8" or "gbk": how ifAlias/sysLocation go on the wire
    snmp_community: str | None = field(repr=False)  # None: SNMPv3 only
    # (user, auth_proto, auth_key, priv_proto, priv_key), e.g. ("ywkfcore01", "SHA", "...", "AES", "...")
    snmp_v3: tuple[str, str, str, str, str] | None = field(repr=False)
    ssh_port: int
    ssh_username: str
    ssh_password: str = field(repr=False)
    interfaces: tuple[LabInterface, ...]
    chassis_mac: str
    sys_contact: str = "政务外网运维中心 0731-00000000"
    uptime_at_start_s: int = 0  # how long the device had been up when the lab started (devices differ)

    def interface(self, if_index: int) -> LabInterface:
        for iface in self.interfaces:
            if iface.if_index == if_index:
                return iface
        raise KeyError(f"{self.name} has no ifIndex {if_index}")


@dataclass(frozen=True)
class LabLink:
    a_device: str
    a_if_index: int
    b_device: str
    b_if_index: int
    kind: str  # uplink, core_interconnect, access


@dataclass(frozen=True)
class LabSite:
    name: str
    area_code: str
    kind: str  # data_centre, township_government, community, village_committee, department
    access_mode: str  # "dedicated" or "vpn"
    device: str | None  # the access device of a dedicated site
    vpn_account: str | None  # the VPN account of a VPN site


@dataclass(frozen=True)
class Topology:
    profile: str
    seed: int
    devices: tuple[LabDevice, ...]
    links: tuple[LabLink, ...]
    sites: tuple[LabSite, ...]
    vpn_gateway: str | None
    _by_name: dict[str, LabDevice] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({d.name: d for d in self.devices})

    def device(self, name: str) -> LabDevice:
        return self._by_name[name]

    def neighbors_of(self, name: str) -> list[tuple[LabInterface, LabDevice, LabInterface]]:
        """(local interface, remote device, remote interface) for every link of `name`, in local ifIndex order."""
        me = self.device(name)
        out: list[tuple[LabInterface, LabDevice, LabInterface]] = []
        for link in self.links:
            if link.a_device == name:
                peer = self.device(link.b_device)
                out.append((me.interface(link.a_if_index), peer, peer.interface(link.b_if_index)))
            elif link.b_device == name:
                peer = self.device(link.a_device)
                out.append((me.interface(link.b_if_index), peer, peer.interface(link.a_if_index)))
        return sorted(out, key=lambda t: t[0].if_index)

    def link_of(self, name: str, if_index: int) -> LabLink | None:
        for link in self.links:
            if (link.a_device, link.a_if_index) == (name, if_index) or (link.b_device, link.b_if_index) == (
                name,
                if_index,
            ):
                return link
        return None


DEFAULT_SEED = 20260101


def build_topology(profile: str, seed: int = DEFAULT_SEED) -> Topology:
    """Build the topology of `profile` ("kaifu", "linyi" or "scale:N"); same seed, same topology."""
    # Imported here: the builder and profiles construct the dataclasses above.
    from lab.builder import Builder
    from lab.profiles import build_kaifu, build_linyi, build_scale

    b = Builder(profile, seed)
    if profile == "kaifu":
        build_kaifu(b)
    elif profile == "linyi":
        build_linyi(b)
    elif profile.startswith("scale:") and profile[6:].isdigit() and int(profile[6:]) >= 3:
        build_scale(b, int(profile[6:]))
    else:
        raise ValueError(f"unknown lab profile {profile!r} (kaifu, linyi or scale:N with N >= 3)")
    devices, links, sites = b.finish()
    return Topology(profile, seed, devices, links, sites, b.vpn_gateway)
