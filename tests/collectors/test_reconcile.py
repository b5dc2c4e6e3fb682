"""reconcile.plan on hand-made states and records: pure, no database, no network."""

from __future__ import annotations

import dataclasses

from collectors.reconcile import (
    UPTIME_WRAP_SECONDS,
    DeviceState,
    InterfaceState,
    LinkEnd,
    is_reboot,
    plan,
)
from collectors.records import ErrorKind, NeighborRecord, failed
from tests.collectors.poll_factories import T0, iface_record, later, record

OBSERVED = {
    "sys_name": "KF-ACC-01",
    "sys_descr": "Huawei Versatile Routing Platform",
    "sys_object_id": "1.3.6.1.4.1.2011.2.23.96",
    "sys_location": "开福区",
    "vendor": "huawei",
    "model": "S5735",
    "serial": "2102350BNW10K1000012",
    "os_version": "V200R019C10SPC500",
}
# Columns a collector may write on a Device: anything else (name, site, role, status...) belongs to people.
COLLECTOR_DEVICE_FIELDS = set(OBSERVED) | {"reachable", "poll_error_kind", "poll_error"}


def stored(i: int, oper: int = 1, monitored: bool = False) -> InterfaceState:
    r = iface_record(i, oper)
    return InterfaceState(
        id=100 + i,
        name=r.name or "",
        if_index=i,
        description=r.descr or "",
        alias=r.alias or "",
        type=r.type,
        mtu=r.mtu,
        speed_bps=r.speed_bps,
        mac=r.mac or "",
        admin_status=1,
        oper_status=oper,
        last_change_seconds=10.0,
        monitored=monitored,
    )


def state(n: int = 4, **kw: object) -> DeviceState:
    values: dict[str, object] = dict(
        id=7,
        name="KF-ACC-01",
        reachable=True,
        last_polled=T0,
        uptime_seconds=1000.0,
        observed=OBSERVED,
        observed_sources=dict.fromkeys(OBSERVED, "snmp"),
        interfaces=tuple(stored(i) for i in range(1, n + 1)),
        known_devices={"kf-core-01": 1, "kf-acc-01": 7},
    )
    values.update(kw)
    return DeviceState(**values)  # type: ignore[arg-type]


def test_unchanged_device_plans_no_writes() -> None:
    p = plan(state(), record(at=later(5), uptime=1300.0))
    assert not p.has_writes
    assert p.interface_updates == () and p.interface_creates == () and p.events == ()
    assert p.volatile["uptime_seconds"] == 1300.0 and p.volatile["last_polled"] == later(5)


def test_first_discovery_creates_interfaces_and_brings_device_up() -> None:
    p = plan(state(0, reachable=None, observed={}, observed_sources={}), record())
    assert len(p.interface_creates) == 4
    assert p.interface_creates[0]["alias"] == "至接入1" and p.interface_creates[0]["if_index"] == 1
    assert p.device_changes["reachable"] == (None, True)
    assert p.device_changes["os_version"] == ("", "V200R019C10SPC500")
    assert [e.kind for e in p.events] == ["device_up"]
    assert set(p.device_changes) <= COLLECTOR_DEVICE_FIELDS
    assert p.volatile["observed_sources"]["serial"] == "snmp"


def test_port_going_down_updates_only_that_interface_with_an_event() -> None:
    p = plan(state(), record(at=later(5), uptime=1300.0, down=frozenset({3})))
    assert [(u.interface_id, dict(u.changes)) for u in p.interface_updates] == [(103, {"oper_status": (1, 2)})]
    assert [(e.kind, e.interface_id) for e in p.events] == [("interface_down", 103)]


def test_none_in_a_record_keeps_the_stored_value() -> None:
    rec = record(at=later(5), uptime=1300.0, alias=None, mtu=None)
    rec = dataclasses.replace(rec, serial=None)
    p = plan(state(), rec)
    assert not p.has_writes


