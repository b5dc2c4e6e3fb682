"""`manage.py probe HOST ...`: collect one device, print the record. No database.

Examples:
  manage.py probe 127.1.0.1 --community public
  manage.py probe 127.1.0.1 --v3-user noc --auth-proto SHA --auth-key '...' --priv-proto AES --priv-key '...' --json
  YUNWANG_SNMP_COMMUNITY=public manage.py probe 127.1.0.1 --port 1161 --mode status
  manage.py probe 127.20.0.1 --ssh --platform huawei_vrp --username netops --password-file ~/.yw/pw --compliance
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from collectors.records import DeviceRecord, SnmpCredentials, Target, to_json
from collectors.snmp import DefaultFactory, SnmpDriver
from collectors.snmp.cli import add_snmp_arguments, snmp_credentials
from collectors.ssh.cli import add_ssh_arguments, probe_ssh, ssh_details, ssh_json

_STATUS = {1: "up", 2: "down", 3: "testing", 5: "dormant", 6: "notPresent", 7: "lowerLayerDown"}


class Command(BaseCommand):
    help = "Collect one device over SNMP and print what was found (readable, or --json in the probe shape)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = __doc__
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("host", help="device address (management IP)")
        parser.add_argument("--json", action="store_true", help="print the record as JSON (collectors.records.to_json)")
        parser.add_argument("--timeout", type=float, default=2.0, help="seconds per request (default 2)")
        parser.add_argument("--retries", type=int, default=1, help="retries per request (default 1)")
        add_snmp_arguments(parser)
        add_ssh_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["ssh"]:
            self._handle_ssh(options)
            return
        try:
            creds = snmp_credentials(options)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if creds is None:
            raise CommandError("give --community C, or --v3-user U --auth-proto P --auth-key K [--priv-proto/-key]")
        record = asyncio.run(_probe(options, creds))
        if options["json"]:
            self.stdout.write(json.dumps(to_json(record), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(record))
        if record.error is not None:
            raise CommandError(f"collection failed: {record.error.kind}", returncode=2)

    def _handle_ssh(self, options: dict[str, Any]) -> None:
        try:
            record = asyncio.run(probe_ssh(options))
        except ValueError as exc:  # bad options; the message names the option, never the password
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(ssh_json(record, options), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(part for part in (summary(record), ssh_details(record, options)) if part))
        if record.error is not None:
            raise CommandError(f"collection failed: {record.error.kind}", returncode=2)


async def _probe(options: dict[str, Any], creds: SnmpCredentials) -> DeviceRecord:
    target = Target(
        name=options["host"],
        host=options["host"],
        snmp_port=options["port"],
        snmp=creds,
        timeout_seconds=options["timeout"],
        retries=options["retries"],
    )
    factory = DefaultFactory(status="pysnmp")  # one device: the library the user asked for, also for status
    try:
        return await SnmpDriver(factory).collect(target, mode=options["mode"])
    finally:
        factory.close()


def summary(record: DeviceRecord) -> str:
    """A short human-readable view of a record."""
    s = record.system
    lines = [f"{record.host} via {record.source}: ok"]
    if record.error is not None:
        lines = [f"{record.host} via {record.source}: FAILED ({record.error.kind})", f"  error: {record.error.message}"]
    facts = [("name", s.sys_name), ("vendor", record.vendor), ("model", record.model), ("serial", record.serial)]
    facts += [("os", record.os_version), ("location", s.sys_location), ("contact", s.sys_contact)]
    facts += [("sysObjectID", s.sys_object_id), ("uptime", _uptime(s.sys_uptime_seconds))]
    lines += [f"  {label:<12}{value}" for label, value in facts if value is not None]
    if record.interfaces:
        lines.append(f"  interfaces ({len(record.interfaces)}):")
        for i in record.interfaces:
            speed = f"{i.speed_bps / 1e6:g}M" if i.speed_bps is not None else "-"
            state = f"{_STATUS.get(i.admin_status or 0, '?')}/{_STATUS.get(i.oper_status or 0, '?')}"
            lines.append(f"    {i.if_index:>6} {i.name or i.descr or '-':<28} {state:<10} {speed:>8}  {i.alias or ''}")
    if record.neighbors:
        lines.append(f"  LLDP neighbours ({len(record.neighbors)}):")
        for n in record.neighbors:
            remote = f"{n.remote_sys_name or n.remote_chassis_id} {n.remote_port_id}"
            lines.append(f"    {n.local_port or '-':<28} -> {remote}")
    if record.entities:
        lines.append(f"  entities: {len(record.entities)}")
    if record.duration_seconds is not None:
        lines.append(f"  took {record.duration_seconds:.2f} s")
    return "\n".join(lines)


def _uptime(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    days, rest = divmod(int(seconds), 86400)
    return f"{days}d {rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
