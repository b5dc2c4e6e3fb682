"""Benchmark: the operator pages at 10,000 devices on PostgreSQL (server time and query count).

The status board and device list (issue 7's target), the device page, and the compliance and link-availability
pages over a compliance history (three result sets of the 16 checks per device: 480,000 rows at 10,000 devices)
and a week of link outages (every 10th link down once, in the status history and in the alarm ledger).

Creates a throwaway test database (test_<name>) on the DATABASE_URL server, fills it with N devices in every
board state (tests/dashboards/pages_data.py), signs in an operator and times each page through Django's test
client in-process: what is measured is the server's work (middleware, queries, templates), no network.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yunwang .venv/bin/python bench/pages_bench.py [--devices 10000]
        [--runs 60]

Targets (issue 7): p95 < 300 ms per page; the query count does not depend on the number of devices.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunwang.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

TARGET_P95_MS = 300.0


@dataclass(frozen=True)
class Result:
    name: str
    path: str
    p50_ms: float
    p95_ms: float
    max_ms: float
    cpu_ms: float  # this process's CPU per request (Python: middleware, ORM, templates), median
    db_ms: float  # time in the database for one request, summed over its queries
    queries: int
    rows: int  # table rows the page shows


def measure(client: Client, name: str, path: str, runs: int) -> Result:
    for _ in range(3):  # warm caches and the connection
        assert client.get(path).status_code == 200, path
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, path
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    context = response.context or {}
    shown = next((context[key].rows for key in ("board", "failing", "report") if key in context), ())
    timings.sort()
    return Result(
        name=name,
        path=path,
        p50_ms=statistics.median(timings),
        p95_ms=timings[int(len(timings) * 0.95) - 1],
        max_ms=timings[-1],
        cpu_ms=statistics.median(cpu),
        db_ms=sum(float(q["time"]) for q in ctx.captured_queries) * 1000,
        queries=len(ctx.captured_queries),
        rows=len(shown),
    )


def scenarios(township: str, device_pk: int, pages: int) -> list[tuple[str, str]]:
    return [
        ("status board, page 1", "/status/"),
        ("status board, last page", f"/status/?page={pages}"),
        ("device list, state=up, page 50", "/devices/?state=up&page=50"),
        ("device list, township filter", f"/devices/?area={township}"),
        ("device list, role+vendor", "/devices/?role=access&vendor=huawei"),
        ("device list, search by IP prefix", "/devices/?q=127.11.3"),
        ("device list, search by serial", "/devices/?q=SN0000424"),
        ("board auto-refresh fragment", "/status/fragment/"),
        ("device page (core; every 10th device isolated by it)", f"/devices/{device_pk}/"),
        ("compliance, page 1", "/compliance/"),
        ("compliance, one check, page 20", "/compliance/?check=ssh_not_telnet&page=20"),
        ("compliance, township filter", f"/compliance/?area={township}"),
        ("link availability, 7 days", "/availability/"),
    ]


def add_uplinks(core_pk: int) -> None:
    """A monitored uplink from every device to the first of its group of 50 (build_network has two links): each
    hub gets ~50 links, as an aggregation switch would. The core keeps its own few, so its page stays comparable."""
    from inventory.models import Device, Interface, Link

    devices = list(Device.objects.exclude(pk=core_pk).order_by("pk").values_list("pk", flat=True))
    pairs = [(devices[i - i % 50], pk) for i, pk in enumerate(devices) if i % 50]  # (hub, device)
    Interface.objects.bulk_create(
        [Interface(device_id=pk, name="XGE0/0/99", if_index=99, monitored=True) for _, pk in pairs]
        + [Interface(device_id=hub, name=f"XGE9/0/{pk}", if_index=100_000 + pk, monitored=True) for hub, pk in pairs],
        batch_size=2000,
    )
    ends = dict(Interface.objects.filter(if_index__gte=99).values_list("if_index", "pk"))
    downstream = dict(Interface.objects.filter(if_index=99).values_list("device_id", "pk"))
    links = [Link(a_interface_id=ends[100_000 + pk], b_interface_id=downstream[pk], oper_up=True) for _, pk in pairs]
    Link.objects.bulk_create(links, batch_size=2000)


def add_link_outages() -> None:
    """Every 10th link down for an hour within the last week: link_down/link_up events and a LinkDown alarm."""
    import datetime

    from django.utils import timezone

    from dashboards.alerts import Alarm, record_alarms
    from inventory.models import EventKind, Link, StatusEvent

    now = timezone.now()
    events, alarms = [], []
    links = Link.objects.values_list("pk", "b_interface__device_id", "b_interface__device__site__area_id")
    for n, (link, device, area) in enumerate(links[::10]):
        down = now - datetime.timedelta(hours=1 + n % 160)
        up = down + datetime.timedelta(hours=1)
        events += [
            StatusEvent(time=down, kind=EventKind.LINK_DOWN, link_id=link, device_id=device),
            StatusEvent(time=up, kind=EventKind.LINK_UP, link_id=link, device_id=device),
        ]
        labels = {"alertname": "LinkDown", "severity": "critical", "county": area[:6].ljust(12, "0")}
        alarms += [
            Alarm(f"bench-{link}", "LinkDown", "firing", down, None, labels),
            Alarm(f"bench-{link}", "LinkDown", "resolved", down, up, labels),
        ]
    StatusEvent.objects.bulk_create(events, batch_size=2000)
    record_alarms(alarms)


def run(devices: int, runs: int) -> list[Result]:
    from tests.dashboards.compliance_data import add_compliance_history
    from tests.dashboards.pages_data import build_network, make_user

    started = time.perf_counter()
    net = build_network(devices, townships=20, villages_per_township=25)
    add_compliance_history()
    add_uplinks(net.core.pk)
    add_link_outages()
    print(f"built {devices} devices in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = make_user("bench-operator", "operator")
    client = Client()
    client.force_login(user)
    pages = -(-devices // 50)
    return [measure(client, name, path, runs) for name, path in scenarios(net.townships[3], net.core.pk, pages)]


def table(results: list[Result], devices: int) -> str:
    lines = [
        f"| page ({devices:,} devices) | p50 ms | p95 ms | max ms | app CPU ms | DB ms | queries | rows |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.max_ms:.1f} | {r.cpu_ms:.1f} | {r.db_ms:.1f} "
            f"| {r.queries} | {r.rows} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000, help="second, smaller run to compare query counts")
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL server: the target is for PostgreSQL.", file=sys.stderr)
        return 2
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    settings.DEBUG = False
    outcomes = []
    for devices in (args.small, args.devices):
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            outcomes.append((devices, run(devices, args.runs)))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    for devices, results in outcomes:
        print(table(results, devices))
        print()
    small, large = outcomes[0][1], outcomes[-1][1]
    constant = all(a.queries == b.queries for a, b in zip(small, large, strict=True))
    worst = max(r.p95_ms for r in large)
    print(f"query count constant from {args.small:,} to {args.devices:,} devices: {'yes' if constant else 'NO'}")
    print(f"worst p95 at {args.devices:,} devices: {worst:.1f} ms (target < {TARGET_P95_MS:.0f} ms)")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0 if constant and worst < TARGET_P95_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
