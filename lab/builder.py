"""Mutable drafts used while a profile lays out the network; `finish()` freezes them into topology records."""

from __future__ import annotations

import os
import random
import string
from dataclasses import dataclass, field
from typing import NamedTuple

from lab.topology import LabDevice, LabInterface, LabLink, LabSite
from lab.vendors import MODELS, ModelSpec

# Distance from the core, for the upstream (A) end of a link.
ROLE_RANK = {"core": 0, "firewall": 1, "isolation_gateway": 1, "vpn_gateway": 1, "ips": 1, "load_balancer": 1,
             "aggregation": 2, "access": 3}  # fmt: skip
ROLE_ZH = {
    "core": "核心交换机",
    "aggregation": "汇聚交换机",
    "access": "接入交换机",
    "firewall": "防火墙",
    "isolation_gateway": "网闸",
    "vpn_gateway": "VPN网关",
    "ips": "入侵防御",
    "load_balancer": "负载均衡",
}


class Place(NamedTuple):
    """Where a device stands: its area's division code, its site's name, its sysLocation."""

    area_code: str
    site: str
    location: str


@dataclass
class IfDraft:
    if_index: int
    name: str
    descr: str
    type: int
    mtu: int
    speed_bps: int
    mac: str
    physical: bool
    alias: str | None = None
    admin_up: bool = True
    linked: bool = False


@dataclass
class DeviceDraft:
    name: str
    host: str
    spec: ModelSpec
    role: str
    area_code: str
    site: str
    location: str
    encoding: str
    community: str | None
    v3: tuple[str, str, str, str, str] | None
    ssh_password: str
    serial: str
    chassis_mac: str
    uptime_at_start_s: int
    interfaces: list[IfDraft] = field(default_factory=list)


def _mac_add(mac: str, n: int) -> str:
    value = (int(mac.replace(":", ""), 16) + n) & 0xFFFFFFFFFFFF
    raw = f"{value:012x}"
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


def _alias(me: DeviceDraft, peer: DeviceDraft) -> str:
    """Port description toward `peer`: its site for the district's outposts, its name inside the centre."""
    if me.site == peer.site or peer.role not in ("aggregation", "access"):
        return f"至{ROLE_ZH[peer.role]}{peer.name}"
    return f"至{peer.site}{ROLE_ZH[peer.role]}"


# Each profile has its own second octet, so labs of different profiles can run side by side.
ADDRESS_BASE = {"kaifu": 20, "linyi": 30}
SCALE_ADDRESS_BASE = 40


def host_for(index: int, base: int = 20) -> str:
    """The loopback address of the index-th device: 127.20.0.1, 127.20.0.2, ... (never 127.0.0.1)."""
    return f"127.{base + index // 62500}.{(index // 250) % 250}.{index % 250 + 1}"


