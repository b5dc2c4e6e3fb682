"""Benchmark: one scrape of /metrics at city scale on PostgreSQL.

    python bench/metrics_bench.py                      # 10,000 devices, 20,000 links, PostgreSQL on 127.0.0.1
    python bench/metrics_bench.py --devices 1000 --links 2000 --database-url postgres://postgres@127.0.0.1:5432/x

Creates (once) a database `yunwang_bench_metrics` with a synthetic inventory: a province → city → 12 counties →
156 townships → villages, one site per device, every device dual-homed (two uplinks), both ends of each link
monitored with counters, compliance history, poll cycles, business systems and VPN accounts. Then times
`render()` of the app's registry (the same call the /metrics view makes) and measures peak Python memory.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/yunwang_bench_metrics"
BATCH = 5000


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def build_areas() -> tuple[list[str], list[str]]:
    from inventory.models import Area
    from inventory.models.areas import kind_of, level_of

    codes = ["370000000000", "371300000000"]
    counties = [f"3713{c:02d}000000" for c in range(1, 13)]
    townships = [f"{c[:6]}{t:03d}000" for c in counties for t in range(1, 14)]
    villages = [f"{t[:9]}{v:03d}" for t in townships for v in (*range(1, 11), *range(201, 211))]
    areas = []
    for code in [*codes, *counties, *townships, *villages]:
        level = level_of(code)
        parent = None if level == "province" else {
            "city": "370000000000", "county": "371300000000", "township": code[:6] + "000000",
            "village": code[:9] + "000",
        }[level]  # fmt: skip
        areas.append(Area(code=code, name=f"区划{code}", level=level, kind=kind_of(code), parent_id=parent))
    Area.objects.bulk_create(areas, batch_size=BATCH)
    return townships, villages


def populate(n_devices: int, n_links: int, access_ports: int) -> None:
    from django.utils import timezone

    from inventory.models import Device, DeviceRole, DeviceType, Manufacturer, Site

    now = timezone.now()
    townships, villages = build_areas()
    maker = Manufacturer.objects.create(name="Huawei", slug="huawei", enterprise_number=2011)
    dtype = DeviceType.objects.create(manufacturer=maker, model="S5735", slug="s5735")
    roles = {r: DeviceRole.objects.create(name=r, slug=r) for r in ("core", "aggregation", "access")}
    places = [*townships, *villages]
    sites = Site.objects.bulk_create(
        [Site(name=f"接入点{i}", area_id=places[i % len(places)], kind="village_committee") for i in range(n_devices)],
        batch_size=BATCH,
    )
    devices = []
    for i, site in enumerate(sites):
        role = "core" if i < 2 else "aggregation" if i < 160 else "access"
        down = i % 97 == 0
        devices.append(
            Device(
                name=f"dev-{i:05d}",
                site=site,
                role=roles[role],
                device_type=dtype,
                management_ip=None,
                reachable=not down,
                isolated=False,
                uptime_seconds=86400.0 + i,
                last_seen=now,
                last_polled=now,
                serial=f"SN{i:010d}",
            )  # fmt: skip
        )
    devices = Device.objects.bulk_create(devices, batch_size=BATCH)
    populate_links(devices, n_links, now)
    populate_access_ports(devices, access_ports)
    populate_history(devices, now)


def populate_links(devices: list, n_links: int, now: datetime.datetime) -> None:  # type: ignore[type-arg]
    from inventory.models import Interface, InterfaceCounters, Link

    next_index = [0] * len(devices)
    ends: list[tuple[int, int]] = []
    # Device i > 0 hangs off up to three earlier devices (its tree parent and the parent's neighbours), in
    # rounds, until n_links links exist: every device gets its first uplink before any gets a second.
    for offset in (0, -1, 1):
        for i in range(1, len(devices)):
            parent = (i - 1) // 2 + offset
            if len(ends) // 2 < n_links and 0 <= parent < i:
                ends.extend([(parent, 0), (i, 0)])
    interfaces = []
    for position, (dev, _) in enumerate(ends):
        next_index[dev] += 1
        interfaces.append(
            Interface(
                device=devices[dev],
                if_index=next_index[dev],
                name=f"GE0/0/{next_index[dev]}",
                monitored=True,
                admin_status=1,
                oper_status=2 if position % 211 == 0 else 1,
                speed_bps=10**9,
            )  # fmt: skip
        )
    interfaces = Interface.objects.bulk_create(interfaces, batch_size=BATCH)
    InterfaceCounters.objects.bulk_create(
        [
            InterfaceCounters(
                interface=x, in_octets=10**9 + x.pk, out_octets=2 * 10**9, in_errors=0, out_errors=1, collected_at=now
            )
            for x in interfaces
        ],  # fmt: skip
        batch_size=BATCH,
    )
    links = [
        Link(a_interface=interfaces[j], b_interface=interfaces[j + 1], kind="uplink", oper_up=j % 211 != 0)
        for j in range(0, len(interfaces), 2)
    ]
    Link.objects.bulk_create(links, batch_size=BATCH)


def populate_access_ports(devices: list, per_device: int) -> None:  # type: ignore[type-arg]
    """Unmonitored ports (access ports to offices): not exported, but the interface query must skip them."""
    from inventory.models import Interface

    ports = (
        Interface(device=d, if_index=1000 + k, name=f"Eth0/0/{k}", monitored=False, admin_status=1, oper_status=1)
        for d in devices
        for k in range(1, per_device + 1)
    )
    Interface.objects.bulk_create(ports, batch_size=BATCH)


def populate_history(devices: list, now: datetime.datetime) -> None:  # type: ignore[type-arg]
    from inventory.models import BusinessSystem, ComplianceResult, Department, PollCycle, VpnAccount

    checks = ("ssh_only", "no_telnet", "snmpv3", "syslog", "ntp")
    results = [
        ComplianceResult(
            device=d,
            check_id=c,
            status="fail" if (d.pk + k) % 13 == 0 else "pass",
            checked_at=now - datetime.timedelta(days=k),
            current=k == 0,
        )  # fmt: skip
        for d in devices
        for c in checks
        for k in (0, 1)
    ]
    ComplianceResult.objects.bulk_create(results, batch_size=BATCH)
    PollCycle.objects.bulk_create(
        [
            PollCycle(
                kind="status",
                poller_group=f"county{g}",
                started_at=now - datetime.timedelta(minutes=5 * k),
                finished_at=now - datetime.timedelta(minutes=5 * k - 1),
                duration_seconds=40.0,
                polled=800,
                failed=3,
                failed_by_reason={"timeout": 3},
            )
            for g in range(12)
            for k in range(100)
        ],  # fmt: skip
        batch_size=BATCH,
    )
    departments = Department.objects.bulk_create([Department(name=f"部门{i:02d}") for i in range(83)])
    BusinessSystem.objects.bulk_create(
        [
            BusinessSystem(
                name=f"系统{i}", department=departments[i % 83], cloud_status="migrated" if i % 5 else "migrating"
            )
            for i in range(534)
        ],  # fmt: skip
        batch_size=BATCH,
    )
    VpnAccount.objects.bulk_create(
        [
            VpnAccount(account=f"vpn{i:05d}", site=devices[i % len(devices)].site, online=i % 3 == 0)
            for i in range(3616)
        ],  # fmt: skip
        batch_size=BATCH,
    )


def scrape() -> bytes:
    from django.db import connection, reset_queries

    from dashboards.metrics import REGISTRY
    from dashboards.metrics_text import render

    reset_queries()
    body = render(REGISTRY)
    connection.close()  # as a web worker with CONN_MAX_AGE=0 would: the connection cost is part of a scrape
    return body


def profile_sources(runs: int) -> None:
    """Milliseconds per query group of the collector (the order collect() runs them), fresh connection per run."""
    from django.db import connection

    from dashboards import metrics_coverage, metrics_queries, metrics_sql

    sources = [
        metrics_sql.device_families,
        metrics_sql.link_families,
        metrics_sql.interface_families,
        metrics_queries.collector_families,
        metrics_queries.area_families,
        metrics_coverage.coverage_families,
        metrics_coverage.organisation_families,
        metrics_queries.business_families,
        metrics_queries.vpn_families,
        metrics_queries.compliance_families,
    ]
    for _ in range(runs):
        connection.ensure_connection()
        parts = []
        for source in sources:
            started = time.perf_counter()
            source()
            parts.append(f"{source.__name__.removesuffix('_families')}={1000 * (time.perf_counter() - started):.0f}")
        connection.close()
        print("ms per group: " + " ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=20_000)
    parser.add_argument("--access-ports", type=int, default=24, help="unmonitored ports per device")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--profile", action="store_true", help="also time each query group")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunwang.settings")
    ensure_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from inventory.models import Device, Interface, Link

    call_command("migrate", verbosity=0)
    interfaces = 2 * args.links + args.devices * args.access_ports
    if (Device.objects.count(), Link.objects.count(), Interface.objects.count()) != (
        args.devices,
        args.links,
        interfaces,
    ):
        call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        populate(args.devices, args.links, args.access_ports)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after: plans from real statistics
        print(f"populated in {time.perf_counter() - started:.1f} s")
    print(f"devices={Device.objects.count()} links={Link.objects.count()} interfaces={Interface.objects.count()}")

    body = scrape()  # warm-up: imports, plan cache
    times, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        body = scrape()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    tracemalloc.start()
    scrape()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    text = body.decode()
    series = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    families = text.count("# TYPE ")
    print(f"scrape: median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s "
          f"over {args.runs} runs; this process's CPU: median {statistics.median(cpu):.3f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    print(f"series={series} families={families} body={len(body) / 1e6:.1f} MB peak_python_memory={peak / 1e6:.0f} MB")
    if args.profile:
        profile_sources(3)


if __name__ == "__main__":
    main()
