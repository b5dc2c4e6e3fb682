"""The real wire paths (pysnmp for discovery, gufo-snmp for status) against snmpsim on loopback.

The agent serves the same recorded walks as the replay contract suite, so the live records must equal the
golden files: the transports add nothing and lose nothing.
"""

from __future__ import annotations

import asyncio
import io
import json
import time

import pytest
from django.core.management import CommandError, call_command

from collectors.contract import Mode
from collectors.records import DeviceRecord, ErrorKind, SnmpCredentials, Target, to_json
from collectors.snmp import DefaultFactory, SnmpDriver, collect_many
from tests.collectors.conftest import V2C_FILES, V3_AUTH, V3_LOCATION, V3_PRIV, V3_SYS_NAME, V3_USER, V3_USERS, SnmpSim
from tests.collectors.snmp_cases import FIXTURES, status_json


def _collect(target: Target, mode: Mode, backend: str = "pysnmp") -> DeviceRecord:
    async def run() -> DeviceRecord:
        factory = DefaultFactory(full="pysnmp", status=backend)  # type: ignore[arg-type]
        try:
            return await SnmpDriver(factory).collect(target, mode=mode)
        finally:
            factory.close()

    return asyncio.run(run())


def _golden(case: str, name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((FIXTURES / case / name).read_text(encoding="utf-8"))
    return data


def _v2c(sim: SnmpSim, community: str, **kw: float) -> Target:
    creds = SnmpCredentials(community=community)
    return Target(name=community, host=sim.v2c_host, snmp_port=sim.port, snmp=creds, timeout_seconds=2, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("community", sorted(V2C_FILES))
def test_v2c_discovery_over_pysnmp_matches_the_recording(snmpsim: SnmpSim, community: str) -> None:
    record = _collect(_v2c(snmpsim, community), "full")
    expected = _golden(V2C_FILES[community], "expected_result.json") | {"host": snmpsim.v2c_host}
    assert to_json(record) == expected


@pytest.mark.parametrize("backend", ["gufo", "pysnmp"])
def test_v2c_status_poll_matches_the_recording(snmpsim: SnmpSim, backend: str) -> None:
    record = _collect(_v2c(snmpsim, "kf-core-c0mm"), "status", backend)
    assert status_json(record) == _golden(V2C_FILES["kf-core-c0mm"], "expected_status.json")


def _v3(sim: SnmpSim, user: str) -> Target:
    auth, auth_key, priv, priv_key = V3_USERS[user]
    creds = SnmpCredentials(version="3", user=user, auth_proto=auth, auth_key=auth_key, priv_proto=priv,  # type: ignore[arg-type]
                            priv_key=priv_key)  # fmt: skip
    return Target(name=user, host=sim.v3_host, snmp_port=sim.port, snmp=creds, timeout_seconds=2)


MODES = ("full", "status")
# pysnmp derives v3 keys in Python (~1 s CPU per user and engine, cached after): keep its matrix small.
V3_MATRIX = [
    (user, mode, "gufo" if mode == "status" else "pysnmp") for user in sorted(V3_USERS) for mode in ("full", "status")
]
V3_MATRIX.append((V3_USER, "status", "pysnmp"))


@pytest.mark.parametrize(("user", "mode", "backend"), V3_MATRIX)
def test_v3_device_over_snmpd(snmpsim: SnmpSim, user: str, mode: Mode, backend: str) -> None:
    """authPriv SHA/AES, authPriv SHA-256/DES and authNoPriv MD5, on both wire libraries."""
    record = _collect(_v3(snmpsim, user), mode, backend)
    assert record.error is None
    loopback = next(i for i in record.interfaces if i.if_index == 1)
    assert loopback.oper_status == 1 and isinstance(loopback.in_octets, int)
    assert record.system.sys_uptime_seconds is not None and record.system.sys_uptime_seconds >= 0
    if mode == "full":
        assert (record.system.sys_name, record.system.sys_location) == (V3_SYS_NAME, V3_LOCATION)
        assert record.vendor == "netsnmp" and loopback.name == "lo" and loopback.type == 24
    else:
        assert record.complete is False and loopback.name is None


def test_status_and_full_agree_on_the_interfaces(snmpsim: SnmpSim) -> None:
    full = _collect(_v3(snmpsim, V3_USER), "full")
    status = _collect(_v3(snmpsim, V3_USER), "status", "gufo")
    assert [i.if_index for i in full.interfaces] == [i.if_index for i in status.interfaces]
    assert [i.admin_status for i in full.interfaces] == [i.admin_status for i in status.interfaces]


@pytest.mark.parametrize(("mode", "backend"), [("full", "pysnmp"), ("status", "gufo")])
def test_wrong_v3_auth_key_is_an_auth_error(snmpsim: SnmpSim, mode: Mode, backend: str) -> None:
    creds = SnmpCredentials(version="3", user=V3_USER, auth_proto="SHA", auth_key="not-the-key", priv_proto="AES",
                            priv_key=V3_PRIV)  # fmt: skip
    target = Target(name="v3", host=snmpsim.v3_host, snmp_port=snmpsim.port, snmp=creds, timeout_seconds=1)
    record = _collect(target, mode, backend)
    assert record.error is not None and record.error.kind == ErrorKind.AUTH
    assert "not-the-key" not in repr(record)


def test_no_agent_times_out_in_about_the_timeout(snmpsim: SnmpSim) -> None:
    target = Target(name="dead", host=snmpsim.blackhole_host, snmp_port=snmpsim.blackhole_port,
                    snmp=SnmpCredentials(community="x"), timeout_seconds=0.4, retries=1)  # fmt: skip

    async def run() -> tuple[DeviceRecord, float]:
        factory = DefaultFactory()
        factory(target, "full")  # start the pysnmp engine outside the timing
        started = time.monotonic()
        try:
            return await SnmpDriver(factory).collect(target, mode="full"), time.monotonic() - started
        finally:
            factory.close()

    record, elapsed = asyncio.run(run())
    assert record.error is not None and record.error.kind == ErrorKind.TIMEOUT
    assert 0.75 <= elapsed < 0.8 + 3.0, elapsed  # 0.4 s x (1 + 1 retry); slack for a CPU-starved 2-core machine


def test_closed_port_is_refused_on_the_status_path(snmpsim: SnmpSim) -> None:
    target = _v2c(snmpsim, "kf-core-c0mm")
    closed = Target(name="closed", host="127.77.0.4", snmp_port=snmpsim.port, snmp=target.snmp, timeout_seconds=1)
    record = _collect(closed, "status", "gufo")
    assert record.error is not None and record.error.kind == ErrorKind.REFUSED


def test_collect_many_dead_devices_do_not_delay_the_rest(snmpsim: SnmpSim) -> None:
    dead = Target(name="dead", host=snmpsim.blackhole_host, snmp_port=snmpsim.blackhole_port,
                  snmp=SnmpCredentials(community="x"), timeout_seconds=3.0, retries=0)  # fmt: skip
    good = [_v2c(snmpsim, c) for c in sorted(V2C_FILES)]
    targets = [dead, dead, *good]

    async def run() -> list[tuple[float, DeviceRecord]]:
        started = time.monotonic()
        return [(time.monotonic() - started, r) async for r in collect_many(targets, "status", concurrency=4)]

    results = asyncio.run(run())
    assert len(results) == len(targets)
    ok = [t for t, r in results if r.ok]
    failed = [r.error.kind for _, r in results if r.error is not None]
    assert len(ok) == len(good) and failed == [ErrorKind.TIMEOUT, ErrorKind.TIMEOUT]
    # Two slots sit on the dead devices for their 3 s each, in parallel; the others keep polling meanwhile.
    assert results[0][1].ok, "the first result is a good device, not one stuck behind a dead one"
    dead_durations = [r.duration_seconds or 0 for _, r in results if not r.ok]
    assert all(3.0 <= d < 3.0 + 2.0 for d in dead_durations), dead_durations
    good_work = sum(r.duration_seconds or 0 for _, r in results if r.ok)
    assert results[-1][0] < 3.0 + good_work + 1.0, "dead devices overlapped with good ones, not serialized"


def test_probe_command_prints_the_probe_json_without_secrets(snmpsim: SnmpSim) -> None:
    out = io.StringIO()
    call_command("probe", snmpsim.v2c_host, "--port", str(snmpsim.port), "--community", "kf-gbk-c0mm", "--json",
                 stdout=out)  # fmt: skip
    expected = _golden(V2C_FILES["kf-gbk-c0mm"], "expected_result.json") | {"host": snmpsim.v2c_host}
    assert json.loads(out.getvalue()) == expected
    assert "kf-gbk-c0mm" not in out.getvalue()


def test_probe_command_readable_summary_and_failure_exit(snmpsim: SnmpSim) -> None:
    out = io.StringIO()
    call_command("probe", snmpsim.v3_host, "--port", str(snmpsim.port), "--v3-user", V3_USER, "--auth-proto", "SHA",
                 "--auth-key", V3_AUTH, "--priv-proto", "AES", "--priv-key", V3_PRIV, stdout=out)  # fmt: skip
    text = out.getvalue()
    assert V3_SYS_NAME in text and V3_LOCATION in text and "netsnmp" in text and " lo " in text
    assert V3_AUTH not in text and V3_PRIV not in text
    with pytest.raises(CommandError) as failure:
        call_command("probe", snmpsim.v3_host, "--port", str(snmpsim.port), "--v3-user", V3_USER, "--auth-proto",
                     "SHA", "--auth-key", "wrong-key-123", "--timeout", "1", stdout=io.StringIO())  # fmt: skip
    assert "auth" in str(failure.value) and "wrong-key-123" not in str(failure.value)


def test_mixed_v3_credentials_in_flight_together(snmpsim: SnmpSim) -> None:
    """Several v3 key sets at once through one factory (pysnmp: one engine per credential set)."""
    targets = [_v3(snmpsim, user) for user in (V3_USER, "kfsha256")] * 2

    async def run() -> list[DeviceRecord]:
        return [r async for r in collect_many(targets, "full", concurrency=len(targets))]

    records = asyncio.run(run())
    assert [r.error for r in records] == [None] * len(targets)
    assert {r.system.sys_name for r in records} == {V3_SYS_NAME}
