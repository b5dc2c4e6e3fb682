"""H3C Comware 7 dialect: `<NAME>` / `[NAME]` prompts, `display ...` commands, abbreviated names in brief tables."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lab.ssh.cli import Command, Reply, cmd
from lab.ssh.model import DeviceView, IfaceView, mac_dashed, speed_label, uptime_parts
from lab.ssh.vrp import VrpSession

_ABBREVIATIONS = (
    ("M-GigabitEthernet", "MGE"),
    ("Ten-GigabitEthernet", "XGE"),
    ("GigabitEthernet", "GE"),
    ("FortyGigE", "FGE"),
    ("HundredGigE", "HGE"),
    ("Vlan-interface", "Vlan"),
    ("InLoopBack", "InLoop"),
    ("LoopBack", "Loop"),
    ("Bridge-Aggregation", "BAGG"),
    ("Route-Aggregation", "RAGG"),
)
_ROUTE_MODE = ("M-GigabitEthernet", "Vlan-interface", "LoopBack", "InLoopBack", "NULL", "Route-Aggregation")


def abbreviate(name: str) -> str:
    for long, short in _ABBREVIATIONS:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def comware_release(view: DeviceView) -> tuple[str, str]:
    """('7.1.070', '6635P07') from sysDescr, else from the topology's os_version."""
    found = re.search(r"Version (\d+\.\d+\.\d+),? Release (\w+)", view.sys_descr)
    if found:
        return found.group(1), found.group(2)
    found = re.search(r"Release (\w+)", view.os_version)
    return "7.1.070", found.group(1) if found else view.os_version


def uptime_text(seconds: int, sep: str = ", ") -> str:
    weeks, days, hours, minutes = uptime_parts(seconds)
    return sep.join([f"{weeks} weeks", f"{days} days", f"{hours} hours", f"{minutes} minutes"])


