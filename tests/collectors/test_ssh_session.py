"""End-to-end over real SSH on loopback: netmiko + paramiko against small asyncssh CLI servers.

Covers each dialect's login/paging dance, one login per collection, host keys (first contact, change), and
the failure kinds: auth, refused, timeout, prompt. Servers start once per module; timeouts are short.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from collectors.records import DeviceRecord, SshCredentials, Target
from collectors.ssh.driver import SshDriver
from collectors.ssh.hostkeys import FileHostKeyStore, MemoryHostKeyStore, host_key_name
from collectors.ssh.session import Timeouts
from collectors.ssh.testing import CliServer, load_expected, record_summary

FIXTURES = Path(__file__).parent / "fixtures" / "ssh"
PASSWORD = "S3cret-Lab-Pw!"  # noqa: S105 - a test password; the assertions check it never leaks
FAST = Timeouts(connect_seconds=1.5, login_seconds=3.0, command_seconds=5.0)

DIALECTS = {
    "huawei_vrp": ("core_switch", "<KF-CORE-01>"),
    "h3c_comware": ("aggregation", "<KF-AGG-DONGFENG>"),
    "cisco_ios": ("router", "KF-EDGE-01#"),
    "ruijie_rgos": ("access", "KF-ACC-DONGFENG-01#"),
}


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def servers(loop: asyncio.AbstractEventLoop) -> Iterator[dict[str, CliServer]]:
    started = {}
    for platform, (case, prompt) in DIALECTS.items():
        server = CliServer(FIXTURES / platform / case, prompt, "ywadmin", PASSWORD)
        server.start(loop)
        started[platform] = server
    yield started
    for server in started.values():
        server.stop()


def _target(platform: str, port: int, password: str = PASSWORD) -> Target:
    return Target(name=platform, host="127.0.0.1", platform=platform, ssh=SshCredentials("ywadmin", password, port))


def _assert_no_password(record: DeviceRecord, password: str = PASSWORD) -> None:
    assert record.error is not None
    assert password not in record.error.message and password not in repr(record)


@pytest.mark.parametrize("platform", sorted(DIALECTS))
def test_collects_each_dialect_over_ssh(platform: str, servers: dict[str, CliServer], tmp_path: Path) -> None:
    server = servers[platform]
    server.commands.clear()
    driver = SshDriver(FileHostKeyStore(tmp_path / "known_hosts"), timeouts=FAST)
    record = asyncio.run(driver.collect(_target(platform, server.port), mode="full"))
    driver.close()
    assert record.ok, record.error
    expected = load_expected(FIXTURES / platform / DIALECTS[platform][0])
    summary = record_summary(record, expected["commands"])
    summary["host"] = expected["host"]
    assert summary == expected
    # one login: paging off first, then each getter's command exactly once
    asked = [c for c in server.commands if not c.startswith(CliServer.QUIET)]
    assert asked == expected["commands"]
    assert record.duration_seconds is not None and record.duration_seconds < 5


def test_first_contact_remembers_the_key_and_a_changed_key_is_refused(
    servers: dict[str, CliServer], tmp_path: Path
) -> None:
    server = servers["huawei_vrp"]
    store = FileHostKeyStore(tmp_path / "known_hosts")
    driver = SshDriver(store, timeouts=FAST)
    assert driver.collect_blocking(_target("huawei_vrp", server.port)).ok
    name = host_key_name("127.0.0.1", server.port)
    remembered = store.get(name)
    assert (
        remembered
        == server.host_key.export_public_key("openssh").decode().split()[0]
        + " "
        + (server.host_key.export_public_key("openssh").decode().split()[1])
    )
    assert FileHostKeyStore(tmp_path / "known_hosts").get(name) == remembered  # persisted, reloadable
    assert driver.collect_blocking(_target("huawei_vrp", server.port)).ok  # same key: fine

    other = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode().split()
    server.commands.clear()
    changed = SshDriver(MemoryHostKeyStore({name: f"{other[0]} {other[1]}"}), timeouts=FAST)
    record = changed.collect_blocking(_target("huawei_vrp", server.port))
    driver.close()
    changed.close()
    assert record.error is not None and record.error.kind == "host_key"
    assert server.commands == []  # refused in the key exchange: no login, no command, password never sent
    _assert_no_password(record)


def test_wrong_password_is_auth(servers: dict[str, CliServer]) -> None:
    wrong = "Wrong-Pw-123"  # noqa: S105
    driver = SshDriver(timeouts=FAST)
    record = driver.collect_blocking(_target("h3c_comware", servers["h3c_comware"].port, password=wrong))
    driver.close()
    assert record.error is not None and record.error.kind == "auth"
    _assert_no_password(record, wrong)


def test_closed_port_is_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    driver = SshDriver(timeouts=FAST)
    record = driver.collect_blocking(_target("cisco_ios", port))
    driver.close()
    assert record.error is not None and record.error.kind == "refused"


def test_silent_port_is_timeout() -> None:
    # The kernel completes the TCP handshake on a listening socket nobody accepts: no SSH banner ever comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        driver = SshDriver(timeouts=Timeouts(connect_seconds=0.5, command_seconds=1))
        record = driver.collect_blocking(_target("huawei_vrp", silent.getsockname()[1]))
        driver.close()
    assert record.error is not None and record.error.kind == "timeout"
    assert record.duration_seconds is not None and record.duration_seconds < 5


def test_unexpected_prompt_is_prompt(loop: asyncio.AbstractEventLoop, tmp_path: Path) -> None:
    shell = CliServer(tmp_path, "[root@linux ~]$ ", "ywadmin", PASSWORD)
    shell.start(loop)
    try:
        driver = SshDriver(timeouts=Timeouts(connect_seconds=1.5, login_seconds=1.0, command_seconds=2))
        records = [driver.collect_blocking(_target(platform, shell.port)) for platform in ("huawei_vrp", "cisco_ios")]
        driver.close()
    finally:
        shell.stop()
    for record in records:
        assert record.error is not None and record.error.kind == "prompt", record.error
        assert record.duration_seconds is not None and record.duration_seconds < 6
        _assert_no_password(record)
    assert "display version" not in shell.commands  # no getter ran against the wrong CLI


def test_many_devices_run_concurrently_within_the_bound(servers: dict[str, CliServer]) -> None:
    driver = SshDriver(timeouts=FAST, max_workers=8)
    targets = [_target(p, servers[p].port) for p in sorted(DIALECTS) for _ in range(4)]
    started = time.monotonic()
    records = asyncio.run(driver.collect_many(targets))
    wall = time.monotonic() - started
    driver.close()
    assert all(r.ok for r in records), [r.error for r in records if not r.ok]
    total = sum(r.duration_seconds or 0 for r in records)
    assert wall < total / 2  # they overlapped: 16 collections did not run one after another
