"""The SNMP driver against the Kaifu lab (snmpsim serving the generated model): what it discovers is the model.

One device per vendor (covering GBK and SNMPv3 too) keeps this fast: the lab's agent costs ~0.3 s CPU per walk.
"""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from collectors.records import DeviceRecord, ErrorKind
from collectors.snmp import DefaultFactory, SnmpDriver, collect_many, collect_one
from lab.topology import LabDevice
from tests.lab_fixture import RunningLab, kaifu_lab, snmp_target  # noqa: F401


def _sample(lab: RunningLab) -> list[LabDevice]:
    chosen: dict[str, LabDevice] = {}
    for device in lab.topology.devices:
        chosen.setdefault(device.vendor, device)
    sample = list(chosen.values())
    for wanted in (lambda d: d.text_encoding == "gbk", lambda d: d.snmp_v3 is not None):
        if not any(wanted(d) for d in sample):
            sample.append(next(d for d in lab.topology.devices if wanted(d)))
    return sample


def _collect(lab: RunningLab, mode: str) -> dict[str, tuple[LabDevice, DeviceRecord]]:
    devices = {d.host: d for d in _sample(lab)}

    async def run() -> list[DeviceRecord]:
        return [r async for r in collect_many([snmp_target(d) for d in devices.values()], mode, concurrency=8)]  # type: ignore[arg-type]

    return {devices[r.host].name: (devices[r.host], r) for r in asyncio.run(run())}


@pytest.fixture(scope="module")
def discovered(kaifu_lab: RunningLab) -> dict[str, tuple[LabDevice, DeviceRecord]]:  # noqa: F811
    return _collect(kaifu_lab, "full")


def test_sample_covers_vendors_encodings_and_v3(kaifu_lab: RunningLab) -> None:  # noqa: F811
    sample = _sample(kaifu_lab)
    assert {d.text_encoding for d in sample} == {"utf-8", "gbk"}
    assert any(d.snmp_v3 for d in sample) and len({d.vendor for d in sample}) >= 4


def test_discovered_facts_match_the_model(discovered: dict[str, tuple[LabDevice, DeviceRecord]]) -> None:
    for name, (device, record) in discovered.items():
        assert record.error is None, name
        got = (record.system.sys_name, record.vendor, record.model, record.serial, record.system.sys_location)
        assert got == (device.name, device.vendor, device.model, device.serial, device.sys_location), name
        # Comware: the lab's model keeps the release only; SNMP and SSH report "7.1.070 Release 1125P03"
        assert record.os_version is not None and record.os_version.endswith(device.os_version), name


def test_discovered_interfaces_match_the_model(discovered: dict[str, tuple[LabDevice, DeviceRecord]]) -> None:
    for name, (device, record) in discovered.items():
        got = {i.if_index: (i.name, i.descr, i.alias, i.type, i.mtu, i.speed_bps, i.mac, i.admin_status)
               for i in record.interfaces}  # fmt: skip
        expected = {i.if_index: (i.name, i.descr, i.alias, i.type, i.mtu, i.speed_bps, i.mac or None,
                                 1 if i.admin_up else 2) for i in device.interfaces}  # fmt: skip
        assert got == expected, name


def test_lldp_neighbours_match_the_links(
    kaifu_lab: RunningLab,  # noqa: F811
    discovered: dict[str, tuple[LabDevice, DeviceRecord]],
) -> None:
    for name, (_, record) in discovered.items():
        got = sorted((n.local_if_index, n.remote_sys_name) for n in record.neighbors)
        expected = sorted((local.if_index, remote.name) for local, remote, _ in kaifu_lab.topology.neighbors_of(name))
        assert got == expected, name


def test_status_poll_of_the_lab(kaifu_lab: RunningLab) -> None:  # noqa: F811
    for name, (device, record) in _collect(kaifu_lab, "status").items():
        assert record.error is None and record.complete is False, name
        assert [i.if_index for i in record.interfaces] == sorted(i.if_index for i in device.interfaces), name
        assert all(isinstance(i.in_octets, int) for i in record.interfaces), name


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("device", ErrorKind.TIMEOUT), ("malformed", ErrorKind.MALFORMED), ("credentials", None), ("link", None)],
)
def test_lab_faults_give_the_right_result(kaifu_lab: RunningLab, kind: str, expected: ErrorKind | None) -> None:  # noqa: F811
    device = next(d for d in kaifu_lab.topology.devices if d.snmp_community and d.role == "access")
    target = dataclasses.replace(snmp_target(device), timeout_seconds=1, retries=0)
    uplink = kaifu_lab.topology.neighbors_of(device.name)[0][0].if_index
    kaifu_lab.fail(kind, f"{device.name}:{uplink}" if kind == "link" else device.name)
    try:
        for mode in ("full", "status"):
            record = asyncio.run(collect_one(SnmpDriver(DefaultFactory()), target, mode))  # type: ignore[arg-type]
            if kind == "credentials":  # v2c: a wrong community is dropped, like a dead device
                assert record.error is not None and record.error.kind in (ErrorKind.TIMEOUT, ErrorKind.AUTH)
            elif kind == "link":
                assert record.error is None
                assert next(i for i in record.interfaces if i.if_index == uplink).oper_status == 2
            else:
                assert record.error is not None and record.error.kind == expected, (mode, record.error)
    finally:
        kaifu_lab.heal()
    healed = asyncio.run(collect_one(SnmpDriver(DefaultFactory()), target, "status"))
    assert healed.error is None
