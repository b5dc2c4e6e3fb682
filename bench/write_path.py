"""Write-path benchmark: reconcile + apply + topology for a whole poll cycle, no network.

Builds an inventory of N devices x M interfaces (access devices under aggregation under two cores, one uplink
each, the uplinks monitored) and feeds apply_records the records a poll would produce, in the runner's batch
size, then recomputes link status and isolation -- exactly the database side of `manage.py poll`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yunwang_bench \\
        .venv/bin/python bench/write_path.py --devices 10000 --interfaces 52

Cycles measured: a steady status poll (nothing changed: 0 interface rows must be written), a status poll where
1% of interfaces changed oper status, and a steady full discovery. The database named in DATABASE_URL is
created if missing and its inventory tables are emptied first: never point this at a real inventory.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunwang.settings")


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--interfaces", type=int, default=52)
    parser.add_argument("--changed", type=float, default=0.01, help="share of interfaces that change")
    parser.add_argument("--reuse", action="store_true", help="keep an inventory of the same size from a previous run")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench(args.devices, args.interfaces, args.changed, args.reuse)


def build(n_devices: int, n_ifaces: int) -> list[int]:
    from django.db import connection

    from inventory.models import Area, Device, DeviceRole, Interface, Link, Site

    with connection.cursor() as cur:
        for table in ("statusevent", "changerecord", "interfacecounters", "link", "interface", "discovery"):
            cur.execute(f"DELETE FROM inventory_{table}")
        cur.execute("DELETE FROM inventory_device")
    area, _ = Area.objects.get_or_create(code="371300000000", defaults={"name": "临沂市"})
    site, _ = Site.objects.get_or_create(area=area, name="bench")
    roles = {
        s: DeviceRole.objects.get_or_create(slug=s, defaults={"name": s})[0] for s in ("core", "aggregation", "access")
    }
    n_agg = max(2, n_devices // 50)
    devices = []
    for i in range(n_devices):
        role = "core" if i < 2 else "aggregation" if i < 2 + n_agg else "access"
        devices.append(
            Device(
                name=f"BENCH-{i:05d}",
                site=site,
                role=roles[role],
                management_ip=f"127.{1 + i // 65536}.{i // 256 % 256}.{i % 256}",
                reachable=True,
                sys_name=f"BENCH-{i:05d}",
                uptime_seconds=1000.0,
                last_polled=T0,
                vendor="huawei",
                model="S5735",
                serial=f"SN{i:08d}",
                os_version="V200R019",
                sys_descr="Huawei Versatile Routing Platform",
                sys_object_id="1.3.6.1.4.1.2011.2.23.96",
            )  # fmt: skip
        )
    Device.objects.bulk_create(devices, batch_size=2000)
    ids = list(Device.objects.order_by("id").values_list("id", flat=True))
    rows = [
        Interface(
            device_id=pk,
            if_index=j,
            name=f"GE0/0/{j}",
            description=f"GigabitEthernet0/0/{j}",
            alias=f"端口{j}",
            type=6,
            mtu=1500,
            speed_bps=1_000_000_000,
            mac=mac(pk, j),
            admin_status=1,
            oper_status=1,
            last_change_seconds=10.0,
            monitored=j in (1, 2),
        )  # fmt: skip
        for pk in ids
        for j in range(1, n_ifaces + 1)
    ]
    Interface.objects.bulk_create(rows, batch_size=5000)
    # Each upstream device gives every downstream link its own port (an interface is in one link at most).
    port = {pk: 3 for pk in ids}
    by_index = {(pk, j): iid for pk, j, iid in Interface.objects.values_list("device_id", "if_index", "id")}
    links = []
    for k, pk in enumerate(ids[2:], start=2):
        upstream = ids[k % 2] if k < 2 + n_agg else ids[2 + k % n_agg]
        a = by_index.get((upstream, port[upstream]))
        if a is None:
            continue
        port[upstream] += 1
        links.append(Link(a_interface_id=a, b_interface_id=by_index[(pk, 1)], oper_up=True, lldp_confirmed=True))
    Link.objects.bulk_create(links, batch_size=5000)
    return ids


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def mac(pk: int, j: int) -> str:
    return ":".join(f"{b:02x}" for b in (0, 0xE0, (pk >> 16) & 255, (pk >> 8) & 255, pk & 255, j))


def records(
    ids: list[int], n_ifaces: int, at: datetime, complete: bool, flipped: set[tuple[int, int]]
) -> Iterator[list]:
    from collectors.records import DeviceRecord, InterfaceRecord, SystemInfo

    batch = []
    for k, pk in enumerate(ids):
        ifaces = tuple(
            InterfaceRecord(
                if_index=j,
                name=f"GE0/0/{j}" if complete else None,
                descr=f"GigabitEthernet0/0/{j}" if complete else None,
                alias=f"端口{j}" if complete else None,
                type=6 if complete else None,
                mtu=1500 if complete else None,
                speed_bps=1_000_000_000,
                mac=mac(pk, j) if complete else None,
                admin_status=1,
                oper_status=2 if (pk, j) in flipped else 1,
                last_change=10.0,
                in_octets=123456789 + j,
                out_octets=987654321 + j,
                in_errors=0,
                out_errors=0,
            )  # fmt: skip
            for j in range(1, n_ifaces + 1)
        )
        system = SystemInfo(sys_uptime_seconds=1000.0 + (at - T0).total_seconds())
        if complete:
            system = SystemInfo(sys_name=f"BENCH-{k:05d}", sys_uptime_seconds=system.sys_uptime_seconds)
        batch.append(
            (
                pk,
                DeviceRecord(
                    host="127.0.0.1",
                    source="snmp",
                    collected_at=at,
                    system=system,
                    interfaces=ifaces,
                    complete=complete,
                ),
            )
        )
        if len(batch) == 200:
            yield batch
            batch = []
    if batch:
        yield batch


def server_cpu_seconds() -> float:
    """CPU used so far by this session's PostgreSQL backend (it runs on this machine): /proc/<pid>/stat."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CACHE = None


