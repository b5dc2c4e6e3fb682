"""Contract suite: every SSH dialect driver, replayed from recorded CLI output (one folder per case).

Adding a folder under fixtures/ssh/<platform>/<case>/ adds a test. Regenerate expected_result.json only on
purpose: UPDATE_GOLDEN=1 pytest tests/collectors/test_ssh_contract.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from collectors.records import DeviceRecord, Target
from collectors.ssh.driver import SshDriver, gather
from collectors.ssh.platforms import driver_for
from collectors.ssh.testing import FixtureSession, load_expected, record_summary

FIXTURES = Path(__file__).parent / "fixtures" / "ssh"
CASES = sorted(p for p in FIXTURES.glob("*/*") if p.is_dir())


def _collect(case: Path) -> tuple[DeviceRecord, FixtureSession]:
    cls = driver_for(case.parent.name)
    assert cls is not None, f"no driver for fixture platform {case.parent.name}"
    session = FixtureSession(case)
    return gather(cls(session), "127.0.0.1", "full"), session


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_driver_matches_recorded_case(case: Path) -> None:
    record, session = _collect(case)
    summary = record_summary(record, session.commands)
    if os.environ.get("UPDATE_GOLDEN"):
        (case / "expected_result.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    assert summary == load_expected(case)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_each_command_is_sent_once_and_config_is_kept(case: Path) -> None:
    record, session = _collect(case)
    assert len(session.commands) == len(set(session.commands))
    assert record.ok and record.config
    assert "Last configuration" not in record.config  # volatile header lines are dropped before hashing
    assert record.interfaces and all(i.name for i in record.interfaces)


def test_every_supported_platform_has_a_fixture() -> None:
    platforms = {c.parent.name for c in CASES}
    assert {"huawei_vrp", "h3c_comware", "cisco_ios", "ruijie_rgos"} <= platforms


def test_driver_collects_through_the_thread_pool_and_closes_the_session() -> None:
    import asyncio

    case = FIXTURES / "huawei_vrp" / "core_switch"
    sessions: list[FixtureSession] = []

    def factory(device_type: str, target: Target) -> FixtureSession:
        assert device_type == "huawei_vrp"  # not plain "huawei": TextFSM would silently return raw text
        sessions.append(FixtureSession(case))
        return sessions[-1]

    from collectors.records import SshCredentials

    driver = SshDriver(session_factory=factory, max_workers=4)
    target = Target(name="kf-core-01", host="127.0.0.1", platform="huawei_vrp", ssh=SshCredentials("u", "p"))
    records = asyncio.run(driver.collect_many([target] * 6, mode="status"))
    driver.close()
    assert [r.ok for r in records] == [True] * 6
    assert all(s.closed for s in sessions) and len(sessions) == 6
    # status mode: facts and interfaces only, no LLDP, no config
    assert records[0].complete is False and records[0].config is None and records[0].neighbors == ()
    assert sessions[0].commands == ["display version", "display interface brief"]  # light: no config, no ESN
    assert records[0].interfaces and records[0].system.sys_uptime_seconds


def test_unparseable_output_is_a_malformed_record(tmp_path: Path) -> None:
    (tmp_path / "display_version.txt").write_text("Welcome to some other box\n")
    from collectors.records import SshCredentials

    driver = SshDriver(session_factory=lambda d, t: FixtureSession(tmp_path))
    target = Target(name="x", host="127.0.0.1", platform="huawei_vrp", ssh=SshCredentials("u", "p"))
    record = driver.collect_blocking(target)
    driver.close()
    assert record.error is not None and record.error.kind == "malformed"


def test_unknown_platform_is_unsupported() -> None:
    from collectors.records import SshCredentials

    driver = SshDriver(session_factory=lambda d, t: pytest.fail("must not connect"))
    target = Target(name="x", host="127.0.0.1", platform="fortios", ssh=SshCredentials("u", "p"))
    record = driver.collect_blocking(target)
    driver.close()
    assert record.error is not None and record.error.kind == "unsupported"
