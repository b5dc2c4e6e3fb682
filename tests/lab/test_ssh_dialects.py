"""Every dialect's output parses with the ntc-templates a collector uses and says what the topology says.

Rendering only (no network): the end-to-end netmiko tests are in test_ssh_server.py.
"""

from __future__ import annotations

import pytest
from ntc_templates.parse import parse_output

from lab.ssh import comware, ios, vrp
from lab.ssh.cli import find_command
from lab.ssh.comware import ComwareSession
from lab.ssh.ios import IosSession
from lab.ssh.server import LineAssembler
from lab.ssh.view import vpn_online_sites
from lab.ssh.vpn import display_ike_sa, display_ipsec_sa_brief
from lab.ssh.vrp import VrpSession
from lab.state import Faults
from tests.lab.ssh_helpers import devices_of, expected_neighbors, expected_oper, kaifu, view_of

VRP = [d.name for d in devices_of("huawei_vrp")]
COMWARE = [d.name for d in devices_of("h3c_comware")]
CISCO = [d.name for d in devices_of("cisco_ios")]


def test_lab_has_every_dialect_to_test() -> None:
    assert len(VRP) >= 5 and len(COMWARE) >= 5 and len(CISCO) >= 1


@pytest.mark.parametrize("name", VRP[:6])
def test_vrp_display_version_parses(name: str) -> None:
    view = view_of(name)
    [row] = parse_output(platform="huawei_vrp", command="display version", data=vrp.display_version(view))
    assert row["model"].split()[0] == view.model
    assert row["product_version"].endswith(view.os_version)
    assert row["vrp_version"] in ("5.170", "8.180")
    assert "VRP" not in view.sys_descr or row["vrp_version"] in view.sys_descr
    assert row["uptime"].startswith(vrp.uptime_text(view.uptime_seconds)[:3])


@pytest.mark.parametrize("name", VRP[:6])
def test_vrp_display_interface_brief_parses(name: str) -> None:
    view = view_of(name)
    device = kaifu().device(name)
    rows = parse_output(
        platform="huawei_vrp", command="display interface brief", data=vrp.display_interface_brief(view)
    )
    assert [r["interface"] for r in rows] == [i.name for i in device.interfaces]
    oper = expected_oper(device)
    for row, iface in zip(rows, device.interfaces, strict=True):
        assert (row["phy"] == "up") == oper[iface.name]
        assert (row["phy"] == "*down") == (not iface.admin_up)


@pytest.mark.parametrize("name", ["KF-CORE-01", "KF-CORE-02", *VRP[2:6]])
def test_vrp_display_lldp_neighbor_parses(name: str) -> None:
    view = view_of(name)
    rows = parse_output(platform="huawei_vrp", command="display lldp neighbor", data=vrp.display_lldp_neighbor(view))
    got = [(r["local_interface"], r["neighbor_name"], r["neighbor_port_id"]) for r in rows]
    assert got == expected_neighbors(name)
    assert got, "every lab device has at least one link"
    peers = {d.name: d for d in kaifu().devices}
    for row in rows:
        assert row["mgmt_address"] == peers[row["neighbor_name"]].host


def test_vrp_display_lldp_neighbor_brief_lists_every_neighbor() -> None:
    view = view_of("KF-CORE-01")
    lines = vrp.display_lldp_neighbor_brief(view).splitlines()[1:]
    assert [line.split()[1] for line in lines] == [nb for _, nb, _ in expected_neighbors("KF-CORE-01")]
    assert lines[0].split()[0] == vrp.abbreviate(expected_neighbors("KF-CORE-01")[0][0])


def test_vrp_display_device_parses() -> None:
    view = view_of("KF-CORE-01")
    rows = parse_output(platform="huawei_vrp", command="display device", data=vrp.display_device(view))
    assert rows[0]["pid"] == view.model and rows[0]["ha_status"] == "Master"


@pytest.mark.parametrize("name", COMWARE[:6])
def test_comware_display_interface_brief_parses(name: str) -> None:
    view = view_of(name)
    device = kaifu().device(name)
    data = comware.display_interface_brief(view)
    rows = parse_output(platform="hp_comware", command="display interface brief", data=data)
    assert [r["interface"] for r in rows] == [comware.abbreviate(i.name) for i in device.interfaces]
    oper = expected_oper(device)
    for row, iface in zip(rows, device.interfaces, strict=True):
        expected = "ADM" if not iface.admin_up else ("UP" if oper[iface.name] else "DOWN")
        assert row["link"] == expected
        assert row["description"] == (iface.alias or "")


