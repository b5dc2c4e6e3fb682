"""A small extranet for the page tests, the browser tests and the page benchmark.

`build_network(n)` makes a county with townships and villages, sites, n devices in every state the board knows,
interfaces, links, events, a config backup and compliance results, business systems and exemptions. Bulk
writes keep it quick at 10,000 devices.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from dashboards.roles import sync_groups
from inventory.models import (
    AccessMode,
    Area,
    BusinessSystem,
    CheckStatus,
    Classification,
    CloudStatus,
    ComplianceResult,
    ConfigBackup,
    Department,
    Device,
    DeviceRole,
    DeviceType,
    Discovery,
    EventKind,
    ExemptionReason,
    Interface,
    Link,
    LinkKind,
    Manufacturer,
    Site,
    SiteKind,
    StatusEvent,
)

CITY = "430100000000"
COUNTY = "430105000000"
PASSWORD = "pages-test-pw-1"  # test-only accounts on a throwaway database


@dataclass(frozen=True)
class Network:
    core: Device
    down: Device
    isolated: Device
    townships: list[str]
    villages: list[str]


def make_user(username: str, *roles: str) -> User:
    sync_groups()
    user = User.objects.create_user(username=username, password=PASSWORD)
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


def _areas(townships: int, villages_per_township: int) -> tuple[list[str], list[str]]:
    Area.objects.get_or_create(code="430000000000", defaults={"name": "湖南省"})
    Area.objects.get_or_create(code=CITY, defaults={"name": "长沙市", "parent_id": "430000000000"})
    Area.objects.get_or_create(code=COUNTY, defaults={"name": "开福区", "parent_id": CITY})
    town_codes, village_codes = [], []
    for t in range(1, townships + 1):
        code = f"430105{t:03d}000"
        Area.objects.create(code=code, name=f"第{t}街道", parent_id=COUNTY)
        town_codes.append(code)
        for v in range(1, villages_per_township + 1):
            number = v if v % 2 else 200 + v  # odd: community (001-199), even: village (200-399)
            vcode = f"430105{t:03d}{number:03d}"
            Area.objects.create(code=vcode, name=f"第{t}街道{v}号{'社区' if number < 200 else '村'}", parent_id=code)
            village_codes.append(vcode)
    return town_codes, village_codes


def build_network(devices: int = 20, *, townships: int = 3, villages_per_township: int = 4) -> Network:
    """Areas, sites, `devices` devices in every board state, and the history the device page shows."""
    now = timezone.now()
    towns, villages = _areas(townships, villages_per_township)
    huawei = Manufacturer.objects.create(name="Huawei", slug="huawei", enterprise_number=2011)
    h3c = Manufacturer.objects.create(name="H3C", slug="h3c", enterprise_number=25506)
    s5700 = DeviceType.objects.create(manufacturer=huawei, model="S5700", slug="s5700")
    s5560 = DeviceType.objects.create(manufacturer=h3c, model="S5560", slug="s5560")
    core_role = DeviceRole.objects.create(name="core", slug="core")
    access_role = DeviceRole.objects.create(name="access", slug="access")
    centre = Site.objects.create(name="网络控制中心", area_id=COUNTY, kind=SiteKind.NETWORK_CENTRE)
    # Half the villages get a site: odd-numbered ones by dedicated line, every fourth by VPN.
    sites = [centre]
    for i, code in enumerate(villages):
        if i % 2 == 0:
            mode = AccessMode.VPN if i % 4 == 0 else AccessMode.DEDICATED
            sites.append(Site.objects.create(name=f"接入点{i}", area_id=code, access_mode=mode))
    polled = now - datetime.timedelta(minutes=1)
    core = Device.objects.create(
        name="kf-core-1",
        site=centre,
        role=core_role,
        device_type=s5700,
        management_ip="127.10.0.1",
        serial="HW-CORE-0001",
        reachable=True,
        last_polled=polled,
        last_seen=polled,
        uptime_seconds=86400 * 3 + 7,
        sys_name="kf-core-1",
        os_version="VRP V200R019",
    )
    rows = []
    for i in range(1, devices):
        state = i % 10
        rows.append(
            Device(
                name=f"kf-acc-{i:05d}",
                site=sites[1 + i % (len(sites) - 1)],
                role=access_role,
                device_type=s5560 if i % 3 else s5700,
                management_ip=f"127.11.{i // 250}.{i % 250 + 1}",
                serial=f"SN{i:07d}",
                reachable=None if state == 9 else state not in (1, 2),
                last_polled=None if state == 9 else (now - datetime.timedelta(hours=2) if state == 8 else polled),
                isolated=state == 2,
                poll_error_kind="timeout" if state == 1 else "",
                poll_error="no SNMP response within 2 s" if state == 1 else "",
            )
        )
    Device.objects.bulk_create(rows, batch_size=2000)
    Device.objects.filter(isolated=True).update(isolated_by=core)
    down = Device.objects.filter(reachable=False, isolated=False).order_by("name").first()
    isolated = Device.objects.filter(isolated=True).order_by("name").first()
    assert down is not None and isolated is not None, "need at least 3 devices"
    _history(core, down, isolated, now)
    _systems()
    return Network(core=core, down=down, isolated=isolated, townships=towns, villages=villages)


def _history(core: Device, down: Device, isolated: Device, now: datetime.datetime) -> None:
    up_if = Interface.objects.create(
        device=core,
        if_index=1,
        name="GE0/0/1",
        alias="至第1街道",
        admin_status=1,
        oper_status=1,
        speed_bps=1_000_000_000,
    )
    down_if = Interface.objects.create(device=core, if_index=2, name="GE0/0/2", admin_status=1, oper_status=2)
    far = Interface.objects.create(device=isolated, if_index=49, name="GE1/0/49", admin_status=1, oper_status=2)
    far_up = Interface.objects.create(device=down, if_index=49, name="GE1/0/49", admin_status=1, oper_status=1)
    Link.objects.create(a_interface=down_if, b_interface=far, kind=LinkKind.UPLINK, oper_up=False, lldp_confirmed=True)
    Link.objects.create(a_interface=up_if, b_interface=far_up, kind=LinkKind.UPLINK, oper_up=True)
    Discovery.objects.create(
        seen_by=core,
        local_port="GE0/0/3",
        remote_sys_name="unknown-switch",
        remote_chassis_id="00:11:22:33:44:55",
        remote_port="Gi0/1",
    )
    StatusEvent.objects.create(
        device=core,
        kind=EventKind.INTERFACE_DOWN,
        interface=down_if,
        reason="oper down",
        time=now - datetime.timedelta(minutes=5),
    )
    StatusEvent.objects.create(device=isolated, kind=EventKind.DEVICE_ISOLATED, cause=core, reason="uplink down")
    StatusEvent.objects.create(device=down, kind=EventKind.DEVICE_DOWN, reason="timeout")
    first = "sysname kf-core-1\nsnmp-agent community read ******\n"
    ConfigBackup.objects.create(device=core, sha256="a" * 64, text=first, collected_at=now - datetime.timedelta(days=1))
    ConfigBackup.objects.create(
        device=core,
        sha256="b" * 64,
        text=first + "stelnet server enable\n",
        diff="--- previous\n+++ current\n@@ -2,0 +3 @@\n+stelnet server enable\n-telnet server enable\n",
    )
    ComplianceResult.objects.create(
        device=core,
        check_id="ssh_not_telnet",
        status=CheckStatus.PASS,
        evidence="stelnet server enable",
        checked_at=now,
    )
    ComplianceResult.objects.create(
        device=core,
        check_id="snmpv3_only",
        status=CheckStatus.FAIL,
        evidence="snmp-agent community read ******",
        checked_at=now,
    )


def _systems() -> None:
    finance = Department.objects.create(name="财政局")
    police = Department.objects.create(name="公安局")
    statuses = [CloudStatus.MIGRATED, CloudStatus.MIGRATED, CloudStatus.MIGRATING, CloudStatus.PLANNED]
    for i, status in enumerate(statuses):
        BusinessSystem.objects.create(name=f"财政系统{i}", department=finance, cloud_status=status)
    BusinessSystem.objects.create(name="户籍系统", department=police, cloud_status=CloudStatus.MIGRATED)
    BusinessSystem.objects.create(
        name="涉密办公系统",
        department=police,
        classification=Classification.CLASSIFIED,
        cloud_status=CloudStatus.EXEMPT,
        exemption_reason=ExemptionReason.CLASSIFIED,
        exemption_note="保密局批复〔2023〕12号",
    )


def client_for(username: str, *roles: str) -> Client:
    """A test client signed in as a new user with these roles."""
    make_user(username, *roles)
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client