class Builder:
    """Collects devices, links and sites; every random choice comes from one Random seeded by (profile, seed)."""

    def __init__(self, profile: str, seed: int) -> None:
        self.profile = profile
        self.seed = seed
        self.rng = random.Random(f"{profile}/{seed}")
        self.devices: dict[str, DeviceDraft] = {}
        self.links: list[LabLink] = []
        self.sites: list[LabSite] = []
        self.vpn_gateway: str | None = None
        # YUNWANG_LAB_ADDRESS_BASE moves a whole lab to 127.<base>.x.y, e.g. to run tests beside a demo lab;
        # every process of that lab (agent, SSH simulator, tests) must see the same value.
        override = os.environ.get("YUNWANG_LAB_ADDRESS_BASE", "")
        self.address_base = int(override) if override.isdigit() else ADDRESS_BASE.get(profile, SCALE_ADDRESS_BASE)

    # --- random helpers -------------------------------------------------------------------------------------
    def secret(self, n: int = 12) -> str:
        return "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(n))

    def pick_model(self, choices: tuple[tuple[str, int], ...]) -> str:
        names = [c[0] for c in choices]
        return self.rng.choices(names, weights=[c[1] for c in choices])[0]

    # --- building -------------------------------------------------------------------------------------------
    def add_device(
        self,
        name: str,
        model: str,
        role: str,
        place: Place,
        *,
        encoding: str | None = None,
        v3: bool = False,
    ) -> DeviceDraft:
        spec = MODELS[model]
        rng = self.rng
        area_code, site, location = place
        if encoding is None:
            gbk_share = 0.5 if spec.vendor in ("h3c", "ruijie") else 0.2
            encoding = "gbk" if rng.random() < gbk_share else "utf-8"
        chassis_mac = spec.oui + ":" + ":".join(f"{rng.randrange(256):02x}" for _ in range(3))
        user = "yw" + name.lower().replace("-", "")
        creds_v3 = (user, "SHA", self.secret(16), "AES", self.secret(16)) if v3 else None
        draft = DeviceDraft(
            name=name,
            host=host_for(len(self.devices), self.address_base),
            spec=spec,
            role=role,
            area_code=area_code,
            site=site,
            location=location,
            encoding=encoding,
            community=None if v3 else "yw" + self.secret(10),
            v3=creds_v3,
            ssh_password=self.secret(14),
            serial=spec.serial(rng),
            chassis_mac=chassis_mac,
            uptime_at_start_s=rng.randrange(3600, 400 * 86400),
        )
        self._add_interfaces(draft)
        self.devices[name] = draft
        return draft

    def _add_interfaces(self, d: DeviceDraft) -> None:
        spec = d.spec
        for name, if_type, mtu in spec.extra_ifs:
            mac = d.chassis_mac if if_type in (53, 136) else ""
            d.interfaces.append(IfDraft(len(d.interfaces) + 1, name, name, if_type, mtu, 0, mac, False))
        port_no = 0
        for ports in spec.ports:
            for n in range(ports.first, ports.first + ports.count):
                port_no += 1
                descr = ports.fmt.format(n=n)
                name = spec.short_name(descr) if spec.short_name else descr
                mac = _mac_add(d.chassis_mac, port_no)
                # Catalyst switches number ports 10101, 10102, ... (pollers must not assume dense ifIndexes).
                if_index = 10100 + port_no if spec.vendor == "cisco" else len(d.interfaces) + 1
                d.interfaces.append(IfDraft(if_index, name, descr, ports.if_type, 1500, ports.speed_bps, mac, True))

    def free_port(self, device: str, speed_bps: int | None = None) -> IfDraft:
        """The first unlinked physical port (of the given speed, when there is one of it)."""
        ifs = [i for i in self.devices[device].interfaces if i.physical and not i.linked]
        same = [i for i in ifs if speed_bps is None or i.speed_bps == speed_bps]
        if not (same or ifs):
            raise ValueError(f"{device} has no free port")
        return (same or ifs)[0]

    def free_port_exists(self, device: str) -> bool:
        return any(i.physical and not i.linked for i in self.devices[device].interfaces)

    def link(self, a: str, b: str, kind: str, speed_bps: int | None = None) -> LabLink:
        """Cable a free port of `a` to a free port of `b`. The stored A end is the upstream one (towards the core):
        the end whose role ranks nearer the core, or `a` when both rank the same."""
        pa, pb = self.free_port(a, speed_bps), self.free_port(b, speed_bps)
        da, db = self.devices[a], self.devices[b]
        pa.linked = pb.linked = True
        pa.alias, pb.alias = _alias(da, db), _alias(db, da)
        if ROLE_RANK[db.role] < ROLE_RANK[da.role]:
            return self._store(LabLink(b, pb.if_index, a, pa.if_index, kind))
        return self._store(LabLink(a, pa.if_index, b, pb.if_index, kind))

    def _store(self, link: LabLink) -> LabLink:
        self.links.append(link)
        return link

    def add_site(
        self, name: str, area_code: str, kind: str, device: str | None = None, vpn_account: str | None = None
    ) -> None:
        mode = "vpn" if vpn_account else "dedicated"
        self.sites.append(LabSite(name, area_code, kind, mode, device, vpn_account))

    # --- freezing -------------------------------------------------------------------------------------------
    def _freeze_interfaces(self, d: DeviceDraft) -> tuple[LabInterface, ...]:
        out = []
        for i in d.interfaces:
            # Unused ports: some sites shut them (as MLPS asks), others leave them open; some carry a note.
            if i.physical and not i.linked:
                i.admin_up = self.rng.random() < 0.5
                if self.rng.random() < 0.1:
                    i.alias = "预留"
            out.append(
                LabInterface(i.if_index, i.name, i.descr, i.alias, i.type, i.mtu, i.speed_bps, i.mac, i.admin_up)
            )
        return tuple(out)

    def finish(self) -> tuple[tuple[LabDevice, ...], tuple[LabLink, ...], tuple[LabSite, ...]]:
        devices = []
        for d in self.devices.values():
            spec = d.spec
            devices.append(
                LabDevice(
                    name=d.name,
                    host=d.host,
                    vendor=spec.vendor,
                    platform=spec.platform,
                    role=d.role,
                    model=spec.model,
                    sys_object_id=spec.sys_object_id,
                    sys_descr=spec.descr(spec),
                    os_version=spec.os_version,
                    serial=d.serial,
                    area_code=d.area_code,
                    site=d.site,
                    sys_location=d.location,
                    text_encoding=d.encoding,
                    snmp_community=d.community,
                    snmp_v3=d.v3,
                    ssh_port=22,
                    ssh_username="netops",
                    ssh_password=d.ssh_password,
                    interfaces=self._freeze_interfaces(d),
                    chassis_mac=d.chassis_mac,
                    uptime_at_start_s=d.uptime_at_start_s,
                )
            )
        return tuple(devices), tuple(self.links), tuple(self.sites)
