"""Ruijie RGOS (IOS-like, netmiko `ruijie_os`), Hillstone StoneOS (netmiko `hillstone_stoneos`) and Sangfor
(a small `show` CLI; the VPN gateway lists its online SSL VPN users with `show vpn online-user`)."""

from __future__ import annotations

from collections.abc import Sequence

from lab.ssh.cli import Command, cmd
from lab.ssh.ios import IosSession, show_running_config
from lab.ssh.model import DeviceView, mac_dotted, speed_label, uptime_parts


def _rgos_uptime(seconds: int) -> str:
    weeks, days, hours, minutes = uptime_parts(seconds)
    return f"{weeks * 7 + days}:{hours:02d}:{minutes:02d}:{seconds % 60:02d}"


def ruijie_show_version(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return "\n".join(
        [
            f"System description      : Ruijie Full Gigabit Security & Intelligence Access Switch({view.model}) "
            "By Ruijie Networks",
            f"System uptime           : {_rgos_uptime(view.uptime_seconds)}",
            "System hardware version : 1.10",
            f"System software version : {view.os_version}",
            "System patch number     : NA",
            f"System serial number    : {view.serial}",
            "System boot version     : 1.3.6",
        ]
    )


def ruijie_show_interface_status(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = [
        f"{'Interface':<41}{'Status':<10}{'Vlan':<7}{'Duplex':<9}{'Speed':<10}Type",
        f"{'-' * 40} {'-' * 8}  {'-' * 6} {'-' * 7}  {'-' * 9} {'-' * 6}",
    ]
    for i in view.interfaces:
        status = "up" if i.oper_up else ("disabled" if not i.admin_up else "down")
        duplex, speed = ("Full", speed_label(i.speed_bps).replace("G", "000M")) if i.oper_up else ("Unknown", "Unknown")
        media = "fiber" if i.speed_bps >= 10_000_000_000 else "copper"
        lines.append(f"{i.name:<41}{status:<10}{'1':<7}{duplex:<9}{speed:<10}{media}")
    return "\n".join(lines)


def ruijie_show_lldp_neighbors_detail(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines: list[str] = []
    for nb in view.neighbors:
        descr = " ".join(p.strip() for p in nb.remote_sys_descr.replace("\r", "").split("\n") if p.strip())
        lines += [
            f"Lldp neighbor-information of port [{nb.local_if}]",
            "-" * 75,
            "  Neighbor index                    : 1",
            "  Device type                       : LLDP Device",
            "  Update time                       : 0hours 1minutes 5seconds",
            "  Aging time                        : 104 seconds",
            "  Chassis ID type                   : MAC address",
            f"  Chassis id                        : {mac_dotted(nb.remote_chassis_mac)}",
            f"  System name                       : {nb.remote_name}",
            f"  System description                : {descr}",
            "  System capabilities supported     : Repeater, Bridge, Router",
            "  System capabilities enabled       : Bridge, Router",
            "  Management address subtype        : ipv4",
            f"  Management address                : {nb.remote_mgmt_ip}",
            "  Port ID type                      : Interface name",
            f"  Port id                           : {nb.remote_if}",
            f"  Port description                  : {nb.remote_if_descr}",
            "",
        ]
    return "\n".join(lines)


RUIJIE_COMMANDS: tuple[Command, ...] = (
    cmd("show version", ruijie_show_version),
    cmd("show interface status", ruijie_show_interface_status),
    cmd("show interfaces status", ruijie_show_interface_status),
    cmd("show lldp neighbors detail", ruijie_show_lldp_neighbors_detail),
    cmd("show running-config", show_running_config, takes_args=True),
)


def appliance_show_version(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    weeks, days, hours, minutes = uptime_parts(view.uptime_seconds)
    return "\n".join(
        [
            view.sys_descr.replace("\r", ""),
            f"Product name: {view.model}",
            f"Serial number: {view.serial}",
            f"Uptime is {weeks * 7 + days} days {hours} hours {minutes} minutes",
        ]
    )


def appliance_show_interface(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = [f"{'Interface':<16}{'Status':<10}{'Speed':<8}{'MAC':<16}Description"]
    for i in view.interfaces:
        status = "up" if i.oper_up else ("admin-down" if not i.admin_up else "down")
        lines.append(f"{i.name:<16}{status:<10}{speed_label(i.speed_bps):<8}{mac_dotted(i.mac):<16}{i.alias or ''}")
    return "\n".join(lines)


def show_configuration(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return view.config.rstrip("\n")


def show_vpn_online_user(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    """SSL VPN online users: one row per connected village account."""
    lines = [
        f"Online users: {len(view.vpn_sessions)}",
        f"{'No.':<5}{'User':<22}{'Client IP':<17}{'Virtual IP':<16}{'Online time':<13}Site",
    ]
    for n, s in enumerate(view.vpn_sessions, start=1):
        virtual = f"10.250.{n // 250}.{n % 250 + 2}"
        h, rem = divmod(s.online_seconds, 3600)
        online = f"{h:02d}:{rem // 60:02d}:{rem % 60:02d}"
        lines.append(f"{n:<5}{s.account:<22}{s.peer_ip:<17}{virtual:<16}{online:<13}{s.site}")
    return "\n".join(lines)


APPLIANCE_COMMANDS: tuple[Command, ...] = (
    cmd("show version", appliance_show_version),
    cmd("show interface", appliance_show_interface),
    cmd("show configuration", show_configuration),
    cmd("show running-config", show_configuration),
)


class RuijieSession(IosSession):
    table = RUIJIE_COMMANDS


class ApplianceSession(IosSession):
    """Hillstone and Sangfor: `NAME#` prompt, `terminal length 0`, a few `show` commands."""

    table = APPLIANCE_COMMANDS

    def commands(self) -> Sequence[Command]:
        if self.view().is_vpn_gateway:
            return self.table + (cmd("show vpn online-user", show_vpn_online_user),)
        return self.table
