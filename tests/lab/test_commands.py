"""manage.py lab up/status/fail/heal/down, and no process left behind."""

from __future__ import annotations

import os
import signal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inventory import models as m
from lab.runner import daemon_pid, down
from lab.state import read_faults


def _lab(state_dir: Path, *args: str) -> str:
    out = StringIO()
    call_command("lab", "--state-dir", str(state_dir), *args, stdout=out)
    return out.getvalue()


def _processes_serving(state_dir: Path) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if str(state_dir).encode() in cmdline:
                found.append(int(entry))
    return found


@pytest.mark.django_db
def test_up_fail_heal_down_leaves_no_process(tmp_path: Path) -> None:
    state_dir = tmp_path / "lab"
    try:
        out = _lab(state_dir, "up", "--profile", "scale:3", "--no-ssh", "--load-inventory")
        assert "3 devices" in out and "inventory loaded" in out
        assert set(m.Device.objects.values_list("name", flat=True)) == {"SC-CORE-01", "SC-CORE-02", "SC-AGG-0001"}
        pid = daemon_pid(state_dir, "snmp")
        assert pid is not None and pid in _processes_serving(state_dir)
        assert "snmp pid" in _lab(state_dir, "status")

        _lab(state_dir, "fail", "slow", "SC-CORE-01", "--ms", "250")
        _lab(state_dir, "fail", "link", "SC-CORE-01:4")
        faults = read_faults(state_dir)
        assert faults.slow_devices == {"SC-CORE-01": 250} and ("SC-CORE-02", 4) in faults.down_links
        with pytest.raises(CommandError):
            _lab(state_dir, "fail", "device", "NO-SUCH-DEVICE")
        _lab(state_dir, "heal", "all")
        assert not read_faults(state_dir).down_links

        # A crash leaves a stale pid file; the next `lab up` cleans it and starts afresh.
        os.kill(pid, signal.SIGKILL)
        assert "snmp stopped" in _lab(state_dir, "status") or daemon_pid(state_dir, "snmp") is None
        _lab(state_dir, "up", "--profile", "scale:3", "--no-ssh")
        assert daemon_pid(state_dir, "snmp") not in (None, pid)

        assert "snmp" in _lab(state_dir, "down")
        assert _processes_serving(state_dir) == []
        assert daemon_pid(state_dir, "snmp") is None
    finally:  # a failed assertion must not leave a daemon holding the lab's addresses
        down(state_dir)
