"""snmpsim data (.snmprec) for one lab device: SNMPv2-MIB system, IF-MIB ifTable/ifXTable, ENTITY-MIB chassis,
LLDP-MIB local and remote tables (agreeing with the topology's links), and H3C's serial in HH3C-ENTITY-EXT-MIB.

Records are ``OID|TAG|VALUE`` sorted by numeric OID (snmpsim requires it). Octet strings are written hex
(tag ``4x``) so GBK/UTF-8 text reaches the wire byte-exact. Values that change while the lab runs (sysUpTime,
counters, ifOperStatus, LLDP remote rows) carry the ``yw`` variation tag (``TAG:yw|device,kind,arg,...``), which
`lab.snmpvariation` evaluates on every request from the live state and faults.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from lab.topology import LabDevice, LabInterface, Topology

SYS = "1.3.6.1.2.1.1"
IF_NUMBER = "1.3.6.1.2.1.2.1.0"
IF_ENTRY = "1.3.6.1.2.1.2.2.1"
IFX_ENTRY = "1.3.6.1.2.1.31.1.1.1"
ENT_PHYS_ENTRY = "1.3.6.1.2.1.47.1.1.1.1"
LLDP_LOC = "1.0.8802.1.1.2.1.3"
LLDP_REM_ENTRY = "1.0.8802.1.1.2.1.4.1.1"
LLDP_REM_MAN_ADDR_ENTRY = "1.0.8802.1.1.2.1.4.2.1"
H3C_MANU_SERIAL = "1.3.6.1.4.1.25506.2.6.1.2.1.1.2"  # hh3cEntityExtManuSerialNum

INTEGER, OCTETS, OID, GAUGE, TICKS, COUNTER32, COUNTER64 = "2", "4x", "6", "66", "67", "65", "70"
IF_UP, IF_DOWN = 1, 2
LLDP_SUBTYPE_MAC, LLDP_SUBTYPE_IFNAME = 4, 5
# LLDP system capabilities bitmap: bridge + router
LLDP_CAPS = "2800"


def chassis_index(device: LabDevice) -> int:
    # Huawei numbers its chassis entity 16777216 (slot 0 << 24), Catalyst switches 1001; others start at 1.
    return {"huawei": 16777216, "cisco": 1001}.get(device.vendor, 1)


def hex_text(text: str, encoding: str = "utf-8") -> str:
    return text.encode(encoding).hex()


def hex_mac(mac: str) -> str:
    return mac.replace(":", "")


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in oid.split("."))


def _yw(tag: str, device: LabDevice, kind: str, *args: object) -> tuple[str, str]:
    return f"{tag}:yw", ",".join([device.name, kind, *(str(a) for a in args)])


def _rate_bps(device: LabDevice, iface: LabInterface) -> int:
    """A stable per-interface traffic rate in bytes/s (1-30 % of line rate), from a hash, not the topology RNG."""
    digest = hashlib.sha256(f"{device.name}/{iface.if_index}".encode()).digest()
    share = 0.01 + (digest[0] / 255) * 0.29
    return int(iface.speed_bps / 8 * share)


def system_records(device: LabDevice) -> Iterator[tuple[str, str, str]]:
    enc = device.text_encoding
    services = 6 if device.role in ("core", "aggregation", "access") else 72
    yield f"{SYS}.1.0", OCTETS, hex_text(device.sys_descr)
    yield f"{SYS}.2.0", OID, device.sys_object_id
    yield (f"{SYS}.3.0", *_yw(TICKS, device, "uptime"))
    yield f"{SYS}.4.0", OCTETS, hex_text(device.sys_contact, enc)
    yield f"{SYS}.5.0", OCTETS, hex_text(device.name)
    yield f"{SYS}.6.0", OCTETS, hex_text(device.sys_location, enc)
    yield f"{SYS}.7.0", INTEGER, str(services)


def interface_records(device: LabDevice, linked: set[int]) -> Iterator[tuple[str, str, str]]:
    enc = device.text_encoding
    yield IF_NUMBER, INTEGER, str(len(device.interfaces))
    for i in device.interfaces:
        n = i.if_index
        oper_healthy = IF_UP if i.admin_up and (n in linked or not i.mac or i.type != 6) else IF_DOWN
        rate = _rate_bps(device, i) if oper_healthy == IF_UP and i.speed_bps else 0
        yield f"{IF_ENTRY}.1.{n}", INTEGER, str(n)
        yield f"{IF_ENTRY}.2.{n}", OCTETS, hex_text(i.descr)
        yield f"{IF_ENTRY}.3.{n}", INTEGER, str(i.type)
        yield f"{IF_ENTRY}.4.{n}", INTEGER, str(i.mtu)
        yield f"{IF_ENTRY}.5.{n}", GAUGE, str(min(i.speed_bps, 4294967295))
        yield f"{IF_ENTRY}.6.{n}", OCTETS, hex_mac(i.mac)
        yield f"{IF_ENTRY}.7.{n}", INTEGER, str(IF_UP if i.admin_up else IF_DOWN)
        if n in linked:
            yield (f"{IF_ENTRY}.8.{n}", *_yw(INTEGER, device, "oper", n, oper_healthy))
        else:
            yield f"{IF_ENTRY}.8.{n}", INTEGER, str(oper_healthy)
        yield (f"{IF_ENTRY}.9.{n}", *_yw(TICKS, device, "lastchange", n))
        yield (f"{IF_ENTRY}.10.{n}", *_yw(COUNTER32, device, "ctr", n, rate))
        yield (f"{IF_ENTRY}.11.{n}", *_yw(COUNTER32, device, "ctr", n, rate // 800))
        yield f"{IF_ENTRY}.13.{n}", COUNTER32, "0"
        yield f"{IF_ENTRY}.14.{n}", COUNTER32, "0"
        yield (f"{IF_ENTRY}.16.{n}", *_yw(COUNTER32, device, "ctr", n, rate * 3 // 4))
        yield (f"{IF_ENTRY}.17.{n}", *_yw(COUNTER32, device, "ctr", n, rate * 3 // 4 // 800))
        yield f"{IF_ENTRY}.19.{n}", COUNTER32, "0"
        yield f"{IF_ENTRY}.20.{n}", COUNTER32, "0"
        yield f"{IFX_ENTRY}.1.{n}", OCTETS, hex_text(i.name)
        yield (f"{IFX_ENTRY}.6.{n}", *_yw(COUNTER64, device, "ctr", n, rate))
        yield (f"{IFX_ENTRY}.7.{n}", *_yw(COUNTER64, device, "ctr", n, rate // 800))
        yield (f"{IFX_ENTRY}.10.{n}", *_yw(COUNTER64, device, "ctr", n, rate * 3 // 4))
        yield (f"{IFX_ENTRY}.11.{n}", *_yw(COUNTER64, device, "ctr", n, rate * 3 // 4 // 800))
        yield f"{IFX_ENTRY}.15.{n}", GAUGE, str(i.speed_bps // 1_000_000)
        yield f"{IFX_ENTRY}.18.{n}", OCTETS, hex_text(i.alias or "", enc)


def entity_records(device: LabDevice) -> Iterator[tuple[str, str, str]]:
    idx = chassis_index(device)
    vendor_names = {"huawei": "Huawei", "h3c": "H3C", "ruijie": "Ruijie", "cisco": "Cisco",
                    "hillstone": "Hillstone", "sangfor": "Sangfor"}  # fmt: skip
    columns = (
        (2, OCTETS, hex_text(f"{device.model} chassis")),
        (3, OID, device.sys_object_id),
        (4, INTEGER, "0"),
        (5, INTEGER, "3"),  # chassis
        (6, INTEGER, "-1"),
        (7, OCTETS, hex_text("chassis" if device.vendor != "cisco" else "1")),
        (8, OCTETS, hex_text("VER.B")),
        (9, OCTETS, ""),
        (10, OCTETS, hex_text(device.os_version)),
        (11, OCTETS, hex_text(device.serial)),
        (12, OCTETS, hex_text(vendor_names[device.vendor])),
        (13, OCTETS, hex_text(device.model)),
        (16, INTEGER, "2"),  # not field-replaceable
    )
    for col, tag, value in columns:
        yield f"{ENT_PHYS_ENTRY}.{col}.{idx}", tag, value
    if device.vendor == "h3c":
        yield f"{H3C_MANU_SERIAL}.{idx}", OCTETS, hex_text(device.serial)


def lldp_records(device: LabDevice, topo: Topology) -> Iterator[tuple[str, str, str]]:
    yield f"{LLDP_LOC}.1.0", INTEGER, str(LLDP_SUBTYPE_MAC)
    yield f"{LLDP_LOC}.2.0", OCTETS, hex_mac(device.chassis_mac)
    yield f"{LLDP_LOC}.3.0", OCTETS, hex_text(device.name)
    yield f"{LLDP_LOC}.4.0", OCTETS, hex_text(device.sys_descr)
    for i in device.interfaces:
        if i.type == 6:
            yield f"{LLDP_LOC}.7.1.2.{i.if_index}", INTEGER, str(LLDP_SUBTYPE_IFNAME)
            yield f"{LLDP_LOC}.7.1.3.{i.if_index}", OCTETS, hex_text(i.name)
            yield f"{LLDP_LOC}.7.1.4.{i.if_index}", OCTETS, hex_text(i.alias or "", device.text_encoding)
    for local, peer, remote in topo.neighbors_of(device.name):
        row = f"0.{local.if_index}.1"  # timeMark 0, local port = ifIndex, remote index 1
        n = local.if_index
        cells = (
            (4, "2", str(LLDP_SUBTYPE_MAC)),
            (5, OCTETS, hex_mac(peer.chassis_mac)),
            (6, "2", str(LLDP_SUBTYPE_IFNAME)),
            (7, OCTETS, hex_text(remote.name)),
            (8, OCTETS, hex_text(remote.alias or "", peer.text_encoding)),
            (9, OCTETS, hex_text(peer.name)),
            (10, OCTETS, hex_text(peer.sys_descr)),
            (11, OCTETS, LLDP_CAPS),
            (12, OCTETS, LLDP_CAPS),
        )
        for col, tag, value in cells:
            yield (f"{LLDP_REM_ENTRY}.{col}.{row}", *_yw(tag, device, "lldp", n, value))
        addr = peer.host.split(".")
        man = f"{row}.1.4.{'.'.join(addr)}"  # ipV4 subtype 1, length 4, address
        yield (f"{LLDP_REM_MAN_ADDR_ENTRY}.3.{man}", *_yw("2", device, "lldp", n, 2))  # ifIndex subtype
        yield (f"{LLDP_REM_MAN_ADDR_ENTRY}.4.{man}", *_yw("2", device, "lldp", n, 0))
        yield (f"{LLDP_REM_MAN_ADDR_ENTRY}.5.{man}", *_yw(OID, device, "lldp", n, "0.0"))


def device_records(device: LabDevice, topo: Topology) -> list[tuple[str, str, str]]:
    linked = {local.if_index for local, _, _ in topo.neighbors_of(device.name)}
    records = [
        *system_records(device),
        *interface_records(device, linked),
        *entity_records(device),
        *lldp_records(device, topo),
    ]
    return sorted(records, key=lambda r: _oid_key(r[0]))


def render(records: list[tuple[str, str, str]]) -> str:
    return "".join(f"{oid}|{tag}|{value}\n" for oid, tag, value in records)