def test_failed_record_marks_unreachable_keeps_last_known_data() -> None:
    rec = failed("127.0.0.1", "snmp", ErrorKind.TIMEOUT, "no response after 2.0 s")
    p = plan(state(), rec)
    assert p.device_changes == {
        "reachable": (True, False),
        "poll_error_kind": ("", "timeout"),
        "poll_error": ("", "no response after 2.0 s"),
    }
    assert [(e.kind, e.reason) for e in p.events] == [("device_down", "timeout")]
    assert p.interface_updates == () and set(p.volatile) == {"last_polled"}
    # Still down next cycle: no new event, no change.
    again = plan(state(reachable=False, poll_error_kind="timeout", poll_error="no response after 2.0 s"), rec)
    assert not again.has_writes


def test_recovery_clears_the_error_and_emits_device_up() -> None:
    p = plan(state(reachable=False, poll_error_kind="auth", poll_error="wrong community"), record(at=later(5)))
    assert p.device_changes["reachable"] == (False, True)
    assert p.device_changes["poll_error_kind"] == ("auth", "")
    assert [e.kind for e in p.events] == ["device_up"]


def test_snmp_success_does_not_clear_a_host_key_alarm() -> None:
    alarm = state(poll_error_kind="host_key", poll_error="SSH host key changed")
    p = plan(alarm, record(at=later(5)))
    assert "poll_error_kind" not in p.device_changes and "poll_error" not in p.device_changes
    other = plan(state(poll_error_kind="auth", poll_error="wrong community"), record(at=later(5)))
    assert other.device_changes["poll_error_kind"] == ("auth", "")  # other errors clear as before


def test_reboot_is_uptime_going_backwards_but_a_wrap_is_not() -> None:
    assert is_reboot(1000.0, 30.0, 300.0)
    assert not is_reboot(1000.0, 1300.0, 300.0)
    assert not is_reboot(UPTIME_WRAP_SECONDS - 100, 200.0, 300.0)  # TimeTicks wrapped after ~497 days
    assert is_reboot(UPTIME_WRAP_SECONDS / 2, 200.0, 300.0)
    assert not is_reboot(None, 5.0, None)
    p = plan(state(), record(at=later(5), uptime=12.0))
    assert [e.kind for e in p.events] == ["device_rebooted"]


def test_status_poll_writes_statuses_and_monitored_counters_only() -> None:
    st = state(interfaces=(stored(1, monitored=True), stored(2)))
    rec = record(at=later(5), n=3, complete=False, in_octets=5000, out_octets=7000, name=None, alias="changed")
    p = plan(st, rec)
    assert p.interface_updates == () and p.interface_creates == ()  # new port 3 waits for discovery
    assert [(c.interface_id, c.in_octets) for c in p.counters] == [(101, 5000)]
    assert "last_discovery" not in p.volatile and p.device_changes == {}
    down = plan(st, record(at=later(5), n=2, complete=False, down=frozenset({2})))
    assert [dict(u.changes) for u in down.interface_updates] == [{"oper_status": (1, 2)}]


def test_renumbered_ifindex_moves_to_the_port_by_name() -> None:
    st = state(interfaces=(stored(1), stored(2)._replace(name="GE0/0/9")))
    rec = record(at=later(5), n=1, if_index=2)  # GE0/0/1 now has ifIndex 2; GE0/0/9 holds 2 in the DB
    p = plan(st, rec)
    changes = {u.interface_id: dict(u.changes) for u in p.interface_updates}
    assert changes[101]["if_index"] == (1, 2)
    assert changes[102] == {"if_index": (2, None)}


def test_duplicate_ifnames_get_unique_names() -> None:
    rec = dataclasses.replace(record(n=0), interfaces=(iface_record(1), iface_record(2, name="GE0/0/1")))
    p = plan(state(0), rec)
    assert sorted(c["name"] for c in p.interface_creates) == ["GE0/0/1", "GE0/0/1 #2"]


def _uplink(confirmed: bool | None = None, a_end: bool = False) -> LinkEnd:
    return LinkEnd(
        link_id=55,
        local_interface_id=101,
        is_a_end=a_end,
        peer_device_id=1,
        peer_names=frozenset({"kf-core-01"}),
        peer_ports=frozenset({"xge1/0/5", "xgigabitethernet1/0/5"}),
        lldp_confirmed=confirmed,
    )


def _seen(name: str = "KF-CORE-01", port: str = "XGE1/0/5", local: int = 1) -> NeighborRecord:
    return NeighborRecord(
        local_if_index=local, local_port=f"GE0/0/{local}", remote_chassis_id="00:e0:fc:aa:bb:cc",
        remote_port_id=port, remote_sys_name=name,
    )  # fmt: skip


