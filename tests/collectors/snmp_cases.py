"""The recorded-walk cases under fixtures/snmp/<vendor>/<case>/: adding a folder adds a test."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from collectors.contract import Mode
from collectors.records import DeviceRecord, SnmpCredentials, Target
from collectors.snmp import SnmpDriver
from collectors.snmp.replay import ReplayTransport

FIXTURES = Path(__file__).parent / "fixtures" / "snmp"
CASES = sorted(p.parent for p in FIXTURES.glob("*/*/walk.snmprec"))
TARGET = Target(name="dev", host="127.0.0.1", snmp=SnmpCredentials(community="public"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def replay(case: Path, mode: Mode) -> tuple[DeviceRecord, ReplayTransport]:
    transport = ReplayTransport.from_file(case / "walk.snmprec")
    record = asyncio.run(SnmpDriver(lambda target, m: transport).collect(TARGET, mode=mode))
    return record, transport


def status_json(record: DeviceRecord) -> dict[str, Any]:
    keys: tuple[str, ...] = ("if_index", "admin_status", "oper_status", "last_change", "speed_bps")
    keys += ("in_octets", "out_octets", "in_errors", "out_errors")
    return {
        "sys_uptime_seconds": record.system.sys_uptime_seconds,
        "complete": record.complete,
        "interfaces": [{k: getattr(i, k) for k in keys} for i in record.interfaces],
        "error": None if record.error is None else {"kind": str(record.error.kind), "message": record.error.message},
    }


def golden(path: Path, got: Any) -> Any:
    """The stored expectation; with UPDATE_GOLDEN=1 it is rewritten from `got` first."""
    if UPDATE or not path.exists():
        if not UPDATE:
            raise AssertionError(f"{path} missing: run with UPDATE_GOLDEN=1 and review the diff")
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))
