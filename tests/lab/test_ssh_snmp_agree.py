"""The SSH simulator and the SNMP data files describe the same network (healthy lab, every kaifu device)."""

from __future__ import annotations

from lab.snmprec import IF_ENTRY, IF_UP, IFX_ENTRY, LLDP_REM_ENTRY, device_records
from tests.lab.ssh_helpers import kaifu, view_of


def _value(tag_value: tuple[str, str]) -> str:
    tag, value = tag_value
    # Variation records carry "DEVICE,KIND,ARG...,VALUE": the healthy value is the last field.
    return value.rsplit(",", 1)[-1] if tag.endswith(":yw") else value


def test_interfaces_and_lldp_agree_with_snmp() -> None:
    topology = kaifu()
    for device in topology.devices:
        records = {oid: (tag, value) for oid, tag, value in device_records(device, topology)}
        view = view_of(device.name)
        for iface in view.interfaces:
            n = iface.if_index
            assert bytes.fromhex(records[f"{IFX_ENTRY}.1.{n}"][1]).decode() == iface.name
            snmp_up = _value(records[f"{IF_ENTRY}.8.{n}"]) == str(IF_UP)
            assert snmp_up == iface.oper_up, (device.name, iface.name)
        snmp_neighbors = sorted(
            (int(oid.split(".")[-2]), bytes.fromhex(_value(tv)).decode())
            for oid, tv in records.items()
            if oid.startswith(f"{LLDP_REM_ENTRY}.9.")
        )
        by_name = {i.name: i.if_index for i in view.interfaces}
        assert snmp_neighbors == sorted((by_name[nb.local_if], nb.remote_name) for nb in view.neighbors), device.name
