"""A small hand-built network for the metrics, webhook and Prometheus tests (answers computed by hand).

core1 (county network centre, up, uptime 1000 s)
  └─ GE0/0/1 ══ uplink ══ GE0/0/24 ─ agg1 (township, unreachable)
                                         └─ GE0/0/2 ══ access ══ GE0/0/1 ─ acc1 (village, isolated by agg1)
new1: never polled (no up sample)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from inventory.models import (
    Area,
    BusinessSystem,
    ComplianceResult,
    Department,
    Device,
    DeviceRole,
    DeviceType,
    Interface,
    InterfaceCounters,
    Link,
    Manufacturer,
    PollCycle,
    Site,
    VpnAccount,
)

COUNTY = "430105000000"
TOWNSHIP = "430105001000"
VILLAGE = "430105001001"
SECRET_SERIAL = "SN-2102351234567890"


@dataclass(frozen=True)
class SmallNetwork:
    core1: Device
    agg1: Device
    acc1: Device
    uplink: Link
    access_link: Link
    now: datetime.datetime


def _areas() -> None:
    parent = None
    for code, name in (
        ("430000000000", "湖南省"),
        ("430100000000", "长沙市"),
        (COUNTY, "开福区"),
        (TOWNSHIP, "东风路街道"),
        (VILLAGE, "东风社区"),
    ):
        parent = Area.objects.create(code=code, name=name, parent=parent)


def _device(name: str, site: Site, role: DeviceRole, dtype: DeviceType, ip: str, **observed: object) -> Device:
    device = Device.objects.create(name=name, site=site, role=role, device_type=dtype, management_ip=ip)
    if observed:
        Device.objects.filter(pk=device.pk).update(**observed)
        device.refresh_from_db()
    return device


def _iface(device: Device, if_index: int, name: str, **state: object) -> Interface:
    return Interface.objects.create(device=device, if_index=if_index, name=name, monitored=True, **state)


def _link(a: Interface, b: Interface, kind: str, up: bool | None) -> Link:
    link = Link.objects.create(a_interface=a, b_interface=b, kind=kind)
    Link.objects.filter(pk=link.pk).update(oper_up=up)
    link.refresh_from_db()
    return link


def build_small_network() -> SmallNetwork:
    now = timezone.now().replace(microsecond=0)
    _areas()
    huawei = Manufacturer.objects.create(name="Huawei", slug="huawei", enterprise_number=2011)
    dtype = DeviceType.objects.create(manufacturer=huawei, model="S5735", slug="s5735")
    core, agg, access = (DeviceRole.objects.create(name=r, slug=r) for r in ("core", "aggregation", "access"))
    centre = Site.objects.create(name="网络控制中心", area_id=COUNTY, kind="network_centre")
    street = Site.objects.create(name="东风路街道办", area_id=TOWNSHIP, kind="township_government")
    community = Site.objects.create(
        name="东风社区居委会", area_id=VILLAGE, kind="community_committee", access_mode="vpn"
    )
    core1 = _device(
        "core1", centre, core, dtype, "127.0.0.11", reachable=True, uptime_seconds=1000.0, last_seen=now,
        last_polled=now, serial=SECRET_SERIAL,
    )  # fmt: skip
    agg1 = _device("agg1", street, agg, dtype, "127.0.0.12", reachable=False, last_polled=now)
    acc1 = _device("acc1", community, access, dtype, "127.0.0.13", reachable=False, last_polled=now, isolated=True)
    Device.objects.filter(pk=acc1.pk).update(isolated_by=agg1)
    _device("new1", community, access, dtype, "127.0.0.14")
    c_up = _iface(core1, 1, "GE0/0/1", admin_status=1, oper_status=2, speed_bps=1_000_000_000)
    a_up = _iface(agg1, 24, "GE0/0/24", admin_status=1, oper_status=None)
    a_down = _iface(agg1, 2, "GE0/0/2", admin_status=2)
    x_up = _iface(acc1, 1, "GE0/0/1")
    Interface.objects.create(device=core1, if_index=9, name="GE0/0/9", monitored=False, admin_status=1, oper_status=1)
    InterfaceCounters.objects.create(
        interface=c_up, in_octets=123456, out_octets=654321, in_errors=3, out_errors=0, collected_at=now
    )
    uplink = _link(c_up, a_up, "uplink", up=False)
    access_link = _link(a_down, x_up, "access", up=None)
    _history(now, core1, agg1)
    _organisations(community)
    return SmallNetwork(core1, agg1, acc1, uplink, access_link, now)


def _history(now: datetime.datetime, core1: Device, agg1: Device) -> None:
    minute = datetime.timedelta(minutes=1)
    PollCycle.objects.create(kind="status", started_at=now - 10 * minute, finished_at=now - 9 * minute,
                             duration_seconds=60.0, polled=4, failed=0)  # fmt: skip
    PollCycle.objects.create(
        kind="status", started_at=now - 2 * minute, finished_at=now - minute, duration_seconds=42.5, polled=4,
        failed=2, failed_by_reason={"timeout": 2},
    )  # fmt: skip
    PollCycle.objects.create(kind="status", started_at=now, skipped=True)
    ComplianceResult.objects.create(
        device=core1, check_id="ssh_only", status="pass", checked_at=now - 60 * minute, current=False
    )
    ComplianceResult.objects.create(device=core1, check_id="ssh_only", status="fail", checked_at=now)
    ComplianceResult.objects.create(device=agg1, check_id="ssh_only", status="pass", checked_at=now)
    ComplianceResult.objects.create(device=agg1, check_id="banner", status="not_applicable", checked_at=now)


def _organisations(community: Site) -> None:
    health = Department.objects.create(name="卫健委")
    for i, status in enumerate(("migrated", "migrated", "not_started")):
        BusinessSystem.objects.create(name=f"系统{i}", department=health, cloud_status=status)
    BusinessSystem.objects.create(
        name="涉密系统", department=health, classification="classified", cloud_status="exempt",
        exemption_reason="classified",
    )  # fmt: skip
    VpnAccount.objects.create(account="vpn-dongfeng-1", site=community, online=True)
    VpnAccount.objects.create(account="vpn-dongfeng-2", site=community, enabled=False)
