"""The columns of each importable kind: English and Chinese headers, how a cell is parsed, where it goes.

A cell parser gets the cell's text (never empty: empty cells mean "the field's default / blank") and returns the
value or raises ValueError with a reason a planner can act on.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from inventory.models import (
    AccessMode,
    BusinessSystem,
    Classification,
    CloudStatus,
    Department,
    Device,
    DeviceStatus,
    ExemptionReason,
    Site,
    SiteKind,
    SiteStatus,
    Zone,
)
from inventory.models.areas import CODE_RE

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """`key` is the English header (and the canonical name); `field` the model attribute it sets, or None for a
    reference column that the importer resolves (area, department, site, role, ...)."""

    key: str
    zh: str
    parse: Parser
    field: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str
    zh: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key columns, in order


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        return value

    return parse


def choice(choices: type[models.TextChoices], aliases: dict[str, str] | None = None) -> Parser:
    """Accepts the stored value, its English label, or a Chinese alias."""
    lookup = {str(c.value).lower(): str(c.value) for c in choices}
    lookup |= {str(c.label).lower(): str(c.value) for c in choices}
    lookup |= {k.lower(): v for k, v in (aliases or {}).items()}

    def parse(value: str) -> str:
        try:
            return lookup[value.lower()]
        except KeyError:
            allowed = ", ".join(str(c.value) for c in choices if c.value)
            raise ValueError(f"not one of: {allowed}") from None

    return parse


TRUE = {"1", "true", "yes", "y", "是", "对", "√", "✓"}
FALSE = {"0", "false", "no", "n", "否", "不", "×"}


def boolean(value: str) -> bool:
    low = value.lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise ValueError("expected 是/否 (yes/no, true/false, 1/0)")


def integer(low: int = 0, high: int | None = None) -> Parser:
    def parse(value: str) -> int:
        try:
            number = int(float(value)) if value.endswith(".0") else int(value)
        except ValueError:
            raise ValueError("not a whole number") from None
        if number < low or (high is not None and number > high):
            raise ValueError(f"must be between {low} and {high}" if high is not None else f"must be ≥ {low}")
        return number

    return parse


def decimal(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError("not a number") from None


def date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value[:10].replace("/", "-"))
    except ValueError:
        raise ValueError("expected a date as YYYY-MM-DD") from None


def ip_address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ValueError("not an IP address") from None


def area_code(value: str) -> str:
    if not CODE_RE.match(value):
        hint = " (Excel turned it into a number? format the column as text)" if "E+" in value.upper() else ""
        raise ValueError(f"a division code is exactly 12 digits{hint}")
    return value


def _max(model: type[models.Model], name: str) -> int:
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert isinstance(length, int)
    return length


SITE_KIND_ZH = {
    "部门": "department_office", "委办局": "department_office", "乡镇政府": "township_government",
    "街道办": "township_government", "乡镇/街道": "township_government", "村委会": "village_committee",
    "社区": "community_committee", "居委会": "community_committee", "便民服务中心": "service_centre",
    "服务中心": "service_centre", "数据中心": "data_centre", "网络管控中心": "network_centre", "其他": "other",
}  # fmt: skip
ACCESS_ZH = {"专线": "dedicated", "光纤专线": "dedicated"}
ZONE_ZH = {"公用网络区": "public", "专用网络区": "private", "互联网接入区": "internet"}
SITE_STATUS_ZH = {
    "规划": "planned",
    "计划": "planned",
    "已接入": "connected",
    "在用": "connected",
    "撤销": "decommissioned",
}
CLASS_ZH = {"公开": "public", "内部": "internal", "涉密": "classified"}
CLOUD_ZH = {"未启动": "not_started", "计划": "planned", "迁移中": "migrating", "已上云": "migrated", "豁免": "exempt"}
EXEMPT_ZH = {"涉密": "classified", "垂管": "vertical", "垂直管理": "vertical", "保留机房": "retained_dc"}
DEVICE_STATUS_ZH = {"规划": "planned", "在用": "active", "维护": "maintenance", "下线": "decommissioned"}

DEPARTMENTS = Kind(
    "departments",
    "部门",
    Department,
    (
        Column("name", "名称", text(_max(Department, "name")), "name", ("部门", "部门名称")),
        Column("short_name", "简称", text(_max(Department, "short_name")), "short_name"),
        Column("must_connect", "应连网", boolean, "must_connect", ("必须连网",)),
    ),
    ("name",),
)

SITES = Kind(
    "sites",
    "接入单位",
    Site,
    (
        Column("area_code", "区划代码", area_code, None, ("area", "区划", "统计用区划代码")),
        Column("name", "名称", text(_max(Site, "name")), "name", ("单位名称", "接入单位")),
        Column("kind", "类型", choice(SiteKind, SITE_KIND_ZH), "kind", ("单位类型",)),
        Column("access_mode", "接入方式", choice(AccessMode, ACCESS_ZH), "access_mode"),
        Column("zone", "网络区域", choice(Zone, ZONE_ZH), "zone"),
        Column("status", "状态", choice(SiteStatus, SITE_STATUS_ZH), "status"),
        Column("department", "部门", text(_max(Department, "name")), None, ("所属部门",)),
        Column("latitude", "纬度", decimal, "latitude"),
        Column("longitude", "经度", decimal, "longitude"),
    ),
    ("area_code", "name"),
)

SYSTEMS = Kind(
    "systems",
    "业务系统",
    BusinessSystem,
    (
        Column("department", "部门", text(_max(Department, "name")), None, ("所属部门",)),
        Column("name", "名称", text(_max(BusinessSystem, "name")), "name", ("系统名称",)),
        Column("classification", "密级", choice(Classification, CLASS_ZH), "classification"),
        Column("cloud_status", "上云状态", choice(CloudStatus, CLOUD_ZH), "cloud_status"),
        Column("exemption_reason", "豁免原因", choice(ExemptionReason, EXEMPT_ZH), "exemption_reason"),
        Column("exemption_note", "豁免依据", str, "exemption_note", ("豁免记录",)),
        Column("mlps_level", "等保级别", integer(1, 5), "mlps_level", ("等保等级",)),
        Column("migrated_on", "上云日期", date, "migrated_on"),
        Column("is_new", "新建系统", boolean, "is_new"),
        Column("vcpu_allocated", "vCPU分配", integer(), "vcpu_allocated"),
        Column("vcpu_used", "vCPU使用", integer(), "vcpu_used"),
        Column("ram_gb_allocated", "内存分配GB", integer(), "ram_gb_allocated"),
        Column("ram_gb_used", "内存使用GB", integer(), "ram_gb_used"),
        Column("storage_gb_allocated", "存储分配GB", integer(), "storage_gb_allocated"),
        Column("storage_gb_used", "存储使用GB", integer(), "storage_gb_used"),
    ),
    ("department", "name"),
)

DEVICES = Kind(
    "devices",
    "设备",
    Device,
    (
        Column("name", "名称", text(_max(Device, "name")), "name", ("设备名称",)),
        Column("area_code", "区划代码", area_code, None, ("区划",)),
        Column("site", "接入单位", text(_max(Site, "name")), None, ("站点", "单位名称")),
        Column("role", "角色", text(100), None, ("设备角色",)),
        Column("device_type", "型号", text(100), None, ("设备型号",)),
        Column("platform", "平台", text(100), None, ("操作系统",)),
        Column("management_ip", "管理地址", ip_address, "management_ip", ("管理IP",)),
        Column("snmp_port", "SNMP端口", integer(1, 65535), "snmp_port"),
        Column("status", "状态", choice(DeviceStatus, DEVICE_STATUS_ZH), "status"),
        Column("poller_group", "采集组", text(_max(Device, "poller_group")), "poller_group"),
        Column("credentials", "凭据", text(100), None, ("凭据模板", "credentials_profile")),
    ),
    ("name",),
)

KINDS = {k.name: k for k in (DEPARTMENTS, SITES, SYSTEMS, DEVICES)}  # also the order of writes
# Headers that look like secrets: refused outright, secrets go in a credentials profile, never in a sheet.
SECRET_WORDS = ("community", "password", "passwd", "secret", "auth_key", "priv_key", "密码", "团体", "密钥")


def kind_for_name(name: str) -> Kind | None:
    """A kind from a sheet title or file stem: "sites", "接入单位", "linyi-devices-2026" ..."""
    low = name.lower()
    for kind in KINDS.values():
        if kind.name in low or kind.zh in name or kind.name.rstrip("s") in low:
            return kind
    return None
