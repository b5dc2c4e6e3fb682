"""Live view of a running lab inside the SNMP agent process: topology, start time and the faults in force.

The faults file is re-read when its mtime changes (checked at most every 50 ms), so a `lab fail ...` takes effect
on the next request without restarting anything. Only stdlib and lab modules: it runs inside snmpsim's process.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from lab.state import Faults, LabState, read_faults, read_state, uptime_seconds
from lab.topology import LabDevice, build_topology

CHECK_EVERY_S = 0.05


class Live:
    def __init__(self, state_dir: Path) -> None:
        state = read_state(state_dir)
        if state is None:
            raise SystemExit(f"no lab state in {state_dir} (run `manage.py lab up`)")
        self.state_dir = state_dir
        self.state: LabState = state
        self.topology = build_topology(state.profile, state.seed)
        self.by_name = {d.name: d for d in self.topology.devices}
        self.by_host = {d.host: d for d in self.topology.devices}
        self._faults = Faults()
        self.faults_mtime = 0.0
        self._checked = 0.0
        self.faults()

    def faults(self) -> Faults:
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY_S:
            return self._faults
        self._checked = now
        try:
            mtime = os.stat(self.state_dir / "faults.json").st_mtime
        except FileNotFoundError:
            mtime = 0.0
        if mtime != self.faults_mtime:
            self.faults_mtime = mtime
            self._faults = read_faults(self.state_dir)
        return self._faults

    def uptime(self, device: LabDevice) -> float:
        return uptime_seconds(device, self.state, self.faults())


_LIVE: Live | None = None


def set_live(live: Live) -> None:
    global _LIVE
    _LIVE = live


def get_live() -> Live:
    if _LIVE is None:
        raise RuntimeError("lab.snmplive used outside the lab SNMP agent")
    return _LIVE
