"""Fault injection: each operation rewrites ``faults.json`` atomically; the SNMP agent and the SSH simulator pick
the change up on their next request (no restart)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from lab.state import Faults, read_faults, write_faults
from lab.topology import Topology


class FaultError(ValueError):
    """A fault names a device or link the topology does not have."""


def _check_device(topo: Topology, name: str) -> None:
    try:
        topo.device(name)
    except KeyError:
        raise FaultError(f"no device {name!r} in the {topo.profile} lab") from None


def link_ends(topo: Topology, device: str, if_index: int) -> set[tuple[str, int]]:
    """Both ends of the link on (device, ifIndex)."""
    _check_device(topo, device)
    link = topo.link_of(device, if_index)
    if link is None:
        raise FaultError(f"{device} ifIndex {if_index} has no link")
    return {(link.a_device, link.a_if_index), (link.b_device, link.b_if_index)}


def parse_link(spec: str) -> tuple[str, int]:
    """'KF-AGG-01:4' -> ('KF-AGG-01', 4)."""
    name, _, index = spec.rpartition(":")
    if not name or not index.isdigit():
        raise FaultError(f"link must be DEVICE:IFINDEX, got {spec!r}")
    return name, int(index)


def fail(state_dir: Path, topo: Topology, kind: str, target: str, ms: int | None = None) -> Faults:
    """Inject a fault. kind: device, link, slow, malformed, reboot, credentials."""
    f = read_faults(state_dir)
    if kind == "link":
        new = dataclasses.replace(f, down_links=f.down_links | link_ends(topo, *parse_link(target)))
    else:
        _check_device(topo, target)
        new = _device_fault(f, kind, target, ms)
    write_faults(state_dir, new)
    return new


def _device_fault(f: Faults, kind: str, name: str, ms: int | None) -> Faults:
    if kind == "device":
        return dataclasses.replace(f, down_devices=f.down_devices | {name})
    if kind == "slow":
        if not ms or ms <= 0:
            raise FaultError("slow needs --ms N (N > 0)")
        return dataclasses.replace(f, slow_devices={**f.slow_devices, name: ms})
    if kind == "malformed":
        return dataclasses.replace(f, malformed_devices=f.malformed_devices | {name})
    if kind == "reboot":
        return dataclasses.replace(f, reboot_epoch={**f.reboot_epoch, name: time.time()})
    if kind == "credentials":
        return dataclasses.replace(f, bad_credentials=f.bad_credentials | {name})
    raise FaultError(f"unknown fault kind {kind!r}")


def heal(state_dir: Path, topo: Topology, target: str = "all") -> Faults:
    """Heal faults: 'all', a device name (all its device faults), or a link 'DEVICE:IFINDEX'.

    A reboot is not undone (the device did restart; its uptime keeps counting from then)."""
    f = read_faults(state_dir)
    if target == "all":
        new = Faults(reboot_epoch=dict(f.reboot_epoch))
    elif ":" in target:
        new = dataclasses.replace(f, down_links=f.down_links - link_ends(topo, *parse_link(target)))
    else:
        _check_device(topo, target)
        new = dataclasses.replace(
            f,
            down_devices=f.down_devices - {target},
            slow_devices={k: v for k, v in f.slow_devices.items() if k != target},
            malformed_devices=f.malformed_devices - {target},
            bad_credentials=f.bad_credentials - {target},
        )
    write_faults(state_dir, new)
    return new