@pytest.mark.parametrize("name", COMWARE[:6])
def test_comware_lldp_verbose_parses(name: str) -> None:
    view = view_of(name)
    data = comware.display_lldp_neighbor_verbose(view)
    rows = parse_output(platform="hp_comware", command="display lldp neighbor-information verbose", data=data)
    assert [(r["local_interface"], r["neighbor_name"], r["neighbor_interface"]) for r in rows] == expected_neighbors(
        name
    )


def test_comware_device_manuinfo_parses() -> None:
    view = view_of(COMWARE[0])
    rows = parse_output(
        platform="hp_comware", command="display device manuinfo", data=comware.display_device_manuinfo(view)
    )
    assert rows[0]["device_serial_number"] == view.serial
    assert rows[0]["device_name"] == view.model


def test_ios_show_version_parses() -> None:
    view = view_of(CISCO[0])
    [row] = parse_output(platform="cisco_ios", command="show version", data=ios.show_version(view))
    assert row["hostname"] == view.name
    assert row["version"] == view.os_version
    assert row["serial"] == [view.serial]
    assert row["hardware"][0] == view.model
    assert row["software_image"] in view.sys_descr


def test_ios_show_inventory_parses() -> None:
    view = view_of(CISCO[0])
    rows = parse_output(platform="cisco_ios", command="show inventory", data=ios.show_inventory(view))
    assert rows[0]["pid"] == view.model and rows[0]["sn"] == view.serial


def test_ios_show_lldp_neighbors_detail_parses() -> None:
    name = CISCO[0]
    view = view_of(name)
    data = ios.show_lldp_neighbors_detail(view)
    rows = parse_output(platform="cisco_ios", command="show lldp neighbors detail", data=data)
    assert [(r["local_interface"], r["neighbor_name"], r["neighbor_port_id"]) for r in rows] == expected_neighbors(name)


def test_ios_interface_tables_parse() -> None:
    device = kaifu().device(CISCO[0])
    view = view_of(device.name)
    oper = expected_oper(device)
    brief = parse_output(
        platform="cisco_ios", command="show ip interface brief", data=ios.show_ip_interface_brief(view)
    )
    assert [r["interface"] for r in brief] == [i.descr for i in device.interfaces]
    full = parse_output(platform="cisco_ios", command="show interfaces", data=ios.show_interfaces(view))
    assert [r["interface"] for r in full] == [i.descr for i in device.interfaces]
    for row, iface in zip(full, device.interfaces, strict=True):
        assert (row["link_status"] == "up") == oper[iface.name]
        assert row["description"] == (iface.alias or "")
        assert int(row["mtu"]) == iface.mtu


def test_link_down_takes_ports_and_lldp_down() -> None:
    local, peer, remote = kaifu().neighbors_of("KF-CORE-01")[0]
    faults = Faults(down_links={("KF-CORE-01", local.if_index), (peer.name, remote.if_index)})
    view = view_of("KF-CORE-01", faults)
    assert not next(i for i in view.interfaces if i.name == local.name).oper_up
    rows = parse_output(platform="huawei_vrp", command="display lldp neighbor", data=vrp.display_lldp_neighbor(view))
    assert (local.name, peer.name, remote.name) not in [
        (r["local_interface"], r["neighbor_name"], r["neighbor_port_id"]) for r in rows
    ]
    assert len(rows) == len(expected_neighbors("KF-CORE-01")) - 1


def test_vpn_sessions_are_the_online_vpn_sites() -> None:
    topology = kaifu()
    gateway = view_of(topology.vpn_gateway or "")
    vpn_sites = [s for s in topology.sites if s.access_mode == "vpn"]
    online = vpn_online_sites(topology, Faults())
    assert gateway.is_vpn_gateway and 0 < len(online) <= len(vpn_sites)
    assert [s.account for s in gateway.vpn_sessions] == [s.vpn_account for s in online]
    # A village that goes offline leaves the listing.
    gone = online[0]
    after = view_of(gateway.name, Faults(down_devices={gone.vpn_account or ""}))
    assert gone.vpn_account not in [s.account for s in after.vpn_sessions]
    assert len(after.vpn_sessions) == len(online) - 1


