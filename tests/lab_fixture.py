"""A running Kaifu lab for any test package: ``from tests.lab_fixture import kaifu_lab  # noqa: F401``.

Session-scoped and shared: however many test packages import the fixture, one lab runs (SNMP on 127.20.x.y:161,
and SSH when the simulator is present) in a temporary state dir, and it stops when the last user is done.
The daemons also die with the pytest process (PR_SET_PDEATHSIG), so a crashed run leaves nothing behind.

Example::

    def test_core_answers(kaifu_lab):
        core = kaifu_lab.topology.device("KF-CORE-02")
        ...  # talk SNMP to core.host with core.snmp_community
        kaifu_lab.fail("device", "KF-CORE-02")   # faults apply by the next request
        kaifu_lab.heal()
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from collectors.records import SnmpCredentials, Target
from lab import runner
from lab.faults import fail, heal
from lab.state import read_faults
from lab.topology import DEFAULT_SEED, LabDevice, Topology, build_topology

FAULT_SETTLE_S = 0.12  # the agent re-reads faults.json at most every 50 ms


@dataclass(frozen=True)
class RunningLab:
    state_dir: Path
    topology: Topology
    daemons: tuple[str, ...]

    def fail(self, kind: str, target: str, ms: int | None = None) -> None:
        fail(self.state_dir, self.topology, kind, target, ms)
        time.sleep(FAULT_SETTLE_S)

    def heal(self, target: str = "all") -> None:
        heal(self.state_dir, self.topology, target)
        time.sleep(FAULT_SETTLE_S)

    def has_faults(self) -> bool:
        f = read_faults(self.state_dir)
        return bool(f.down_devices or f.down_links or f.slow_devices or f.malformed_devices or f.bad_credentials)


_lab: RunningLab | None = None
_users = 0


def start_kaifu_lab() -> RunningLab:
    global _lab, _users
    if _lab is None:
        state_dir = Path(tempfile.mkdtemp(prefix="yunwang-lab-"))
        try:
            result = runner.up(state_dir, "kaifu", DEFAULT_SEED, exit_with_parent=True)
        except Exception:
            shutil.rmtree(state_dir, ignore_errors=True)
            raise
        _lab = RunningLab(state_dir, build_topology("kaifu", DEFAULT_SEED), result.daemons)
    _users += 1
    return _lab


def stop_kaifu_lab() -> None:
    global _lab, _users
    _users -= 1
    if _users <= 0 and _lab is not None:
        runner.down(_lab.state_dir)
        shutil.rmtree(_lab.state_dir, ignore_errors=True)
        _lab = None


@pytest.fixture(scope="session")
def kaifu_lab() -> Iterator[RunningLab]:
    lab = start_kaifu_lab()
    try:
        yield lab
    finally:
        stop_kaifu_lab()


def snmp_target(device: LabDevice) -> Target:
    """The collector's target for a lab device: its v2c community or its v3 user and keys."""
    if device.snmp_community:
        creds = SnmpCredentials(community=device.snmp_community)
    else:
        assert device.snmp_v3 is not None
        user, auth, auth_key, priv, priv_key = device.snmp_v3
        creds = SnmpCredentials(version="3", user=user, auth_proto=auth, auth_key=auth_key,  # type: ignore[arg-type]
                                priv_proto=priv, priv_key=priv_key)  # type: ignore[arg-type]  # fmt: skip
    return Target(name=device.name, host=device.host, snmp=creds, timeout_seconds=5, retries=1)
