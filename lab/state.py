"""Runtime state of a running lab, shared by the SNMP and SSH simulators so both protocols agree.

A state dir (default ``<repo>/var/lab``, or ``$YUNWANG_LAB_DIR``) holds:
- ``topology.json``: ``{"profile": "kaifu", "seed": 20260101, "started_at": 1790000000.0}``
- ``faults.json``: the faults in force (see `Faults`), written atomically so readers never see half a file.
- pid files and logs of the lab's daemons, and the generated SNMP data.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lab.topology import LabDevice, Topology, build_topology

REPO_DIR = Path(__file__).resolve().parent.parent


def default_state_dir() -> Path:
    return Path(os.environ.get("YUNWANG_LAB_DIR") or REPO_DIR / "var" / "lab")


@dataclass(frozen=True)
class LabState:
    profile: str
    seed: int
    started_at: float  # epoch seconds when `lab up` ran: uptimes count from here


@dataclass(frozen=True)
class Faults:
    """Faults in force. Link ends are (device, ifIndex); a failed link lists both of its ends."""

    down_devices: set[str] = field(default_factory=set)
    down_links: set[tuple[str, int]] = field(default_factory=set)
    slow_devices: dict[str, int] = field(default_factory=dict)  # device -> added latency in ms
    malformed_devices: set[str] = field(default_factory=set)
    bad_credentials: set[str] = field(default_factory=set)  # the device's community/keys/password changed
    reboot_epoch: dict[str, float] = field(default_factory=dict)  # device -> epoch seconds of its last reboot

    def to_json(self) -> dict[str, Any]:
        return {
            "down_devices": sorted(self.down_devices),
            "down_links": sorted([d, i] for d, i in self.down_links),
            "slow_devices": dict(sorted(self.slow_devices.items())),
            "malformed_devices": sorted(self.malformed_devices),
            "bad_credentials": sorted(self.bad_credentials),
            "reboot_epoch": dict(sorted(self.reboot_epoch.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Faults:
        return cls(
            down_devices=set(data.get("down_devices", ())),
            down_links={(str(d), int(i)) for d, i in data.get("down_links", ())},
            slow_devices={str(k): int(v) for k, v in data.get("slow_devices", {}).items()},
            malformed_devices=set(data.get("malformed_devices", ())),
            bad_credentials=set(data.get("bad_credentials", ())),
            reboot_epoch={str(k): float(v) for k, v in data.get("reboot_epoch", {}).items()},
        )

    def affected_devices(self) -> set[str]:
        """Devices whose served data differs from the healthy lab."""
        return (
            self.down_devices
            | {d for d, _ in self.down_links}
            | set(self.slow_devices)
            | self.malformed_devices
            | self.bad_credentials
            | set(self.reboot_epoch)
        )


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)  # atomic: readers see the old or the new file, never half of one


def read_state(state_dir: Path | str) -> LabState | None:
    path = Path(state_dir) / "topology.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return LabState(str(data["profile"]), int(data["seed"]), float(data["started_at"]))


def write_state(state_dir: Path | str, state: LabState) -> None:
    data = {"profile": state.profile, "seed": state.seed, "started_at": state.started_at}
    _write_json(Path(state_dir) / "topology.json", data)


def read_faults(state_dir: Path | str) -> Faults:
    path = Path(state_dir) / "faults.json"
    if not path.exists():
        return Faults()
    return Faults.from_json(json.loads(path.read_text(encoding="utf-8")))


def write_faults(state_dir: Path | str, faults: Faults) -> None:
    _write_json(Path(state_dir) / "faults.json", faults.to_json())


def load_topology(state_dir: Path | str) -> Topology | None:
    """The topology of the lab whose state is in `state_dir` (None when no lab was brought up there)."""
    state = read_state(state_dir)
    return build_topology(state.profile, state.seed) if state else None


def uptime_seconds(device: LabDevice, state: LabState, faults: Faults, now: float | None = None) -> float:
    """The device's uptime now: since its last injected reboot, or its uptime at lab start plus the time since."""
    now = time.time() if now is None else now
    rebooted = faults.reboot_epoch.get(device.name)
    if rebooted is not None:
        return max(0.0, now - rebooted)
    return device.uptime_at_start_s + max(0.0, now - state.started_at)


def link_is_down(faults: Faults, device: str, if_index: int) -> bool:
    return (device, if_index) in faults.down_links
