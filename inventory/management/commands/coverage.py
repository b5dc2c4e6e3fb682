"""manage.py coverage: the planners' figures for one area, as a table or JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from inventory.coverage.areas import VARIANTS
from inventory.coverage.report import build_report, default_area, render_text
from yunwang.commands import ExamplesCommand


class Command(ExamplesCommand):
    help = (
        "Print coverage (county/township/village, registered and online, by access mode), per-county or "
        "per-township tables, village vs community, access units, department connection rate, VPN accounts and "
        "上云率 with its exemptions.\n\n"
        "Examples:\n"
        "  manage.py coverage                      # the whole inventory (the single city or county in it)\n"
        "  manage.py coverage --area 371300000000  # Linyi city, per county\n"
        "  manage.py coverage --area 430105000000 --variant online --json"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="12-digit division code (default: the top area of the inventory)")
        parser.add_argument("--variant", choices=[*VARIANTS, "both"], default="both", help="default: both")
        parser.add_argument("--json", action="store_true", help="print JSON instead of tables")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["area"] or default_area()
        if code is None:
            raise CommandError("No areas loaded: run `manage.py import_areas FILE` first, or pass --area.")
        variants = VARIANTS if options["variant"] == "both" else (options["variant"],)
        try:
            report = build_report(code, variants=variants)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(report), ending="")
