"""NAPALM-shaped getters per CLI dialect: facts, interfaces, LLDP neighbours, running config, VPN sessions.

Each getter sends its commands through a `CliSession` (a live netmiko channel, or a fixture replayer in tests),
parses with TextFSM (`textparse.parse`) and returns plain records. Outputs are memoised per session so the
running config (used for the hostname and interface descriptions too) is fetched once.

SSH knows interface names, not SNMP ifIndex values: `InterfaceRecord.if_index` here is the 1-based position in
the device's interface listing. Match SSH interfaces to inventory rows by name, never by that number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Protocol

from collectors.records import InterfaceRecord, NeighborRecord, VpnSession
from collectors.ssh import normalize as norm
from collectors.ssh.textparse import ParseError, Row, is_cli_error, parse


class CliSession(Protocol):
    """One logged-in CLI session; paging is already disabled. Blocking."""

    def send_command(self, command: str) -> str: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Facts:
    """napalm get_facts, with units and None for unknown. Example:
    Facts(hostname="KF-CORE-01", vendor="huawei", model="S12708", os_version="V200R019C10SPC500",
          serial="2102350BNW10K1000012", uptime_seconds=23072340.0, sys_descr="Huawei Versatile Routing ...")
    """

    hostname: str | None
    vendor: str | None
    model: str | None
    os_version: str | None
    serial: str | None
    uptime_seconds: float | None
    sys_descr: str | None = None


class CliDevice:
    """Base of the dialect drivers. Subclasses set the class attributes and implement the parsing getters."""

    platform: ClassVar[str]  # our Platform slug, e.g. "huawei_vrp"
    device_type: ClassVar[str]  # netmiko device_type; also the ntc-templates platform
    vendor: ClassVar[str]
    config_command: ClassVar[str] = "show running-config"
    version_command: ClassVar[str] = "show version"
    templates: ClassVar[str | None] = None  # TextFSM platform key when it is not the netmiko device_type

    def __init__(self, session: CliSession, *, light: bool = False) -> None:
        self.session = session
        # light: a status poll (uptime + interface states); no config, serials or descriptions are fetched
        self.light = light
        self._outputs: dict[str, str] = {}

    def run(self, command: str) -> str:
        if command not in self._outputs:
            self._outputs[command] = self.session.send_command(command)
        return self._outputs[command]

    def rows(self, command: str) -> list[Row]:
        return parse(self.templates or self.device_type, command, self.run(command))

    def optional_rows(self, command: str) -> list[Row]:
        """Rows of a command some models lack: a rejected command is no data, not a failed collection."""
        output = self.run(command)
        if is_cli_error(output):
            return []
        return parse(self.templates or self.device_type, command, output)

    def get_config(self) -> str:
        output = self.run(self.config_command)
        if is_cli_error(output):
            raise ParseError(f"{self.platform}: device rejected {self.config_command!r}")
        return norm.clean_config(output)

    def descriptions(self) -> dict[str, str]:
        return {} if self.light else norm.interface_descriptions(self.get_config())

    def config_hostname(self) -> str | None:
        return None if self.light else norm.hostname(self.get_config())

    def extra_rows(self, command: str) -> list[Row]:
        """Rows of an optional command that a light (status) poll skips: serials, inventories."""
        return [] if self.light else self.optional_rows(command)

    def get_facts(self) -> Facts:
        raise NotImplementedError

    def get_interfaces(self) -> tuple[InterfaceRecord, ...]:
        raise NotImplementedError

    def get_lldp_neighbors(self) -> tuple[NeighborRecord, ...]:
        raise NotImplementedError

    def is_vpn_gateway(self) -> bool:
        return False

    def get_vpn_sessions(self) -> tuple[VpnSession, ...]:
        return ()


def _first(rows: list[Row], command: str) -> Row:
    if not rows:
        raise ParseError(f"no rows in {command!r} output")
    return rows[0]


def _status(up: bool, admin_down: bool) -> tuple[int, int]:
    """(ifAdminStatus, ifOperStatus) as IF-MIB integers."""
    return (2 if admin_down else 1), (1 if up else 2)


def _interface(position: int, name: str, descriptions: dict[str, str], **values: object) -> InterfaceRecord:
    return InterfaceRecord(
        if_index=position,
        name=name,
        descr=name,
        alias=descriptions.get(name),
        type=norm.if_type(name),
        **values,  # type: ignore[arg-type]
    )


def _neighbor(
    row: Row, local_port: str, port_id: str = "neighbor_port_id", port_descr: str = "neighbor_interface"
) -> NeighborRecord:
    """An LLDP row as a record; templates name the remote port columns differently, hence the two keys."""
    return NeighborRecord(
        local_port=local_port,
        remote_chassis_id=norm.chassis_id(row["chassis_id"]),
        remote_port_id=norm.empty_to_none(row[port_id]),
        remote_port_descr=norm.empty_to_none(row[port_descr]),
        remote_sys_name=norm.empty_to_none(row["neighbor_name"]),
    )


class HuaweiVrp(CliDevice):
    platform = "huawei_vrp"
    device_type = "huawei_vrp"  # plain "huawei" makes netmiko's TextFSM lookup miss and return raw text
    vendor = "huawei"
    config_command = "display current-configuration"
    version_command = "display version"

    def get_facts(self) -> Facts:
        version = _first(self.rows(self.version_command), self.version_command)
        esn = self.extra_rows("display esn")
        product = version.get("product_version", "")
        # "S12700 V200R019C10SPC500" -> the release; a bare release stays as it is.
        os_version = product.split()[-1] if product else norm.empty_to_none(version.get("vrp_version"))
        descr = f"Huawei VRP (R) software, Version {version.get('vrp_version')}"
        return Facts(
            hostname=self.config_hostname(),
            vendor=self.vendor,
            # "S12708 Routing Switch" -> "S12708"
            model=(version.get("model") or "").split(" ")[0] or None,
            os_version=os_version,
            serial=esn[0]["esn"] if esn else None,
            uptime_seconds=norm.uptime_seconds(version.get("uptime")),
            sys_descr=f"{descr} ({product})" if product else descr,
        )

    def get_interfaces(self) -> tuple[InterfaceRecord, ...]:
        descriptions = self.descriptions()
        records = []
        for position, row in enumerate(self.rows("display interface brief"), start=1):
            name = norm.interface_name(row["interface"])
            admin, oper = _status(row["phy"].startswith("up"), row["phy"] == "*down")
            errors = {"in_errors": int(row["inerrors"]), "out_errors": int(row["outerrors"])}
            records.append(_interface(position, name, descriptions, admin_status=admin, oper_status=oper, **errors))
        return tuple(records)

    def get_lldp_neighbors(self) -> tuple[NeighborRecord, ...]:
        # Not "display lldp neighbor brief": ntc-templates maps it to the verbose template, which raises.
        return tuple(
            _neighbor(row, norm.interface_name(row["local_interface"]))
            for row in self.optional_rows("display lldp neighbor")
            if row.get("local_interface")
        )

    def is_vpn_gateway(self) -> bool:
        # Only IPsec gateways carry IKE peers; asking others for SAs costs a round trip for nothing.
        return bool(re.search(r"^ike peer ", self.get_config(), re.MULTILINE))

    def get_vpn_sessions(self) -> tuple[VpnSession, ...]:
        from collectors.ssh.vpn import parse_ike_sa

        return parse_ike_sa(self.run("display ike sa"))


class H3cComware(CliDevice):
    platform = "h3c_comware"
    device_type = "hp_comware"
    vendor = "h3c"
    config_command = "display current-configuration"
    version_command = "display version"

    def get_facts(self) -> Facts:
        version = _first(self.rows(self.version_command), self.version_command)
        manuinfo = self.extra_rows("display device manuinfo")
        serial = next((r["device_serial_number"] for r in manuinfo if r.get("device_serial_number")), None)
        release = version.get("release")
        return Facts(
            hostname=self.config_hostname(),
            vendor=self.vendor,
            model=norm.empty_to_none(version.get("model")),
            os_version=f"{version['version']} Release {release}" if release else version.get("version"),
            serial=serial,
            uptime_seconds=norm.uptime_seconds(version.get("uptime")),
            sys_descr=f"H3C Comware Software, Version {version.get('version')}, Release {release}",
        )

    def get_interfaces(self) -> tuple[InterfaceRecord, ...]:
        descriptions = self.descriptions()
        records = []
        for position, row in enumerate(self.rows("display interface brief"), start=1):
            name = _comware_long_name(row["interface"])
            link = row["link"].upper()
            admin, oper = _status(link == "UP", link == "ADM")
            speed = norm.speed_bps(row.get("speed"))
            status = {"admin_status": admin, "oper_status": oper, "speed_bps": speed}
            records.append(_interface(position, name, descriptions, **status))
        return tuple(records)

    def get_lldp_neighbors(self) -> tuple[NeighborRecord, ...]:
        return tuple(
            _neighbor(row, row["local_interface"], "neighbor_interface", "neighbor_interface_description")
            for row in self.optional_rows("display lldp neighbor-information verbose")
        )


# Comware's brief listing abbreviates names ("GE1/0/1", "XGE1/0/49", "BAGG1"); LLDP and the config use the
# long form. Expand with the config's interface list so the names agree across getters.
_COMWARE_ABBREV = {
    "GE": "GigabitEthernet",
    "XGE": "Ten-GigabitEthernet",
    "FGE": "FortyGigE",
    "HGE": "HundredGigE",
    "WGE": "TwentyFiveGigE",
    "BAGG": "Bridge-Aggregation",
    "RAGG": "Route-Aggregation",
    "Vlan": "Vlan-interface",
    "Loop": "LoopBack",
    "InLoop": "InLoopBack",
    "REG": "Register-Tunnel",
    "MGE": "M-GigabitEthernet",
}


def _comware_long_name(short: str) -> str:
    match = re.fullmatch(r"([A-Za-z]+)(\d.*)", short)
    if not match or match.group(1) not in _COMWARE_ABBREV:
        return short
    return _COMWARE_ABBREV[match.group(1)] + match.group(2)


class CiscoIos(CliDevice):
    platform = "cisco_ios"
    device_type = "cisco_ios"
    vendor = "cisco"

    def get_facts(self) -> Facts:
        version = _first(self.rows(self.version_command), self.version_command)
        inventory = self.extra_rows("show inventory")
        serials: list[str] = version.get("serial") or []
        hardware: list[str] = version.get("hardware") or []
        serial = inventory[0]["sn"] if inventory and inventory[0].get("sn") else (serials[0] if serials else None)
        return Facts(
            hostname=norm.empty_to_none(version.get("hostname")) or self.config_hostname(),
            vendor=self.vendor,
            model=hardware[0] if hardware else (inventory[0].get("pid") if inventory else None),
            os_version=norm.empty_to_none(version.get("version")),
            serial=serial,
            uptime_seconds=norm.uptime_seconds(version.get("uptime")),
            sys_descr=f"Cisco IOS Software, Version {version.get('version')}",
        )

    def get_interfaces(self) -> tuple[InterfaceRecord, ...]:
        records = []
        for position, row in enumerate(self.rows("show interfaces"), start=1):
            admin, oper = _status(row["protocol_status"].startswith("up"), "administratively" in row["link_status"])
            bandwidth = norm.speed_bps(row.get("bandwidth", "").replace("Kbit", "K"))
            records.append(
                InterfaceRecord(
                    if_index=position,
                    name=ios_short_name(row["interface"]),  # ifName is short on IOS; ifDescr is the long form
                    descr=row["interface"],
                    alias=norm.empty_to_none(row.get("description")),
                    type=norm.if_type(row["interface"]),
                    mtu=int(row["mtu"]) if row.get("mtu") else None,
                    speed_bps=bandwidth,
                    mac=norm.mac(row.get("mac_address")),
                    admin_status=admin,
                    oper_status=oper,
                    in_errors=int(row["input_errors"]) if row.get("input_errors") else None,
                    out_errors=int(row["output_errors"]) if row.get("output_errors") else None,
                )
            )
        return tuple(records)

    def get_lldp_neighbors(self) -> tuple[NeighborRecord, ...]:
        # IOS LLDP prints the local port short ("Gi0/0/0"): the ifName form our interface names use.
        return tuple(
            _neighbor(row, ios_short_name(row["local_interface"]))
            for row in self.optional_rows("show lldp neighbors detail")
        )


# IOS ifName abbreviations (IF-MIB ifName vs ifDescr), longest names first.
_IOS_SHORT = (
    ("TwentyFiveGigE", "Twe"),
    ("HundredGigE", "Hu"),
    ("FortyGigabitEthernet", "Fo"),
    ("TenGigabitEthernet", "Te"),
    ("GigabitEthernet", "Gi"),
    ("FastEthernet", "Fa"),
    ("Ethernet", "Et"),
    ("Port-channel", "Po"),
    ("Loopback", "Lo"),
    ("Tunnel", "Tu"),
    ("Serial", "Se"),
    ("Vlan", "Vl"),
    ("Null", "Nu"),
)


def ios_short_name(name: str) -> str:
    """'GigabitEthernet0/0/1' -> 'Gi0/0/1'; already-short names ('Gi0/0/1') stay as they are."""
    for long, short in _IOS_SHORT:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


class RuijieRgos(CliDevice):
    """Ruijie RGOS (Cisco-like CLI). ntc-templates has no Ruijie templates: all three are ours, written from
    Ruijie's documented output formats and the lab simulator, not yet checked against a real device."""

    platform = "ruijie_rgos"
    device_type = "ruijie_os"
    vendor = "ruijie"

    def get_facts(self) -> Facts:
        version = _first(self.rows(self.version_command), self.version_command)
        descr = version.get("description", "")
        model = re.search(r"\(([^)]+)\)", descr)
        return Facts(
            hostname=self.config_hostname(),
            vendor=self.vendor,
            model=model.group(1) if model else None,
            os_version=norm.empty_to_none(version.get("software_version")),
            serial=norm.empty_to_none(version.get("serial")),
            uptime_seconds=norm.uptime_seconds(version.get("uptime")),
            sys_descr=norm.empty_to_none(descr),
        )

    def get_interfaces(self) -> tuple[InterfaceRecord, ...]:
        descriptions = self.descriptions()
        records = []
        for position, row in enumerate(self.rows("show interfaces status"), start=1):
            name = row["interface"]
            admin, oper = _status(row["status"] == "up", row["status"] == "disabled")
            speed = norm.speed_bps(row.get("speed"))
            status = {"admin_status": admin, "oper_status": oper, "speed_bps": speed}
            records.append(_interface(position, name, descriptions, **status))
        return tuple(records)

    def get_lldp_neighbors(self) -> tuple[NeighborRecord, ...]:
        return tuple(_neighbor(row, row["local_interface"]) for row in self.optional_rows("show lldp neighbors detail"))