def test_lldp_confirms_a_planned_link() -> None:
    p = plan(state(links=(_uplink(),)), record(at=later(5), neighbors=(_seen(),)))
    assert p.link_confirmations == {55: True} and p.findings == ()
    steady = plan(state(links=(_uplink(True),)), record(at=later(5), neighbors=(_seen(),)))
    assert not steady.has_writes


def test_mismatched_port_and_unknown_neighbour_and_unexpected_link() -> None:
    nbrs = (
        _seen(port="XGE1/0/7"),
        _seen(name="ZZ-UNKNOWN-9", port="Gi0/1", local=2),
        _seen(name="KF-CORE-01", port="XGE1/0/8", local=3),
    )
    p = plan(state(links=(_uplink(True, a_end=True),)), record(at=later(5), neighbors=nbrs))
    assert [(f.kind, f.local_port) for f in p.findings] == [("mismatched", "GE0/0/1"), ("unexpected", "GE0/0/3")]
    assert p.link_confirmations == {55: False}
    assert [(d.remote_sys_name, d.local_port, d.remote_port) for d in p.discoveries] == [
        ("ZZ-UNKNOWN-9", "GE0/0/2", "Gi0/1")
    ]


def test_missing_planned_link_is_reported_on_an_up_port_only() -> None:
    other = _seen(name="ZZ-UNKNOWN-9", local=2)
    p = plan(state(links=(_uplink(True, a_end=True),)), record(at=later(5), neighbors=(other,)))
    assert [f.kind for f in p.findings] == ["missing"] and p.link_confirmations == {55: False}
    port_down = plan(
        state(links=(_uplink(True, a_end=True),)), record(at=later(5), neighbors=(other,), down=frozenset({1}))
    )
    assert port_down.findings == () and port_down.link_confirmations == {}
    b_end = plan(state(links=(_uplink(True),)), record(at=later(5), neighbors=(other,)))
    assert b_end.link_confirmations == {}  # only the upstream end withdraws a confirmation


def test_ssh_matches_ports_by_name_and_records_its_source() -> None:
    rec = dataclasses.replace(
        record(at=later(5), n=0, sys_name="KF-ACC-01"),
        source="ssh",
        os_version="V200R019C10SPC600",
        interfaces=(
            iface_record(2, 2, if_index=9),  # SSH's if_index is a list position, not the ifIndex
            iface_record(1, name="GigabitEthernet0/0/7"),  # CLI name SNMP does not know
        ),
    )
    p = plan(state(), rec)
    assert [(u.interface_id, dict(u.changes)) for u in p.interface_updates] == [(102, {"oper_status": (1, 2)})]
    assert p.interface_creates == () and p.counters == ()
    assert p.device_changes["os_version"] == ("V200R019C10SPC500", "V200R019C10SPC600")
    assert p.volatile["observed_sources"]["os_version"] == "ssh"
    assert p.volatile["observed_sources"]["vendor"] == "snmp"  # SNMP's field: SSH only fills it when SNMP has not
    fresh = plan(state(0, observed={}, observed_sources={}), rec)
    assert sorted(c["name"] for c in fresh.interface_creates) == ["GE0/0/2", "GigabitEthernet0/0/7"]
    assert all("if_index" not in c for c in fresh.interface_creates)


def test_snmp_and_ssh_do_not_overwrite_each_others_preferred_fields() -> None:
    snmp_descr = "S5735-L24T4S-A1\r\nHuawei Versatile Routing Platform Software"
    ssh = dataclasses.replace(record(at=later(5)), source="ssh")
    ssh = dataclasses.replace(ssh, system=dataclasses.replace(ssh.system, sys_descr="Huawei VRP (R) software"))
    held = state(observed={**OBSERVED, "sys_descr": snmp_descr}, observed_sources={"sys_descr": "snmp"})
    assert "sys_descr" not in plan(held, ssh).device_changes  # SNMP's sysDescr stays
    fresh = plan(state(observed={**OBSERVED, "sys_descr": ""}, observed_sources={}), ssh)
    assert fresh.device_changes["sys_descr"] == ("", "Huawei VRP (R) software")  # SSH fills what SNMP has not
