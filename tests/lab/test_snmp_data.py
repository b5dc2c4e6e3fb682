"""What net-snmp's snmpbulkwalk reads from lab devices is exactly what the lab generated."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lab.snmprec import device_records
from lab.topology import LabDevice
from tests.lab import snmpcli
from tests.lab_fixture import RunningLab

SUBTREES = ("1.3.6.1.2.1.1", "1.3.6.1.2.1.2", "1.3.6.1.2.1.31", "1.3.6.1.2.1.47", "1.0.8802.1.1.2.1",
            "1.3.6.1.4.1.25506.2.6")  # fmt: skip
DYNAMIC = {"uptime", "ctr", "lastchange"}


def _sample(lab: RunningLab) -> list[LabDevice]:
    """One device per vendor, plus an SNMPv3 device, a GBK and a UTF-8 one (small ones first: walks cost)."""
    picked: dict[str, LabDevice] = {}
    for d in sorted(lab.topology.devices, key=lambda d: (len(d.interfaces), d.name)):
        picked.setdefault(d.vendor, d)
        picked.setdefault("v3" if d.snmp_v3 else "v2c", d)
        picked.setdefault(d.text_encoding, d)
    return list({d.name: d for d in picked.values()}.values())


def _expected(lab: RunningLab, device: LabDevice, subtree: str) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for oid, tag, raw in device_records(device, lab.topology):
        if not oid.startswith(subtree + "."):
            continue
        value: str | None = raw
        if tag.endswith(":yw"):
            tag = tag[:-3]
            _, kind, *args = raw.split(",")
            value = None if kind in DYNAMIC else args[-1]  # oper: healthy status, lldp: the cell
        out.append((oid, tag, value))
    return out


def test_walk_returns_exactly_the_model(lab: RunningLab) -> None:
    for device in _sample(lab):
        got, expected = [], []
        for subtree in SUBTREES:
            result = snmpcli.walk(device, subtree)
            assert result.returncode == 0, (device.name, result.stderr)
            got += result.vars
            expected += _expected(lab, device, subtree)
        assert [v.oid for v in got] == [e[0] for e in expected], device.name
        for var, (oid, tag, value) in zip(got, expected, strict=True):
            assert var.tag == tag, (device.name, oid)
            if value is not None:
                assert var.value == value.lower(), (device.name, oid)


def test_text_is_byte_exact_in_each_encoding(lab: RunningLab) -> None:
    for encoding in ("gbk", "utf-8"):
        device = next(d for d in lab.topology.devices if d.text_encoding == encoding and d.snmp_v3 is None)
        aliased = next(i for i in device.interfaces if i.alias and i.alias != "预留")
        result = snmpcli.get(device, "1.3.6.1.2.1.1.6.0", f"1.3.6.1.2.1.31.1.1.1.18.{aliased.if_index}")
        location, alias = (bytes.fromhex(v.value) for v in result.vars)
        assert location == device.sys_location.encode(encoding)
        assert alias == aliased.alias.encode(encoding)  # type: ignore[union-attr]
        if encoding == "gbk":
            with pytest.raises(UnicodeDecodeError):
                location.decode("utf-8")


def test_lldp_neighbours_agree_with_links(lab: RunningLab) -> None:
    device = lab.topology.device("KF-AGG-01")
    names = snmpcli.walk(device, "1.0.8802.1.1.2.1.4.1.1.9").vars
    ports = snmpcli.walk(device, "1.0.8802.1.1.2.1.4.1.1.7").vars
    got = {(int(n.oid.split(".")[-2]), bytes.fromhex(n.value).decode(), bytes.fromhex(p.value).decode())
           for n, p in zip(names, ports, strict=True)}  # fmt: skip
    expected = {
        (local.if_index, peer.name, remote.name) for local, peer, remote in lab.topology.neighbors_of(device.name)
    }
    assert got == expected and len(got) >= 3


def test_uptime_and_counters_advance(lab: RunningLab) -> None:
    device = lab.topology.device("KF-AGG-02")
    port = next(local.if_index for local, _, _ in lab.topology.neighbors_of(device.name))
    oids = ("1.3.6.1.2.1.1.3.0", f"1.3.6.1.2.1.31.1.1.1.6.{port}", f"1.3.6.1.2.1.2.2.1.16.{port}")
    first = [int(v.value) for v in snmpcli.get(device, *oids).vars]
    time.sleep(1.1)
    second = [int(v.value) for v in snmpcli.get(device, *oids).vars]
    assert second[0] - first[0] >= 100  # ticks are 1/100 s
    assert second[1] > first[1]
    assert second[2] != first[2]
    assert first[0] > device.uptime_at_start_s * 100 - 1  # devices have been up a while


def test_v3_device_answers_only_with_its_keys(lab: RunningLab) -> None:
    device = next(d for d in lab.topology.devices if d.snmp_v3)
    ok = snmpcli.get(device, "1.3.6.1.2.1.1.5.0")
    assert ok.returncode == 0 and bytes.fromhex(ok.vars[0].value).decode() == device.name
    wrong = snmpcli.get(device, "1.3.6.1.2.1.1.5.0", auth_key="not-the-key-123")
    assert wrong.returncode != 0 and "Authentication failure" in wrong.stderr
    v2c = snmpcli.get(device, "1.3.6.1.2.1.1.5.0", community="self", timeout_s=0.3)
    assert v2c.returncode != 0 and "Timeout" in v2c.stderr


def test_a_community_only_works_at_its_own_device(lab: RunningLab) -> None:
    a, b = lab.topology.device("KF-AGG-01"), lab.topology.device("KF-AGG-02")
    assert snmpcli.get(b, "1.3.6.1.2.1.1.5.0").returncode == 0
    crossed = snmpcli.get(b, "1.3.6.1.2.1.1.5.0", community=a.snmp_community, timeout_s=0.3)  # type: ignore[arg-type]
    assert crossed.returncode != 0 and "Timeout" in crossed.stderr


def test_no_secret_in_the_agent_log_or_command_line(lab: RunningLab) -> None:
    log = (lab.state_dir / "snmp.log").read_text(encoding="utf-8", errors="replace")
    pid = (lab.state_dir / "snmp.pid").read_text().split()[0]
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
    for d in lab.topology.devices:
        secrets = [d.snmp_community] if d.snmp_community else [d.snmp_v3[2], d.snmp_v3[4]]  # type: ignore[index]
        assert not any(s in log or s in cmdline for s in secrets), d.name