def cycle(
    label: str, ids: list[int], n_ifaces: int, at: datetime, complete: bool, flipped: set[tuple[int, int]]
) -> None:
    from collectors.apply import BatchResult, apply_records, load_directory
    from collectors.statecache import StateCache
    from collectors.topology import recompute
    from inventory.models import ChangeRecord, StatusEvent

    global CACHE
    if CACHE is None:
        CACHE = StateCache()
    if complete:  # exactly what run_cycle does with the loop's cache
        CACHE.clear()
    else:
        CACHE.refresh()
    before, events_before = ChangeRecord.objects.count(), StatusEvent.objects.count()
    gen_s = gen_cpu = 0.0
    cpu0, srv0 = time.process_time(), server_cpu_seconds()
    t0 = time.perf_counter()
    directory = load_directory() if complete else {}
    total = BatchResult()
    it = records(ids, n_ifaces, at, complete, flipped)
    while True:
        g0, c0 = time.perf_counter(), time.process_time()
        batch = next(it, None)
        gen_s += time.perf_counter() - g0
        gen_cpu += time.process_time() - c0
        if batch is None:
            break
        total.add(apply_records(batch, directory, CACHE))
    t_apply = time.perf_counter() - t0 - gen_s
    t1 = time.perf_counter()
    # As run_cycle: a status cycle that changed nothing (and nobody edited) skips the topology pass.
    steady = not complete and not CACHE.people_changed and total.events == 0 and total.change_records == 0
    links_changed = 0 if steady else recompute(when=at).links_changed
    t_topo = time.perf_counter() - t1
    wall = t_apply + t_topo
    cpu = time.process_time() - cpu0 - gen_cpu
    srv = server_cpu_seconds() - srv0
    print(
        f"{label:<34} devices {total.devices:>6}  interface rows written {total.interface_rows:>6}  "
        f"change records {ChangeRecord.objects.count() - before:>6}  "
        f"events {StatusEvent.objects.count() - events_before:>6}  "
        f"apply {t_apply:6.2f} s  topology {t_topo:5.2f} s  wall {wall:6.2f} s  "
        f"CPU poller {cpu:5.2f} s + PostgreSQL {srv:5.2f} s  (links changed {links_changed})",
        flush=True,
    )


def bench(n_devices: int, n_ifaces: int, changed: float, reuse: bool) -> None:
    from django.db import connection

    from inventory.models import Device, Interface

    t0 = time.perf_counter()
    same = Device.objects.count() == n_devices and Interface.objects.count() == n_devices * n_ifaces
    if reuse and same:  # back to the built state's clock, or the warm-up sees every uptime go backwards
        Device.objects.update(uptime_seconds=1000.0, last_polled=T0)
        ids = list(Device.objects.order_by("id").values_list("id", flat=True))
    else:
        ids = build(n_devices, n_ifaces)
    print(
        f"{connection.vendor}: built {len(ids)} devices x {n_ifaces} interfaces in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    rng = random.Random(1)
    everything = [(pk, j) for pk in ids for j in range(1, n_ifaces + 1)]
    flipped = set(rng.sample(everything, int(len(everything) * changed)))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    cycle("status, warm-up (learns counters)", ids, n_ifaces, T0 + timedelta(minutes=5), False, set())
    cycle("status, steady state", ids, n_ifaces, T0 + timedelta(minutes=10), False, set())
    cycle(f"status, {changed:.0%} of interfaces changed", ids, n_ifaces, T0 + timedelta(minutes=15), False, flipped)
    cycle("status, changed back", ids, n_ifaces, T0 + timedelta(minutes=20), False, set())
    cycle("discovery, steady state", ids, n_ifaces, T0 + timedelta(minutes=25), True, set())


if __name__ == "__main__":
    main()
