"""manage.py import_areas: the real division-code tables, bulk and idempotent, all-or-nothing on bad rows."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inventory.importers.areas import import_areas
from inventory.importers.report import ImportFailed
from inventory.models import Area, ChangeRecord

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "inventory" / "data" / "areas"


def test_kaifu_imports_with_levels_kinds_and_change_records() -> None:
    result = import_areas(DATA / "430105.csv")
    assert (result.created, result.updated, result.unchanged) == (134, 0, 0)
    street = Area.objects.get(code="430105001000")
    assert (street.level, street.kind, street.parent_id) == ("township", "street", "430105000000")
    assert Area.objects.get(code="430105001004").kind == "community"
    records = ChangeRecord.objects.filter(object_type="inventory.area")
    assert records.count() == 134
    assert set(records.values_list("actor", flat=True)) == {"import:430105.csv"}
    assert records.get(object_id="430105000000").changes["name"] == [None, "开福区"]


def test_reimport_changes_nothing_and_logs_nothing() -> None:
    import_areas(DATA / "430105.csv")
    before = ChangeRecord.objects.count()
    result = import_areas(DATA / "430105.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 134)
    assert ChangeRecord.objects.count() == before


def test_renamed_area_is_an_update_with_a_change_record(tmp_path: Path) -> None:
    import_areas(DATA / "430105.csv")
    path = tmp_path / "renamed.csv"
    path.write_text("code,name\n430105000000,开福新区\n430100000000,长沙市\n", encoding="utf-8")
    result = import_areas(path)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    record = ChangeRecord.objects.filter(object_id="430105000000", action="update").get()
    assert (record.actor, record.changes) == ("import:renamed.csv", {"name": ["开福区", "开福新区"]})


def test_bad_rows_write_nothing_and_are_all_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "区划代码,名称,上级代码\n"
        "430000000000,湖南省,\n"
        "43010000000,短代码,430000000000\n"  # row 3: 11 digits
        "430100000000,长沙市,430000000000\n"
        "430105000000,开福区,430000000000\n"  # row 5: wrong parent (a county's parent is the city)
        "430100000000,长沙市,430000000000\n"  # row 6: duplicate
        "430102000000,,430100000000\n"  # row 7: no name
        "4.30103E+11,天心区,430100000000\n"  # row 8: Excel mangled the code
        "450101000000,孤儿区,\n",  # row 9: parent 450100000000 nowhere
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as failed:
        import_areas(path)
    found = [(e.row, e.column) for e in failed.value.errors]
    assert found == [(3, "code"), (5, "parent_code"), (6, "code"), (7, "name"), (8, "code"), (9, "parent_code")]
    assert "Excel" in failed.value.errors[4].reason
    assert Area.objects.count() == 0
    assert ChangeRecord.objects.count() == 0


def test_gbk_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("code,name,parent_code\n430000000000,湖南省,\n430100000000,长沙市,430000000000\n".encode("gbk"))
    assert import_areas(path).created == 2
    assert Area.objects.get(code="430100000000").name == "长沙市"


def test_linyi_city_imports_in_seconds() -> None:
    started = time.monotonic()
    result = import_areas(DATA / "3713.csv")
    elapsed = time.monotonic() - started
    assert result.created == 4357
    assert Area.objects.filter(code__startswith="3713", level="village").count() > 3500
    assert elapsed < 15, elapsed  # generous for slow CI; ~1.5 s on a laptop-class core


def test_command_reports_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("code,name\n12345,坏\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_areas", str(path), stderr=err)
    assert "12345" in err.getvalue() and "12 digits" in err.getvalue()
    out = io.StringIO()
    call_command("import_areas", str(DATA / "430105.csv"), stdout=out)
    assert "134 created" in out.getvalue()
