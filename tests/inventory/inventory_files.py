"""Shared set-up for the import/export tests: Kaifu areas, reference data, and a planner's workbook."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from inventory.importers.areas import import_areas
from inventory.models import CredentialProfile, DeviceRole, DeviceType, Manufacturer, Platform

DATA = Path(__file__).resolve().parents[2] / "inventory" / "data" / "areas"
COMMUNITY = "s3cr3t-community-kaifu"

DEPARTMENTS: list[list[object]] = [
    ["名称", "简称", "应连网"],
    ["开福区数据局", "数据局", "是"],
    ["开福区民政局", "民政局", "是"],
    ["开福区档案馆", "", "否"],
]
SITES: list[list[object]] = [
    ["区划代码", "名称", "类型", "接入方式", "状态", "部门", "纬度", "经度"],
    ["430105000000", "开福区政务外网中心", "网络管控中心", "专线", "已接入", "开福区数据局", 28.255, 112.985],
    ["430105001000", "芙蓉北路街道办", "乡镇政府", "专线", "已接入", "", None, None],
    ["430105001004", "福城社区", "社区", "VPN", "已接入", "", None, None],
    ["430105001005", "江滨社区", "社区", "vpn", "规划", "开福区民政局", None, None],
]
SYSTEMS: list[list[object]] = [
    ["部门", "名称", "密级", "上云状态", "豁免原因", "豁免依据", "等保级别", "上云日期", "新建系统"],
    ["开福区数据局", "政务服务平台", "内部", "已上云", "", "", 3, "2024-05-01", "是"],
    ["开福区民政局", "低保系统", "内部", "迁移中", "", "", 2, None, "否"],
    ["开福区民政局", "涉密档案系统", "涉密", "豁免", "涉密", "保密局 2023-12号", 3, None, "否"],
]
DEVICES: list[list[object]] = [
    ["名称", "区划代码", "接入单位", "角色", "型号", "平台", "管理地址", "状态", "凭据"],
    [
        "kaifu-core-1",
        "430105000000",
        "开福区政务外网中心",
        "core",
        "S12700E",
        "huawei_vrp",
        "127.0.10.1",
        "在用",
        "区县",
    ],
    ["furong-agg-1", "430105001000", "芙蓉北路街道办", "aggregation", "", "huawei_vrp", "127.0.10.2", "active", ""],
]


def load_reference_data() -> None:
    import_areas(DATA / "430105.csv")
    for slug in ("core", "aggregation", "access"):
        DeviceRole.objects.create(name=slug, slug=slug)
    huawei = Manufacturer.objects.create(name="Huawei", slug="huawei", enterprise_number=2011)
    Platform.objects.create(name="Huawei VRP", slug="huawei_vrp", manufacturer=huawei, netmiko_device_type="huawei_vrp")
    DeviceType.objects.create(manufacturer=huawei, model="S12700E", slug="huawei-s12700e")
    CredentialProfile.objects.create(name="区县", snmp_version="2c", snmp_community=COMMUNITY, ssh_password="pw-x")


def write_workbook(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    workbook.save(path)
    return path


def planner_workbook(path: Path) -> Path:
    """Chinese sheet names and headers, Chinese choice labels: what a planner types in Excel."""
    return write_workbook(path, {"部门": DEPARTMENTS, "接入单位": SITES, "业务系统": SYSTEMS, "设备": DEVICES})


def csv_text(rows: Sequence[Sequence[object]]) -> str:
    return "".join(",".join("" if c is None else str(c) for c in row) + "\r\n" for row in rows)
