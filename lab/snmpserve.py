"""Lay out what the lab's single snmpsim process serves: data files and the engine/endpoint configuration.

One SNMP engine answers every SNMPv2c device: each device listens on its own 127.x.y.z:161 and its data file
is named after its community (snmpsim selects data by community; the agent also rejects a community sent to
another device's address). Each SNMPv3 device gets an engine of its own (its own engine ID and USM user) whose
only data file is ``self.snmprec``: snmpsim maps a request with the empty context name to it.

Layout under ``<state dir>/snmp/``: ``data/v2c/<community>.snmprec``, ``data/v3/<device>/self.snmprec``,
``engines.args`` (mode 0600: it holds keys), ``cache/`` (snmpsim's indexes).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lab.snmprec import device_records, render
from lab.topology import LabDevice, Topology

SNMP_PORT = 161
ENTERPRISE = {"huawei": 2011, "h3c": 25506, "ruijie": 4881, "cisco": 9, "hillstone": 28557, "sangfor": 35047}


def snmp_dir(state_dir: Path) -> Path:
    return state_dir / "snmp"


def engine_id(device: LabDevice) -> str:
    """RFC 3411 engine ID as vendors build it: enterprise number with the top bit set, format 3 (MAC), the MAC."""
    return f"{0x80000000 | ENTERPRISE[device.vendor]:08x}03{device.chassis_mac.replace(':', '')}"


def endpoint_order(topo: Topology) -> list[LabDevice]:
    """Devices in the order their endpoints are configured; snmpsim numbers transport domains in this order."""
    return [d for d in topo.devices if d.snmp_v3 is None] + [d for d in topo.devices if d.snmp_v3 is not None]


def data_file(state_dir: Path, device: LabDevice) -> Path:
    base = snmp_dir(state_dir) / "data"
    if device.snmp_v3 is not None:
        return base / "v3" / device.name / "self.snmprec"
    return base / "v2c" / f"{device.snmp_community}.snmprec"


def engine_args(state_dir: Path, topo: Topology) -> list[str]:
    data = snmp_dir(state_dir) / "data"
    v2c = [d for d in topo.devices if d.snmp_v3 is None]
    args: list[str] = []
    if v2c:
        args += ["--v3-engine-id=auto", f"--data-dir={data / 'v2c'}"]
        args += [f"--agent-udpv4-endpoint={d.host}:{SNMP_PORT}" for d in v2c]
    for d in topo.devices:
        if d.snmp_v3 is None:
            continue
        user, auth_proto, auth_key, priv_proto, priv_key = d.snmp_v3
        args += [
            f"--v3-engine-id={engine_id(d)}",
            f"--data-dir={data / 'v3' / d.name}",
            f"--agent-udpv4-endpoint={d.host}:{SNMP_PORT}",
            f"--v3-user={user}",
            f"--v3-auth-key={auth_key}",
            f"--v3-auth-proto={auth_proto}",
            f"--v3-priv-key={priv_key}",
            f"--v3-priv-proto={priv_proto}",
        ]
    return args


def write_data(state_dir: Path, topo: Topology) -> int:
    """(Re)write every device's data file and the engine arguments; returns the number of data files."""
    root = snmp_dir(state_dir)
    for sub in ("data", "cache"):  # a stale index would point into the old files
        if (root / sub).exists():
            shutil.rmtree(root / sub)
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)  # data file names are communities
    for device in topo.devices:
        path = data_file(state_dir, device)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(device_records(device, topo)), encoding="ascii")
    args_file = root / "engines.args"
    fd = os.open(args_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write("\n".join(engine_args(state_dir, topo)) + "\n")
    return len(topo.devices)
