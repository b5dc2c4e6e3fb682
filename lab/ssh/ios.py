"""Cisco IOS dialect: `NAME>` / `NAME#` / `NAME(config)#`, `enable`, `show ...` commands."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lab.ssh.cli import CliSession, Command, Reply, cmd
from lab.ssh.model import DeviceView, IfaceView, mac_digits, mac_dotted, plural, uptime_parts

_ABBREVIATIONS = (
    ("TenGigabitEthernet", "Te"),
    ("GigabitEthernet", "Gi"),
    ("FastEthernet", "Fa"),
    ("Ethernet", "Et"),
    ("Port-channel", "Po"),
)


def abbreviate(name: str) -> str:
    for long, short in _ABBREVIATIONS:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def uptime_text(seconds: int) -> str:
    weeks, days, hours, minutes = uptime_parts(seconds)
    parts = [plural(weeks, "week")] if weeks else []
    return ", ".join(parts + [plural(days, "day"), plural(hours, "hour"), plural(minutes, "minute")])


def _image(view: DeviceView) -> tuple[str, str]:
    """('C3750E', 'C3750E-UNIVERSALK9-M'): from sysDescr when it says, else from the model."""
    found = re.search(r"IOS Software, (\S+) Software \((\S+)\)", view.sys_descr)
    if found:
        return found.group(1), found.group(2)
    family = view.model.split("/")[0].split("-")[-2 if "-" in view.model else 0].upper()
    return family, f"{family}-UNIVERSALK9-M"


def _image_file(view: DeviceView, image: str) -> str:
    # 15.2(4)E10 -> c3750e-universalk9-mz.152-4.E10.bin
    release = re.sub(r"^(\d+)\.(\d+)\((\w+)\)", r"\1\2-\3.", view.os_version)
    return f"{image.lower().removesuffix('-m')}-mz.{release}.bin"


def show_version(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    family, image = _image(view)
    mac = ":".join(mac_digits(view.chassis_mac)[i : i + 2] for i in range(0, 12, 2)).upper()
    ports = sum(1 for i in view.interfaces if "Ethernet" in i.descr)
    return "\n".join(
        [
            f"Cisco IOS Software, {family} Software ({image}), Version {view.os_version}, RELEASE SOFTWARE (fc2)",
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2021 by Cisco Systems, Inc.",
            "Compiled Tue 23-Mar-21 03:35 by prod_rel_team",
            "",
            f"ROM: Bootstrap program is {family} boot loader",
            "",
            f"{view.name} uptime is {uptime_text(view.uptime_seconds)}",
            "System returned to ROM by power-on",
            f'System image file is "flash:{_image_file(view, image)}"',
            "",
            f"cisco {view.model} (MPC8300) processor (revision D0) with 524288K/65536K bytes of memory.",
            f"Processor board ID {view.serial}",
            f"{ports} Gigabit Ethernet interfaces",
            "2048K bytes of flash-simulated non-volatile configuration memory.",
            f"Base ethernet MAC Address       : {mac}",
            f"Model number                    : {view.model}",
            f"System serial number            : {view.serial}",
            "",
            "Configuration register is 0x2102",
        ]
    )


def show_inventory(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return "\n".join(
        [
            f'NAME: "Chassis", DESCR: "Cisco {view.model} Chassis"',
            f"PID: {view.model:<18}, VID: V04  , SN: {view.serial}",
            "",
            'NAME: "Power Supply Module 0", DESCR: "250W AC Power Supply"',
            f"PID: PWR-4330-AC       , VID: V02  , SN: PST{view.serial[-8:]}",
            "",
        ]
    )


def _status(iface: IfaceView) -> str:
    if not iface.admin_up:
        return "administratively down"
    return "up" if iface.oper_up else "down"


def _address(view: DeviceView, iface: IfaceView) -> str | None:
    first = next((i for i in view.interfaces if i.admin_up), None)
    return view.host if first is iface else None


def show_ip_interface_brief(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = [f"{'Interface':<27}{'IP-Address':<16}OK? Method Status                Protocol"]
    for iface in view.interfaces:
        address = _address(view, iface)
        method = "NVRAM" if address else "unset"
        protocol = "up" if iface.oper_up else "down"
        lines.append(f"{iface.descr:<27}{address or 'unassigned':<16}YES {method:<7}{_status(iface):<22}{protocol}")
    return "\n".join(lines)


def _interface_block(view: DeviceView, iface: IfaceView) -> list[str]:
    protocol = "up" if iface.oper_up else "down"
    mac = mac_dotted(iface.mac)
    lines = [
        f"{iface.descr} is {_status(iface)}, line protocol is {protocol} ",
        f"  Hardware is Gigabit Ethernet, address is {mac} (bia {mac})",
    ]
    if iface.alias:
        lines.append(f"  Description: {iface.alias}")
    address = _address(view, iface)
    if address:
        lines.append(f"  Internet address is {address}/24")
    kbit = iface.speed_bps // 1000
    packets = view.uptime_seconds * (iface.if_index % 7 + 1) if iface.oper_up else 0
    lines += [
        f"  MTU {iface.mtu} bytes, BW {kbit} Kbit/sec, DLY 10 usec, ",
        "     reliability 255/255, txload 1/255, rxload 1/255",
        "  Encapsulation ARPA, loopback not set",
        "  Keepalive set (10 sec)",
        f"  Full Duplex, {iface.speed_bps // 1_000_000}Mbps, link type is auto, media type is RJ45",
        "  ARP type: ARPA, ARP Timeout 04:00:00",
        "  Last input 00:00:00, output 00:00:00, output hang never",
        '  Last clearing of "show interface" counters never',
        "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
        "  Queueing strategy: fifo",
        "  Output queue: 0/40 (size/max)",
        "  5 minute input rate 2000 bits/sec, 3 packets/sec",
        "  5 minute output rate 2000 bits/sec, 3 packets/sec",
        f"     {packets} packets input, {packets * 180} bytes, 0 no buffer",
        "     0 runts, 0 giants, 0 throttles",
        "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
        f"     {packets} packets output, {packets * 160} bytes, 0 underruns",
        "     0 output errors, 0 collisions, 0 interface resets",
    ]
    return lines


def show_interfaces(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines: list[str] = []
    for iface in view.interfaces:
        lines += _interface_block(view, iface)
    return "\n".join(lines)


def show_lldp_neighbors_detail(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines: list[str] = []
    for nb in view.neighbors:
        descr = [p for p in nb.remote_sys_descr.replace("\r", "").split("\n") if p.strip()] or [""]
        lines += [
            "------------------------------------------------",
            f"Local Intf: {abbreviate(nb.local_if)}",
            f"Chassis id: {mac_dotted(nb.remote_chassis_mac)}",
            f"Port id: {nb.remote_if}",
            f"Port Description: {nb.remote_if_descr}" if nb.remote_if_descr else "Port Description - not advertised",
            f"System Name: {nb.remote_name}",
            "",
            "System Description: ",
            *descr,
            "",
            "Time remaining: 98 seconds",
            "System Capabilities: B,R",
            "Enabled Capabilities: B,R",
            "Management Addresses:",
            f"    IP: {nb.remote_mgmt_ip}",
            "Auto Negotiation - supported, enabled",
            "Physical media capabilities:",
            "    1000baseT(FD)",
            "Media Attachment Unit type: 30",
            "Vlan ID: - not advertised",
            "",
        ]
    lines += ["", f"Total entries displayed: {len(view.neighbors)}"]
    return "\n".join(lines)


def show_lldp_neighbors(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = [
        "Capability codes:",
        "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "",
        f"{'Device ID':<20}{'Local Intf':<15}{'Hold-time':<11}{'Capability':<16}Port ID",
    ]
    for nb in view.neighbors:
        # IOS cuts the device ID at 20 characters in this table (the detail view has it whole).
        lines.append(f"{nb.remote_name[:20]:<20}{abbreviate(nb.local_if):<15}{120:<11}{'B,R':<16}{nb.remote_if}")
    lines += ["", f"Total entries displayed: {len(view.neighbors)}"]
    return "\n".join(lines)


def show_hosts(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    return "\n".join(
        [
            "Default domain is not set",
            "Name/address lookup uses domain service",
            "Name servers are 255.255.255.255",
            "",
            "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate",
            "       temp - temporary, perm - permanent",
            "       NA - Not Applicable None - Not defined",
            "",
            "Host                      Port  Flags      Age Type   Address(es)",
        ]
    )


def show_startup_config(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    body = view.config.rstrip("\n")
    return f"Using {len(body) + 1} out of 524288 bytes\n{body}"


def show_running_config(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    body = view.config.rstrip("\n")
    return f"Building configuration...\n\nCurrent configuration : {len(body) + 1} bytes\n{body}"


COMMANDS: tuple[Command, ...] = (
    cmd("show version", show_version),
    cmd("show inventory", show_inventory),
    cmd("show ip interface brief", show_ip_interface_brief),
    cmd("show interfaces", show_interfaces),
    cmd("show lldp neighbors detail", show_lldp_neighbors_detail),
    cmd("show lldp neighbors", show_lldp_neighbors),
    cmd("show running-config", show_running_config, takes_args=True),
    cmd("show startup-config", show_startup_config),
    cmd("show hosts", show_hosts),
)


class IosSession(CliSession):
    """IOS exec (`>`), privileged (`#`) and config modes. AAA gives the lab user privilege 15, so it starts at `#`."""

    unknown_error = "% Invalid input detected at '^' marker."
    incomplete_error = "% Incomplete command."
    table: tuple[Command, ...] = COMMANDS

    def __init__(self, view, hostname: str, enable_secret: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(view, hostname)
        self.mode = "enable"
        self.enable_secret = enable_secret

    @property
    def echo(self) -> bool:
        return self.mode != "password"

    def prompt(self) -> str:
        return {
            "user": f"{self.hostname}>",
            "config": f"{self.hostname}(config)#",
            "password": "Password: ",
        }.get(self.mode, f"{self.hostname}#")

    def commands(self) -> Sequence[Command]:
        return self.table

    def error_text(self, line: str) -> str:
        if self.mode == "user" and line.split()[0].lower() in ("configure", "conf"):
            return " " * (len(self.prompt()) + 0) + "^\n" + self.unknown_error
        return super().error_text(line)

    def special(self, line: str) -> Reply | None:
        words = tuple(w.lower() for w in line.split())
        if self.mode == "password":
            self.mode = "enable" if line == self.enable_secret else "user"
            return Reply("" if self.mode == "enable" else "% Access denied")
        if self.mode == "config":
            if words in (("end",), ("exit",)):
                self.mode = "enable"
            return Reply("")
        return self._exec_special(words)

    def _exec_special(self, words: tuple[str, ...]) -> Reply | None:
        if words[:1] == ("terminal",) and len(words) == 3 and words[1] in ("length", "width"):
            return Reply("")
        if words in (("enable",), ("en",)):
            if self.mode == "user":
                self.mode = "password"
            return Reply("")
        if words in (("disable",),):
            self.mode = "user"
            return Reply("")
        if words in (("configure", "terminal"), ("conf", "t"), ("config", "t")) and self.mode == "enable":
            self.mode = "config"
            return Reply("Enter configuration commands, one per line.  End with CNTL/Z.")
        if words in (("exit",), ("logout",), ("quit",)):
            return Reply("", close=True)
        return None
