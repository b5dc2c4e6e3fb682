"""Reading and writing the tables planners exchange: CSV (UTF-8 with or without BOM, or GBK as Chinese Excel saves
it) and XLSX (one sheet per kind)."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook

Cell = str | int | float | bool | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class Sheet:
    """One table: a name (CSV file stem or XLSX sheet title), its header cells, and data rows with the row
    number a spreadsheet shows (the header is row 1)."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: a UTF-8 BOM, else UTF-8 if it decodes, else GB18030 (a superset of the
    GBK that Chinese Excel writes). Strict UTF-8 rarely decodes Chinese GBK text by accident, so the order is safe."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gbk"


def _blank(row: Sequence[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def read_csv(path: Path) -> tuple[Sheet, str]:
    text, encoding = decode(path.read_bytes())
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):  # one column, or no sample to go by: plain Excel CSV
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = list(reader)
    if not rows:
        return Sheet(path.stem, (), ()), encoding
    headers = tuple(h.strip() for h in rows[0])
    data = tuple((n, tuple(r)) for n, r in enumerate(rows[1:], start=2) if not _blank(r))
    return Sheet(path.stem, headers, data), encoding


def read_xlsx(path: Path) -> list[Sheet]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    sheets = []
    try:
        for ws in workbook.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if not rows or _blank(rows[0]):
                continue
            headers = tuple("" if h is None else str(h).strip() for h in rows[0])
            data = tuple((n, tuple(r)) for n, r in enumerate(rows[1:], start=2) if not _blank(r))
            sheets.append(Sheet(ws.title, headers, data))
    finally:
        workbook.close()
    return sheets


def read_tables(path: Path) -> tuple[list[Sheet], str]:
    """All tables in a .csv/.xlsx file and a word on the format read ("xlsx", "csv utf-8", "csv gbk", ...)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path), "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        sheet, encoding = read_csv(path)
        return [sheet], f"csv {encoding}"
    raise ValueError(f"{path.name}: unsupported file type {suffix!r} (use .csv or .xlsx)")


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]], encoding: str = "utf-8-sig") -> None:
    """UTF-8 with a BOM by default: Excel opens it as UTF-8 instead of guessing the locale's code page."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(["" if c is None else c for c in row] for row in rows)


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Cell]]]]) -> None:
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = workbook.create_sheet(title=title)
        ws.append(list(headers))
        for row in rows:
            ws.append(list(row))
    workbook.save(path)
