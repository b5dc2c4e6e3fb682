"""Plain records the dialect renderers work from, and small formatting helpers shared by the dialects."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IfaceView:
    """One interface as the CLI shows it at this moment (oper status already includes the faults)."""

    if_index: int
    name: str
    descr: str
    alias: str | None
    speed_bps: int
    mtu: int
    mac: str
    admin_up: bool
    oper_up: bool


@dataclass(frozen=True)
class NeighborView:
    """One LLDP neighbour seen on a local interface (the remote side's identity as it advertises it)."""

    local_if: str
    remote_name: str
    remote_if: str
    remote_if_descr: str  # the peer port's ifAlias ("" when it has none)
    remote_chassis_mac: str
    remote_sys_descr: str
    remote_mgmt_ip: str


@dataclass(frozen=True)
class VpnSession:
    """One active remote-access tunnel on the VPN gateway, keyed by the village's VPN account."""

    account: str
    site: str
    peer_ip: str
    conn_id: int
    spi_in: int
    spi_out: int
    online_seconds: int


@dataclass(frozen=True)
class DeviceView:
    """Everything a CLI session of one device may print, computed from the topology and the faults."""

    name: str
    vendor: str
    platform: str
    role: str
    model: str
    os_version: str
    sys_descr: str
    serial: str
    chassis_mac: str
    host: str
    uptime_seconds: int
    interfaces: tuple[IfaceView, ...]
    neighbors: tuple[NeighborView, ...]
    config: str = field(repr=False)  # holds the SNMP community in plain text
    vpn_sessions: tuple[VpnSession, ...] = ()
    is_vpn_gateway: bool = False


def mac_digits(mac: str) -> str:
    """'00:E0:fc:12:34:56' or '00e0-fc12-3456' -> '00e0fc123456'."""
    return "".join(ch for ch in mac.lower() if ch in "0123456789abcdef")


def mac_dashed(mac: str) -> str:
    """Huawei/H3C style: 00e0-fc12-3456."""
    d = mac_digits(mac)
    return f"{d[0:4]}-{d[4:8]}-{d[8:12]}"


def mac_dotted(mac: str) -> str:
    """Cisco style: 00e0.fc12.3456."""
    d = mac_digits(mac)
    return f"{d[0:4]}.{d[4:8]}.{d[8:12]}"


def uptime_parts(seconds: int) -> tuple[int, int, int, int]:
    """(weeks, days, hours, minutes) of an uptime in seconds."""
    minutes = max(0, seconds) // 60
    hours, minute = divmod(minutes, 60)
    days, hour = divmod(hours, 24)
    weeks, day = divmod(days, 7)
    return weeks, day, hour, minute


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def speed_label(speed_bps: int) -> str:
    """10G / 1G / 100M, as the brief tables print speeds."""
    if speed_bps >= 1_000_000_000:
        return f"{speed_bps // 1_000_000_000}G"
    if speed_bps >= 1_000_000:
        return f"{speed_bps // 1_000_000}M"
    return "auto"


def is_ethernet(name: str) -> bool:
    """Physical Ethernet ports (the ones that carry LLDP and sit in bridge mode on switches)."""
    lowered = name.lower()
    return ("ethernet" in lowered or lowered[:1].isdigit() and "ge" in lowered) and not lowered.startswith(
        ("meth", "m-gigabit")
    )
