"""End to end: the SSH simulator that `manage.py lab up` starts (the shared kaifu lab of tests/lab_fixture.py),
on each device's loopback address, port 22, driven by netmiko like a collector.

One netmiko connection per device (a VRP disconnect costs ~2.2 s, so the fixtures
drop the transport instead). Faults are written to the state dir the way `lab fail` writes them.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest
from netmiko import BaseConnection, ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

from lab.ssh.view import vpn_online_sites
from lab.state import Faults, write_faults
from tests.lab.ssh_helpers import expected_neighbors, expected_oper, kaifu
from tests.lab_fixture import RunningLab

SETTLE_S = 0.15  # the simulator re-reads faults.json every 50 ms
SSH_PORT = 22


class Lab:
    def __init__(self, state_dir: Path, port: int) -> None:
        self.state_dir = state_dir
        self.port = port

    def connect(self, name: str, device_type: str, password: str | None = None, **kw: object) -> BaseConnection:
        d = kaifu().device(name)
        return ConnectHandler(
            device_type=device_type,
            host=d.host,
            port=self.port,
            username=d.ssh_username,
            password=d.ssh_password if password is None else password,
            fast_cli=True,
            conn_timeout=5,
            auth_timeout=5,
            banner_timeout=5,
            **kw,
        )

    def fail(self, faults: Faults) -> None:
        write_faults(self.state_dir, faults)
        time.sleep(SETTLE_S)


@pytest.fixture(scope="module")
def ssh_lab(kaifu_lab: RunningLab) -> Iterator[Lab]:
    """The shared lab that `lab up` started (SSH on port 22 of every device address), healed afterwards."""
    assert "ssh" in kaifu_lab.daemons, "lab up did not start the SSH simulator"
    assert kaifu_lab.topology == kaifu()
    yield Lab(kaifu_lab.state_dir, SSH_PORT)
    write_faults(kaifu_lab.state_dir, Faults())


def text(conn: BaseConnection, command: str, **kw: object) -> str:
    out = conn.send_command(command, **kw)  # type: ignore[arg-type]
    assert isinstance(out, str)
    return out


def _drop(conn: BaseConnection) -> None:
    conn.paramiko_cleanup()  # skips netmiko's 2.2 s VRP logout dance; the server sees EOF


@pytest.fixture(scope="module")
def vrp(ssh_lab: Lab) -> Iterator[BaseConnection]:
    conn = ssh_lab.connect("KF-CORE-01", "huawei_vrp")
    yield conn
    _drop(conn)


def test_vrp_session_over_netmiko(vrp: BaseConnection) -> None:
    device = kaifu().device("KF-CORE-01")
    assert vrp.find_prompt() == "<KF-CORE-01>"
    version = vrp.send_command("display version", use_textfsm=True)
    assert isinstance(version, list) and version[0]["model"].startswith(device.model)
    brief = vrp.send_command("display interface brief", use_textfsm=True)
    assert isinstance(brief, list)
    assert {r["interface"]: r["phy"] == "up" for r in brief} == expected_oper(device)
    lldp = vrp.send_command("display lldp neighbor", use_textfsm=True)
    assert isinstance(lldp, list)
    assert [(r["local_interface"], r["neighbor_name"], r["neighbor_port_id"]) for r in lldp] == expected_neighbors(
        "KF-CORE-01"
    )
    config = text(vrp, "display current-configuration")
    assert "sysname KF-CORE-01" in config and config.rstrip().endswith("return")
    assert device.ssh_password not in config
    assert "Error: Unrecognized command" in text(vrp, "display nonsense")


def test_vrp_system_view_round_trip(vrp: BaseConnection) -> None:
    # netmiko's config_mode() for VRP waits on timing reads (~4 s each way), so drive the views directly.
    assert text(vrp, "system-view", expect_string=r"\]").startswith("Enter system view")
    assert vrp.find_prompt() == "[KF-CORE-01]"
    text(vrp, "return", expect_string=r">")
    assert vrp.find_prompt() == "<KF-CORE-01>"


def test_comware_session_over_netmiko(ssh_lab: Lab) -> None:
    conn = ssh_lab.connect("KF-AGG-03", "hp_comware")
    try:
        assert conn.find_prompt() == "<KF-AGG-03>"
        lldp = conn.send_command("display lldp neighbor-information verbose", use_textfsm=True)
        assert isinstance(lldp, list)
        got = [(r["local_interface"], r["neighbor_name"], r["neighbor_interface"]) for r in lldp]
        assert got == expected_neighbors("KF-AGG-03")
        brief = conn.send_command("display interface brief", use_textfsm=True)
        assert isinstance(brief, list) and len(brief) == len(kaifu().device("KF-AGG-03").interfaces)
        manuinfo = conn.send_command("display device manuinfo", use_textfsm=True)
        assert isinstance(manuinfo, list) and manuinfo[0]["device_serial_number"] == kaifu().device("KF-AGG-03").serial
        assert "H3C Comware Software, Version 7.1.070" in text(conn, "display version")
    finally:
        _drop(conn)


def test_ios_session_over_netmiko(ssh_lab: Lab) -> None:
    device = next(d for d in kaifu().devices if d.platform == "cisco_ios")
    conn = ssh_lab.connect(device.name, "cisco_ios", secret=device.ssh_password)
    try:
        assert conn.check_enable_mode()
        version = conn.send_command("show version", use_textfsm=True)
        assert isinstance(version, list) and version[0]["serial"] == [device.serial]
        lldp = conn.send_command("show lldp neighbors detail", use_textfsm=True)
        assert isinstance(lldp, list)
        assert [(r["local_interface"], r["neighbor_name"]) for r in lldp] == [
            (local, peer) for local, peer, _ in expected_neighbors(device.name)
        ]
        inventory = conn.send_command("show inventory", use_textfsm=True)
        assert isinstance(inventory, list) and inventory[0]["sn"] == device.serial
        running = text(conn, "show running-config")
        assert f"hostname {device.name}" in running and running.rstrip().endswith("end")
        # Down to user mode and back up with the enable secret.
        conn.exit_enable_mode()
        assert conn.find_prompt() == f"{device.name}>"
        conn.enable()
        assert conn.find_prompt() == f"{device.name}#"
    finally:
        _drop(conn)


def test_ruijie_session_over_netmiko(ssh_lab: Lab) -> None:
    device = next(d for d in kaifu().devices if d.platform == "ruijie_rgos")
    conn = ssh_lab.connect(device.name, "ruijie_os")
    try:
        version = text(conn, "show version")
        assert f"System serial number    : {device.serial}" in version
        status = text(conn, "show interface status")
        assert sum(1 for i in device.interfaces if i.name in status) == len(device.interfaces)
    finally:
        _drop(conn)


def test_vpn_gateway_lists_online_village_accounts(ssh_lab: Lab) -> None:
    topology = kaifu()
    online = vpn_online_sites(topology, Faults())
    conn = ssh_lab.connect(topology.vpn_gateway or "", "hillstone_stoneos")
    try:
        listing = text(conn, "show vpn online-user")
        rows = [line.split() for line in listing.splitlines()[2:]]
        assert [row[1] for row in rows] == [s.vpn_account for s in online]
        gone = online[0].vpn_account or ""
        ssh_lab.fail(Faults(down_devices={gone}))
        listing = text(conn, "show vpn online-user")
        assert gone not in listing and f"Online users: {len(online) - 1}" in listing
    finally:
        ssh_lab.fail(Faults())
        _drop(conn)


def test_link_down_shows_in_interfaces_and_lldp(ssh_lab: Lab, vrp: BaseConnection) -> None:
    local, peer, remote = kaifu().neighbors_of("KF-CORE-01")[5]
    ssh_lab.fail(Faults(down_links={("KF-CORE-01", local.if_index), (peer.name, remote.if_index)}))
    try:
        brief = vrp.send_command("display interface brief", use_textfsm=True)
        assert isinstance(brief, list)
        assert next(r for r in brief if r["interface"] == local.name)["phy"] == "down"
        lldp = vrp.send_command("display lldp neighbor", use_textfsm=True)
        assert isinstance(lldp, list) and peer.name not in [r["neighbor_name"] for r in lldp]
    finally:
        ssh_lab.fail(Faults())
    lldp = vrp.send_command("display lldp neighbor", use_textfsm=True)
    assert isinstance(lldp, list) and peer.name in [r["neighbor_name"] for r in lldp]


def test_wrong_password_is_rejected(ssh_lab: Lab) -> None:
    with pytest.raises(NetmikoAuthenticationException):
        ssh_lab.connect("KF-CORE-02", "huawei_vrp", password="not-the-password")


def test_bad_credentials_fault_rejects_the_right_password(ssh_lab: Lab) -> None:
    ssh_lab.fail(Faults(bad_credentials={"KF-CORE-02"}))
    try:
        with pytest.raises(NetmikoAuthenticationException):
            ssh_lab.connect("KF-CORE-02", "huawei_vrp")
    finally:
        ssh_lab.fail(Faults())


def test_down_device_refuses_connections_until_healed(ssh_lab: Lab) -> None:
    device = kaifu().device("KF-AGG-01")
    ssh_lab.fail(Faults(down_devices={device.name}))
    try:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((device.host, ssh_lab.port), timeout=2).close()
        with pytest.raises(NetmikoTimeoutException):
            ssh_lab.connect(device.name, device.platform.replace("h3c_comware", "hp_comware"))
    finally:
        ssh_lab.fail(Faults())
    socket.create_connection((device.host, ssh_lab.port), timeout=2).close()


def test_slow_device_answers_late(ssh_lab: Lab, vrp: BaseConnection) -> None:
    ssh_lab.fail(Faults(slow_devices={"KF-CORE-01": 400}))
    try:
        started = time.monotonic()
        text(vrp, "display device")
        assert time.monotonic() - started >= 0.4
    finally:
        ssh_lab.fail(Faults())
    started = time.monotonic()
    text(vrp, "display device")
    assert time.monotonic() - started < 0.4


def test_reboot_restarts_uptime_and_drops_sessions(ssh_lab: Lab) -> None:
    conn = ssh_lab.connect("KF-CORE-02", "huawei_vrp")
    before = conn.send_command("display version", use_textfsm=True)
    assert isinstance(before, list) and not before[0]["uptime"].startswith("0 weeks, 0 days, 0 hours")
    ssh_lab.fail(Faults(reboot_epoch={"KF-CORE-02": time.time()}))
    try:
        with pytest.raises(OSError):
            text(conn, "display version", read_timeout=3)
        _drop(conn)
        conn = ssh_lab.connect("KF-CORE-02", "huawei_vrp")
        after = conn.send_command("display version", use_textfsm=True)
        assert isinstance(after, list) and after[0]["uptime"].startswith("0 weeks, 0 days, 0 hours, 0 minutes")
    finally:
        ssh_lab.fail(Faults())
        _drop(conn)


def test_deleting_a_host_key_gives_the_device_a_new_one(ssh_lab: Lab) -> None:
    device = kaifu().device("KF-AGG-02")

    async def fingerprint() -> str:
        async with asyncssh.connect(
            device.host, ssh_lab.port, username=device.ssh_username, password=device.ssh_password, known_hosts=None
        ) as conn:
            key = conn.get_server_host_key()
            assert key is not None
            return str(key.get_fingerprint())

    before = asyncio.run(fingerprint())
    assert asyncio.run(fingerprint()) == before  # stable while the file stays
    (ssh_lab.state_dir / "ssh" / f"{device.name}.key").unlink()
    time.sleep(SETTLE_S)
    assert asyncio.run(fingerprint()) != before


def test_gbk_device_answers_in_gbk(ssh_lab: Lab) -> None:
    device = next(d for d in kaifu().devices if d.platform == "h3c_comware" and d.text_encoding == "gbk")
    alias = next(i.alias for i in device.interfaces if i.alias and not i.alias.isascii())
    conn = ssh_lab.connect(device.name, "hp_comware", encoding="gbk")
    try:
        assert alias in text(conn, "display interface brief")
    finally:
        _drop(conn)
