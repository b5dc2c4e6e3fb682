"""The SNMP driver: `Target` -> `DeviceRecord` over an injected transport. Never raises for device problems.

Requests per mode (tests assert exactly these, see tests/collectors/test_snmp_contract.py):
- full:   GET system group (6 scalars); walk IF-MIB (18 columns); walk ENTITY-MIB (8 columns, plus the vendor's
          serial column for H3C); walk LLDP-MIB (3 local-port + 6 remote columns).
- status: GET sysUpTime.0; walk the 8 status columns (`oids.STATUS_COLUMNS`).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

from collectors import vendors
from collectors.contract import Mode
from collectors.records import DeviceRecord, ErrorKind, SystemInfo, Target, failed, now
from collectors.snmp import build
from collectors.snmp import oids as O
from collectors.snmp.values import SnmpFailure, SnmpTransport

logger = logging.getLogger(__name__)

TransportFactory = Callable[[Target, Mode], SnmpTransport]


class SnmpDriver:
    """`collect(target, mode=...)` over transports made by `transport_factory(target, mode)`.

    The factory decides the wire library per mode (pysnmp for discovery, a faster one for status polls, or a
    replay of recorded data in tests); see `collectors.snmp.transports.default_factory`.
    """

    def __init__(self, transport_factory: TransportFactory) -> None:
        self._factory = transport_factory

    async def collect(self, target: Target, *, mode: Mode) -> DeviceRecord:
        started = time.monotonic()
        record = await self._collect(target, mode)
        return dataclasses.replace(record, duration_seconds=round(time.monotonic() - started, 6))

    async def _collect(self, target: Target, mode: Mode) -> DeviceRecord:
        if target.snmp is None:
            return failed(target.host, "snmp", ErrorKind.UNSUPPORTED, "no SNMP credentials for this target")
        try:
            transport = self._factory(target, mode)
        except SnmpFailure as exc:
            return failed(target.host, "snmp", exc.kind, exc.message)
        try:
            if mode == "full":
                return await self._full(target, transport)
            return await self._status(target, transport)
        except SnmpFailure as exc:
            return failed(target.host, "snmp", exc.kind, exc.message, complete=mode == "full")
        except Exception as exc:  # a bug on our side must not stop the cycle; the log has the traceback
            logger.exception("SNMP driver bug collecting %s", target.name)
            return failed(target.host, "snmp", ErrorKind.INTERNAL, f"{type(exc).__name__} in the SNMP driver")
        finally:
            await _close(transport)

    async def _full(self, target: Target, transport: SnmpTransport) -> DeviceRecord:
        cells = build.Cells()
        sysinfo = build.system(await transport.get(O.SYSTEM), cells)
        if sysinfo.sys_object_id is None and sysinfo.sys_uptime_seconds is None and sysinfo.sys_name is None:
            raise SnmpFailure(ErrorKind.MALFORMED, "no usable system group (sysObjectID, sysUpTime, sysName)")
        vendor = vendors.identify(sysinfo.sys_object_id, sysinfo.sys_descr)
        serial_column = O.VENDOR_SERIAL_COLUMNS.get(vendor.slug) if vendor else None
        if_table = build.group(await transport.walk_columns(O.INTERFACE_COLUMNS), O.INTERFACE_COLUMNS)
        ent_columns = O.ENTITY_COLUMNS + ((serial_column,) if serial_column else ())
        ent_table = build.group(await transport.walk_columns(ent_columns), ent_columns)
        lldp_table = build.group(await transport.walk_columns(O.LLDP_COLUMNS), O.LLDP_COLUMNS)
        ifs = build.interfaces(if_table, cells)
        ents = build.entities(ent_table, cells, serial_column)
        slug, model, serial, os_version = build.device_facts(sysinfo, ents)
        record = DeviceRecord(
            host=target.host,
            source="snmp",
            collected_at=now(),
            system=sysinfo,
            vendor=slug,
            model=model,
            serial=serial,
            os_version=os_version,
            interfaces=ifs,
            neighbors=build.neighbors(lldp_table, ifs, cells),
            entities=ents,
        )
        return _judge(record, cells)

    async def _status(self, target: Target, transport: SnmpTransport) -> DeviceRecord:
        cells = build.Cells()
        uptime = build.system(await transport.get((O.SYS_UPTIME,)), cells).sys_uptime_seconds
        table = build.group(await transport.walk_columns(O.STATUS_COLUMNS), O.STATUS_COLUMNS)
        ifs = build.interfaces(table, cells)
        if uptime is None and not ifs:
            raise SnmpFailure(ErrorKind.MALFORMED, "no sysUpTime and no interface rows")
        record = DeviceRecord(
            host=target.host,
            source="snmp",
            collected_at=now(),
            system=SystemInfo(sys_uptime_seconds=uptime),
            interfaces=ifs,
            complete=False,
        )
        return _judge(record, cells)


def _judge(record: DeviceRecord, cells: build.Cells) -> DeviceRecord:
    """Most cells of the wrong type: the device answers, but not in a form we can trust. Keep what decoded."""
    if cells.mostly_bad:
        message = f"{cells.bad} of {cells.seen} values had the wrong type"
        return dataclasses.replace(record, error=failed(record.host, "snmp", ErrorKind.MALFORMED, message).error)
    return record


async def _close(transport: SnmpTransport) -> None:
    try:
        await transport.close()
    except Exception:  # closing a socket must never turn a result into a failure
        logger.debug("closing SNMP transport failed", exc_info=True)
