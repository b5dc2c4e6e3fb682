"""Where VRP8 on NE routers prints differently from the VRP V200R switches `lab.ssh.vrp` models.

Formats follow real NE40E output (e.g. ntc-templates' `huawei_vrp_display_version.raw`, an NE40E-X2-M8A on
V800R011C00SPC200): uptime in days without weeks ("161 days, 0 hour, 20 minutes": singular for 0 and 1), a
"<model> version information:" section per board type, the serial as "ESN of master: ...", 10G ports that keep
the GigabitEthernet name flagged "(10G)" in `display interface brief`.
"""

from __future__ import annotations

import re

from lab.ssh.model import DeviceView, IfaceView

TEN_GE = 10_000_000_000
_RULE = "- " * 32 + "-"

BRIEF_LEGEND = (
    "PHY: Physical",
    "*down: administratively down",
    "^down: standby",
    "(l): loopback",
    "(s): spoofing",
    "(E): E-Trunk down",
    "(b): BFD down",
    "(B): Bit-error-detection down",
    "(e): ETHOAM down",
    "(d): Dampening Suppressed",
    "InUti/OutUti: input utility/output utility",
)


def is_vrp8_router(view: DeviceView) -> bool:
    """NE40E and its kin: VRP8 carrier routers (the CE switches run VRP8 too, but the lab keeps their V200R look)."""
    return view.model.startswith("NE")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n <= 1 else f"{n} {word}s"


def uptime_text(seconds: int) -> str:
    """'161 days, 0 hour, 20 minutes'."""
    days, rest = divmod(max(0, seconds) // 60, 1440)
    hours, minutes = divmod(rest, 60)
    return f"{_count(days, 'day')}, {_count(hours, 'hour')}, {_count(minutes, 'minute')}"


def _platform_version(view: DeviceView) -> str:
    found = re.search(r"Version (\d+\.\d+) \(", view.sys_descr)
    return found.group(1) if found else "8.180"


def display_version(view: DeviceView) -> str:
    series = view.model.split("-")[0]
    up = uptime_text(view.uptime_seconds)
    standby = uptime_text(max(0, view.uptime_seconds - 125))
    return "\n".join(
        [
            "Huawei Versatile Routing Platform Software",
            f"VRP (R) software, Version {_platform_version(view)} ({series} {view.os_version})",
            "Copyright (C) 2012-2018 Huawei Technologies Co., Ltd.",
            f"HUAWEI {view.model} uptime is {up}",
            "",
            f"{view.model} version information:",
            _RULE,
            "BKP  version information:",
            "  MPU  Slot  Quantity : 2",
            "  SFU  Slot  Quantity : 3",
            "  LPU  Slot  Quantity : 8",
            _RULE,
            "MPU version information:",
            "",
            f"MPU (Master) 9 : uptime is {up}",
            "  SDRAM Memory Size   : 16384 M bytes",
            "  FLASH Memory Size   : 32 M bytes",
            "  CFCARD Memory Size  : 4096 M bytes",
            "",
            f"MPU (Slave) 10 : uptime is {standby}",
            "  SDRAM Memory Size   : 16384 M bytes",
            "  FLASH Memory Size   : 32 M bytes",
            "  CFCARD Memory Size  : 4096 M bytes",
        ]
    )


def brief_name(iface: IfaceView) -> str:
    """A 10G port still called GigabitEthernet is shown with its mode: 'GigabitEthernet1/0/0(10G)'."""
    if iface.speed_bps == TEN_GE and iface.name.startswith("GigabitEthernet"):
        return f"{iface.name}(10G)"
    return iface.name


def display_esn(view: DeviceView) -> str:
    return f"ESN of master: {view.serial}"
