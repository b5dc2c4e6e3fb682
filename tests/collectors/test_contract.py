"""The contract every driver keeps (collectors/contract.py), run over every driver and recorded case.

Drivers register in DRIVER_CASES: a name and a callable returning (driver, target) per case: the SNMP driver over
each recorded walk (tests/collectors/fixtures/snmp), the SSH driver over each recorded CLI case
(tests/collectors/fixtures/ssh/<platform>/<case>; its golden-file checks are in test_ssh_contract.py).
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
from collectors.records import DeviceRecord, ErrorKind, SshCredentials, Target, to_json
from collectors.snmp import SnmpDriver
from collectors.snmp.replay import ReplayTransport
from collectors.ssh.driver import SshDriver
from collectors.ssh.testing import FixtureSession
from tests.collectors.snmp_cases import CASES, TARGET, case_id

MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2})*$")


def _snmp_replay(case: Path) -> tuple[Driver, Target]:
    return SnmpDriver(lambda target, mode: ReplayTransport.from_file(case / "walk.snmprec")), TARGET


SSH_CASES = sorted(p for p in (Path(__file__).parent / "fixtures" / "ssh").glob("*/*") if p.is_dir())


def _ssh_replay(case: Path) -> tuple[Driver, Target]:
    driver = SshDriver(max_workers=1, session_factory=lambda device_type, target: FixtureSession(case))
    target = Target("x", "127.0.0.1", ssh=SshCredentials("netops", "pw"), platform=case.parent.name)
    return driver, target


DRIVER_CASES: list[tuple[str, Callable[[], tuple[Driver, Target]]]] = [
    *((f"snmp:{case_id(case)}", functools.partial(_snmp_replay, case)) for case in CASES),
    *((f"ssh:{case.parent.name}/{case.name}", functools.partial(_ssh_replay, case)) for case in SSH_CASES),
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
    assert record.system.sys_descr is None and record.model is None and record.config is None
    assert record.interfaces, "the status poll's point: port status"
    assert all(i.alias is None and i.descr is None and i.mac is None for i in record.interfaces)
    # Ports are keyed by ifIndex over SNMP (no names in a status poll); SSH has only names to key them by.
    assert all((i.name is None) == (record.source == "snmp") for i in record.interfaces)


def test_missing_credentials_is_a_result_not_an_exception() -> None:
    record = asyncio.run(SnmpDriver(lambda t, m: ReplayTransport([])).collect(Target("x", "127.0.0.1"), mode="full"))
    assert record.error is not None and record.error.kind == ErrorKind.UNSUPPORTED


def test_empty_agent_is_malformed() -> None:
    record = asyncio.run(SnmpDriver(lambda t, m: ReplayTransport([])).collect(TARGET, mode="full"))
    assert record.error is not None and record.error.kind == ErrorKind.MALFORMED
