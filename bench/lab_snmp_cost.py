#!/usr/bin/env python3
"""Cost of the lab's snmpsim agent: `lab up` time and agent CPU per ifTable+ifXTable walk of one device.

Usage: .venv/bin/python bench/lab_snmp_cost.py [--profile kaifu] [--device KF-CORE-02] [--walks 20]
It brings a lab up in a temporary state dir (stop your own lab first, or set YUNWANG_LAB_ADDRESS_BASE) and
takes it down again.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lab import runner  # noqa: E402
from lab.topology import DEFAULT_SEED, LabDevice, build_topology  # noqa: E402


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def credentials(device: LabDevice) -> list[str]:
    if device.snmp_v3:
        user, ap, ak, pp, pk = device.snmp_v3
        return ["-v3", "-l", "authPriv", "-u", user, "-a", ap, "-A", ak, "-x", pp, "-X", pk]
    return ["-v2c", "-c", device.snmp_community or ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="kaifu")
    parser.add_argument("--device", default="KF-CORE-02")
    parser.add_argument("--walks", type=int, default=20)
    parser.add_argument("--all", action="store_true", help="also walk every device once (ifTable, ifXTable, LLDP)")
    args = parser.parse_args()
    state_dir = Path(tempfile.mkdtemp(prefix="yunwang-bench-lab-"))
    result = runner.up(state_dir, args.profile, DEFAULT_SEED, ssh=False)
    try:
        topo = build_topology(args.profile, DEFAULT_SEED)
        device = topo.device(args.device)
        pid = runner.daemon_pid(state_dir, "snmp")
        assert pid is not None
        creds = credentials(device)
        before, t0 = cpu_ticks(pid), time.monotonic()
        for _ in range(args.walks):
            for table in ("1.3.6.1.2.1.2.2", "1.3.6.1.2.1.31.1.1"):
                subprocess.run(["snmpbulkwalk", *creds, "-Cr25", device.host, table], capture_output=True, check=True)
        hz = os.sysconf("SC_CLK_TCK")
        cpu_ms = (cpu_ticks(pid) - before) * 1000 / hz / args.walks
        wall_ms = (time.monotonic() - t0) * 1000 / args.walks
        print(f"lab up ({args.profile}, {result.devices} devices): {result.seconds:.1f} s")
        if args.all:
            before, t0 = cpu_ticks(pid), time.monotonic()
            for d in topo.devices:
                for table in ("1.3.6.1.2.1.2.2", "1.3.6.1.2.1.31.1.1", "1.0.8802.1.1.2.1.4"):
                    subprocess.run(["snmpbulkwalk", *credentials(d), "-Cr25", d.host, table], capture_output=True)
            cpu_s = (cpu_ticks(pid) - before) / hz
            print(f"every device walked once (ifTable, ifXTable, LLDP remote): snmpsim CPU {cpu_s:.1f} s, "
                  f"wall {time.monotonic() - t0:.1f} s")  # fmt: skip
        print(f"{device.name} ({len(device.interfaces)} interfaces): snmpsim CPU {cpu_ms:.0f} ms per "
              f"ifTable+ifXTable walk, wall {wall_ms:.0f} ms")  # fmt: skip
    finally:
        runner.down(state_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
