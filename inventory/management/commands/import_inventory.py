"""manage.py import_inventory FILE: sites, departments, business systems and devices from CSV/XLSX."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from inventory.importers.columns import KINDS
from inventory.importers.inventory import import_inventory
from inventory.importers.report import ImportFailed, render_errors, render_summary
from yunwang.commands import ExamplesCommand


class Command(ExamplesCommand):
    help = (
        "Import sites (接入单位), departments (部门), business systems (业务系统) and devices (设备) from an XLSX "
        "workbook (one sheet per kind, sheets named by kind in English or Chinese) or a CSV holding one kind "
        "(named by --kind or by the file name, e.g. sites.csv; UTF-8, UTF-8 with BOM or GBK). Headers may be "
        "English or Chinese. Rows are matched on natural keys (department name; site area code + name; system "
        "department + name; device name): re-importing the same file changes nothing. One bad row and nothing "
        "is written; every bad row is listed.\n\n"
        "Examples:\n"
        "  manage.py import_inventory inventory.xlsx --dry-run\n"
        "  manage.py import_inventory 接入单位.csv\n"
        "  manage.py import_inventory export.csv --kind devices"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=list(KINDS), help="what a CSV holds (default: from the file name)")
        parser.add_argument("--dry-run", action="store_true", help="check and report the planned changes only")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        started = time.monotonic()
        try:
            result = import_inventory(path, kind=options["kind"], dry_run=options["dry_run"])
        except ImportFailed as exc:
            self.stderr.write(render_errors(exc.errors))
            raise CommandError(f"{path.name}: {exc}") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(render_summary(result.summaries, dry_run=result.dry_run))
        done = "dry run, nothing written" if result.dry_run else "committed"
        self.stdout.write(f"{path.name} ({result.file_format}): {done} in {time.monotonic() - started:.1f} s")
