"""The Huawei NE40E-X8 county routers of the Linyi lab, and what the collectors make of them.

The topology and rendering checks need no network. The SNMP and SSH checks collect from a real Linyi lab (snmpsim
and the SSH simulator, every device on its own address) brought up once for this module at 127.93.x.y, a base no
other test uses, so it runs beside a Kaifu lab, a demo or another worktree's tests.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from collectors import vendors
from collectors.records import DeviceRecord, SshCredentials, Target
from collectors.snmp import DefaultFactory, SnmpDriver, collect_one
from collectors.ssh.driver import SshDriver
from collectors.ssh.hostkeys import MemoryHostKeyStore
from collectors.ssh.normalize import uptime_seconds
from collectors.ssh.session import Timeouts
from lab import runner
from lab.ssh import vrp
from lab.ssh.view import LabContext
from lab.state import Faults, LabState
from lab.topology import DEFAULT_SEED, LabDevice, Topology, build_topology
from tests.lab_fixture import snmp_target

MODEL, SYS_OBJECT_ID, RELEASE = "NE40E-X8", "1.3.6.1.4.1.2011.2.62.2.9", "V800R011C00SPC200"
LAB_BASE = "93"  # 127.93.x.y: no other test's lab lives there
COUNTY_ROUTER = re.compile(r"LY-\d\d-CORE")
TEN_GE, GE = 10_000_000_000, 1_000_000_000
STARTED_AT = 1_790_000_000.0


def _routers(topology: Topology) -> list[LabDevice]:
    return [d for d in topology.devices if COUNTY_ROUTER.fullmatch(d.name)]


@pytest.fixture(scope="module")
def linyi() -> Topology:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("YUNWANG_LAB_ADDRESS_BASE", raising=False)
        return build_topology("linyi")


def test_every_county_router_is_an_ne40e_x8(linyi: Topology) -> None:
    routers = _routers(linyi)
    assert len(routers) == 13  # Linyi's 3 districts, 9 counties and its high-tech zone (371371)
    for d in routers:
        assert (d.vendor, d.platform, d.model, d.sys_object_id, d.os_version) == (
            "huawei", "huawei_vrp", MODEL, SYS_OBJECT_ID, RELEASE
        ), d.name  # fmt: skip
        assert d.chassis_mac.startswith("00:e0:fc") and re.fullmatch(r"2102[0-9A-Z]{16}", d.serial), d.name
        assert f"(NE40E {RELEASE})" in d.sys_descr and f"HUAWEI {MODEL}" in d.sys_descr
        assert d.area_code[6:] == "000000" and d.area_code != "371300000000", d.name
    assert {d.model for d in linyi.devices if not COUNTY_ROUTER.fullmatch(d.name)}.isdisjoint({MODEL})


def test_county_routers_uplink_at_10g_and_serve_towns_at_ge(linyi: Topology) -> None:
    for router in _routers(linyi):
        ends = {peer.name: (local.name, local.speed_bps) for local, peer, _ in linyi.neighbors_of(router.name)}
        for core in ("LY-CORE-01", "LY-CORE-02"):
            name, speed = ends.pop(core)
            assert re.fullmatch(r"GigabitEthernet1/[01]/[0-3]", name) and speed == TEN_GE, (router.name, core)
        assert ends, router.name  # every county has townships
        for town, (name, speed) in ends.items():
            assert town.endswith("-AGG") and re.fullmatch(r"GigabitEthernet2/[01]/\d+", name) and speed == GE


def test_kaifu_has_no_ne_router() -> None:
    kaifu = build_topology("kaifu")
    assert MODEL not in {d.model for d in kaifu.devices}


def test_sys_descr_alone_gives_model_and_release(linyi: Topology) -> None:
    router = _routers(linyi)[0]
    vendor = vendors.identify(router.sys_object_id, router.sys_descr)
    assert vendor is not None and vendor.slug == "huawei"
    # VRP8 names only the series in brackets ("NE40E"); the exact model is the last line.
    assert vendors.parse_sys_descr("huawei", router.sys_descr) == vendors.DescrFacts(MODEL, RELEASE)
    assert vendors.identify(None, router.sys_descr) == vendor


def test_vrp8_display_version_parses_with_ntc_templates(linyi: Topology) -> None:
    router = _routers(linyi)[0]
    context = LabContext(linyi, LabState("linyi", linyi.seed, STARTED_AT), lambda: Faults())
    view = context.view(router.name, now=STARTED_AT)
    [row] = parse_output(platform="huawei_vrp", command="display version", data=vrp.display_version(view))
    assert (row["model"], row["product_version"], row["vrp_version"]) == (MODEL, f"NE40E {RELEASE}", "8.180")
    assert "week" not in row["uptime"]  # VRP8 counts days: "159 days, 0 hour, 3 minutes"
    assert uptime_seconds(row["uptime"]) == view.uptime_seconds // 60 * 60


# --- against the running lab ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Topology]]:
    state_dir = tmp_path_factory.mktemp("linyi-lab")
    # The daemons and this process must place the lab at the same base; the variable goes before any other
    # module's lab could start.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YUNWANG_LAB_ADDRESS_BASE", LAB_BASE)
        runner.up(state_dir, "linyi", DEFAULT_SEED, exit_with_parent=True)
        topology = build_topology("linyi")
    try:
        yield state_dir, topology
    finally:
        runner.down(state_dir)


@pytest.fixture(scope="module")
def picked(lab: tuple[Path, Topology]) -> list[LabDevice]:
    """One county router on SNMPv2c, one on SNMPv3."""
    routers = _routers(lab[1])
    chosen = [next(d for d in routers if d.snmp_v3 is None), next(d for d in routers if d.snmp_v3 is not None)]
    assert all(d.host.startswith(f"127.{LAB_BASE}.") for d in chosen)
    return chosen


@pytest.fixture(scope="module")
def snmp_records(picked: list[LabDevice]) -> dict[str, DeviceRecord]:
    async def run() -> list[DeviceRecord]:
        driver = SnmpDriver(DefaultFactory())
        return [await collect_one(driver, snmp_target(d), "full") for d in picked]  # type: ignore[arg-type]

    return {d.name: r for d, r in zip(picked, asyncio.run(run()), strict=True)}


@pytest.fixture(scope="module")
def ssh_records(picked: list[LabDevice]) -> dict[str, DeviceRecord]:
    timeouts = Timeouts(connect_seconds=5, login_seconds=10, command_seconds=20)
    driver = SshDriver(MemoryHostKeyStore(), timeouts=timeouts, max_workers=2)
    targets = [
        Target(name=d.name, host=d.host, platform=d.platform, ssh=SshCredentials(d.ssh_username, d.ssh_password))
        for d in picked
    ]
    try:
        records = asyncio.run(driver.collect_many(targets))
    finally:
        driver.close()
    return {d.name: r for d, r in zip(picked, records, strict=True)}


def test_snmp_identifies_the_router(
    lab: tuple[Path, Topology], picked: list[LabDevice], snmp_records: dict[str, DeviceRecord]
) -> None:
    for device in picked:
        record = snmp_records[device.name]
        assert record.error is None, (device.name, record.error)
        got = (record.vendor, record.model, record.os_version, record.serial, record.system.sys_object_id)
        assert got == ("huawei", MODEL, RELEASE, device.serial, SYS_OBJECT_ID), device.name
        ports = {i.name: i.speed_bps for i in record.interfaces}
        assert ports == {i.name: i.speed_bps for i in device.interfaces}
        assert ports["GigabitEthernet1/0/0"] == TEN_GE and ports["GigabitEthernet2/1/23"] == GE
        got_peers = sorted((n.local_port, n.remote_sys_name) for n in record.neighbors)
        assert got_peers == sorted((mine.name, peer.name) for mine, peer, _ in lab[1].neighbors_of(device.name))


def test_ssh_agrees_with_snmp(
    lab: tuple[Path, Topology],
    picked: list[LabDevice],
    snmp_records: dict[str, DeviceRecord],
    ssh_records: dict[str, DeviceRecord],
) -> None:
    for device in picked:
        ssh, snmp = ssh_records[device.name], snmp_records[device.name]
        assert ssh.error is None, (device.name, ssh.error)
        assert (ssh.vendor, ssh.model, ssh.os_version, ssh.serial) == (snmp.vendor, snmp.model, snmp.os_version,
                                                                       snmp.serial)  # fmt: skip
        assert ssh.system.sys_descr and f"Version 8.180 (NE40E {RELEASE})" in ssh.system.sys_descr
        # "GigabitEthernet1/0/0(10G)" in `display interface brief` is GigabitEthernet1/0/0 to the collector
        assert [i.name for i in ssh.interfaces] == [i.name for i in device.interfaces]
        expected = {(mine.name, peer.name, theirs.name) for mine, peer, theirs in lab[1].neighbors_of(device.name)}
        assert {(n.local_port, n.remote_sys_name, n.remote_port_id) for n in ssh.neighbors} == expected
        assert ssh.system.sys_uptime_seconds is not None and snmp.system.sys_uptime_seconds is not None
        assert abs(ssh.system.sys_uptime_seconds - snmp.system.sys_uptime_seconds) < 180
