"""`manage.py probe --ssh ...`: the SSH half of the probe command (arguments, target, extra output).

The probe command (collectors/management/commands/probe.py) calls three functions:

    add_ssh_arguments(parser)                       # in add_arguments
    record = asyncio.run(probe_ssh(options))        # in handle, when options["ssh"]
    text = ssh_details(record, options)             # appended to the human-readable summary
    data = ssh_json(record, options)                # instead of to_json(record) with --json

Passwords come from a file or an environment variable, never from the command line (it shows in `ps`).

Examples:
  manage.py probe 127.20.0.1 --ssh --platform huawei_vrp --username netops --password-file ~/.yw/netops.pw
  YW_PW=... manage.py probe 127.20.0.1 --ssh --platform h3c_comware --username netops --password-env YW_PW \\
      --show-config --compliance
  manage.py probe 127.20.0.5 --ssh --platform sangfor_os --username netops --password-env YW_PW --json
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from collectors.compliance import CheckResult, run_checks, thresholds_from_settings
from collectors.masking import mask_config
from collectors.records import DeviceRecord, SshCredentials, Target, to_json
from collectors.ssh.driver import SshDriver
from collectors.ssh.hostkeys import FileHostKeyStore, HostKeyStore, MemoryHostKeyStore
from collectors.ssh.platforms import DRIVERS
from collectors.ssh.session import Timeouts


def add_ssh_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("SSH (with --ssh)")
    group.add_argument("--ssh", action="store_true", help="collect over SSH instead of SNMP")
    group.add_argument("--platform", choices=sorted(DRIVERS), help="CLI dialect, e.g. huawei_vrp, h3c_comware")
    group.add_argument("--username", help="SSH user")
    group.add_argument("--password-file", help="file whose first line is the SSH password")
    group.add_argument("--password-env", help="environment variable holding the SSH password")
    group.add_argument("--ssh-port", type=int, default=22, help="SSH port (default 22)")
    group.add_argument(
        "--known-hosts",
        help="host-key store (known_hosts format; default settings.YUNWANG_SSH_KNOWN_HOSTS); 'none': keep in memory",
    )
    group.add_argument("--ssh-timeout", type=float, default=5.0, help="seconds to connect and log in (default 5)")
    group.add_argument("--show-config", action="store_true", help="print the running config, secrets masked")
    group.add_argument("--compliance", action="store_true", help="run the MLPS 2.0 checks on the config")


def ssh_password(options: dict[str, Any]) -> str:
    """The password from --password-file or --password-env. Raises ValueError naming the source, not the value."""
    if options.get("password_file"):
        path = Path(options["password_file"]).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"cannot read --password-file {path}: {exc.strerror}") from None
        if not lines or not lines[0]:
            raise ValueError(f"--password-file {path} is empty")
        return lines[0]
    if options.get("password_env"):
        name = options["password_env"]
        value = os.environ.get(name)
        if not value:
            raise ValueError(f"environment variable {name} (--password-env) is not set")
        return value
    raise ValueError("give --password-file FILE or --password-env NAME (never the password itself)")


def ssh_target(options: dict[str, Any]) -> Target:
    """The probe target from the options. Raises ValueError with a message for the user."""
    if not options.get("platform"):
        raise ValueError("--ssh needs --platform (one of: " + ", ".join(sorted(DRIVERS)) + ")")
    if not options.get("username"):
        raise ValueError("--ssh needs --username")
    creds = SshCredentials(options["username"], ssh_password(options), options.get("ssh_port") or 22)
    host = options["host"]
    return Target(name=host, host=host, platform=options["platform"], ssh=creds)


def host_key_store(options: dict[str, Any]) -> HostKeyStore:
    path = options.get("known_hosts")
    if path == "none":
        return MemoryHostKeyStore()
    if not path:
        from django.conf import settings

        path = settings.YUNWANG_SSH_KNOWN_HOSTS
    return FileHostKeyStore(path)


async def probe_ssh(options: dict[str, Any]) -> DeviceRecord:
    """Collect one device over SSH (mode from options["mode"], default "full")."""
    target = ssh_target(options)
    timeout = float(options.get("ssh_timeout") or 5.0)
    driver = SshDriver(host_key_store(options), max_workers=1, timeouts=Timeouts(timeout, timeout + 3, 30))
    try:
        return await driver.collect(target, mode=options.get("mode") or "full")
    finally:
        driver.close()


def ssh_details(record: DeviceRecord, options: dict[str, Any]) -> str:
    """What the SNMP summary does not show: VPN sessions, the masked config, compliance results."""
    lines: list[str] = []
    if record.vpn_sessions is not None:
        lines.append(f"  VPN sessions ({len(record.vpn_sessions)}):")
        for s in record.vpn_sessions:
            lines.append(f"    {s.account:<24} {s.peer_address or '-':<16} {s.established_seconds or '-'}")
    if record.config and options.get("show_config"):
        lines.append("  running config (secrets masked):")
        lines += ["    " + line for line in mask_config(record.config, options.get("platform")).splitlines()]
    if record.config and options.get("compliance"):
        results = _checks(record, options)
        lines.append("  MLPS 2.0 level 3:")
        for r in results:
            lines.append(f"    {r.status:<15} {r.check_id:<24} {r.title_zh}  {r.detail}")
            lines += [f"{'':<20}| {e}" for e in r.evidence]
    return "\n".join(lines)


def ssh_json(record: DeviceRecord, options: dict[str, Any]) -> dict[str, Any]:
    """The probe JSON plus vpn_sessions, and with --show-config / --compliance the masked config and results."""
    data = to_json(record)
    sessions = record.vpn_sessions
    data["vpn_sessions"] = None if sessions is None else [s.__dict__ for s in sessions]
    if record.config and options.get("show_config"):
        data["config_masked"] = mask_config(record.config, options.get("platform"))
    if record.config and options.get("compliance"):
        results = _checks(record, options)
        data["compliance"] = [r.__dict__ | {"evidence": list(r.evidence)} for r in results]
    return data


def _checks(record: DeviceRecord, options: dict[str, Any]) -> list[CheckResult]:
    """The 16 MLPS checks with the thresholds from settings, as the stored results use."""
    return run_checks(record.config or "", options.get("platform") or "", record.os_version, thresholds_from_settings())
