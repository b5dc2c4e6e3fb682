"""Small inventory builders for the poll/apply tests (no lab needed)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from collectors.records import DeviceRecord, InterfaceRecord, NeighborRecord, SystemInfo
from inventory.models import Area, Device, DeviceRole, Interface, Link, Site

T0 = datetime(2026, 1, 1, 8, 0, 0).astimezone()


def site() -> Site:
    area, _ = Area.objects.get_or_create(code="430105000000", defaults={"name": "开福区"})
    s, _ = Site.objects.get_or_create(area=area, name="开福区政务外网中心机房")
    return s


def role(slug: str) -> DeviceRole:
    r, _ = DeviceRole.objects.get_or_create(slug=slug, defaults={"name": slug})
    return r


def device(name: str, role_slug: str = "access", host: str = "127.0.0.1", **kw: Any) -> Device:
    return Device.objects.create(name=name, site=site(), role=role(role_slug), management_ip=host, **kw)


def interfaces(dev: Device, count: int, monitored: set[int] | None = None) -> list[Interface]:
    return [
        Interface.objects.create(device=dev, if_index=i, name=f"GE0/0/{i}", monitored=i in (monitored or set()))
        for i in range(1, count + 1)
    ]


def link(a: Interface, b: Interface, kind: str = "uplink") -> Link:
    return Link.objects.create(a_interface=a, b_interface=b, kind=kind)


def iface_record(i: int, oper: int = 1, **kw: Any) -> InterfaceRecord:
    values: dict[str, Any] = dict(
        if_index=i,
        name=f"GE0/0/{i}",
        descr=f"GigabitEthernet0/0/{i}",
        alias=f"至接入{i}",
        type=6,
        mtu=1500,
        speed_bps=1_000_000_000,
        mac=f"00:e0:fc:00:00:{i:02x}",
        admin_status=1,
        oper_status=oper,
        last_change=10.0,
    )
    values.update(kw)
    return InterfaceRecord(**values)


def record(
    host: str = "127.0.0.1",
    n: int = 4,
    *,
    at: datetime = T0,
    uptime: float = 1000.0,
    down: frozenset[int] = frozenset(),
    neighbors: tuple[NeighborRecord, ...] = (),
    complete: bool = True,
    sys_name: str = "KF-ACC-01",
    **iface_kw: Any,
) -> DeviceRecord:
    return DeviceRecord(
        host=host,
        source="snmp",
        collected_at=at,
        system=SystemInfo(
            sys_name=sys_name,
            sys_descr="Huawei Versatile Routing Platform",
            sys_object_id="1.3.6.1.4.1.2011.2.23.96",
            sys_uptime_seconds=uptime,
            sys_location="开福区",
        ),
        vendor="huawei",
        model="S5735",
        serial="2102350BNW10K1000012",
        os_version="V200R019C10SPC500",
        interfaces=tuple(iface_record(i, 2 if i in down else 1, **iface_kw) for i in range(1, n + 1)),
        neighbors=neighbors,
        complete=complete,
    )


def later(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def writes_to(queries: list[dict[str, Any]], table: str) -> list[str]:
    """INSERT/UPDATE statements on `table` among captured queries (executemany shows as "N times: SQL")."""
    out = []
    for q in queries:
        sql = re.sub(r"^\S+ times: ", "", q["sql"].lstrip())
        if table in sql and sql.upper().startswith(("INSERT", "UPDATE")):
            out.append(sql)
    return out