def display_version(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    version, release = comware_release(view)
    image = view.model.split("-")[0]
    return "\n".join(
        [
            f"H3C Comware Software, Version {version}, Release {release}",
            "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.",
            f"H3C {view.model} uptime is {uptime_text(view.uptime_seconds)}",
            "Last reboot reason : Cold reboot",
            "",
            f"Boot image: flash:/{image}-CMW710-BOOT-R{release}.bin",
            f"Boot image version: {version}, Release {release}",
            "  Compiled Jun 30 2021 11:00:00",
            f"System image: flash:/{image}-CMW710-SYSTEM-R{release}.bin",
            f"System image version: {version}, Release {release}",
            "  Compiled Jun 30 2021 11:00:00",
            "",
            "Slot 1:",
            f"Uptime is {uptime_text(view.uptime_seconds, ',')}",
            f"{view.model} with 2 Cores Processor",
            "2048M    bytes DRAM",
            "4096M    bytes Flash Memory",
            "Config Register points to Flash",
            "",
            "Hardware Version is Ver.B",
            "Bootrom Version is 143",
        ]
    )


def _link(iface: IfaceView) -> str:
    if not iface.admin_up:
        return "ADM"
    return "UP" if iface.oper_up else "DOWN"


def _route_row(view: DeviceView, iface: IfaceView, first: bool) -> str:
    link = _link(iface)
    protocol = "UP(s)" if iface.name.startswith(("NULL", "InLoop")) else ("UP" if iface.oper_up else "DOWN")
    address = view.host if first else "--"
    return f"{abbreviate(iface.name):<21}{link:<5}{protocol:<9}{address:<16}{iface.alias or ''}".rstrip()


def _bridge_row(iface: IfaceView) -> str:
    link = _link(iface)
    speed, duplex = (f"{speed_label(iface.speed_bps)}(a)", "F(a)") if iface.oper_up else ("auto", "A")
    return f"{abbreviate(iface.name):<21}{link:<5}{speed:<8}{duplex:<7}{'A':<5}{'1':<5}{iface.alias or ''}".rstrip()


def display_interface_brief(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    routed = [i for i in view.interfaces if i.name.startswith(_ROUTE_MODE)]
    bridged = [i for i in view.interfaces if not i.name.startswith(_ROUTE_MODE)]
    mgmt = next((i for i in routed if i.name.startswith(("M-GigabitEthernet", "Vlan-interface"))), None)
    lines = [
        "Brief information on interfaces in route mode:",
        "Link: ADM - administratively down; Stby - standby",
        "Protocol: (s) - spoofing",
        f"{'Interface':<21}{'Link':<5}{'Protocol':<9}{'Primary IP':<16}Description",
    ]
    lines += [_route_row(view, i, i is mgmt) for i in routed]
    if bridged:
        lines += [
            "",
            "Brief information on interfaces in bridge mode:",
            "Link: ADM - administratively down; Stby - standby",
            "Speed: (a) - auto",
            "Duplex: (a)/A - auto; H - half; F - full",
            "Type: A - access; T - trunk; H - hybrid",
            f"{'Interface':<21}{'Link':<5}{'Speed':<8}{'Duplex':<7}{'Type':<5}{'PVID':<5}Description",
        ]
        lines += [_bridge_row(i) for i in bridged]
    return "\n".join(lines)


def display_lldp_neighbor_verbose(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines: list[str] = []
    for iface in view.interfaces:
        for n, nb in enumerate((nb for nb in view.neighbors if nb.local_if == iface.name), start=1):
            descr = " ".join(p.strip() for p in nb.remote_sys_descr.replace("\r", "").split("\n") if p.strip())
            lines += [
                f"LLDP neighbor-information of port {iface.if_index}[{iface.name}]:",
                "LLDP agent nearest-bridge:",
                f" LLDP neighbor index : {n}",
                " Update time         : 0 days, 0 hours, 1 minutes, 5 seconds",
                " Chassis type        : MAC address",
                f" Chassis ID          : {mac_dashed(nb.remote_chassis_mac)}",
                " Port ID type        : Interface name",
                f" Port ID             : {nb.remote_if}",
                " Time to live        : 121",
                f" Port description    : {nb.remote_if_descr}",
                f" System name         : {nb.remote_name}",
                f" System description  : {descr}",
                " System capabilities supported : Bridge, Router",
                " System capabilities enabled   : Bridge, Router",
                " Management address type           : IPv4",
                f" Management address                : {nb.remote_mgmt_ip}",
                " Management address interface type : IfIndex",
                " Management address interface ID   : Unknown",
                " Management address OID            : 0",
                " Port VLAN ID(PVID)  : 1",
                " Link aggregation supported : Yes",
                " Link aggregation enabled   : No",
                " Aggregation port ID        : 0",
                " Auto-negotiation supported : Yes",
                " Auto-negotiation enabled   : Yes",
                " OperMau                    : Speed(1000)/Duplex(Full)",
                " Power port class           : PD",
                " Maximum frame size  : 9216",
                "",
            ]
    return "\n".join(lines)


def display_device_manuinfo(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return "\n".join(
        [
            "Slot 1 CPU 0:",
            f"DEVICE_NAME          : {view.model}",
            f"DEVICE_SERIAL_NUMBER : {view.serial}",
            f"MAC_ADDRESS          : {mac_dashed(view.chassis_mac).upper()}",
            "MANUFACTURING_DATE   : 2020-06-18",
            "VENDOR_NAME          : H3C",
            "Power 1:",
            "DEVICE_NAME          : PSR150-A1",
            f"DEVICE_SERIAL_NUMBER : {view.serial[:-4]}P001",
            "MANUFACTURING_DATE   : 2020-06-10",
            "VENDOR_NAME          : H3C",
        ]
    )


def display_device(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    _, release = comware_release(view)
    return "\n".join(
        [
            "Slot Type             State    Subslot  Soft Ver             Patch Ver",
            f"1    {view.model:<16} Master   0        {view.model.split('-')[0]}-{release:<8} None",
        ]
    )


def display_current_configuration(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return view.config.rstrip("\n")


COMMANDS: tuple[Command, ...] = (
    cmd("display version", display_version),
    cmd("display interface brief", display_interface_brief),
    cmd("display lldp neighbor-information verbose", display_lldp_neighbor_verbose),
    cmd("display current-configuration", display_current_configuration, takes_args=True),
    cmd("display device manuinfo", display_device_manuinfo),
    cmd("display device", display_device),
)


class ComwareSession(VrpSession):
    """Comware shares VRP's views and prompts; it differs in commands and error texts."""

    unknown_error = " % Unrecognized command found at '^' position."
    incomplete_error = " % Incomplete command found at '^' position."

    def commands(self) -> Sequence[Command]:
        return COMMANDS

    def special(self, line: str) -> Reply | None:
        if self.mode == "user" and tuple(w.lower() for w in line.split()) == ("screen-length", "disable"):
            return Reply("")
        return super().special(line)
