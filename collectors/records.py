"""Records at the driver seam: what every driver (SNMP, SSH) returns, with no database and no network.

Frozen dataclasses; units in field names where they are not obvious; `None` means "not known"
(never "Unknown", never -1). A driver that fails returns a record whose `error` is set: failures are
values, so one bad device never stops a poll cycle.

Example (`to_json(record)`, the shape `manage.py probe --json` prints)::

    {"host": "127.1.0.1", "source": "snmp",
     "system": {"sys_name": "KF-CORE-01", "sys_descr": "Huawei Versatile Routing Platform ...",
                "sys_object_id": "1.3.6.1.4.1.2011.2.23.96", "sys_uptime_seconds": 8640.5,
                "sys_contact": "noc@example.gov.cn", "sys_location": "开福区政务外网中心机房"},
     "vendor": "huawei", "model": "S12708", "serial": "2102350BNW10K1000012", "os_version": "V200R019C10SPC500",
     "interfaces": [{"if_index": 6, "name": "XGigabitEthernet0/0/1", "descr": "XGigabitEthernet0/0/1",
                     "alias": "至核心2", "type": 6, "mtu": 1500, "speed_bps": 10000000000,
                     "mac": "00:e0:fc:12:34:56", "admin_status": 1, "oper_status": 1, "last_change": 12.0}],
     "neighbors": [{"local_if_index": 6, "local_port": "XGigabitEthernet0/0/1", "remote_chassis_id": "00:e0:fc:..",
                    "remote_port_id": "XGigabitEthernet0/0/1", "remote_port_descr": "至核心1",
                    "remote_sys_name": "KF-CORE-02"}],
     "entities": [{"index": 1, "class": 3, "descr": "S12708 chassis", "name": "chassis", "model": "S12708",
                   "serial": "2102350BNW10K1000012", "hardware_rev": "VER.B", "firmware_rev": null,
                   "software_rev": "V200R019C10SPC500"}],
     "error": null}
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal


class ErrorKind(enum.StrEnum):
    """Why a collection failed. Stable strings: they become metric label values and StatusEvent reasons."""

    TIMEOUT = "timeout"  # no answer within the timeout (device down, or filtered)
    AUTH = "auth"  # wrong community / v3 keys / SSH password
    REFUSED = "refused"  # TCP refused / ICMP port unreachable
    MALFORMED = "malformed"  # the device answered, but not in a form we can use
    HOST_KEY = "host_key"  # SSH host key changed since first contact: an alarm, never a silent accept
    PROMPT = "prompt"  # unexpected CLI prompt or dialect
    UNSUPPORTED = "unsupported"  # no driver for this platform
    INTERNAL = "internal"  # a bug on our side; the message says where


@dataclass(frozen=True)
class CollectError:
    kind: ErrorKind
    message: str


@dataclass(frozen=True)
class SnmpCredentials:
    """SNMP v2c or v3 credentials. Secrets are hidden from repr so they never reach logs or tracebacks."""

    version: Literal["2c", "3"] = "2c"
    community: str = field(default="", repr=False)
    user: str = ""
    auth_proto: Literal["", "MD5", "SHA", "SHA256", "SHA512"] = ""
    auth_key: str = field(default="", repr=False)
    priv_proto: Literal["", "DES", "AES", "AES256"] = ""
    priv_key: str = field(default="", repr=False)


@dataclass(frozen=True)
class SshCredentials:
    username: str
    password: str = field(default="", repr=False)
    port: int = 22


@dataclass(frozen=True)
class Target:
    """What a driver needs to reach one device. `name` is the inventory name (or the host for a probe)."""

    name: str
    host: str
    snmp_port: int = 161
    snmp: SnmpCredentials | None = None
    ssh: SshCredentials | None = None
    platform: str | None = None  # Platform.slug, e.g. "huawei_vrp"; selects the SSH dialect
    timeout_seconds: float = 2.0
    retries: int = 1


@dataclass(frozen=True)
class SystemInfo:
    sys_name: str | None = None
    sys_descr: str | None = None
    sys_object_id: str | None = None
    sys_uptime_seconds: float | None = None  # sysUpTime is in hundredths of a second on the wire
    sys_contact: str | None = None
    sys_location: str | None = None


@dataclass(frozen=True)
class InterfaceRecord:
    """One IF-MIB row. `type`, `admin_status` and `oper_status` are the IF-MIB integers (1 up, 2 down, ...)."""

    if_index: int
    name: str | None = None  # ifName
    descr: str | None = None  # ifDescr
    alias: str | None = None  # ifAlias (often Chinese, UTF-8 or GBK on the wire)
    type: int | None = None
    mtu: int | None = None
    speed_bps: int | None = None  # ifHighSpeed * 1e6 when ifSpeed saturates
    mac: str | None = None  # lowercase colon hex
    admin_status: int | None = None
    oper_status: int | None = None
    last_change: float | None = None  # ifLastChange, seconds of sysUpTime
    in_octets: int | None = None  # ifHCInOctets (or ifInOctets)
    out_octets: int | None = None
    in_errors: int | None = None
    out_errors: int | None = None


@dataclass(frozen=True)
class NeighborRecord:
    """One LLDP remote entry, seen from the local port."""

    local_if_index: int | None = None
    local_port: str | None = None
    remote_chassis_id: str | None = None
    remote_port_id: str | None = None
    remote_port_descr: str | None = None
    remote_sys_name: str | None = None


@dataclass(frozen=True)
class EntityRecord:
    """One ENTITY-MIB entPhysicalTable row; `entity_class` is entPhysicalClass (3 = chassis)."""

    index: int
    entity_class: int | None = None
    descr: str | None = None
    name: str | None = None
    model: str | None = None
    serial: str | None = None
    hardware_rev: str | None = None
    firmware_rev: str | None = None
    software_rev: str | None = None


@dataclass(frozen=True)
class VpnSession:
    """An active VPN tunnel on a VPN gateway, by the account (village unit) that opened it."""

    account: str
    peer_address: str | None = None
    established_seconds: float | None = None


@dataclass(frozen=True)
class DeviceRecord:
    """Everything one collection learned about one device. `error` set means the collection failed."""

    host: str
    source: Literal["snmp", "ssh"]
    collected_at: datetime
    system: SystemInfo = field(default_factory=SystemInfo)
    vendor: str | None = None
    model: str | None = None
    serial: str | None = None
    os_version: str | None = None
    interfaces: tuple[InterfaceRecord, ...] = ()
    neighbors: tuple[NeighborRecord, ...] = ()
    entities: tuple[EntityRecord, ...] = ()
    config: str | None = None  # running configuration (SSH only), raw; mask before showing
    vpn_sessions: tuple[VpnSession, ...] | None = None  # None: not a VPN gateway / not collected
    error: CollectError | None = None
    duration_seconds: float | None = None
    complete: bool = True  # False for a light status poll (only the columns the status poll asks)

    @property
    def ok(self) -> bool:
        return self.error is None


def failed(host: str, source: Literal["snmp", "ssh"], kind: ErrorKind, message: str, **extra: Any) -> DeviceRecord:
    """A failed collection as a value."""
    return DeviceRecord(host=host, source=source, collected_at=now(), error=CollectError(kind, message), **extra)


def now() -> datetime:
    return datetime.now(UTC)


def to_json(record: DeviceRecord) -> dict[str, Any]:
    """The probe JSON shape (see the module docstring). Internal counters and config are left out."""
    interface_keys: tuple[str, ...] = ("if_index", "name", "descr", "alias", "type", "mtu", "speed_bps", "mac")
    interface_keys += ("admin_status", "oper_status", "last_change")
    return {
        "host": record.host,
        "source": record.source,
        "system": dataclasses.asdict(record.system),
        "vendor": record.vendor,
        "model": record.model,
        "serial": record.serial,
        "os_version": record.os_version,
        "interfaces": [{k: getattr(i, k) for k in interface_keys} for i in record.interfaces],
        "neighbors": [dataclasses.asdict(n) for n in record.neighbors],
        "entities": [
            {"index": e.index, "class": e.entity_class}
            | {k: getattr(e, k) for k in ("descr", "name", "model", "serial", "hardware_rev")}
            | {"firmware_rev": e.firmware_rev, "software_rev": e.software_rev}
            for e in record.entities
        ],
        "error": None if record.error is None else {"kind": str(record.error.kind), "message": record.error.message},
    }
