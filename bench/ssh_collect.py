"""SSH collection of N lab devices through the real collector (netmiko sessions in a bounded thread pool).

    python bench/ssh_collect.py --profile scale:500 --concurrency 32

Starts `python -m lab.ssh.server` on a scratch state dir (one port on every device address), collects every
device in full mode (facts, interfaces, LLDP, running config; one login per device), and prints wall time,
devices/s, the collector's CPU seconds (user+sys of this process) and the server's CPU seconds (from /proc).
Both run on the same machine, so they compete for the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from collectors.records import SshCredentials, Target  # noqa: E402
from collectors.ssh.driver import SshDriver  # noqa: E402
from collectors.ssh.hostkeys import MemoryHostKeyStore  # noqa: E402
from collectors.ssh.session import Timeouts  # noqa: E402
from lab.state import LabState, write_state  # noqa: E402
from lab.topology import build_topology  # noqa: E402


def _server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="scale:500")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--mode", default="full", choices=("full", "status"))
    args = parser.parse_args()

    topology = build_topology(args.profile)
    devices = [d for d in topology.devices if d.platform in {"huawei_vrp", "h3c_comware", "ruijie_rgos", "cisco_ios"}]
    with tempfile.TemporaryDirectory() as state_dir:
        write_state(state_dir, LabState(args.profile, topology.seed, time.time()))
        with socket.socket() as probe:
            probe.bind((devices[0].host, 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "lab.ssh.server", "--state-dir", state_dir, "--port", str(port)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None
        print(server.stdout.readline().strip(), file=sys.stderr)
        try:
            targets = [
                Target(d.name, d.host, platform=d.platform, ssh=SshCredentials(d.ssh_username, d.ssh_password, port))
                for d in devices
            ]
            driver = SshDriver(MemoryHostKeyStore(), max_workers=args.concurrency, timeouts=Timeouts(10, 15, 60))
            server_cpu0, cpu0, started = _server_cpu(server.pid), _cpu(), time.monotonic()
            records = asyncio.run(driver.collect_many(targets, mode=args.mode))
            wall = time.monotonic() - started
            cpu, server_cpu = _cpu() - cpu0, _server_cpu(server.pid) - server_cpu0
            driver.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    kinds = collections.Counter(r.error.kind if r.error else "ok" for r in records)
    platforms = collections.Counter(d.platform for d in devices)
    durations = sorted(r.duration_seconds or 0 for r in records)
    print(f"devices: {len(devices)} {dict(platforms)}")
    print(f"results: {dict(kinds)}")
    print(f"concurrency {args.concurrency}, mode {args.mode}: wall {wall:.1f} s, {len(devices) / wall:.1f} devices/s")
    print(f"collector CPU {cpu:.1f} s ({cpu / len(devices) * 1000:.0f} ms/device), server CPU {server_cpu:.1f} s")
    print(f"per-device duration: median {durations[len(durations) // 2]:.2f} s, max {durations[-1]:.2f} s")


if __name__ == "__main__":
    main()
