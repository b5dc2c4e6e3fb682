"""Huawei VRP dialect: `<NAME>` user view, `[NAME]` system view, `display ...` commands.

Formats follow VRP V200R (S/CE switches, AR routers, USG firewalls) closely enough for the ntc-templates
`huawei_vrp_*` templates and for people used to reading them; VRP8 on NE routers differs where `lab.ssh.vrp8`
says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lab.ssh import vrp8
from lab.ssh.cli import CliSession, Command, Reply, cmd
from lab.ssh.model import DeviceView, IfaceView, mac_dashed, plural, uptime_parts
from lab.ssh.vpn import display_ike_sa, display_ipsec_sa_brief

_ABBREVIATIONS = (("XGigabitEthernet", "XGE"), ("GigabitEthernet", "GE"), ("Ethernet", "Eth"))


def abbreviate(name: str) -> str:
    """VRP's short interface names, as `display lldp neighbor brief` prints them."""
    for long, short in _ABBREVIATIONS:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def vrp_version(view: DeviceView) -> str:
    """The VRP platform version ('5.170', '8.180'): from sysDescr when it says, else by product line."""
    found = re.search(r"Version (\d+\.\d+) \(", view.sys_descr)
    if found:
        return found.group(1)
    return "8.180" if view.model.startswith(("CE", "NE")) else "5.170"


def uptime_text(seconds: int) -> str:
    weeks, days, hours, minutes = uptime_parts(seconds)
    return f"{plural(weeks, 'week')}, {plural(days, 'day')}, {plural(hours, 'hour')}, {plural(minutes, 'minute')}"


def _model_line(view: DeviceView) -> str:
    if view.model.startswith("AR"):
        return f"Huawei {view.model} Router uptime is {uptime_text(view.uptime_seconds)}"
    if view.model.startswith("S") and view.role in ("access", "aggregation", "core"):
        return f"HUAWEI {view.model} Routing Switch uptime is {uptime_text(view.uptime_seconds)}"
    return f"HUAWEI {view.model} uptime is {uptime_text(view.uptime_seconds)}"


