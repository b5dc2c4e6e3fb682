"""The driver seam: what every collector driver (SNMP, SSH) promises.

A driver turns one `Target` into one `DeviceRecord`, with no database. Failures are values: a driver never
raises for a device problem (timeout, wrong credentials, garbage replies); it returns a record whose `error`
is set (see `collectors.records.failed`). The shared contract suite in tests/collectors/ runs over every driver.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from collectors.records import DeviceRecord, Target

Mode = Literal["full", "status"]


@runtime_checkable
class Driver(Protocol):
    """One collection protocol.

    `mode="full"` is discovery: system group, interfaces (IF-MIB ifTable + ifXTable), physical entities
    (ENTITY-MIB), LLDP neighbours and the vendor's own MIB where the standard ones lack data. The record has
    `complete=True`.

    `mode="status"` is the light periodic poll: uptime plus each interface's status and counters (for SNMP:
    sysUpTime and 8 IF-MIB columns, see docs/snmp.md). The record has `complete=False`; fields the status
    poll does not ask are `None` (not "unchanged"), so reconcile must only look at the status fields.

    Example (status mode, abridged)::

        DeviceRecord(host="127.1.0.1", source="snmp", complete=False,
                     system=SystemInfo(sys_uptime_seconds=8640.5),
                     interfaces=(InterfaceRecord(if_index=6, admin_status=1, oper_status=1, last_change=12.0,
                                                 speed_bps=10_000_000_000, in_octets=123456, out_octets=654321,
                                                 in_errors=0, out_errors=0),))
    """

    async def collect(self, target: Target, *, mode: Mode) -> DeviceRecord:
        """Collect one device. Never raises for device problems: returns a record with `error` set."""
        ...
