"""manage.py export_inventory FILE: the inventory in the importer's own columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from inventory.importers.columns import KINDS, kind_for_name
from inventory.importers.export import export_inventory
from yunwang.commands import ExamplesCommand


class Command(ExamplesCommand):
    help = (
        "Export sites, departments, business systems and devices. FILE.xlsx gets one sheet per kind (all kinds "
        "unless --kind is given); FILE.csv holds one kind (--kind, or guessed from the file name). The columns "
        "are the ones import_inventory reads, so an Excel round trip works. Secrets are never exported.\n\n"
        "Examples:\n"
        "  manage.py export_inventory inventory.xlsx\n"
        "  manage.py export_inventory sites.csv --area 371302000000 --chinese-headers --encoding gbk"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", action="append", choices=list(KINDS), help="repeatable; default: all (XLSX)")
        parser.add_argument("--area", help="only sites/devices in this area's subtree (12-digit code)")
        parser.add_argument("--chinese-headers", action="store_true", help="中文表头 and sheet names")
        parser.add_argument("--encoding", choices=["utf-8-sig", "utf-8", "gbk"], default="utf-8-sig", help="CSV only")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        kinds = options["kind"]
        if not kinds and path.suffix.lower() == ".csv":
            guessed = kind_for_name(path.stem)
            kinds = [guessed.name] if guessed else None
        try:
            counts = export_inventory(
                path,
                kinds=kinds,
                area_code=options["area"],
                chinese_headers=options["chinese_headers"],
                encoding=options["encoding"],
            )
        except (ValueError, UnicodeEncodeError) as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(f"{path}: {summary}")
