"""Raw varbinds -> records. Pure functions: no network, no clock.

Tables are keyed on the OID suffix after the column (never on the ifIndex column, which many devices leave
out), so sparse tables, index gaps, duplicate rows (first one wins) and unsorted replies all give the same
result. A cell of the wrong type becomes None and is counted in `Cells.bad`; the driver calls a reply
malformed when most cells were bad.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from collectors import vendors
from collectors.records import EntityRecord, InterfaceRecord, NeighborRecord, SystemInfo
from collectors.snmp import decode
from collectors.snmp import oids as O
from collectors.snmp.values import Missing, Value, Varbind

Table = dict[str, dict[str, Value]]  # column OID -> {suffix: value}

_LLDP_CHASSIS_MAC = 4  # LldpChassisIdSubtype macAddress
_LLDP_PORT_MAC = 3  # LldpPortIdSubtype macAddress


class Cells:
    """Decodes cells and counts how many were present and how many had the wrong type."""

    def __init__(self) -> None:
        self.seen = 0
        self.bad = 0

    def _check(self, value: Value, decoded: object) -> None:
        if value is None or isinstance(value, Missing):
            return
        self.seen += 1
        if decoded is None and value != b"":
            self.bad += 1

    def integer(self, value: Value) -> int | None:
        if type(value) is int:  # the hot path: skip the generic checks
            self.seen += 1
            return value
        out = decode.integer(value)
        self._check(value, out)
        return out

    def text(self, value: Value) -> str | None:
        out = decode.text(value) if isinstance(value, bytes | str) else None
        self._check(value, out if isinstance(value, bytes | str) else None)
        return out

    def mac(self, value: Value) -> str | None:
        out = decode.mac(value)
        self._check(value, out)
        return out

    def seconds(self, value: Value) -> float | None:
        out = decode.ticks_seconds(value)
        self._check(value, out)
        return out

    @property
    def mostly_bad(self) -> bool:
        return self.bad > 0 and self.bad * 2 >= self.seen


def group(varbinds: Iterable[Varbind], columns: Sequence[str]) -> Table:
    """Split a walk into columns; the suffix after `column.` is the row key. First duplicate wins."""
    table: Table = {c: {} for c in columns}
    lengths = sorted({c.count(".") + 1 for c in columns})
    for oid, value in varbinds:
        if isinstance(value, Missing):
            continue
        # Fast path (the status poll's hot loop): a single-arc suffix such as an ifIndex.
        head, _, suffix = oid.rpartition(".")
        column = table.get(head)
        if column is None:
            column, suffix = _find_column(table, lengths, oid)
            if column is None:
                continue
        if suffix and suffix not in column:
            column[suffix] = value
    return table


def _find_column(table: Table, lengths: Sequence[int], oid: str) -> tuple[dict[str, Value] | None, str]:
    arcs = oid.split(".")
    for n in lengths:
        column = table.get(".".join(arcs[:n]))
        if column is not None:
            return column, ".".join(arcs[n:])
    return None, ""


def _int_rows(table: Table) -> list[tuple[int, str]]:
    """(index, suffix) of every single-arc positive-integer row present in any column, sorted by index."""
    suffixes = set().union(*table.values()) if table else set()
    rows = [(int(s), s) for s in suffixes if s.isdigit() and int(s) > 0]
    return sorted(rows)


def system(varbinds: Iterable[Varbind], cells: Cells) -> SystemInfo:
    got = {oid: value for oid, value in varbinds}
    return SystemInfo(
        sys_name=cells.text(got.get(O.SYS_NAME)),
        sys_descr=cells.text(got.get(O.SYS_DESCR)),
        sys_object_id=decode.oid(got.get(O.SYS_OBJECT_ID)),
        sys_uptime_seconds=cells.seconds(got.get(O.SYS_UPTIME)),
        sys_contact=cells.text(got.get(O.SYS_CONTACT)),
        sys_location=cells.text(got.get(O.SYS_LOCATION)),
    )


def interfaces(table: Table, cells: Cells) -> tuple[InterfaceRecord, ...]:
    """Full IF-MIB rows (ifTable + ifXTable); columns that were not asked come out as None."""
    out = []
    for if_index, key in _int_rows(table):

        def cell(column: str, key: str = key) -> Value:
            return table.get(column, {}).get(key)

        hc_in, hc_out = cells.integer(cell(O.IF_HC_IN_OCTETS)), cells.integer(cell(O.IF_HC_OUT_OCTETS))
        high_speed = cells.integer(cell(O.IF_HIGH_SPEED))
        out.append(
            InterfaceRecord(
                if_index=if_index,
                name=cells.text(cell(O.IF_NAME)),
                descr=cells.text(cell(O.IF_DESCR)),
                alias=cells.text(cell(O.IF_ALIAS)),
                type=cells.integer(cell(O.IF_TYPE)),
                mtu=cells.integer(cell(O.IF_MTU)),
                speed_bps=decode.speed_bps(cells.integer(cell(O.IF_SPEED)), high_speed),
                mac=cells.mac(cell(O.IF_PHYS_ADDRESS)),
                admin_status=cells.integer(cell(O.IF_ADMIN_STATUS)),
                oper_status=cells.integer(cell(O.IF_OPER_STATUS)),
                last_change=cells.seconds(cell(O.IF_LAST_CHANGE)),
                in_octets=hc_in if hc_in is not None else cells.integer(cell(O.IF_IN_OCTETS)),
                out_octets=hc_out if hc_out is not None else cells.integer(cell(O.IF_OUT_OCTETS)),
                in_errors=cells.integer(cell(O.IF_IN_ERRORS)),
                out_errors=cells.integer(cell(O.IF_OUT_ERRORS)),
            )
        )
    return tuple(out)


def entities(table: Table, cells: Cells, vendor_serial_column: str | None = None) -> tuple[EntityRecord, ...]:
    """entPhysicalTable rows; a vendor serial column (same index) fills entPhysicalSerialNum when it is empty."""
    out = []
    for index, key in _int_rows({c: v for c, v in table.items() if c != vendor_serial_column}):

        def cell(column: str, key: str = key) -> Value:
            return table.get(column, {}).get(key)

        serial = cells.text(cell(O.ENT_SERIAL))
        if serial is None and vendor_serial_column:
            serial = cells.text(cell(vendor_serial_column))
        out.append(
            EntityRecord(
                index=index,
                entity_class=cells.integer(cell(O.ENT_CLASS)),
                descr=cells.text(cell(O.ENT_DESCR)),
                name=cells.text(cell(O.ENT_NAME)),
                model=cells.text(cell(O.ENT_MODEL)),
                serial=serial,
                hardware_rev=cells.text(cell(O.ENT_HARDWARE_REV)),
                firmware_rev=cells.text(cell(O.ENT_FIRMWARE_REV)),
                software_rev=cells.text(cell(O.ENT_SOFTWARE_REV)),
            )
        )
    return tuple(out)


def chassis(rows: Sequence[EntityRecord]) -> EntityRecord | None:
    """The first chassis (entPhysicalClass 3), else the first entity with a serial or model."""
    for row in rows:
        if row.entity_class == O.ENT_CLASS_CHASSIS:
            return row
    return next((r for r in rows if r.serial or r.model), None)


def _local_if_index(
    port_num: int, port_id: str | None, port_desc: str | None, ifs: Sequence[InterfaceRecord]
) -> int | None:
    """lldpLocPortNum is not always the ifIndex (Cisco numbers ports itself): match names first."""
    names = {n for n in (port_id, port_desc) if n}
    for interface in ifs:
        if names & {interface.name, interface.descr}:
            return interface.if_index
    if any(i.if_index == port_num for i in ifs):
        return port_num
    return None


def neighbors(table: Table, ifs: Sequence[InterfaceRecord], cells: Cells) -> tuple[NeighborRecord, ...]:
    """lldpRemTable rows joined to the local port (lldpLocPortTable, then IF-MIB names)."""
    by_index = {i.if_index: i for i in ifs}
    out = []
    remote_keys: set[str] = set()
    for column in O.LLDP_COLUMNS[3:]:
        remote_keys.update(table.get(column, {}))
    for key in sorted(remote_keys):
        arcs = key.split(".")
        if len(arcs) != 3 or not arcs[1].isdigit():
            continue
        port_num = int(arcs[1])

        def rem(column: str, key: str = key) -> Value:
            return table.get(column, {}).get(key)

        loc_id = cells.text(table.get(O.LLDP_LOC_PORT_ID, {}).get(arcs[1]))
        loc_desc = cells.text(table.get(O.LLDP_LOC_PORT_DESC, {}).get(arcs[1]))
        if_index = _local_if_index(port_num, loc_id, loc_desc, ifs)
        local = by_index.get(if_index) if if_index is not None else None
        chassis_raw, port_raw = rem(O.LLDP_REM_CHASSIS_ID), rem(O.LLDP_REM_PORT_ID)
        is_mac = cells.integer(rem(O.LLDP_REM_CHASSIS_ID_SUBTYPE)) == _LLDP_CHASSIS_MAC
        port_is_mac = cells.integer(rem(O.LLDP_REM_PORT_ID_SUBTYPE)) == _LLDP_PORT_MAC
        out.append(
            NeighborRecord(
                local_if_index=if_index,
                local_port=(local.name or local.descr) if local else (loc_desc or loc_id),
                remote_chassis_id=cells.mac(chassis_raw) if is_mac else cells.text(chassis_raw),
                remote_port_id=cells.mac(port_raw) if port_is_mac else cells.text(port_raw),
                remote_port_descr=cells.text(rem(O.LLDP_REM_PORT_DESC)),
                remote_sys_name=cells.text(rem(O.LLDP_REM_SYS_NAME)),
            )
        )
    return tuple(sorted(out, key=lambda n: (n.local_if_index or 0, n.remote_sys_name or "")))


def device_facts(
    sysinfo: SystemInfo, rows: Sequence[EntityRecord]
) -> tuple[str | None, str | None, str | None, str | None]:
    """(vendor, model, serial, os_version): ENTITY-MIB chassis first, sysDescr parsing where it is silent."""
    vendor = vendors.identify(sysinfo.sys_object_id, sysinfo.sys_descr)
    slug = vendor.slug if vendor else None
    parsed = vendors.parse_sys_descr(slug, sysinfo.sys_descr)
    box = chassis(rows)
    model = (box.model if box else None) or parsed.model
    serial = box.serial if box else None
    os_version = parsed.os_version or (box.software_rev if box else None)
    return slug, model, serial, os_version
