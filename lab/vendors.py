"""Vendor catalogue of the lab: models with their sysObjectIDs, sysDescr formats, serial and interface naming.

Each entry is what a poller would meet on a real device of that model in a Chinese e-government network.
sysObjectIDs sit under each vendor's enterprise number (Huawei 2011, H3C 25506, Ruijie 4881, Cisco 9,
Hillstone 28557, Sangfor 35047) and are the product OIDs those vendors publish in their product MIBs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

GE = 1_000_000_000
TEN_GE = 10_000_000_000


@dataclass(frozen=True)
class PortSpec:
    """A family of physical ports on one model: naming and count."""

    fmt: str  # str.format pattern with {n}
    first: int  # number of the first port
    count: int
    speed_bps: int
    if_type: int = 6  # ethernetCsmacd


@dataclass(frozen=True)
class ModelSpec:
    """One device model: identity strings and its port layout."""

    vendor: str
    platform: str
    model: str
    sys_object_id: str
    os_version: str
    ports: tuple[PortSpec, ...]
    descr: Callable[[ModelSpec], str]
    serial: Callable[[random.Random], str]
    oui: str
    short_name: Callable[[str], str] | None = None  # ifName differs from ifDescr (Cisco "Gi0/1")
    extra_ifs: tuple[tuple[str, int, int], ...] = ()  # logical interfaces before the ports: (name, type, mtu)


def _huawei_descr(m: ModelSpec) -> str:
    series = m.model.split("-")[0]
    if m.model.startswith("NE"):
        # VRP8 on NE routers, as an NE40E agent answers (trailing blanks included): release in brackets after the
        # series, the exact model alone on the last line.
        return (
            f"Huawei Versatile Routing Platform Software \r\nVRP (R) software, Version 8.180 ({series} "
            f"{m.os_version}) \r\nCopyright (C) 2012-2018 Huawei Technologies Co., Ltd. \r\nHUAWEI {m.model} \r\n"
        )
    if m.model.startswith("CE"):
        return (
            f"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 ({series} {m.os_version})"
            f"\r\nCopyright (C) 2012-2020 Huawei Technologies Co., Ltd.\r\nHUAWEI {m.model}\r\n"
        )
    if m.model.startswith("USG"):
        return f"Huawei {m.model} Unified Security Gateway, Version {m.os_version}"
    return (
        f"{m.model}\r\nHuawei Versatile Routing Platform Software\r\n VRP (R) software,Version 5.170 ({series} "
        f"{m.os_version})\r\n Copyright (C) 2000-2020 HUAWEI TECH Co., Ltd."
    )


def _h3c_descr(m: ModelSpec) -> str:
    return (
        f"H3C Comware Platform Software, Software Version 7.1.070, Release {m.os_version}\r\nH3C {m.model}\r\n"
        "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved."
    )


def _ruijie_descr(m: ModelSpec) -> str:
    return f"Ruijie Full Gigabit Security & Intelligence Access Switch({m.model}) By Ruijie Networks"


def _cisco_descr(m: ModelSpec) -> str:
    image = m.model.split("-")[1][:5] + "E"
    return (
        f"Cisco IOS Software, {image} Software ({image}-UNIVERSALK9-M), Version {m.os_version}, RELEASE SOFTWARE "
        "(fc2)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2020 by Cisco Systems, "
        "Inc.\r\nCompiled Tue 31-Mar-20 01:03 by prod_rel_team"
    )


def _hillstone_descr(m: ModelSpec) -> str:
    return f"Hillstone Networks StoneOS software, Version {m.os_version}, Hardware {m.model}"


def _sangfor_descr(m: ModelSpec) -> str:
    return f"Sangfor {m.model} {m.os_version}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(n))


def _huawei_serial(rng: random.Random) -> str:
    # 21 + 8-char BOM code + 2-char year/month + 6 digits: 2102350BNW10K1000012
    return "2102" + _alnum(rng, 6) + _alnum(rng, 2) + _alnum(rng, 2) + _digits(rng, 6)


def _h3c_serial(rng: random.Random) -> str:
    return "210235A" + _alnum(rng, 3) + "H" + _digits(rng, 9)


def _ruijie_serial(rng: random.Random) -> str:
    return "G1" + _alnum(rng, 4) + _digits(rng, 7)


def _cisco_serial(rng: random.Random) -> str:
    return "FOC" + _digits(rng, 4) + _alnum(rng, 4)


def _hillstone_serial(rng: random.Random) -> str:
    return "0" + _digits(rng, 15)


def _sangfor_serial(rng: random.Random) -> str:
    return "SF" + _alnum(rng, 12)


def _cisco_short(name: str) -> str:
    for long, short in (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"), ("FastEthernet", "Fa")):
        if name.startswith(long):
            return short + name[len(long) :]
    return name


_VRP_LOGICAL = (("InLoopBack0", 24, 1500), ("NULL0", 1, 1500), ("Vlanif1", 136, 1500))
_COMWARE_LOGICAL = (("NULL0", 1, 1500), ("InLoopBack0", 24, 1536), ("Vlan-interface1", 136, 1500))


def _p(fmt: str, first: int, count: int, speed: int) -> PortSpec:
    return PortSpec(fmt, first, count, speed)


MODELS: dict[str, ModelSpec] = {
    m.model: m
    for m in (
        # --- Huawei VRP ---
        ModelSpec(
            "huawei", "huawei_vrp", "S12708", "1.3.6.1.4.1.2011.2.23.96", "V200R019C10SPC500",
            (_p("XGigabitEthernet1/0/{n}", 0, 8, TEN_GE), _p("GigabitEthernet2/0/{n}", 0, 48, GE)),
            _huawei_descr, _huawei_serial, "00:e0:fc", extra_ifs=_VRP_LOGICAL,
        ),
        ModelSpec(
            "huawei", "huawei_vrp", "S5720-28X-SI-AC", "1.3.6.1.4.1.2011.2.23.340", "V200R011C10SPC600",
            (_p("GigabitEthernet0/0/{n}", 1, 24, GE), _p("XGigabitEthernet0/0/{n}", 1, 4, TEN_GE)),
            _huawei_descr, _huawei_serial, "70:7b:e8", extra_ifs=_VRP_LOGICAL,
        ),
        ModelSpec(
            "huawei", "huawei_vrp", "S5735-L24T4S-A1", "1.3.6.1.4.1.2011.2.23.621", "V200R020C10SPC500",
            (_p("GigabitEthernet0/0/{n}", 1, 28, GE),),
            _huawei_descr, _huawei_serial, "70:7b:e8", extra_ifs=_VRP_LOGICAL,
        ),
        ModelSpec(
            "huawei", "huawei_vrp", "CE6881-48S6CQ", "1.3.6.1.4.1.2011.2.239.40", "V200R019C10SPC800",
            (_p("10GE1/0/{n}", 1, 48, TEN_GE),),
            _huawei_descr, _huawei_serial, "f4:de:af", extra_ifs=_VRP_LOGICAL[:2],
        ),
        ModelSpec(
            "huawei", "huawei_vrp", "AR6140-16G4XG", "1.3.6.1.4.1.2011.2.224.279", "V300R019C13SPC200",
            (_p("GigabitEthernet0/0/{n}", 0, 16, GE),),
            _huawei_descr, _huawei_serial, "00:e0:fc", extra_ifs=_VRP_LOGICAL[:2],
        ),
        # HUAWEI-MIB (V5.43, as LibreNMS ships it in mibs/huawei/): ne5000 ::= { hwProducts 62 },
        # ne5000SysOid ::= { ne5000 2 }, ne40E-X8 ::= { ne5000SysOid 9 }; hwProducts is 1.3.6.1.4.1.2011.2.
        # NE40E line cards name every Ethernet port GigabitEthernet<slot>/<card>/<port> from port 0, 10G ones too
        # (`display interface brief` marks those "(10G)"): two 4x10GE cards in slot 1, two 24xGE cards in slot 2.
        ModelSpec(
            "huawei", "huawei_vrp", "NE40E-X8", "1.3.6.1.4.1.2011.2.62.2.9", "V800R011C00SPC200",
            (_p("GigabitEthernet1/0/{n}", 0, 4, TEN_GE), _p("GigabitEthernet1/1/{n}", 0, 4, TEN_GE),
             _p("GigabitEthernet2/0/{n}", 0, 24, GE), _p("GigabitEthernet2/1/{n}", 0, 24, GE)),
            _huawei_descr, _huawei_serial, "00:e0:fc", extra_ifs=_VRP_LOGICAL[:2],
        ),
        ModelSpec(
            "huawei", "huawei_vrp", "USG6650E", "1.3.6.1.4.1.2011.2.239.144", "V600R007C20SPC600",
            (_p("GigabitEthernet1/0/{n}", 0, 12, GE), _p("XGigabitEthernet0/0/{n}", 0, 4, TEN_GE)),
            _huawei_descr, _huawei_serial, "00:e0:fc", extra_ifs=_VRP_LOGICAL[:2],
        ),
        # --- H3C Comware ---
        ModelSpec(
            "h3c", "h3c_comware", "S5560X-30C-EI", "1.3.6.1.4.1.25506.1.1727", "1125P03",
            (_p("GigabitEthernet1/0/{n}", 1, 24, GE), _p("Ten-GigabitEthernet1/0/{n}", 25, 4, TEN_GE)),
            _h3c_descr, _h3c_serial, "3c:8c:40", extra_ifs=_COMWARE_LOGICAL,
        ),
        ModelSpec(
            "h3c", "h3c_comware", "S5130S-28S-EI", "1.3.6.1.4.1.25506.1.1681", "6126P20",
            (_p("GigabitEthernet1/0/{n}", 1, 24, GE), _p("Ten-GigabitEthernet1/0/{n}", 25, 4, TEN_GE)),
            _h3c_descr, _h3c_serial, "00:0f:e2", extra_ifs=_COMWARE_LOGICAL,
        ),
        # --- Ruijie RGOS ---
        ModelSpec(
            "ruijie", "ruijie_rgos", "S5750C-28GT4XS-H", "1.3.6.1.4.1.4881.1.1.10.1.277", "RGOS 11.4(1)B12P3",
            (_p("GigabitEthernet 0/{n}", 1, 28, GE), _p("TenGigabitEthernet 0/{n}", 29, 4, TEN_GE)),
            _ruijie_descr, _ruijie_serial, "58:69:6c",
        ),
        ModelSpec(
            "ruijie", "ruijie_rgos", "S2928G-E V3", "1.3.6.1.4.1.4881.1.1.10.1.140", "RGOS 11.0(5)B1P6",
            (_p("GigabitEthernet 0/{n}", 1, 28, GE),),
            _ruijie_descr, _ruijie_serial, "00:74:9c",
        ),
        # --- Cisco IOS ---
        ModelSpec(
            "cisco", "cisco_ios", "WS-C3560X-48T", "1.3.6.1.4.1.9.1.1227", "15.2(4)E10",
            (_p("GigabitEthernet0/{n}", 1, 48, GE), _p("TenGigabitEthernet0/{n}", 1, 2, TEN_GE)),
            _cisco_descr, _cisco_serial, "70:ca:9b", short_name=_cisco_short,
            extra_ifs=(("Vlan1", 53, 1500),),
        ),
        # --- Hillstone StoneOS ---
        ModelSpec(
            "hillstone", "hillstone_stoneos", "SG-6000-E5660", "1.3.6.1.4.1.28557.1.73", "5.5R8P7",
            (_p("ethernet0/{n}", 0, 8, GE), _p("xethernet0/{n}", 8, 4, TEN_GE)),
            _hillstone_descr, _hillstone_serial, "00:10:f3",
        ),
        ModelSpec(
            "hillstone", "hillstone_stoneos", "SG-6000-NIPS-S1060", "1.3.6.1.4.1.28557.1.101", "5.5R8P3",
            (_p("ethernet0/{n}", 0, 8, GE),),
            _hillstone_descr, _hillstone_serial, "00:10:f3",
        ),
        # --- Sangfor ---
        ModelSpec(
            "sangfor", "sangfor_os", "SSL VPN M5400", "1.3.6.1.4.1.35047.1.2", "7.6.6R1",
            (_p("eth{n}", 0, 6, GE),),
            _sangfor_descr, _sangfor_serial, "00:1a:a9",
        ),
        ModelSpec(
            "sangfor", "sangfor_os", "AD-1000-B2200", "1.3.6.1.4.1.35047.1.5", "7.0.8R2",
            (_p("eth{n}", 0, 6, GE),),
            _sangfor_descr, _sangfor_serial, "00:1a:a9",
        ),
        ModelSpec(
            "sangfor", "sangfor_os", "GAP-1000-GI", "1.3.6.1.4.1.35047.1.7", "3.2.1",
            (_p("eth{n}", 0, 4, GE),),
            _sangfor_descr, _sangfor_serial, "00:1a:a9",
        ),
    )
}  # fmt: skip

# Which models each role draws from, with weights (a region's real mix: mostly Huawei and H3C, some Ruijie).
ROLE_MODELS: dict[str, tuple[tuple[str, int], ...]] = {
    "aggregation": (("S5720-28X-SI-AC", 5), ("S5560X-30C-EI", 4), ("S5750C-28GT4XS-H", 2)),
    "access": (("S5735-L24T4S-A1", 5), ("S5130S-28S-EI", 4), ("S2928G-E V3", 3), ("AR6140-16G4XG", 1)),
}
