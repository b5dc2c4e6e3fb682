"""`manage.py configs`: stored device configurations (masked), their diffs and history."""

from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from inventory.models import ConfigBackup, Device

FIRST = "(first backup: nothing to compare with)"


def _when(backup: ConfigBackup) -> str:
    return f"{backup.collected_at:%Y-%m-%d %H:%M:%S}"


def _changed_lines(diff: str) -> tuple[int, int]:
    """(+lines, -lines) of a unified diff, headers left out."""
    lines = diff.splitlines()
    added = sum(1 for x in lines if x.startswith("+") and not x.startswith("+++"))
    removed = sum(1 for x in lines if x.startswith("-") and not x.startswith("---"))
    return added, removed


class Command(BaseCommand):
    help = "Show the configuration backups collected over SSH. Secrets are masked; raw configs are never stored."
    epilog = """examples:
  manage.py configs                                latest backup of every device (time, hash, size, versions)
  manage.py configs --device KF-CORE-01            the latest configuration of one device (masked)
  manage.py configs --device KF-CORE-01 --diff     what changed in its latest backup
  manage.py configs --diff                         the latest change of every device that has one
  manage.py configs --device KF-CORE-01 --history  every stored version: time, hash, lines added/removed
  manage.py configs --device KF-CORE-01 --history --diff   every version's diff, oldest first
"""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        parser.epilog = self.epilog
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--device", help="inventory name of one device")
        parser.add_argument("--diff", action="store_true", help="show the unified diff to the previous backup")
        parser.add_argument("--history", action="store_true", help="every stored version, not only the latest")

    def handle(self, *args: Any, **opts: Any) -> None:
        devices = Device.objects.filter(config_backups__isnull=False).distinct().order_by("name")
        if opts["device"]:
            if not Device.objects.filter(name=opts["device"]).exists():
                raise CommandError(f"no device named {opts['device']!r}")
            devices = devices.filter(name=opts["device"])
            if not devices.exists():
                raise CommandError(
                    f"no configuration collected from {opts['device']} yet (manage.py poll --ssh --once)"
                )
        if opts["history"]:
            for device in devices:
                self._history(device, opts["diff"])
        elif opts["device"]:
            backup = self._latest(devices)[0]
            self.stdout.write((backup.diff or FIRST) if opts["diff"] else backup.text)
        elif opts["diff"]:
            for backup in self._latest(devices):
                if backup.diff:
                    self.stdout.write(f"== {backup.device.name} ({_when(backup)})")
                    self.stdout.write(backup.diff)
        else:
            self._summary(devices)

    @staticmethod
    def _latest(devices: QuerySet[Device]) -> list[ConfigBackup]:
        out = []
        for device in devices:
            backup = device.config_backups.order_by("-collected_at", "-id").first()
            assert backup is not None  # devices are those with backups
            out.append(backup)
        return out

    def _summary(self, devices: QuerySet[Device]) -> None:
        for backup in self._latest(devices):
            count = ConfigBackup.objects.filter(device_id=backup.device_id).count()
            lines = backup.text.count("\n") + 1
            self.stdout.write(
                f"{backup.device.name:<24} {_when(backup)}  sha256 {backup.sha256[:12]}  {lines:>5} lines  "
                f"{count} versions"
            )

    def _history(self, device: Device, with_diff: bool) -> None:
        self.stdout.write(f"== {device.name}")
        for backup in device.config_backups.order_by("collected_at", "id"):
            added, removed = _changed_lines(backup.diff)
            change = f"+{added} -{removed}" if backup.diff else "first"
            self.stdout.write(f"{_when(backup)}  sha256 {backup.sha256[:12]}  {change}")
            if with_diff and backup.diff:
                self.stdout.write(backup.diff)
