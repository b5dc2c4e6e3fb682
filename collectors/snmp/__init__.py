"""SNMP collection: a driver over injected transports (pysnmp, gufo-snmp, recorded replay). See docs/snmp.md.

Entry points for callers (the poll runner, `manage.py probe`):
- `SnmpDriver(DefaultFactory()).collect(target, mode="full" | "status") -> DeviceRecord`
- `collect_many(targets, mode, concurrency) -> AsyncIterator[DeviceRecord]`
"""

from __future__ import annotations

from collectors.snmp.driver import SnmpDriver, TransportFactory
from collectors.snmp.many import collect_many, collect_one, device_budget_seconds
from collectors.snmp.transports import DefaultFactory

__all__ = ["DefaultFactory", "SnmpDriver", "TransportFactory", "collect_many", "collect_one", "device_budget_seconds"]
