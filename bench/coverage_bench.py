"""Benchmark: coverage and 上云率 queries on a Linyi-scale inventory in PostgreSQL.

Generates (once; --regenerate to redo) the real Linyi division-code table (4,357 areas), 3,157 access units,
~3,900 devices with ~56 interfaces each (~220,000 interfaces), an uplink per device, 3,616 VPN accounts,
83 departments with 534 business systems (plus exemptions) and a month of link status history. Then times each
query function (median / p95 over --repeat runs after warm-up) and counts its SQL queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yunwang_bench_importcov \\
        .venv/bin/python bench/coverage_bench.py [--regenerate] [--repeat 30]

The database named in DATABASE_URL is created if missing (it must be a throwaway database: --regenerate empties
the inventory tables).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunwang.settings")
CITY = "371300000000"
DEVICES_PER_SITE = {"city": 20, "department": 14, "county": 12, "township": 6, "village": 1}
INTERFACES_PER_DEVICE = 56


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(seed: int = 3713) -> None:
    from django.core.management import call_command
    from django.db import connection

    from inventory.models import Area, Site

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        tables = ", ".join(f'"{m._meta.db_table}"' for m in _inventory_models())
        cur.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    call_command("import_areas", str(ROOT / "inventory/data/areas/3713.csv"), verbosity=0)
    areas = dict(Area.objects.filter(code__startswith="3713").values_list("code", "level"))
    departments = _departments_and_systems(rng)
    sites = _sites(rng, areas, departments)
    devices = _devices(rng, sites)
    _interfaces_and_links(rng, devices)
    _vpn_accounts(rng)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"generated: {Site.objects.count()} sites, {len(devices)} devices", flush=True)


def _inventory_models() -> list[Any]:
    from django.apps import apps

    return [m for m in apps.get_app_config("inventory").get_models() if m._meta.db_table != "inventory_area"]


def _departments_and_systems(rng: random.Random) -> list[Any]:
    from inventory.models import BusinessSystem, Department

    depts = Department.objects.bulk_create(
        [Department(name=f"临沂市第{i:02d}部门", must_connect=i < 80) for i in range(83)]
    )
    systems = []
    for i in range(534):
        systems.append(
            BusinessSystem(
                name=f"业务系统{i:03d}",
                department=depts[i % 83],
                cloud_status="migrated" if rng.random() < 0.95 else "migrating",
                is_new=rng.random() < 0.3,
                vcpu_allocated=rng.choice([4, 8, 16]),
                vcpu_used=rng.randint(1, 4),
                ram_gb_allocated=32,
                ram_gb_used=rng.randint(4, 32),
            )
        )
    reasons = ["classified", "vertical", "retained_dc"]
    for i in range(24):
        reason = reasons[i % 3]
        systems.append(
            BusinessSystem(
                name=f"豁免系统{i:02d}",
                department=depts[i],
                cloud_status="exempt",
                exemption_reason=reason,
                classification="classified" if reason == "classified" else "internal",
                exemption_note=f"批复 2021-{i}号",
            )
        )
    BusinessSystem.objects.bulk_create(systems, batch_size=2000)
    return depts


def _sites(rng: random.Random, areas: dict[str, str], depts: list[Any]) -> list[tuple[Any, str]]:
    """3,157 access units: the city centre, 83 department offices, every county and township, and villages."""
    from inventory.models import Site

    plan: list[tuple[Site, str]] = [(Site(name="临沂市电子政务外网中心", area_id=CITY, kind="network_centre"), "city")]
    plan += [
        (Site(name=f"{d.name}机关", area_id=CITY, kind="department_office", department=d), "department") for d in depts
    ]
    for code, level in sorted(areas.items()):
        if level in ("county", "township"):
            kind = "network_centre" if level == "county" else "township_government"
            plan.append((Site(name=f"{code}政务外网节点", area_id=code, kind=kind), level))
    villages = sorted(c for c, lvl in areas.items() if lvl == "village")
    for code in rng.sample(villages, 3157 - len(plan)):
        vpn = rng.random() < 0.45
        status = "connected" if rng.random() < 0.97 else "planned"
        site = Site(name=f"{code}村委会", area_id=code, kind="village_committee", status=status)
        site.access_mode = "vpn" if vpn else "dedicated"
        plan.append((site, "village-vpn" if vpn else "village"))
    Site.objects.bulk_create([s for s, _ in plan], batch_size=2000)
    return plan


def _devices(rng: random.Random, sites: list[tuple[Any, str]]) -> list[tuple[Any, str, Any]]:
    from django.utils import timezone

    from inventory.models import Device, DeviceRole

    role = DeviceRole.objects.create(name="access", slug="access")
    now = timezone.now()
    devices = []
    n = 0
    for site, level in sites:
        for _ in range(DEVICES_PER_SITE.get(level, 0)):
            n += 1
            up = rng.random() < 0.97
            dev = Device(
                name=f"dev-{n:05d}", site=site, role=role, management_ip=f"127.{n // 65536}.{n // 256 % 256}.{n % 256}"
            )
            dev.reachable = up
            dev.last_seen = now if up else now - datetime.timedelta(days=2)
            devices.append((dev, level, site))
    Device.objects.bulk_create([d for d, _, _ in devices], batch_size=2000)
    return devices


def _interfaces_and_links(rng: random.Random, devices: list[tuple[Any, str, Any]]) -> None:
    """Each device uplinks from its port 1 to a free port of the upstream site (village -> township -> county ->
    city; other devices of a site -> its first device)."""
    from django.utils import timezone

    from inventory.models import Interface, Link

    ifaces = [
        Interface(device=d, if_index=i, name=f"GE0/0/{i}", oper_status=1, admin_status=1, speed_bps=1_000_000_000)
        for d, _, _ in devices
        for i in range(1, INTERFACES_PER_DEVICE + 1)
    ]
    Interface.objects.bulk_create(ifaces, batch_size=5000)
    ports = {
        d.pk: ifaces[k * INTERFACES_PER_DEVICE : (k + 1) * INTERFACES_PER_DEVICE] for k, (d, _, _) in enumerate(devices)
    }
    free: dict[int, list[Any]] = {}  # site pk -> free downstream-facing ports of its devices
    first: dict[int, Any] = {}
    for dev, _, site in devices:
        free.setdefault(site.pk, []).extend(ports[dev.pk][1:])
        first.setdefault(site.pk, dev)
    parent_site = _parent_sites(devices)
    now = timezone.now()
    links = []
    for dev, _, site in devices:
        upstream = site.pk if first[site.pk] is not dev else parent_site.get(site.pk)
        if upstream is None or not free.get(upstream):
            continue
        link = Link(a_interface=free[upstream].pop(0), b_interface=ports[dev.pk][0], kind="uplink")
        link.oper_up = rng.random() < 0.98
        link.last_change = now - datetime.timedelta(hours=rng.randint(1, 700))
        links.append(link)
    Link.objects.bulk_create(links, batch_size=5000)
    _link_history(rng, links)


def _parent_sites(devices: list[tuple[Any, str, Any]]) -> dict[int, int]:
    """site pk -> the site one level up (the county/township node or the city centre)."""
    node = {s.area_id: s.pk for _, lvl, s in devices if lvl in ("county", "township")}
    centre = next(s.pk for _, lvl, s in devices if lvl == "city")
    parents = {}
    for _, level, site in devices:
        if level in ("village", "village-vpn"):
            parents[site.pk] = node.get(site.area_id[:9] + "000", centre)
        elif level == "township":
            parents[site.pk] = node.get(site.area_id[:6] + "000000", centre)
        elif level in ("county", "department"):
            parents[site.pk] = centre
    return parents


def _link_history(rng: random.Random, links: list[Any]) -> None:
    from django.utils import timezone

    from inventory.models import StatusEvent

    now = timezone.now()
    events = []
    for link in rng.sample(links, len(links) // 5):
        for _ in range(rng.randint(1, 4)):
            down = now - datetime.timedelta(minutes=rng.randint(60, 30 * 24 * 60))
            up = down + datetime.timedelta(minutes=rng.randint(1, 240))
            dev_id = link.b_interface.device_id
            events.append(StatusEvent(time=down, kind="link_down", device_id=dev_id, link=link))
            events.append(StatusEvent(time=up, kind="link_up", device_id=dev_id, link=link))
    StatusEvent.objects.bulk_create(events, batch_size=5000)


def _vpn_accounts(rng: random.Random) -> None:
    from django.utils import timezone

    from inventory.models import Site, VpnAccount

    now = timezone.now()
    vpn_sites = list(Site.objects.filter(access_mode="vpn").values_list("pk", flat=True))
    others = list(Site.objects.exclude(area_id=CITY).exclude(access_mode="vpn").values_list("pk", flat=True))
    owners = vpn_sites + rng.sample(others, min(len(others), 3616 - len(vpn_sites)))
    accounts = []
    for i, site_id in enumerate(owners):
        acc = VpnAccount(account=f"ly-vpn-{i:05d}", site_id=site_id)
        acc.online = rng.random() < 0.6
        acc.last_seen_online = now - datetime.timedelta(hours=rng.choice([0, 1, 5, 30, 400, 2000]))
        accounts.append(acc)
    VpnAccount.objects.bulk_create(accounts, batch_size=5000)


def measure(label: str, fn: Callable[[], Any], repeat: int) -> tuple[str, float, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    fn()  # warm-up: connection, plan cache
    with CaptureQueriesContext(connection) as ctx:
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return label, times[0], statistics.median(times), p95, len(ctx)


def run(repeat: int) -> list[tuple[str, float, float, float, int]]:
    from django.utils import timezone

    from inventory import migration
    from inventory.coverage import (
        coverage,
        coverage_by_child,
        coverage_matrix,
        department_connection_rate,
        link_availability,
        vpn_account_stats,
    )

    now = timezone.now()
    month = now - datetime.timedelta(days=30)
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("coverage city→village registered", lambda: coverage(CITY, "village")),
        ("coverage city→village online", lambda: coverage(CITY, "village", variant="online")),
        ("coverage city→township online vpn", lambda: coverage(CITY, "township", variant="online", access_mode="vpn")),
        ("coverage_matrix city (3 levels × 6)", lambda: coverage_matrix(CITY)),
        (
            "coverage_by_child per county, villages",
            lambda: coverage_by_child(CITY, child_level="county", level="village"),
        ),
        ("department_connection_rate", department_connection_rate),
        ("vpn_account_stats city", lambda: vpn_account_stats()),
        ("上云率 migration_rate", migration.migration_rate),
        ("上云率 migration_by_department", migration.migration_by_department),
        ("exemptions list", migration.exemptions),
        ("link_availability city, 30 days", lambda: link_availability(CITY, month, now)),
    ]
    return [measure(label, fn, repeat) for label, fn in cases]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a throwaway bench database>")
    ensure_database(url)
    import django

    django.setup()
    from inventory.models import Interface, Site

    if args.regenerate or not Site.objects.exists():
        started = time.monotonic()
        generate()
        print(f"generation took {time.monotonic() - started:.0f} s", flush=True)
    print(f"inventory: {Site.objects.count()} sites, {Interface.objects.count()} interfaces")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"| {'query':45} | {'min ms':>7} | {'median ms':>9} | {'p95 ms':>7} | {'SQL queries':>11} |")
    for label, low, median, p95, queries in run(args.repeat):
        print(f"| {label:45} | {low:7.1f} | {median:9.1f} | {p95:7.1f} | {queries:11d} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
