"""The contract every driver keeps (collectors/contract.py), run over every driver and recorded case.

Drivers register in DRIVER_CASES: a name and a callable returning (driver, target) per case. The SSH driver
adds its own cases here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from collectors.contract import Driver, Mode
from collectors.records import DeviceRecord, ErrorKind, Target, to_json
from collectors.snmp import SnmpDriver
from collectors.snmp.replay import ReplayTransport
from tests.collectors.snmp_cases import CASES, TARGET, case_id

MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2})*$")


def _snmp_replay(case: Path) -> tuple[Driver, Target]:
    return SnmpDriver(lambda target, mode: ReplayTransport.from_file(case / "walk.snmprec")), TARGET


DRIVER_CASES: list[tuple[str, Callable[[], tuple[Driver, Target]]]] = [
    (f"snmp:{case_id(case)}", functools.partial(_snmp_replay, case)) for case in CASES
]


def _collect(make: Callable[[], tuple[Driver, Target]], mode: Mode) -> DeviceRecord:
    driver, target = make()
    assert isinstance(driver, Driver)
    return asyncio.run(driver.collect(target, mode=mode))


@pytest.mark.parametrize("mode", ["full", "status"])
@pytest.mark.parametrize(("name", "make"), DRIVER_CASES, ids=[n for n, _ in DRIVER_CASES])
def test_record_keeps_the_contract(name: str, make: Callable[[], tuple[Driver, Target]], mode: Mode) -> None:
    record = _collect(make, mode)
    assert isinstance(record, DeviceRecord)
    assert record.complete is (mode == "full")
    assert record.error is None or isinstance(record.error.kind, ErrorKind)
    json.dumps(to_json(record))  # the probe shape is plain JSON
    indexes = [i.if_index for i in record.interfaces]
    assert indexes == sorted(set(indexes)), "one row per ifIndex, sorted"
    for interface in record.interfaces:
        assert interface.mac is None or MAC.match(interface.mac)
        for value in dataclasses.asdict(interface).values():
            assert value not in ("Unknown", "unknown", -1), "None means unknown"
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.host = "x"  # type: ignore[misc]


@pytest.mark.parametrize(("name", "make"), DRIVER_CASES, ids=[n for n, _ in DRIVER_CASES])
def test_status_poll_leaves_discovery_fields_unknown(name: str, make: Callable[[], tuple[Driver, Target]]) -> None:
    record = _collect(make, "status")
    assert record.system.sys_name is None and record.vendor is None and record.entities == ()
    assert all(i.name is None and i.alias is None for i in record.interfaces)


def test_missing_credentials_is_a_result_not_an_exception() -> None:
    record = asyncio.run(SnmpDriver(lambda t, m: ReplayTransport([])).collect(Target("x", "127.0.0.1"), mode="full"))
    assert record.error is not None and record.error.kind == ErrorKind.UNSUPPORTED


def test_empty_agent_is_malformed() -> None:
    record = asyncio.run(SnmpDriver(lambda t, m: ReplayTransport([])).collect(TARGET, mode="full"))
    assert record.error is not None and record.error.kind == ErrorKind.MALFORMED
