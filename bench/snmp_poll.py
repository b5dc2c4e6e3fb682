"""SNMP status-poll benchmark: collector CPU per varbind and devices/second, side by side with net-snmp.

The load agent is net-snmp's snmpd in a private network namespace with 52 interfaces (lo + 25 veth pairs + a
bridge), listening on 127.0.0.1 inside that namespace only. Every "device" is that agent; what is measured is
the collector's cost, so one agent is enough. Each backend runs in a fresh child process (inside the namespace)
and reports its own CPU (getrusage) for the collection only:

- gufo:    SnmpDriver status poll over gufo-snmp (the production hot path): GET sysUpTime + 8 IF-MIB columns,
           decoded into DeviceRecords by the real driver, via collect_many with bounded concurrency.
- gufo-v3: the same over SNMPv3 authPriv (SHA/AES).
- pysnmp:  the same driver over pysnmp 7 (multi-column GETBULK).
- snmpbulkwalk: the C tools doing the same work per device (1 snmpget + 8 snmpbulkwalk, one per column),
  CPU from RUSAGE_CHILDREN; and `snmpbulkwalk-table`: one walk of all of ifTable per device (the C library's
  marginal cost per varbind, process start-up amortised over ~1,100 varbinds).

Run as root (network namespaces):  python bench/snmp_poll.py --devices 400 --concurrency 64
Results go to stdout as a table and JSON; bench/RESULTS.md records a run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PORT = 1161
COMMUNITY = "public"
V3 = ("ywbench", "bench-auth-key", "bench-priv-key")
STATUS_COLUMNS = [
    "1.3.6.1.2.1.2.2.1.7",
    "1.3.6.1.2.1.2.2.1.8",
    "1.3.6.1.2.1.2.2.1.9",
    "1.3.6.1.2.1.2.2.1.14",
    "1.3.6.1.2.1.2.2.1.20",
    "1.3.6.1.2.1.31.1.1.1.6",
    "1.3.6.1.2.1.31.1.1.1.10",
    "1.3.6.1.2.1.31.1.1.1.15",
]
NET_ENV = os.environ | {"MIBS": ""}  # net-snmp tools: no MIB parsing, numeric OIDs (-On)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


# --- inside the namespace: one backend per process ------------------------------------------------------------


def measure_driver(backend: str, devices: int, concurrency: int) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from collectors.records import SnmpCredentials, Target
    from collectors.snmp import DefaultFactory, SnmpDriver, collect_many

    if backend == "gufo-v3":
        user, auth_key, priv_key = V3
        creds = SnmpCredentials(version="3", user=user, auth_proto="SHA", auth_key=auth_key, priv_proto="AES",
                                priv_key=priv_key)  # fmt: skip
    else:
        creds = SnmpCredentials(community=COMMUNITY)
    target = Target(name="bench", host="127.0.0.1", snmp_port=PORT, snmp=creds, timeout_seconds=5, retries=1)
    status_backend = "pysnmp" if backend == "pysnmp" else "gufo"

    async def run(n: int) -> tuple[int, int, int]:
        factory = DefaultFactory(status=status_backend)  # type: ignore[arg-type]
        driver = SnmpDriver(factory)
        varbinds = ok = failed = 0
        async for record in collect_many([target] * n, "status", concurrency, driver=driver):
            if record.ok:
                ok += 1
                varbinds += 1 + len(STATUS_COLUMNS) * len(record.interfaces)
            else:
                failed += 1
        factory.close()
        return varbinds, ok, failed

    asyncio.run(run(min(20, devices)))  # warm-up: imports, pysnmp MIB view, first sockets
    cpu0, wall0 = _cpu(resource.RUSAGE_SELF), time.monotonic()
    varbinds, ok, failed = asyncio.run(run(devices))
    return _result(backend, devices, concurrency, ok, failed, varbinds, _cpu(resource.RUSAGE_SELF) - cpu0, wall0)


def measure_netsnmp(backend: str, devices: int, concurrency: int) -> dict[str, Any]:
    agent = f"127.0.0.1:{PORT}"
    base = ["-v2c", "-c", COMMUNITY, "-On", "-t", "5", "-r", "1"]
    if backend == "snmpbulkwalk":
        jobs = [["snmpget", *base, agent, "1.3.6.1.2.1.1.3.0"]]
        jobs += [["snmpbulkwalk", *base, "-Cr64", agent, column] for column in STATUS_COLUMNS]
    else:  # snmpbulkwalk-table
        jobs = [["snmpbulkwalk", *base, "-Cr64", agent, "1.3.6.1.2.1.2.2"]]

    def device(_: int) -> tuple[int, bool]:
        lines = 0
        for job in jobs:
            out = subprocess.run(job, capture_output=True, text=True, env=NET_ENV)
            if out.returncode != 0:
                return 0, False
            lines += out.stdout.count("\n")
        return lines, True

    cpu0, wall0 = _cpu(resource.RUSAGE_CHILDREN), time.monotonic()
    with ThreadPoolExecutor(max_workers=min(concurrency, 8)) as pool:  # 8 forks in flight saturate 2 cores
        results = list(pool.map(device, range(devices)))
    varbinds = sum(n for n, _ in results)
    ok = sum(1 for _, good in results if good)
    cpu = _cpu(resource.RUSAGE_CHILDREN) - cpu0
    return _result(backend, devices, concurrency, ok, devices - ok, varbinds, cpu, wall0)


def _result(backend: str, devices: int, concurrency: int, ok: int, failed: int, varbinds: int, cpu: float,
            wall0: float) -> dict[str, Any]:  # fmt: skip
    wall = time.monotonic() - wall0
    return {
        "backend": backend,
        "devices": devices,
        "concurrency": concurrency,
        "ok": ok,
        "failed": failed,
        "varbinds": varbinds,
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "cpu_us_per_varbind": round(cpu / varbinds * 1e6, 2) if varbinds else None,
        "cpu_ms_per_device": round(cpu / max(ok, 1) * 1e3, 3),
        "devices_per_s": round(ok / wall, 1),
    }


# --- outside: namespace, agent, orchestration --------------------------------------------------------------------


def _ns(ns: str, *cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", "netns", "exec", ns, *cmd], capture_output=True, text=True, check=check)


def setup_namespace(ns: str, interfaces: int) -> None:
    subprocess.run(["ip", "netns", "add", ns], check=True)
    _ns(ns, "ip", "link", "set", "lo", "up")
    _ns(ns, "ip", "link", "add", "br0", "type", "bridge")
    _ns(ns, "ip", "link", "set", "br0", "up")
    for i in range((interfaces - 2) // 2):  # lo + br0 + veth pairs
        _ns(ns, "ip", "link", "add", f"va{i}", "type", "veth", "peer", "name", f"vb{i}")
        _ns(ns, "ip", "link", "set", f"va{i}", "up")


def start_agent(ns: str, workdir: Path) -> subprocess.Popen[bytes]:
    user, auth_key, priv_key = V3
    conf = workdir / "snmpd.conf"
    conf.write_text(
        f"agentAddress udp:127.0.0.1:{PORT}\nrocommunity {COMMUNITY} 127.0.0.1\nsysName yw-bench-agent\n"
        f'createUser {user} SHA "{auth_key}" AES "{priv_key}"\nrouser {user} priv\n',
        encoding="utf-8",
    )
    (workdir / "state").mkdir()
    env = NET_ENV | {"SNMP_PERSISTENT_DIR": str(workdir / "state")}
    cmd = ["ip", "netns", "exec", ns, "snmpd", "-f", "-Lf", str(workdir / "snmpd.log"), "-C", "-c", str(conf)]
    agent = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        probe = _ns(ns, "snmpget", "-v2c", "-c", COMMUNITY, "-On", "-t", "0.3", "-r", "0", f"127.0.0.1:{PORT}",
                    "1.3.6.1.2.1.1.3.0", check=False)  # fmt: skip
        if probe.returncode == 0:
            return agent
        time.sleep(0.1)
    agent.terminate()
    raise RuntimeError("snmpd did not answer in the namespace")


def _proc_cpu(pid: int) -> float:
    """CPU seconds of a process and its children so far (ip netns exec -> snmpd)."""
    total = 0.0
    for child in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    try:
        kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--interfaces", type=int, default=52)
    parser.add_argument("--backends", default="gufo,gufo-v3,pysnmp,snmpbulkwalk,snmpbulkwalk-table")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        measure = measure_driver if args.inner in ("gufo", "gufo-v3", "pysnmp") else measure_netsnmp
        print(json.dumps(measure(args.inner, args.devices, args.concurrency)))
        return
    ns = f"ywsnmpbench{os.getpid()}"
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        setup_namespace(ns, args.interfaces)
        agent = start_agent(ns, Path(tmp))
        try:
            for backend in args.backends.split(","):
                agent_cpu0 = _proc_cpu(agent.pid)
                inner = [sys.executable, __file__, "--inner", backend, "--devices", str(args.devices)]
                out = _ns(ns, *inner, "--concurrency", str(args.concurrency))
                result = json.loads(out.stdout.strip().splitlines()[-1])
                result["agent_cpu_s"] = round(_proc_cpu(agent.pid) - agent_cpu0, 3)
                results.append(result)
                print(_row(result), flush=True)
        finally:
            agent.terminate()
            agent.wait(timeout=10)
            subprocess.run(["ip", "netns", "del", ns], check=False)
    print(json.dumps(results, indent=1))


def _row(r: dict[str, Any]) -> str:
    return (
        f"{r['backend']:<20} devices={r['ok']}/{r['devices']} varbinds={r['varbinds']} cpu={r['cpu_s']}s "
        f"wall={r['wall_s']}s  {r['cpu_us_per_varbind']} us/varbind  {r['cpu_ms_per_device']} ms/device  "
        f"{r['devices_per_s']} dev/s  agent_cpu={r['agent_cpu_s']}s"
    )


if __name__ == "__main__":
    main()