def display_version(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    if vrp8.is_vrp8_router(view):
        return vrp8.display_version(view)
    family = view.model.split("-")[0]
    up = uptime_text(view.uptime_seconds)
    return "\n".join(
        [
            "Huawei Versatile Routing Platform Software",
            f"VRP (R) software, Version {vrp_version(view)} ({family} {view.os_version})",
            "Copyright (C) 2000-2021 HUAWEI TECH CO., LTD",
            _model_line(view),
            "",
            f"MPU 0(Master) : uptime is {up}",
            "DDR             Memory Size : 2048 M bytes",
            "FLASH Total     Memory Size : 1024 M bytes",
            "Pcb      Version : VER.B",
            "BOOTROM  Version : 0213.0000",
            "CPLD     Version : 0105",
            f"Software Version : VRP (R) Software, Version {vrp_version(view)} ({view.os_version})",
        ]
    )


_BRIEF_LEGEND = (
    "PHY: Physical",
    "*down: administratively down",
    "^down: standby",
    "(l): loopback",
    "(s): spoofing",
    "(b): BFD down",
    "(e): ETHOAM down",
    "(dl): DLDP down",
    "(d): Dampening Suppressed",
    "InUti/OutUti: input utility/output utility",
)


def display_interface_brief(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = list(vrp8.BRIEF_LEGEND if vrp8.is_vrp8_router(view) else _BRIEF_LEGEND)
    lines.append(f"{'Interface':<33}PHY   Protocol  InUti OutUti   inErrors  outErrors")
    for iface in view.interfaces:
        phy, protocol = _phy_protocol(iface)
        uti = f"{(iface.if_index * 7) % 40 / 100:.2f}%" if iface.oper_up else "0%"
        if iface.name.startswith(("Vlanif", "LoopBack", "NULL")):
            uti = "--"
        name = vrp8.brief_name(iface)
        lines.append(f"{name:<32} {phy:<5} {protocol:<8} {uti:>6} {uti:>6} {0:>10} {0:>10}")
    return "\n".join(lines)


def _phy_protocol(iface: IfaceView) -> tuple[str, str]:
    phy = "up" if iface.oper_up else ("down" if iface.admin_up else "*down")
    protocol = "up(s)" if iface.name.upper().startswith("NULL") else ("up" if iface.oper_up else "down")
    return phy, protocol


def display_interface_description(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = ["PHY: Physical", "*down: administratively down", "(l): loopback", "(s): spoofing", "(E): E-Trunk down"]
    lines.append(f"{'Interface':<30}{'PHY':<7}{'Protocol':<9}Description")
    for iface in view.interfaces:
        phy, protocol = _phy_protocol(iface)
        lines.append(f"{abbreviate(iface.name):<30}{phy:<7}{protocol:<9}{iface.alias or ''}".rstrip())
    return "\n".join(lines)


def _neighbor_block(view: DeviceView, index: int, nb_index: int) -> list[str]:
    nb = view.neighbors[index]
    lines = [
        "",
        f"Neighbor index :{nb_index}",
        "Chassis type   :macAddress",
        f"Chassis ID     :{mac_dashed(nb.remote_chassis_mac)}",
        "Port ID type   :interfaceName",
        f"Port ID        :{nb.remote_if}",
        f"Port description    :{nb.remote_if_descr}",
        f"System name         :{nb.remote_name}",
    ]
    descr = [part for part in nb.remote_sys_descr.replace("\r", "").split("\n") if part.strip()] or ["-"]
    lines.append(f"System description  :{descr[0]}")
    lines.extend(descr[1:])
    lines += [
        "System capabilities supported   :bridge router",
        "System capabilities enabled     :bridge router",
        "Management address type  :ipv4",
        f"Management address  : {nb.remote_mgmt_ip}",
        "Expired time   :104s",
        "",
        "Port VLAN ID(PVID)  :1",
        "Auto-negotiation supported    :Yes",
        "Auto-negotiation enabled      :Yes",
        "Maximum frame Size  :9216",
    ]
    return lines


def display_lldp_neighbor(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines: list[str] = []
    for iface in view.interfaces:
        mine = [i for i, nb in enumerate(view.neighbors) if nb.local_if == iface.name]
        if not mine:
            continue
        lines.append(f"{iface.name} has {len(mine)} neighbor(s):")
        for nb_index, i in enumerate(mine, start=1):
            lines += _neighbor_block(view, i, nb_index)
        lines.append("")
    return "\n".join(lines)


def display_lldp_neighbor_brief(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = [f"{'Local Intf':<27}{'Neighbor Dev':<26}{'Neighbor Intf':<25}Exptime(s)"]
    for nb in view.neighbors:
        lines.append(f"{abbreviate(nb.local_if):<27}{nb.remote_name:<26}{abbreviate(nb.remote_if):<25}104")
    return "\n".join(lines)


def display_device(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return "\n".join(
        [
            f"{view.model}'s Device status:",
            "Slot Sub  Type                   Online    Power    Register     Alarm     Primary",
            "-" * 82,
            f"0    -    {view.model:<22} Present   PowerOn  Registered   Normal    Master",
            f"     PWR1 {'POWER':<22} Present   PowerOn  Registered   Normal    NA",
            f"     PWR2 {'POWER':<22} Present   PowerOn  Registered   Normal    NA",
            f"     FAN1 {'FAN':<22} Present   PowerOn  Registered   Normal    NA",
        ]
    )


def display_esn(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    if vrp8.is_vrp8_router(view):
        return vrp8.display_esn(view)
    return f"ESN of slot 0: {view.serial}"


def display_elabel(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return "\n".join(
        [
            "/$[System Integration Version]",
            "/$SystemIntegrationVersion=3.0",
            "",
            "[Slot_0]",
            "/$[Board Integration Version]",
            "/$BoardIntegrationVersion=3.0",
            "",
            "[Board Properties]",
            f"BoardType={view.model}",
            f"BarCode={view.serial}",
            "Item=02351931",
            f"Description=Mainframe({view.model})",
            "Manufactured=2020-06-18",
            "VendorName=Huawei",
            "IssueNumber=00",
            "CLEICode=",
            "BOM=",
        ]
    )


def display_current_configuration(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return view.config.rstrip("\n")


COMMANDS: tuple[Command, ...] = (
    cmd("display version", display_version),
    cmd("display interface brief", display_interface_brief),
    cmd("display interface description", display_interface_description),
    cmd("display lldp neighbor brief", display_lldp_neighbor_brief),
    cmd("display lldp neighbor", display_lldp_neighbor),
    cmd("display current-configuration", display_current_configuration, takes_args=True),
    cmd("display device", display_device),
    cmd("display esn", display_esn),
    cmd("display elabel", display_elabel),
)

VPN_COMMANDS: tuple[Command, ...] = (
    cmd("display ike sa", display_ike_sa),
    cmd("display ipsec sa brief", display_ipsec_sa_brief),
)


class VrpSession(CliSession):
    """VRP user view and system view. Configuration commands are accepted and ignored (the lab is read-only)."""

    def prompt(self) -> str:
        return f"[{self.hostname}]" if self.mode == "system" else f"<{self.hostname}>"

    def commands(self) -> Sequence[Command]:
        if self.view().is_vpn_gateway:
            return COMMANDS + VPN_COMMANDS
        return COMMANDS

    def special(self, line: str) -> Reply | None:
        words = tuple(w.lower() for w in line.split())
        if self.mode == "system":
            if words in (("quit",), ("return",), ("q",)):
                self.mode = "user"
            elif words[0].startswith("dis"):
                return None
            return Reply("")
        if words == ("screen-length", "0", "temporary"):
            return Reply("Info: The configuration takes effect on the current user terminal interface only.")
        if words in (("system-view",), ("sys",), ("system",)):
            self.mode = "system"
            return Reply("Enter system view, return user view with Ctrl+Z.")
        if words in (("quit",), ("q",)):
            return Reply("", close=True)
        if words == ("return",):
            return Reply("")
        return None
