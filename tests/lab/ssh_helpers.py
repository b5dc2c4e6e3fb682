"""Helpers shared by the SSH simulator tests: a lab context without a server, and expected values."""

from __future__ import annotations

from functools import cache

from lab.ssh.model import DeviceView
from lab.ssh.view import LabContext, oper_up
from lab.state import Faults, LabState
from lab.topology import LabDevice, Topology, build_topology

STARTED_AT = 1_790_000_000.0


@cache
def kaifu() -> Topology:
    return build_topology("kaifu")


def context(faults: Faults | None = None) -> LabContext:
    topology = kaifu()
    fixed = faults or Faults()
    return LabContext(topology, LabState("kaifu", topology.seed, STARTED_AT), lambda: fixed)


def view_of(name: str, faults: Faults | None = None) -> DeviceView:
    return context(faults).view(name, now=STARTED_AT + 3600)


def devices_of(platform: str) -> list[LabDevice]:
    return [d for d in kaifu().devices if d.platform == platform]


def expected_neighbors(name: str, faults: Faults | None = None) -> list[tuple[str, str, str]]:
    """(local ifName, remote sysName, remote ifName) of every live link of `name`."""
    down = (faults or Faults()).down_links
    return [
        (local.name, peer.name, remote.name)
        for local, peer, remote in kaifu().neighbors_of(name)
        if (name, local.if_index) not in down and (peer.name, remote.if_index) not in down
    ]


def expected_oper(device: LabDevice, faults: Faults | None = None) -> dict[str, bool]:
    return {i.name: oper_up(kaifu(), device, i, faults or Faults()) for i in device.interfaces}
