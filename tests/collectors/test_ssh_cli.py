"""The SSH part of `manage.py probe`: options -> target, password sources, output with secrets masked."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collectors.ssh.cli import add_ssh_arguments, probe_ssh, ssh_details, ssh_json, ssh_target
from collectors.ssh.testing import CliServer

FIXTURES = Path(__file__).parent / "fixtures" / "ssh"
PASSWORD = "Cli-Probe-Pw-7"  # noqa: S105


@pytest.fixture(scope="module")
def server() -> Iterator[CliServer]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    srv = CliServer(FIXTURES / "huawei_vrp" / "core_switch", "<KF-CORE-01>", "netops", PASSWORD)
    srv.start(loop)
    yield srv
    srv.stop()
    loop.call_soon_threadsafe(loop.stop)


def _options(tmp_path: Path, port: int, **extra: Any) -> dict[str, Any]:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    add_ssh_arguments(parser)
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    argv = ["127.0.0.1", "--ssh", "--platform", "huawei_vrp", "--username", "netops", "--password-file", str(pw)]
    argv += ["--ssh-port", str(port), "--known-hosts", str(tmp_path / "known_hosts")]
    return vars(parser.parse_args(argv)) | extra


def test_probe_prints_masked_config_and_compliance(server: CliServer, tmp_path: Path) -> None:
    options = _options(tmp_path, server.port, show_config=True, compliance=True)
    record = asyncio.run(probe_ssh(options))
    assert record.ok, record.error
    text = ssh_details(record, options)
    data = json.dumps(ssh_json(record, options), ensure_ascii=False)
    for out in (text, data):
        assert "Tac4csSecretKey0001" not in out and "Secr3tHashValue1" not in out and PASSWORD not in out
        assert "ssh_not_telnet" in out and "sysname KF-CORE-01" in out
    assert (tmp_path / "known_hosts").read_text().startswith(f"[127.0.0.1]:{server.port} ssh-ed25519 ")


def test_password_from_environment(server: CliServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YW_TEST_SSH_PW", PASSWORD)
    options = _options(tmp_path, server.port, password_file=None, password_env="YW_TEST_SSH_PW")
    assert ssh_target(options).ssh is not None
    assert asyncio.run(probe_ssh(options)).ok


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"platform": None}, "--platform"),
        ({"username": None}, "--username"),
        ({"password_file": None}, "--password-file FILE or --password-env NAME"),
        ({"password_file": None, "password_env": "YW_UNSET_VARIABLE_X"}, "YW_UNSET_VARIABLE_X"),
        ({"password_file": "/nonexistent/pw"}, "cannot read"),
    ],
)
def test_bad_options_explain_themselves(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        ssh_target(_options(tmp_path, 22, **change))
    assert message in str(info.value) and PASSWORD not in str(info.value)


def test_probe_compliance_uses_the_thresholds_from_settings(server: CliServer, tmp_path: Path, settings: Any) -> None:
    """The fixture's VTYs time out after 5 and 10 minutes: fine at the default limit of 10, a failure at 8."""
    options = _options(tmp_path, server.port, compliance=True)
    record = asyncio.run(probe_ssh(options))

    def idle_status() -> str:
        checks = {c["check_id"]: c["status"] for c in ssh_json(record, options)["compliance"]}
        return checks["idle_timeout"]

    assert idle_status() == "pass"
    settings.YUNWANG_MLPS_MAX_IDLE_MINUTES = 8
    assert idle_status() == "fail"
