"""net-snmp command-line tools (Debian `snmp` package) against lab devices, with their output parsed.

Output is requested as ``-On -Oe -Ox -Ot``: numeric OIDs, numeric enums, every octet string in hex, raw ticks,
so values compare exactly with the records the lab generated.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass

from lab.topology import LabDevice

TYPE_BY_LABEL = {
    "INTEGER": "2",
    "Hex-STRING": "4x",
    "STRING": "4x",
    "OID": "6",
    "Gauge32": "66",
    "Counter32": "65",
    "Counter64": "70",
    "Timeticks": "67",
}


@dataclass(frozen=True)
class Var:
    oid: str
    tag: str
    value: str  # hex for octet strings, digits for numbers, dotted for OIDs


@dataclass(frozen=True)
class Result:
    returncode: int
    vars: list[Var]
    stderr: str
    seconds: float


def auth_args(device: LabDevice, *, community: str | None = None, auth_key: str | None = None) -> list[str]:
    if device.snmp_v3 is not None and community is None:
        user, auth_proto, key, priv_proto, priv_key = device.snmp_v3
        return ["-v3", "-l", "authPriv", "-u", user, "-a", auth_proto, "-A", auth_key or key, "-x", priv_proto,
                "-X", priv_key]  # fmt: skip
    return ["-v2c", "-c", community or device.snmp_community or ""]


def _parse_value(rest: str) -> tuple[str, str]:
    if rest == '""':
        return "4x", ""
    label, sep, value = rest.partition(": ")
    if not sep:
        return "67", rest.strip()  # -Ot prints ticks bare
    tag = TYPE_BY_LABEL.get(label, label)
    value = value.strip()
    if label == "Hex-STRING":
        value = value.replace(" ", "").lower()
    elif label == "STRING":
        value = value.strip('"').encode().hex()
    elif label == "OID":
        value = value.lstrip(".")
    return tag, value


def parse(output: str) -> list[Var]:
    entries: list[list[str]] = []
    for line in output.splitlines():
        if line.startswith("."):
            entries.append([line])
        elif entries and line.strip():
            entries[-1].append(line)  # continuation of a wrapped hex string
    out = []
    for parts in entries:
        text = " ".join(p.strip() for p in parts)
        oid, _, rest = text.partition(" = ")
        if rest.startswith("No more variables left"):
            continue  # endOfMibView: net-snmp prints one per remaining repetition of the last GETBULK
        if rest.startswith("No Such"):
            out.append(Var(oid.lstrip("."), "nosuch", ""))
            continue
        tag, value = _parse_value(rest)
        out.append(Var(oid.lstrip("."), tag, value))
    return out


def run(
    tool: str,
    device: LabDevice,
    oids: list[str],
    *,
    timeout_s: float = 1.0,
    extra: list[str] | None = None,
    community: str | None = None,
    auth_key: str | None = None,
) -> Result:
    argv = [tool, *auth_args(device, community=community, auth_key=auth_key), "-On", "-Oe", "-Ox", "-Ot"]
    argv += ["-t", str(timeout_s), "-r", "0", *(extra or []), device.host, *oids]
    t0 = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    return Result(proc.returncode, parse(proc.stdout), proc.stderr, time.monotonic() - t0)


def walk(device: LabDevice, oid: str, *, community: str | None = None) -> Result:
    return run("snmpbulkwalk", device, [oid], extra=["-Cr30"], community=community)


def get(
    device: LabDevice, *oids: str, timeout_s: float = 1.0, community: str | None = None, auth_key: str | None = None
) -> Result:
    return run("snmpget", device, list(oids), timeout_s=timeout_s, community=community, auth_key=auth_key)
