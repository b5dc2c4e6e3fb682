from __future__ import annotations

from collections import Counter

import pytest

from lab.topology import LabDevice, Topology, build_topology


@pytest.fixture(scope="module")
def kaifu() -> Topology:
    return build_topology("kaifu")


def test_same_seed_same_topology_other_seed_differs(kaifu: Topology) -> None:
    assert build_topology("kaifu") == kaifu
    other = build_topology("kaifu", seed=7)
    assert other != kaifu
    assert [d.name for d in other.devices][:9] == [d.name for d in kaifu.devices][:9]  # the centre is fixed


def test_kaifu_has_the_district_layout(kaifu: Topology) -> None:
    roles = Counter(d.role for d in kaifu.devices)
    assert roles["core"] == 2
    assert roles["aggregation"] == 13
    assert {"firewall", "isolation_gateway", "vpn_gateway", "ips", "load_balancer"} <= set(roles)
    assert roles["firewall"] == 2  # the extranet firewall and the Internet-exit one
    for agg in (d for d in kaifu.devices if d.role == "aggregation"):
        peers = [(local.speed_bps, peer.name) for local, peer, _ in kaifu.neighbors_of(agg.name)]
        assert (1_000_000_000, "KF-CORE-01") in peers and (1_000_000_000, "KF-CORE-02") in peers
    communities = [s for s in kaifu.sites if s.kind in ("community", "village_committee")]
    assert len(communities) == 102
    vpn = [s for s in communities if s.access_mode == "vpn"]
    assert 5 <= len(vpn) <= 40 and all(s.vpn_account and s.device is None for s in vpn)
    assert all(s.device and not s.vpn_account for s in communities if s.access_mode == "dedicated")
    assert kaifu.vpn_gateway == "KF-VPN-01"
    assert all(s.area_code.startswith("430105") and len(s.area_code) == 12 for s in kaifu.sites)


def test_vendor_mix_and_identities(kaifu: Topology) -> None:
    vendors = Counter(d.vendor for d in kaifu.devices)
    assert set(vendors) == {"huawei", "h3c", "ruijie", "cisco", "hillstone", "sangfor"}
    prefixes = {"huawei": "2011", "h3c": "25506", "ruijie": "4881", "cisco": "9", "hillstone": "28557",
                "sangfor": "35047"}  # fmt: skip
    for d in kaifu.devices:
        assert d.sys_object_id.startswith(f"1.3.6.1.4.1.{prefixes[d.vendor]}.")
        assert d.serial and d.model in d.sys_descr or d.vendor == "cisco"
    names = {d.vendor: [i.name for i in d.interfaces] for d in kaifu.devices}
    assert any(n.startswith("GigabitEthernet 0/") for n in names["ruijie"])  # Ruijie puts a space
    assert any(n.startswith("Gi0/") for n in names["cisco"])
    assert any(n.startswith("Ten-GigabitEthernet1/0/") for d in kaifu.devices if d.vendor == "h3c"
               for n in (i.name for i in d.interfaces))  # fmt: skip


def test_addresses_credentials_and_encodings(kaifu: Topology) -> None:
    hosts = [d.host for d in kaifu.devices]
    assert len(set(hosts)) == len(hosts)
    assert all(h.startswith("127.") and h != "127.0.0.1" for h in hosts)
    v3 = [d for d in kaifu.devices if d.snmp_v3]
    assert 2 <= len(v3) <= 6
    assert all(d.snmp_community is None and d.snmp_v3[1] == "SHA" and d.snmp_v3[3] == "AES" for d in v3)  # type: ignore[index]
    communities = [d.snmp_community for d in kaifu.devices if not d.snmp_v3]
    assert len(set(communities)) == len(communities)
    assert {d.text_encoding for d in kaifu.devices} == {"utf-8", "gbk"}
    assert "ywkfcore01" not in repr(kaifu.device("KF-CORE-01"))  # secrets stay out of repr
    assert str(kaifu.device("KF-AGG-01").snmp_community) not in repr(kaifu.device("KF-AGG-01"))


def _ends(topo: Topology) -> list[tuple[str, int]]:
    return [e for link in topo.links for e in ((link.a_device, link.a_if_index), (link.b_device, link.b_if_index))]


def test_links_use_existing_ports_once(kaifu: Topology) -> None:
    ends = _ends(kaifu)
    assert len(set(ends)) == len(ends)
    for name, if_index in ends:
        device: LabDevice = kaifu.device(name)
        assert device.interface(if_index).type == 6


def test_linyi_and_scale_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUNWANG_LAB_ADDRESS_BASE", raising=False)
    linyi = build_topology("linyi")
    assert 2800 <= len(linyi.sites) <= 3600  # ~3,157 access units
    assert {s.area_code[:4] for s in linyi.sites} == {"3713"}
    assert len(set(_ends(linyi))) == len(_ends(linyi))
    scale = build_topology("scale:500")
    assert len(scale.devices) == 500
    assert {d.host for d in scale.devices}.isdisjoint({d.host for d in build_topology("kaifu").devices})
    with pytest.raises(ValueError):
        build_topology("nowhere")
