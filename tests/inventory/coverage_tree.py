"""A hand-built area tree and inventory whose coverage figures are worked out by hand in the tests.

City 430100000000 with three counties:
  430105 (A): townships 001 (street), 002 (street), 100 (town), 003 (merged, out of denominators)
  430102 (B): townships 001, 002
  430104 (C): exempt county (its township and village are out too)
Villages: A/001: 001, 002 (communities), 201 (village), 202 (exempt village); A/100: 201 (village);
          B/001: 001 (community); C/001: 001.
Sites (access points):
  S1 county A office, dedicated, connected, device reachable now           -> online
  S2 A/001 township government, dedicated, connected, device last seen 48 h ago -> registered only
  S3 village A/001/001, vpn, connected, VPN account seen online 2 h ago  -> online
  S4 village A/001/201, vpn, PLANNED                                       -> not counted at all
  S5 village A/100/201, dedicated, connected, device down for 30 h but a link of it is up -> online
  S6 village B/001/001, vpn, connected, no device, VPN last seen 40 days ago -> registered only
  S7 village C/001/001 (exempt county), S8 village A/001/202 (exempt village): connected, never counted
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from inventory.models import (
    Area,
    BusinessSystem,
    Department,
    Device,
    DeviceRole,
    EventKind,
    Interface,
    Link,
    Site,
    StatusEvent,
    VpnAccount,
)
from inventory.models.areas import parent_code_of

NOW = timezone.now().replace(microsecond=0)  # the command under test uses the real clock
CITY = "430100000000"
A, B, C = "430105000000", "430102000000", "430104000000"

AREAS = [
    ("430000000000", "湖南省", ""),
    (CITY, "长沙市", ""),
    (A, "开福区", ""),
    (B, "芙蓉区", ""),
    (C, "天心开发区", "exempt"),
    ("430105001000", "街道一", ""),
    ("430105002000", "街道二", ""),
    ("430105100000", "镇一", ""),
    ("430105003000", "已撤并街道", "merged"),
    ("430102001000", "芙蓉街道一", ""),
    ("430102002000", "芙蓉街道二", ""),
    ("430104001000", "开发区街道", ""),
    ("430105001001", "社区一", ""),
    ("430105001002", "社区二", ""),
    ("430105001201", "村一", ""),
    ("430105001202", "豁免村", "exempt"),
    ("430105100201", "镇村", ""),
    ("430102001001", "芙蓉社区", ""),
    ("430104001001", "开发区社区", ""),
]


@dataclass(frozen=True)
class Tree:
    d1: Department
    d2: Department
    link: Link


def build_tree() -> Tree:
    for code, name, exclusion in AREAS:
        Area.objects.create(
            code=code,
            name=name,
            parent_id=parent_code_of(code),
            exclusion=exclusion,
            exclusion_reason="recorded reason" if exclusion else "",
        )
    d1 = Department.objects.create(name="区政务服务中心")
    d2 = Department.objects.create(name="区档案馆")
    Department.objects.create(name="区协会", must_connect=False)
    role = DeviceRole.objects.create(name="access", slug="access")

    def site(name: str, area: str, mode: str, status: str = "connected", dept: Department | None = None) -> Site:
        return Site.objects.create(name=name, area_id=area, access_mode=mode, status=status, department=dept)

    def device(name: str, s: Site, reachable: bool | None, seen_hours_ago: float | None) -> Device:
        seen = None if seen_hours_ago is None else NOW - datetime.timedelta(hours=seen_hours_ago)
        dev = Device.objects.create(name=name, site=s, role=role, management_ip="127.0.0.1")
        Device.objects.filter(pk=dev.pk).update(reachable=reachable, last_seen=seen)  # observed fields
        return dev

    s1 = site("S1", A, "dedicated", dept=d1)
    dev1 = device("dev1", s1, True, 0.1)
    s2 = site("S2", "430105001000", "dedicated")
    device("dev2", s2, False, 48)
    s3 = site("S3", "430105001001", "vpn")
    site("S4", "430105001201", "vpn", status="planned")
    s5 = site("S5", "430105100201", "dedicated")
    dev5 = device("dev5", s5, False, 30)
    s6 = site("S6", "430102001001", "vpn")
    site("S7", "430104001001", "dedicated")
    site("S8", "430105001202", "dedicated")

    up = Interface.objects.create(device=dev1, name="GE0/0/1", if_index=1)
    down = Interface.objects.create(device=dev5, name="GE0/0/24", if_index=24)
    link = Link.objects.create(a_interface=up, b_interface=down)
    Link.objects.filter(pk=link.pk).update(oper_up=True, last_change=NOW - datetime.timedelta(days=3))

    v1 = VpnAccount.objects.create(account="vpn-s3", site=s3)
    v2 = VpnAccount.objects.create(account="vpn-s6", site=s6)
    VpnAccount.objects.create(account="vpn-off", site=s6, enabled=False)
    VpnAccount.objects.filter(pk=v1.pk).update(last_seen_online=NOW - datetime.timedelta(hours=2))
    VpnAccount.objects.filter(pk=v2.pk).update(last_seen_online=NOW - datetime.timedelta(days=40))
    hours = [(v1, EventKind.VPN_UP, 5), (v2, EventKind.VPN_UP, 4), (v1, EventKind.VPN_DOWN, 3)]
    for account, kind, ago in hours:
        StatusEvent.objects.create(
            time=NOW - datetime.timedelta(hours=ago), kind=kind, device=dev1, vpn_account=account
        )
    return Tree(d1, d2, link)


def build_systems(d1: Department, d2: Department) -> None:
    """上云率 by hand: should migrate = sys1, sys2, sys5, sys6 (4); migrated = sys1, sys5 (2); exempt = sys3, sys4."""
    mk = BusinessSystem.objects.create
    mk(name="sys1", department=d1, cloud_status="migrated", vcpu_allocated=8, vcpu_used=4, ram_gb_allocated=16)
    mk(name="sys2", department=d1, cloud_status="not_started")
    mk(name="sys3", department=d1, cloud_status="exempt", exemption_reason="vertical", exemption_note="省垂管 2021-7号")
    mk(name="sys4", department=d1, cloud_status="exempt", exemption_reason="classified", classification="classified")
    mk(name="sys5", department=d2, cloud_status="migrated", is_new=True, vcpu_allocated=4, vcpu_used=3)
    mk(name="sys6", department=d2, cloud_status="planned", is_new=True)


__all__ = ["A", "B", "C", "CITY", "NOW", "Tree", "build_systems", "build_tree"]
