"""Real SNMP agents on loopback for the live driver tests, started once per session. A missing one fails loudly.

- snmpsim serves the recorded walks over v2c (community = data file name), so live records must equal the
  golden files of the replay suite.
- net-snmp's snmpd serves SNMPv3 (authPriv SHA/AES, authPriv SHA-256/DES, authNoPriv MD5). snmpsim 1.2.2 answers
  v3 only when the request names a context (`-n <file>`); real devices and our driver use the empty context,
  so v3 is tested against the agent that many real boxes embed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.collectors.snmp_cases import FIXTURES

V2C_FILES = {  # community -> recorded case
    "kf-core-c0mm": "huawei/ce6850_utf8",
    "kf-gbk-c0mm": "huawei/s5700_gbk_no_ifindex",
    "kf-cisco-c0mm": "cisco/c3750e_lldp_port_numbers",
    "kf-fw-c0mm": "hillstone/sg6000_sparse",
}
V3_USER, V3_AUTH, V3_PRIV = "kfnoc", "kf-auth-k3y!", "kf-priv-k3y!"
V3_USERS = {  # user -> (auth proto, auth key, priv proto, priv key)
    V3_USER: ("SHA", V3_AUTH, "AES", V3_PRIV),
    "kfaes256": ("SHA", "kf-aes256-auth", "AES256", "kf-aes256-priv"),
    "kfsha256": ("SHA256", "kf-sha256-k3y", "DES", "kf-des-priv-k3y"),
    "kfmd5": ("MD5", "kf-md5-auth-k3y", "", ""),
}
V3_SYS_NAME, V3_LOCATION = "kf-v3-agent", "开福区政务外网中心机房"


@dataclass(frozen=True)
class SnmpSim:
    v2c_host: str
    v3_host: str  # snmpd
    port: int
    blackhole_host: str  # a UDP socket that reads nothing: requests time out
    blackhole_port: int


def _free_udp_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _start(data_dir: Path, cache_dir: Path, host: str, port: int, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("snmpsim-command-responder")
    args = [str(exe), f"--data-dir={data_dir}", f"--cache-dir={cache_dir}", f"--agent-udpv4-endpoint={host}:{port}"]
    env = os.environ | {"SNMPSIM_ALLOW_ROOT": "true"}
    with log.open("wb") as out:
        return subprocess.Popen([*args, *extra], stdout=out, stderr=subprocess.STDOUT, env=env)


def _start_snmpd(root: Path, host: str, port: int) -> subprocess.Popen[bytes]:
    lines = [f"agentAddress udp:{host}:{port}", f"sysName {V3_SYS_NAME}", f"sysLocation {V3_LOCATION}"]
    lines.append("sysContact noc@kaifu.gov.cn")
    for user, (auth, auth_key, priv, priv_key) in V3_USERS.items():
        # snmpd spellings: SHA-256; AES256C is AES-256 with Reeder ("Cisco") key expansion, as our transports use
        auth_word = "SHA-256" if auth == "SHA256" else auth
        priv_word = "AES256C" if priv == "AES256" else priv
        lines.append(f'createUser {user} {auth_word} "{auth_key}"' + (f' {priv_word} "{priv_key}"' if priv else ""))
        lines.append(f"rouser {user} {'priv' if priv else 'auth'}")
    conf = root / "snmpd.conf"
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    persist = root / "snmpd-state"
    persist.mkdir()
    args = ["snmpd", "-f", "-Lf", str(root / "snmpd.log"), "-C", "-c", str(conf), "-p", str(root / "snmpd.pid")]
    # MIBS="": the agent needs no MIB files; SNMP_PERSISTENT_DIR keeps its engine state out of /var/lib/snmp.
    env = os.environ | {"MIBS": "", "SNMP_PERSISTENT_DIR": str(persist)}
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _wait_ready(host: str, port: int, community: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Poll with a v2c GET of sysUpTime (raw UDP through pysnmp would be heavier) until the agent answers."""
    import asyncio

    from pysnmp.hlapi.v3arch.asyncio import (  # local: only the fixture needs this
        CommunityData,
        ContextData,
        ObjectIdentity,
        ObjectType,
        SnmpEngine,
        UdpTransportTarget,
        get_cmd,
    )

    async def probe() -> bool:
        engine = SnmpEngine()
        try:
            target = await UdpTransportTarget.create((host, port), timeout=0.5, retries=0)
            oid = ObjectType(ObjectIdentity("1.3.6.1.2.1.1.3.0"))
            indication, *_ = await get_cmd(engine, CommunityData(community), target, ContextData(), oid)
            return indication is None
        finally:
            engine.close_dispatcher()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"snmpsim exited: {log.read_text(errors='replace')[-2000:]}")
        if asyncio.run(probe()):
            return
        time.sleep(0.2)
    raise RuntimeError(f"snmpsim on {host}:{port} did not answer in 30 s: {log.read_text(errors='replace')[-2000:]}")


def _wait_v3_ready(host: str, port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    import asyncio

    from collectors.records import SnmpCredentials, Target
    from collectors.snmp.gufo_transport import GufoTransport
    from collectors.snmp.values import SnmpFailure

    creds = SnmpCredentials(version="3", user=V3_USER, auth_proto="SHA", auth_key=V3_AUTH, priv_proto="AES",
                            priv_key=V3_PRIV)  # fmt: skip
    target = Target(name="v3", host=host, snmp_port=port, snmp=creds, timeout_seconds=0.5, retries=0)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"snmpd exited: {log.read_text(errors='replace')[-2000:] if log.exists() else ''}")
        try:
            asyncio.run(GufoTransport(target).get(["1.3.6.1.2.1.1.3.0"]))
            return
        except SnmpFailure:
            time.sleep(0.2)
    raise RuntimeError(f"snmpd on {host}:{port} did not answer SNMPv3 in 30 s")


@pytest.fixture(scope="session")
def snmpsim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpSim]:
    root = tmp_path_factory.mktemp("snmpsim")
    v2c_dir = root / "v2c"
    v2c_dir.mkdir()
    for community, case in V2C_FILES.items():
        shutil.copy(FIXTURES / case / "walk.snmprec", v2c_dir / f"{community}.snmprec")
    v2c_host, v3_host, hole_host = "127.77.0.1", "127.77.0.2", "127.77.0.3"
    port = _free_udp_port(v2c_host)
    procs = [_start(v2c_dir, root / "cache", v2c_host, port, root / "v2c.log"), _start_snmpd(root, v3_host, port)]
    hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    hole.bind((hole_host, 0))
    try:
        _wait_ready(v2c_host, port, "kf-core-c0mm", procs[0], root / "v2c.log")
        _wait_v3_ready(v3_host, port, procs[1], root / "snmpd.log")
        yield SnmpSim(v2c_host, v3_host, port, hole_host, int(hole.getsockname()[1]))
    finally:
        hole.close()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
