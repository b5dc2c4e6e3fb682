"""How much the lab's SSH simulator costs per device session (server side), so SSH collection benchmarks know
the simulator is not their bottleneck.

    python bench/ssh_lab.py --profile scale:500 --devices 500 --concurrency 50

Starts `python -m lab.ssh.server` on a scratch state dir (port 2299 on every device address), then for each
device opens one SSH connection (asyncssh client), runs the collector's command set for its dialect over exec
requests, and closes. Prints wall time, sessions/s and the server's CPU seconds (from /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncssh

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lab.state import LabState, write_state  # noqa: E402
from lab.topology import LabDevice, build_topology  # noqa: E402

COMMANDS = {
    "huawei_vrp": (
        "display version",
        "display interface brief",
        "display lldp neighbor",
        "display current-configuration",
    ),
    "h3c_comware": (
        "display version",
        "display interface brief",
        "display lldp neighbor-information verbose",
        "display current-configuration",
    ),
    "cisco_ios": ("show version", "show interfaces", "show lldp neighbors detail", "show running-config"),
}
DEFAULT_COMMANDS = ("show version", "show running-config")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _session(device: LabDevice, port: int, gate: asyncio.Semaphore) -> int:
    async with (
        gate,
        asyncssh.connect(
            device.host, port, username=device.ssh_username, password=device.ssh_password, known_hosts=None
        ) as conn,
    ):
        size = 0
        for command in COMMANDS.get(device.platform, DEFAULT_COMMANDS):
            result = await conn.run(command, check=True, encoding=None)  # GBK devices answer in GBK
            size += len(result.stdout or "")
        return size


async def _run(devices: list[LabDevice], port: int, concurrency: int) -> int:
    gate = asyncio.Semaphore(concurrency)
    sizes = await asyncio.gather(*(_session(d, port, gate) for d in devices))
    return sum(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="scale:500")
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--port", type=int, default=2299)
    args = parser.parse_args()
    topology = build_topology(args.profile)
    devices = list(topology.devices[: args.devices])
    with tempfile.TemporaryDirectory() as tmp:
        write_state(tmp, LabState(args.profile, topology.seed, time.time()))
        server = subprocess.Popen(
            [sys.executable, "-m", "lab.ssh.server", "--state-dir", tmp, "--port", str(args.port)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None and server.stdout.readline().startswith("ready")
            cpu0, t0 = _cpu_seconds(server.pid), time.monotonic()
            size = asyncio.run(_run(devices, args.port, args.concurrency))
            wall, cpu = time.monotonic() - t0, _cpu_seconds(server.pid) - cpu0
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"profile={args.profile} devices={len(devices)} concurrency={args.concurrency}")
    print(f"wall {wall:.2f} s, {len(devices) / wall:.0f} sessions/s, {size / 1e6:.1f} MB of CLI output")
    print(f"server CPU {cpu:.2f} s = {cpu / len(devices) * 1000:.1f} ms per device session")


if __name__ == "__main__":
    main()
