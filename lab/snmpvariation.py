"""The ``yw`` snmpsim variation module: values that follow the lab's clock and faults.

A record ``OID|TAG:yw|DEVICE,KIND,ARGS...`` is evaluated on every request:
- ``uptime``: sysUpTime in ticks since the device's (possibly injected) last boot;
- ``ctr,IFINDEX,RATE``: a counter growing RATE units per second since boot (wrapping at 32/64 bits);
- ``oper,IFINDEX,HEALTHY``: ifOperStatus, down (2) while the link end is failed;
- ``lastchange,IFINDEX``: ifLastChange;
- ``lldp,IFINDEX,VALUE``: an LLDP remote-table cell, hidden while the link end is failed.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from pysnmp.proto import rfc1902
from pysnmp.smi import exval

from lab.snmplive import get_live

TICKS_WRAP = 2**32
WRAP = {"65": 2**32, "70": 2**64}
INTERFACES_SETTLE_TICKS = 3000  # interfaces come up ~30 s after a boot


@functools.lru_cache(maxsize=65536)
def _parse(value: str) -> tuple[str, str, tuple[str, ...]]:
    device, kind, *args = value.split(",")
    return device, kind, tuple(args)


def init(**context: Any) -> None:
    pass


def shutdown(**context: Any) -> None:
    pass


def _hidden(oid: Any, tag: str, context: dict[str, Any]) -> tuple[Any, str, Any]:
    if context["nextFlag"]:
        return oid, tag, exval.endOfMib  # snmpsim then moves on to the next record
    return context["origOid"], tag, exval.noSuchInstance


def _static_lastchange(name: str, if_index: str, uptime_at_start_s: int) -> int:
    digest = hashlib.sha256(f"{name}/{if_index}".encode()).digest()
    return int(uptime_at_start_s * 100 * (digest[1] / 255) * 0.9)


def variate(oid: Any, tag: str, value: str, **context: Any) -> tuple[Any, str, Any]:
    if context["setFlag"] or (not context["nextFlag"] and not context["exactMatch"]):
        return context["origOid"], tag, context["errorStatus"]
    live = get_live()
    name, kind, args = _parse(value)
    device = live.by_name[name]
    faults = live.faults()
    if kind == "uptime":
        return oid, tag, rfc1902.TimeTicks(int(live.uptime(device) * 100) % TICKS_WRAP)
    if kind == "ctr":
        count = int(args[1]) * live.uptime(device)
        return oid, tag, str(int(count) % WRAP[tag])
    link_end = (name, int(args[0]))
    if kind == "oper":
        return oid, tag, "2" if link_end in faults.down_links else args[1]
    if kind == "lldp":
        return _hidden(oid, tag, context) if link_end in faults.down_links else (oid, tag, args[1])
    if kind == "lastchange":
        return oid, tag, str(_lastchange(live, name, args[0]))
    raise ValueError(f"unknown yw variation kind {kind!r}")


def _lastchange(live: Any, name: str, if_index: str) -> int:
    device = live.by_name[name]
    faults = live.faults()
    uptime_ticks = int(live.uptime(device) * 100)
    if (name, int(if_index)) in faults.down_links:
        # The link failed when the faults file last changed.
        since = max(0.0, live.faults_mtime - (faults.reboot_epoch.get(name) or live.state.started_at))
        base = 0 if name in faults.reboot_epoch else device.uptime_at_start_s * 100
        return min(uptime_ticks, base + int(since * 100)) % TICKS_WRAP
    if name in faults.reboot_epoch:
        return min(uptime_ticks, INTERFACES_SETTLE_TICKS)
    return _static_lastchange(name, if_index, device.uptime_at_start_s)