def test_vrp_style_vpn_listings_have_one_sa_pair_per_account() -> None:
    gateway = view_of(kaifu().vpn_gateway or "")
    ike = display_ike_sa(gateway)
    accounts = [line.split()[-1] for line in ike.splitlines() if "RD|A" in line]
    assert sorted(set(accounts)) == sorted(s.account for s in gateway.vpn_sessions)
    assert f"Number of IKE SA : {2 * len(gateway.vpn_sessions)}" in ike
    ipsec = display_ipsec_sa_brief(gateway)
    assert f"Number of IPSec SA : {2 * len(gateway.vpn_sessions)}" in ipsec


def test_commands_accept_abbreviations_and_reject_unknown_words() -> None:
    found = find_command(vrp.COMMANDS, "dis int br")
    assert found is not None and found[0].handler is vrp.display_interface_brief
    session = VrpSession(lambda: view_of("KF-CORE-01"), "KF-CORE-01")
    reply = session.execute("display foo")
    assert reply.text.splitlines()[-1] == "Error: Unrecognized command found at '^' position."
    # The caret sits under the first unknown word, after the prompt.
    assert reply.text.index("^") == len("<KF-CORE-01>") + len("display ")
    assert "Incomplete" in session.execute("display lldp").text


def test_typed_input_becomes_lines_with_echo() -> None:
    typed = LineAssembler()
    events = list(typed.feed("dis\x7fsplay ver\r\nscreen", lambda: True))
    assert events == [("echo", "dis\b \bsplay ver"), ("line", "display ver"), ("echo", "screen")]
    assert list(typed.feed("-length disable\r", lambda: True)) == [
        ("echo", "-length disable"),
        ("line", "screen-length disable"),
    ]
    # A lone LF after CR belongs to the same line end; a password is not echoed.
    assert list(typed.feed("\nsecret\n", lambda: False)) == [("echo", ""), ("line", "secret")]


def test_ios_enable_asks_for_the_secret_without_echo() -> None:
    device = kaifu().device(CISCO[0])
    session = IosSession(lambda: view_of(device.name), device.name, device.ssh_password)
    assert session.prompt() == f"{device.name}#"
    session.execute("disable")
    assert session.prompt() == f"{device.name}>"
    session.execute("enable")
    assert session.prompt() == "Password: " and not session.echo
    assert session.execute("wrong").text == "% Access denied" and session.prompt() == f"{device.name}>"
    session.execute("enable")
    session.execute(device.ssh_password)
    assert session.prompt() == f"{device.name}#"
    assert session.execute("configure terminal").text.startswith("Enter configuration commands")
    assert session.prompt() == f"{device.name}(config)#"
    session.execute("end")
    assert session.execute("exit").close


def test_comware_paging_and_errors() -> None:
    session = ComwareSession(lambda: view_of(COMWARE[0]), COMWARE[0])
    assert session.execute("screen-length disable").text == ""
    assert session.execute("display nonsense").text.endswith(" % Unrecognized command found at '^' position.")
    assert session.execute("system-view").text.startswith("Enter system view")
    assert session.prompt() == f"[{COMWARE[0]}]"


@pytest.mark.parametrize("name", VRP[:4])
def test_vrp_display_interface_description_parses(name: str) -> None:
    device = kaifu().device(name)
    data = vrp.display_interface_description(view_of(name))
    rows = parse_output(platform="huawei_vrp", command="display interface description", data=data)
    assert [r["interface"] for r in rows] == [vrp.abbreviate(i.name) for i in device.interfaces]
    assert [r["description"] for r in rows] == [i.alias or "" for i in device.interfaces]


def test_ios_show_lldp_neighbors_table_parses() -> None:
    name = CISCO[0]
    rows = parse_output(
        platform="cisco_ios", command="show lldp neighbors", data=ios.show_lldp_neighbors(view_of(name))
    )
    assert [(r["local_interface"], r["neighbor_name"], r["neighbor_interface"]) for r in rows] == expected_neighbors(
        name
    )
