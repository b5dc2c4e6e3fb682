"""`manage.py compliance`: the latest MLPS 2.0 level-3 check results per device, and a summary per check."""

from __future__ import annotations

import json
from argparse import RawDescriptionHelpFormatter
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from collectors.compliance import CHECKS
from collectors.ssh_apply import latest_compliance
from inventory.models import Device
from inventory.models.areas import CODE_RE, prefix_of

STATUSES = ("pass", "fail", "not_applicable")


class Command(BaseCommand):
    help = "MLPS 2.0 (等保2.0) level-3 results of each device's latest collected configuration."
    epilog = """examples:
  manage.py compliance                       one line per device (pass / fail / n.a., failing checks), then
                                             one line per check (how many devices pass / fail)
  manage.py compliance --area 430105000000   devices of one area subtree
  manage.py compliance --device KF-CORE-01   one device
  manage.py compliance --json                [{device, checked_at, results: [{check_id, status, evidence}]}]
"""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        parser.epilog = self.epilog
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="12-digit division code: only devices in this area's subtree")
        parser.add_argument("--device", help="inventory name of one device")
        parser.add_argument("--json", action="store_true", help="machine-readable output, with evidence")

    def handle(self, *args: Any, **opts: Any) -> None:
        devices = Device.objects.filter(compliance_results__isnull=False).distinct().order_by("name")
        if opts["area"]:
            if not CODE_RE.match(opts["area"]):
                raise CommandError("--area takes a 12-digit division code, e.g. 430105000000")
            devices = devices.filter(site__area__code__startswith=prefix_of(opts["area"]))
        if opts["device"]:
            if not Device.objects.filter(name=opts["device"]).exists():
                raise CommandError(f"no device named {opts['device']!r}")
            devices = devices.filter(name=opts["device"])
        report = [self._latest(d) for d in devices]
        if opts["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{'device':<24} {'checked at':<19}  pass fail  n/a  failed checks")
        for entry in report:
            counts = Counter(r["status"] for r in entry["results"])
            failing = ", ".join(r["check_id"] for r in entry["results"] if r["status"] == "fail") or "-"
            self.stdout.write(
                f"{entry['device']:<24} {entry['checked_at'][:19].replace('T', ' ')}  {counts['pass']:>4} "
                f"{counts['fail']:>4} {counts['not_applicable']:>4}  {failing}"
            )
        self.stdout.write("")
        summary = self._per_check(report)
        self.stdout.write(f"{'check':<24} pass fail  n/a  title")
        for check_id, row in summary.items():
            self.stdout.write(
                f"{check_id:<24} {row['pass']:>4} {row['fail']:>4} {row['not_applicable']:>4}  {row['title_zh']}"
            )

    @staticmethod
    def _latest(device: Device) -> dict[str, Any]:
        rows = latest_compliance(device.pk)
        return {
            "device": device.name,
            "checked_at": rows[0].checked_at.isoformat() if rows else "",
            "results": [{"check_id": r.check_id, "status": r.status, "evidence": r.evidence} for r in rows],
        }

    @staticmethod
    def _per_check(report: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """For each check (CHECKS order): how many devices pass, fail, or are not applicable."""
        counts: dict[str, Counter[str]] = {check: Counter() for check in CHECKS}
        for entry in report:
            for r in entry["results"]:
                counts.setdefault(r["check_id"], Counter())[r["status"]] += 1
        return {
            check: {"title_zh": CHECKS[check][0] if check in CHECKS else check}
            | {status: c[status] for status in STATUSES}
            for check, c in counts.items()
        }