class Appliance(CliDevice):
    """Hillstone StoneOS and Sangfor appliances (firewall, IPS, load balancer, isolation gateway, SSL VPN), in
    the small `show` CLI the lab serves. Templates are ours; not checked against real appliances."""

    platform = "hillstone_stoneos"
    device_type = "hillstone_stoneos"
    vendor = "hillstone"
    templates = "appliance"

    def get_facts(self) -> Facts:
        version = _first(self.rows(self.version_command), self.version_command)
        return Facts(
            hostname=self.config_hostname(),
            vendor=self.vendor,
            model=norm.empty_to_none(version.get("model")),
            os_version=_version_word(version.get("description", "")),
            serial=norm.empty_to_none(version.get("serial")),
            uptime_seconds=norm.uptime_seconds(version.get("uptime")),
            sys_descr=norm.empty_to_none(version.get("description")),
        )

    def get_interfaces(self) -> tuple[InterfaceRecord, ...]:
        records = []
        for position, row in enumerate(self.rows("show interface"), start=1):
            admin, oper = _status(row["status"] == "up", row["status"] == "admin-down")
            extra = {"speed_bps": norm.speed_bps(row.get("speed")), "mac": norm.mac(row.get("mac"))}
            alias = {row["interface"]: row["description"]} if row.get("description") else {}
            records.append(_interface(position, row["interface"], alias, admin_status=admin, oper_status=oper, **extra))
        return tuple(records)

    def get_lldp_neighbors(self) -> tuple[NeighborRecord, ...]:
        return ()  # the appliances' CLI has no LLDP listing

    def is_vpn_gateway(self) -> bool:
        return bool(self._online_users())

    def get_vpn_sessions(self) -> tuple[VpnSession, ...]:
        return tuple(
            VpnSession(
                account=row["user"],
                peer_address=norm.empty_to_none(row["client_ip"]),
                established_seconds=norm.uptime_seconds("0:" + row["online_time"]),
            )
            for row in self._online_users()
        )

    def _online_users(self) -> list[Row]:
        return self.optional_rows("show vpn online-user")


class SangforOs(Appliance):
    platform = "sangfor_os"
    device_type = "cisco_ios"  # netmiko has no Sangfor driver; its CLI logs in like IOS ("NAME#", terminal length 0)
    vendor = "sangfor"


def _version_word(description: str) -> str | None:
    """'Hillstone Networks StoneOS software, Version 5.5R8P7, Hardware ...' -> '5.5R8P7';
    'Sangfor SSL VPN M5400 7.6.6R1' -> '7.6.6R1'."""
    match = re.search(r"Version\s+([^,\s]+)", description) or re.search(r"(\d+(?:\.\d+)+\S*)\s*$", description)
    return match.group(1) if match else None


DRIVERS: dict[str, type[CliDevice]] = {
    cls.platform: cls for cls in (HuaweiVrp, H3cComware, CiscoIos, RuijieRgos, Appliance, SangforOs)
}
# Accept netmiko names and vendor-neutral aliases too, so a probe can say "--platform hp_comware".
DRIVERS |= {"huawei": HuaweiVrp, "hp_comware": H3cComware, "ruijie_os": RuijieRgos}


def driver_for(platform: str | None) -> type[CliDevice] | None:
    return DRIVERS.get(platform or "")
