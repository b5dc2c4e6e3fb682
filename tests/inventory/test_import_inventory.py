"""manage.py import_inventory: all-or-nothing with every bad row named, GBK/BOM CSV, XLSX, dry run, idempotence,
change records for every write."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inventory.importers.inventory import import_inventory
from inventory.importers.report import ImportFailed
from inventory.models import BusinessSystem, ChangeRecord, Department, Device, Site
from tests.inventory.inventory_files import (
    DEPARTMENTS,
    SITES,
    csv_text,
    load_reference_data,
    planner_workbook,
    write_workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data() -> None:
    load_reference_data()


def counts() -> tuple[int, int, int, int]:
    return (Department.objects.count(), Site.objects.count(), BusinessSystem.objects.count(), Device.objects.count())


def import_records() -> int:
    return ChangeRecord.objects.filter(actor__startswith="import:inv").count()


def test_workbook_imports_every_kind_with_change_records(tmp_path: Path) -> None:
    result = import_inventory(planner_workbook(tmp_path / "inv.xlsx"))
    assert [(s.kind, s.created, s.updated) for s in result.summaries] == [
        ("departments", 3, 0),
        ("sites", 4, 0),
        ("systems", 3, 0),
        ("devices", 2, 0),
    ]
    assert counts() == (3, 4, 3, 2)
    site = Site.objects.get(name="福城社区")
    assert (site.area_id, site.kind, site.access_mode, site.status) == (
        "430105001004",
        "community_committee",
        "vpn",
        "connected",
    )
    assert Site.objects.get(name="江滨社区").status == "planned"
    exempt = BusinessSystem.objects.get(name="涉密档案系统")
    assert (exempt.cloud_status, exempt.exemption_reason, exempt.exemption_note) == (
        "exempt",
        "classified",
        "保密局 2023-12号",
    )
    core = Device.objects.get(name="kaifu-core-1")
    assert (core.role.slug, core.device_type.model, core.credentials.name) == ("core", "S12700E", "区县")  # type: ignore[union-attr]
    assert import_records() == 12
    record = ChangeRecord.objects.get(object_type="inventory.site", object_id=str(site.pk))
    assert (record.actor, record.action, record.changes["name"]) == ("import:inv.xlsx", "create", [None, "福城社区"])


def test_reimport_changes_nothing(tmp_path: Path) -> None:
    path = planner_workbook(tmp_path / "inv.xlsx")
    import_inventory(path)
    before = ChangeRecord.objects.count()
    again = import_inventory(path)
    assert [(s.created, s.updated, s.unchanged) for s in again.summaries] == [
        (0, 0, 3),
        (0, 0, 4),
        (0, 0, 3),
        (0, 0, 2),
    ]
    assert ChangeRecord.objects.count() == before


def test_changed_cell_is_one_update_with_its_change_record(tmp_path: Path) -> None:
    import_inventory(planner_workbook(tmp_path / "inv.xlsx"))
    path = tmp_path / "sites.csv"
    rows: list[list[object]] = [SITES[0], [*SITES[4][:4], "已接入", *SITES[4][5:]]]  # 江滨社区: planned -> connected
    path.write_text(csv_text(rows), encoding="utf-8")
    result = import_inventory(path)
    assert [(s.kind, s.updated, s.changes) for s in result.summaries] == [
        ("sites", 1, [("430105001005 / 江滨社区", ("status",))])
    ]
    record = ChangeRecord.objects.get(action="update", object_type="inventory.site")
    assert (record.actor, record.changes) == ("import:sites.csv", {"status": ["planned", "connected"]})


def test_bad_rows_anywhere_write_nothing_and_are_all_named(tmp_path: Path) -> None:
    sites: list[list[object]] = [
        SITES[0],
        SITES[1],
        ["43010500000", "短代码", "", "专线", "", "", None, None],  # row 3: 11 digits
        ["430105999999", "不存在", "", "专线", "", "", None, None],  # row 4: no such area
        ["430105001004", "福城社区", "卫星站", "光纤", "", "无此部门", 95, 112],  # row 5: kind, mode, dept
        SITES[1],  # row 6: same site as row 2
    ]
    systems: list[list[object]] = [
        ["部门", "名称", "上云状态", "豁免原因", "等保级别"],
        ["开福区数据局", "系统甲", "豁免", "", 3],  # row 2: exempt without a reason (the model's rule)
        ["开福区数据局", "系统乙", "已上云", "", 7],  # row 3: MLPS level out of range
    ]
    path = write_workbook(tmp_path / "inv.xlsx", {"departments": DEPARTMENTS, "sites": sites, "systems": systems})
    with pytest.raises(ImportFailed) as failed:
        import_inventory(path)
    found = [(e.sheet, e.row, e.column) for e in failed.value.errors]
    assert found == [
        ("sites", 3, "area_code"),
        ("sites", 4, "area_code"),
        ("sites", 5, "kind"),
        ("sites", 5, "access_mode"),
        ("sites", 5, "department"),
        ("sites", 6, ""),
        ("systems", 2, "exemption_reason"),
        ("systems", 3, "mlps_level"),
    ]
    assert "12 digits" in failed.value.errors[0].reason
    assert counts() == (0, 0, 0, 0)
    assert import_records() == 0


def test_model_rules_apply_per_row(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    rows: list[list[object]] = [
        SITES[0],
        ["430105001004", "福城社区", "社区", "VPN", "", "", 95, 112],
        ["430105001004", "无坐标", "", "", "", "", 28, None],
    ]
    path.write_text(csv_text(rows), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_inventory(path)
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "latitude"), (3, "longitude")]


def test_gbk_csv_with_chinese_headers(tmp_path: Path) -> None:
    call_command("import_inventory", str(write_dept(tmp_path)), stdout=io.StringIO())
    path = tmp_path / "接入单位.csv"
    path.write_bytes(csv_text(SITES).encode("gbk"))
    result = import_inventory(path)
    assert result.file_format == "csv gbk"
    assert Site.objects.get(name="开福区政务外网中心").department.name == "开福区数据局"  # type: ignore[union-attr]


def test_utf8_bom_csv_with_kind_flag(tmp_path: Path) -> None:
    path = tmp_path / "export-2026.csv"
    path.write_bytes(csv_text(DEPARTMENTS).encode("utf-8-sig"))
    result = import_inventory(path, kind="departments")
    assert result.file_format == "csv utf-8-sig"
    assert Department.objects.get(name="开福区档案馆").must_connect is False


def write_dept(tmp_path: Path) -> Path:
    path = tmp_path / "departments.csv"
    path.write_text(csv_text(DEPARTMENTS), encoding="utf-8")
    return path


def test_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_inventory", str(planner_workbook(tmp_path / "inv.xlsx")), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "would create" in text and "dry run, nothing written" in text
    assert "sites        4" in text
    assert counts() == (0, 0, 0, 0)
    assert ChangeRecord.objects.filter(actor="import:inv.xlsx").count() == 0


def test_secret_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "devices.csv"
    path.write_text("name,site,role,snmp_community\nx,开福区政务外网中心,core,public\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_inventory(path)
    assert [(e.row, e.column) for e in failed.value.errors] == [(1, "snmp_community")]
    assert "credentials profile" in failed.value.errors[0].reason


def test_unknown_kind_and_command_error_table(tmp_path: Path) -> None:
    path = tmp_path / "stuff.csv"
    path.write_text("name\nx\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_inventory", str(path), stderr=err)
    assert "cannot tell the kind" in err.getvalue()


def test_numbers_typed_into_excel_cells(tmp_path: Path) -> None:
    # Excel stores a code typed without a leading apostrophe as a number, and counts as floats.
    rows: list[list[object]] = [SITES[0], [430105001004, "福城社区", "社区", "VPN", "已接入", "", 28.2, 112.9]]
    import_inventory(write_workbook(tmp_path / "inv.xlsx", {"接入单位": rows}))
    assert Site.objects.get(name="福城社区").area_id == "430105001004"


def test_device_references_must_exist(tmp_path: Path) -> None:
    import_inventory(planner_workbook(tmp_path / "inv.xlsx"))
    path = tmp_path / "devices.csv"
    rows: list[list[object]] = [
        ["name", "site", "role", "platform", "management_ip", "credentials"],
        ["d1", "开福区政务外网中心", "router", "huawei_vrp", "127.0.10.9", ""],  # unknown role
        ["d2", "无此单位", "core", "", "127.0.10.10", ""],  # unknown site
        ["d3", "开福区政务外网中心", "core", "", "not-an-ip", "无此凭据"],  # bad IP, unknown profile
        ["d4", "开福区政务外网中心", "core", "", "", ""],  # active without a management IP (model rule)
    ]
    path.write_text(csv_text(rows), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_inventory(path)
    assert [(e.row, e.column) for e in failed.value.errors] == [
        (2, "role"),
        (3, "site"),
        (4, "management_ip"),
        (4, "credentials"),
        (5, "management_ip"),
    ]
