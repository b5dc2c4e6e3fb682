#!/usr/bin/env python3
"""Load agent for SNMP benchmarks: Debian's net-snmp `snmpd` in a network namespace, where every address of a
benchmark range answers as a device.

snmpsim (the lab) costs ~0.2-0.4 s of CPU per 52-port walk, so it cannot stand in for thousands of devices;
snmpd answers the same walk for a few ms. This script builds:

    root namespace                           namespace "yw-snmpd"
    ywsnmpd0 198.19.255.253/30  <-- veth -->  ywsnmpd1 198.19.255.254/30
    route 198.18.0.0/16 via .254              local route 198.18.0.0/16 on lo (every address is "here")
                                              dum0..dumN: dummy ports, so IF-MIB has --ports interfaces
                                              snmpd on 0.0.0.0:161 (v2c community + one SNMPv3 authPriv user)

198.18.0.0/15 is the range reserved for benchmarks (RFC 2544); it is routed only into the namespace, so no packet
leaves the machine. Inside the namespace every 127.x.y.z answers too (run the poller with `ip netns exec`).

Usage (as root):
    python3 bench/snmpd_agent.py up --devices 2000 --ports 52   # targets in var/bench-snmpd/targets.json
    python3 bench/snmpd_agent.py measure --walks 50             # snmpd CPU per ifTable+ifXTable walk
    python3 bench/snmpd_agent.py status
    python3 bench/snmpd_agent.py down                           # kills snmpd, deletes the namespace

targets.json: {"community": ..., "v3": {"user", "auth_proto", "auth_key", "priv_proto", "priv_key"},
"hosts": ["198.18.0.1", ...], "ports": 52, "netns": "yw-snmpd"}.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("YUNWANG_BENCH_SNMPD_DIR") or REPO / "var" / "bench-snmpd")
NETNS = "yw-snmpd"
HOST_IF, NS_IF = "ywsnmpd0", "ywsnmpd1"
HOST_ADDR, NS_ADDR = "198.19.255.253", "198.19.255.254"
RANGE = ipaddress.ip_network("198.18.0.0/16")
COMMUNITY = "yunwang-bench"
V3 = {"user": "ywbench", "auth_proto": "SHA", "auth_key": "ywbench-auth-key", "priv_proto": "AES",
      "priv_key": "ywbench-priv-key"}  # fmt: skip
CONF = """\
agentAddress udp:0.0.0.0:161
rocommunity {community} default
createUser {user} {auth_proto} "{auth_key}" {priv_proto} "{priv_key}"
rouser {user} priv
sysName yw-bench-snmpd
sysLocation 基准测试机房
sysContact 政务外网运维中心
sysServices 6
"""


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=check)


def snmpd_pid() -> int | None:
    try:
        pid = int((STATE / "snmpd.pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def netns_exists() -> bool:
    return NETNS in sh("ip", "netns", "list").stdout.split()


def build_netns(ports: int) -> None:
    sh("ip", "netns", "add", NETNS)
    sh("ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF, "netns", NETNS)
    sh("ip", "addr", "add", f"{HOST_ADDR}/30", "dev", HOST_IF)
    sh("ip", "link", "set", HOST_IF, "up")
    sh("ip", "route", "add", str(RANGE), "via", NS_ADDR, "dev", HOST_IF)
    batch = [
        "link set lo up",
        f"addr add {NS_ADDR}/30 dev {NS_IF}",
        f"link set {NS_IF} up",
        f"route add local {RANGE} dev lo",  # AnyIP: the namespace owns the whole range
    ]
    # Ports: veth pairs inside the namespace (the container kernels we run on often lack the dummy driver);
    # lo and the uplink veth count as two.
    for i in range((max(0, ports - 2) + 1) // 2):
        batch += [f"link add p{i}a type veth peer name p{i}b", f"link set p{i}a alias 至接入点{i + 1:02d}",
                  f"link set p{i}a up", f"link set p{i}b up"]  # fmt: skip
    subprocess.run(["ip", "netns", "exec", NETNS, "ip", "-batch", "-"], input="\n".join(batch) + "\n", text=True,
                   check=True, capture_output=True)  # fmt: skip


def start_snmpd() -> int:
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "persist").mkdir(exist_ok=True)
    conf = STATE / "snmpd.conf"
    conf.write_text(CONF.format(community=COMMUNITY, **V3), encoding="utf-8")
    os.chmod(conf, 0o600)
    env = dict(os.environ, SNMP_PERSISTENT_DIR=str(STATE / "persist"))
    log = open(STATE / "snmpd.log", "wb")  # noqa: SIM115 - handed to the child
    with log:
        proc = subprocess.Popen(
            ["ip", "netns", "exec", NETNS, "snmpd", "-f", "-C", "-c", str(conf), "-Lf", str(STATE / "snmpd.log"),
             "-p", str(STATE / "snmpd.netsnmp.pid")],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env,
        )  # fmt: skip
    (STATE / "snmpd.pid").write_text(str(proc.pid))
    return proc.pid


def wait_ready(host: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        probe = sh("snmpget", "-v2c", "-c", COMMUNITY, "-t", "0.3", "-r", "0", host, "1.3.6.1.2.1.1.5.0", check=False)
        if probe.returncode == 0:
            return
        time.sleep(0.2)
    raise SystemExit(f"snmpd did not answer on {host} within {timeout_s:.0f} s (see {STATE / 'snmpd.log'})")


def cmd_up(args: argparse.Namespace) -> None:
    if os.geteuid() != 0:
        raise SystemExit("needs root (ip netns)")
    cmd_down(args, quiet=True)
    t0 = time.monotonic()
    build_netns(args.ports)
    start_snmpd()
    hosts = [str(RANGE.network_address + i) for i in range(1, args.devices + 1)]
    wait_ready(hosts[0])
    targets = {"community": COMMUNITY, "v3": V3, "hosts": hosts, "ports": args.ports, "netns": NETNS}
    path = STATE / "targets.json"
    path.write_text(json.dumps(targets, indent=1), encoding="utf-8")
    os.chmod(path, 0o600)
    print(f"snmpd load agent up in {time.monotonic() - t0:.1f} s: {args.devices} devices {hosts[0]}..{hosts[-1]}, "
          f"{args.ports} ports each; targets in {path}")  # fmt: skip


def cmd_down(args: argparse.Namespace, quiet: bool = False) -> None:
    pid = snmpd_pid()
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.02)
    (STATE / "snmpd.pid").unlink(missing_ok=True)
    if netns_exists():
        sh("ip", "netns", "del", NETNS)  # takes the veth pair, the dummies and the route with it
    if not quiet:
        print("snmpd load agent down")


def cmd_status(args: argparse.Namespace) -> None:
    pid = snmpd_pid()
    print(
        f"netns {NETNS}: {'present' if netns_exists() else 'absent'}; snmpd: {'pid ' + str(pid) if pid else 'stopped'}"
    )


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _snmpd_real_pid() -> int:
    # `ip netns exec` execs snmpd in place, so the recorded pid is snmpd's own.
    pid = snmpd_pid()
    if pid is None:
        raise SystemExit("snmpd is not running: bench/snmpd_agent.py up first")
    return pid


def cmd_measure(args: argparse.Namespace) -> None:
    pid = _snmpd_real_pid()
    hz = os.sysconf("SC_CLK_TCK")
    host = str(RANGE.network_address + 1)
    auth = {"v2c": ["-v2c", "-c", COMMUNITY],
            "v3": ["-v3", "-l", "authPriv", "-u", V3["user"], "-a", V3["auth_proto"], "-A", V3["auth_key"],
                   "-x", V3["priv_proto"], "-X", V3["priv_key"]]}  # fmt: skip
    for version, creds in auth.items():
        before, t0 = _cpu_ticks(pid), time.monotonic()
        rows = 0
        for _ in range(args.walks):
            for table in ("1.3.6.1.2.1.2.2", "1.3.6.1.2.1.31.1.1"):
                out = sh("snmpbulkwalk", *creds, "-Cr50", "-On", host, table).stdout
                rows += out.count("\n.")
        cpu_ms = (_cpu_ticks(pid) - before) * 1000 / hz / args.walks
        wall_ms = (time.monotonic() - t0) * 1000 / args.walks
        print(f"{version}: {args.walks} walks of ifTable+ifXTable ({rows // args.walks} rows each): "
              f"snmpd CPU {cpu_ms:.1f} ms/walk, wall {wall_ms:.1f} ms/walk (incl. client start-up)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="create the namespace and start snmpd")
    up.add_argument("--devices", type=int, default=1000, help="how many addresses to list as targets (default 1000)")
    up.add_argument("--ports", type=int, default=52, help="interfaces per device (default 52)")
    sub.add_parser("down", help="stop snmpd and delete the namespace")
    sub.add_parser("status")
    measure = sub.add_parser("measure", help="snmpd CPU per 52-port walk")
    measure.add_argument("--walks", type=int, default=50)
    args = parser.parse_args(argv)
    {"up": cmd_up, "down": cmd_down, "status": cmd_status, "measure": cmd_measure}[args.cmd](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
