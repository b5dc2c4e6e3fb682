"""Each fault is observable over SNMP by the next request, and heals."""

from __future__ import annotations

import socket

import pytest
from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import api

from lab.topology import LabDevice
from tests.lab import snmpcli
from tests.lab_fixture import RunningLab

SYS_NAME = "1.3.6.1.2.1.1.5.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"


def _access(lab: RunningLab, n: int) -> LabDevice:
    """The n-th SNMPv2c access switch of the district."""
    return [d for d in lab.topology.devices if d.role == "access" and d.snmp_v3 is None][n]


def _answers(device: LabDevice) -> bool:
    return snmpcli.get(device, SYS_NAME, timeout_s=0.4).returncode == 0


def test_device_down_and_heal(lab: RunningLab) -> None:
    device = _access(lab, 1)
    assert _answers(device)
    lab.fail("device", device.name)
    result = snmpcli.get(device, SYS_NAME, timeout_s=0.4)
    assert result.returncode != 0 and "Timeout" in result.stderr
    assert _answers(_access(lab, 2))  # only that device
    lab.heal(device.name)
    assert _answers(device)


def _oper(device: LabDevice, if_index: int) -> str:
    return snmpcli.get(device, f"1.3.6.1.2.1.2.2.1.8.{if_index}").vars[0].value


def _lldp_ports(device: LabDevice) -> set[int]:
    return {int(v.oid.split(".")[-2]) for v in snmpcli.walk(device, "1.0.8802.1.1.2.1.4.1.1.9").vars}


def test_link_down_on_both_ends_and_heal(lab: RunningLab) -> None:
    link = next(k for k in lab.topology.links if k.b_device == "KF-AGG-01" and k.kind == "uplink")
    a, b = lab.topology.device(link.a_device), lab.topology.device(link.b_device)
    assert _oper(a, link.a_if_index) == "1" and _oper(b, link.b_if_index) == "1"
    assert link.a_if_index in _lldp_ports(a) and link.b_if_index in _lldp_ports(b)
    lab.fail("link", f"{a.name}:{link.a_if_index}")
    assert _oper(a, link.a_if_index) == "2" and _oper(b, link.b_if_index) == "2"
    assert link.a_if_index not in _lldp_ports(a) and link.b_if_index not in _lldp_ports(b)
    assert len(_lldp_ports(a)) >= 2  # the other neighbours stay
    gone = snmpcli.get(a, f"1.0.8802.1.1.2.1.4.1.1.9.0.{link.a_if_index}.1").vars[0]
    assert gone.tag == "nosuch"
    lab.heal(f"{b.name}:{link.b_if_index}")
    assert _oper(a, link.a_if_index) == "1" and link.b_if_index in _lldp_ports(b)


def test_slow_device_and_heal(lab: RunningLab) -> None:
    device = _access(lab, 3)
    lab.fail("slow", device.name, ms=600)
    slow = snmpcli.get(device, SYS_NAME, timeout_s=2)
    assert slow.returncode == 0 and slow.seconds >= 0.6
    assert snmpcli.get(_access(lab, 2), SYS_NAME).seconds < 0.5  # others unaffected
    lab.heal(device.name)
    assert snmpcli.get(device, SYS_NAME).seconds < 0.5


def _raw_get(device: LabDevice) -> bytes:
    """One SNMPv2c GET sysName over a plain UDP socket; the raw answer."""
    p = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
    pdu = p.GetRequestPDU()
    p.apiPDU.set_defaults(pdu)
    p.apiPDU.set_varbinds(pdu, [(SYS_NAME, p.Null(""))])
    msg = p.Message()
    p.apiMessage.set_defaults(msg)
    p.apiMessage.set_community(msg, device.snmp_community)
    p.apiMessage.set_pdu(msg, pdu)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1.0)
        sock.sendto(encoder.encode(msg), (device.host, 161))
        return sock.recv(65535)


def test_malformed_answers_and_heal(lab: RunningLab) -> None:
    device = _access(lab, 4)
    p = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
    decoder.decode(_raw_get(device), asn1Spec=p.Message())  # well-formed
    lab.fail("malformed", device.name)
    raw = _raw_get(device)  # it does answer...
    with pytest.raises(PyAsn1Error):
        decoder.decode(raw, asn1Spec=p.Message())  # ...but not in BER
    assert snmpcli.get(device, SYS_NAME, timeout_s=0.4).returncode != 0  # net-snmp drops it
    lab.heal(device.name)
    decoder.decode(_raw_get(device), asn1Spec=p.Message())


def test_reboot_restarts_uptime(lab: RunningLab) -> None:
    device = lab.topology.device("KF-AGG-05")
    before = int(snmpcli.get(device, SYS_UPTIME).vars[0].value)
    assert before > 3600 * 100
    lab.fail("reboot", device.name)
    after = int(snmpcli.get(device, SYS_UPTIME).vars[0].value)
    assert after < 10 * 100
    lab.heal()
    assert int(snmpcli.get(device, SYS_UPTIME).vars[0].value) < 20 * 100  # a reboot is not undone


def test_changed_credentials_v2c_and_v3(lab: RunningLab) -> None:
    v2c = lab.topology.device("KF-AGG-02")
    v3 = next(d for d in lab.topology.devices if d.snmp_v3)
    lab.fail("credentials", v2c.name)
    lab.fail("credentials", v3.name)
    assert "Timeout" in snmpcli.get(v2c, SYS_NAME, timeout_s=0.4).stderr  # bad community: silence
    assert "Authentication failure" in snmpcli.get(v3, SYS_NAME).stderr
    lab.heal()
    assert _answers(v2c) and _answers(v3)
