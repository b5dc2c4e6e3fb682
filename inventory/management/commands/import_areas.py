"""manage.py import_areas FILE: load a division-code table."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from inventory.importers.areas import import_areas
from inventory.importers.report import ImportFailed, render_errors
from yunwang.commands import ExamplesCommand


class Command(ExamplesCommand):
    help = (
        "Load areas from a CSV (or XLSX) with columns code,name[,parent_code] (Chinese headers 区划代码,名称,上级代码 "
        "work too; UTF-8 or GBK). All rows are checked first: one bad row and nothing is written. Re-running the "
        "same file changes nothing.\n\n"
        "Examples:\n"
        "  manage.py import_areas inventory/data/areas/430105.csv   # Kaifu district, the demo\n"
        "  manage.py import_areas inventory/data/areas/3713.csv     # Linyi city, 4,357 areas"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        started = time.monotonic()
        try:
            result = import_areas(path)
        except ImportFailed as exc:
            self.stderr.write(render_errors(exc.errors))
            raise CommandError(f"{path.name}: {exc}") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{path.name} ({result.file_format}): {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged in {time.monotonic() - started:.1f} s"
        )
