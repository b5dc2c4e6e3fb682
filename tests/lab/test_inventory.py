"""--load-inventory: the intended inventory matching the lab topology."""

from __future__ import annotations

import json

import pytest

from inventory import models as m
from lab.inventory import load_topology
from lab.topology import build_topology


@pytest.mark.django_db
def test_load_kaifu_inventory_matches_topology_and_is_idempotent() -> None:
    topo = build_topology("kaifu")
    counts = load_topology(topo)
    assert counts["devices"] == len(topo.devices) == m.Device.objects.count()
    assert counts["links"] == len(topo.links) == m.Link.objects.filter(origin="planned").count()
    vpn_sites = [s for s in topo.sites if s.vpn_account]
    assert counts["vpn_accounts"] == len(vpn_sites) == m.VpnAccount.objects.filter(gateway__name="KF-VPN-01").count()
    assert m.Area.objects.filter(code="430105000000", level="county").exists()
    assert m.Site.objects.filter(access_mode="vpn").count() == len(vpn_sites)

    lab_core = topo.device("KF-CORE-01")
    core = m.Device.objects.select_related("credentials", "platform", "device_type", "site__area").get(
        name="KF-CORE-01"
    )
    assert core.management_ip == lab_core.host
    assert core.platform is not None and core.platform.netmiko_device_type == "huawei_vrp"
    assert core.device_type is not None and core.device_type.sys_object_id == lab_core.sys_object_id
    assert core.site.area.code == lab_core.area_code
    creds = core.credentials
    assert creds is not None and creds.snmp_version == "3" and creds.snmp_v3_auth_proto == "SHA"
    assert creds.snmp_v3_auth_key.reveal() == lab_core.snmp_v3[2]  # type: ignore[index,union-attr]
    agg = m.Device.objects.select_related("credentials").get(name="KF-AGG-01")
    assert agg.credentials.snmp_community.reveal() == topo.device("KF-AGG-01").snmp_community  # type: ignore[union-attr]

    uplink = m.Link.objects.select_related("a_interface__device", "b_interface__device").get(
        a_interface__device__name="KF-CORE-01", b_interface__device__name="KF-AGG-01"
    )
    assert uplink.kind == "uplink"  # the A end is the upstream one

    log = json.dumps(list(m.ChangeRecord.objects.filter(actor="lab:load").values_list("changes", flat=True)))
    assert lab_core.snmp_v3[2] not in log and str(topo.device("KF-AGG-01").snmp_community) not in log  # type: ignore[index]
    assert m.ChangeRecord.objects.filter(actor="lab:load", object_type="inventory.device").count() == len(topo.devices)

    again = load_topology(topo)
    assert again == {"areas": 0, "sites": 0, "devices": 0, "links": 0, "vpn_accounts": 0}
