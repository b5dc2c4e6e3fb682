"""manage.py export_inventory: the importer's own columns, so an Excel round trip changes nothing; no secrets."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from inventory.importers.export import export_inventory
from inventory.importers.inventory import import_inventory
from inventory.models import ChangeRecord, Site
from tests.inventory.inventory_files import COMMUNITY, load_reference_data, planner_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path: Path) -> None:
    load_reference_data()
    import_inventory(planner_workbook(tmp_path / "planner.xlsx"))


def test_xlsx_round_trip_changes_nothing(loaded: None, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    assert export_inventory(path) == {"departments": 3, "sites": 4, "systems": 3, "devices": 2}
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["departments", "sites", "systems", "devices"]
    sites = list(workbook["sites"].iter_rows(values_only=True))
    assert sites[0][:4] == ("area_code", "name", "kind", "access_mode")
    assert ("430105001004", "福城社区", "community_committee", "vpn") in [row[:4] for row in sites]
    before = ChangeRecord.objects.count()
    result = import_inventory(path)
    assert [(s.created, s.updated) for s in result.summaries] == [(0, 0)] * 4
    assert ChangeRecord.objects.count() == before


def test_edited_export_imports_the_edit(loaded: None, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    export_inventory(path, chinese_headers=True)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["部门", "接入单位", "业务系统", "设备"]
    ws = workbook["接入单位"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["区划代码", "名称"]
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "江滨社区":
            row[header.index("状态")].value = "已接入"  # a planner marks the community connected
    workbook.save(path)
    result = import_inventory(path)
    assert [(s.kind, s.updated) for s in result.summaries if s.updated] == [("sites", 1)]
    assert Site.objects.get(name="江滨社区").status == "connected"


def test_csv_per_kind_in_gbk_round_trips(loaded: None, tmp_path: Path) -> None:
    path = tmp_path / "devices.csv"
    out = io.StringIO()
    call_command("export_inventory", str(path), "--encoding", "gbk", "--chinese-headers", stdout=out)
    assert "2 devices" in out.getvalue()
    text = path.read_bytes().decode("gbk")
    assert text.startswith("名称,区划代码,接入单位,角色")
    assert "kaifu-core-1,430105000000,开福区政务外网中心,core,huawei-s12700e,huawei_vrp,127.0.10.1" in text
    result = import_inventory(path)
    assert result.file_format == "csv gbk"
    assert [(s.kind, s.unchanged) for s in result.summaries] == [("devices", 2)]


def test_exports_never_carry_secrets(loaded: None, tmp_path: Path) -> None:
    xlsx, csv = tmp_path / "all.xlsx", tmp_path / "devices.csv"
    export_inventory(xlsx)
    export_inventory(csv, kinds=["devices"])
    cells = [str(c) for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "区县" in cells  # the profile is named ...
    assert not any(COMMUNITY in c or "pw-x" in c for c in cells)  # ... its secrets are not there
    assert COMMUNITY not in csv.read_text(encoding="utf-8-sig")


def test_area_filter(loaded: None, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    assert export_inventory(path, kinds=["sites"], area_code="430105001000") == {"sites": 3}
