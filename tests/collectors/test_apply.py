"""apply_records against the database: bulk differences only, ChangeRecords, events, counters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collectors.apply import apply_records
from collectors.records import ErrorKind, NeighborRecord, failed
from inventory.models import (
    ChangeRecord,
    Device,
    Discovery,
    Interface,
    InterfaceCounters,
    Link,
    StatusEvent,
)
from tests.collectors import poll_factories as f
from tests.collectors.poll_factories import writes_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def acc() -> Device:
    return f.device("KF-ACC-01", status="active")


def test_first_discovery_creates_rows_with_change_records(acc: Device) -> None:
    setup = ChangeRecord.objects.count()
    result = apply_records([(acc.pk, f.record())])
    acc.refresh_from_db()
    assert acc.reachable is True and acc.serial == "2102350BNW10K1000012" and acc.uptime_seconds == 1000.0
    assert acc.observed_sources["os_version"] == "snmp" and acc.last_discovery == f.T0
    assert sorted(acc.interfaces.values_list("name", "alias")) == [(f"GE0/0/{i}", f"至接入{i}") for i in range(1, 5)]
    assert result.interface_rows == 4 and result.devices == 1
    actors = set(ChangeRecord.objects.order_by("id")[setup:].values_list("actor", flat=True))
    assert actors == {"collector:snmp"}
    assert ChangeRecord.objects.filter(object_type="inventory.interface", action="create").count() == 4
    assert list(StatusEvent.objects.values_list("kind", flat=True)) == ["device_up"]


def test_steady_state_writes_no_interface_rows(acc: Device) -> None:
    apply_records([(acc.pk, f.record())])
    before = ChangeRecord.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        result = apply_records([(acc.pk, f.record(at=f.later(5), uptime=1300.0))])
    assert writes_to(ctx.captured_queries, "inventory_interface") == []
    assert writes_to(ctx.captured_queries, "inventory_changerecord") == []
    assert ChangeRecord.objects.count() == before and result.change_records == 0
    # Loading state (4 queries) + one bulk update of the volatile fields (+ savepoint/transaction bookkeeping).
    assert len(ctx.captured_queries) <= 8
    acc.refresh_from_db()
    assert acc.uptime_seconds == 1300.0 and acc.last_polled == f.later(5)


def test_changes_write_only_the_differences(acc: Device) -> None:
    apply_records([(acc.pk, f.record())])
    with CaptureQueriesContext(connection) as ctx:
        apply_records([(acc.pk, f.record(at=f.later(5), down=frozenset({2})))])
    updates = writes_to(ctx.captured_queries, '"inventory_interface"')
    assert len(updates) == 1
    change = ChangeRecord.objects.filter(object_type="inventory.interface", action="update").get()
    assert change.changes == {"oper_status": [1, 2]} and change.actor == "collector:snmp"
    assert StatusEvent.objects.filter(kind="interface_down", interface__name="GE0/0/2").count() == 1


def test_people_owned_fields_are_never_written(acc: Device) -> None:
    apply_records([(acc.pk, f.record(sys_name="something-else"))])
    acc.refresh_from_db()
    assert acc.name == "KF-ACC-01" and acc.status == "active" and acc.role.slug == "access"
    assert acc.sys_name == "something-else"


def test_failed_poll_keeps_last_known_data(acc: Device) -> None:
    apply_records([(acc.pk, f.record())])
    apply_records([(acc.pk, failed("127.0.0.1", "snmp", ErrorKind.TIMEOUT, "no response"))])
    acc.refresh_from_db()
    assert (acc.reachable, acc.poll_error_kind, acc.poll_error) == (False, "timeout", "no response")
    assert acc.serial == "2102350BNW10K1000012" and acc.interfaces.count() == 4
    down = StatusEvent.objects.get(kind="device_down")
    assert down.reason == "timeout"


def test_status_poll_upserts_counters_not_interfaces() -> None:
    dev = f.device("KF-AGG-01")
    f.interfaces(dev, 3, monitored={1})
    for minute, octets in ((5, 1000), (10, 2500)):
        rec = f.record(at=f.later(minute), n=3, complete=False, in_octets=octets, out_octets=octets * 2)
        with CaptureQueriesContext(connection) as ctx:
            apply_records([(dev.pk, rec)])
    # The first status poll learnt the statuses; the second changed nothing but the counters.
    assert writes_to(ctx.captured_queries, '"inventory_interface"') == []
    assert len(writes_to(ctx.captured_queries, "inventory_interfacecounters")) == 1
    counters = InterfaceCounters.objects.get()
    assert counters.interface.if_index == 1 and counters.in_octets == 2500 and counters.out_octets == 5000
    assert counters.collected_at == f.later(10)


def test_lldp_confirms_links_and_unknown_neighbours_become_discoveries() -> None:
    core = f.device("KF-CORE-01", "core", host="127.0.0.2")
    acc = f.device("KF-ACC-01", host="127.0.0.3")
    core_ifs = f.interfaces(core, 2)
    acc_ifs = f.interfaces(acc, 2)
    up = f.link(core_ifs[0], acc_ifs[0])
    nbrs = (
        NeighborRecord(local_if_index=1, remote_sys_name="KF-CORE-01", remote_port_id="GE0/0/1"),
        NeighborRecord(local_if_index=2, remote_sys_name="XX-NEW-1", remote_chassis_id="aa:bb", remote_port_id="g1"),
    )
    apply_records([(acc.pk, f.record(n=2, neighbors=nbrs))])
    up.refresh_from_db()
    assert up.lldp_confirmed is True
    disc = Discovery.objects.get()
    assert (disc.seen_by_id, disc.remote_sys_name, disc.local_port) == (acc.pk, "XX-NEW-1", "GE0/0/2")
    assert not Device.objects.filter(name="XX-NEW-1").exists()
    apply_records([(acc.pk, f.record(at=f.later(60), n=2, neighbors=nbrs))])
    assert Discovery.objects.get().last_seen == f.later(60)  # upserted, not duplicated
    assert Link.objects.count() == 1


def test_batch_query_count_does_not_grow_with_devices() -> None:
    devs = [f.device(f"KF-ACC-{i:02d}", host=f"127.0.0.{10 + i}") for i in range(10)]
    apply_records([(d.pk, f.record(host=str(d.management_ip))) for d in devs])
    with CaptureQueriesContext(connection) as ctx:
        apply_records([(d.pk, f.record(host=str(d.management_ip), at=f.later(5))) for d in devs])
    assert len(ctx.captured_queries) <= 8
    assert Interface.objects.count() == 40


def test_state_cache_skips_reloading_and_follows_peoples_edits() -> None:
    from collectors.statecache import StateCache

    dev = f.device("KF-AGG-02")
    ports = f.interfaces(dev, 3)
    cache = StateCache()
    cache.refresh()
    apply_records([(dev.pk, f.record(n=3, complete=False, at=f.later(1)))], cache=cache)
    with CaptureQueriesContext(connection) as ctx:
        apply_records([(dev.pk, f.record(n=3, complete=False, at=f.later(2), down=frozenset({2})))], cache=cache)
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT") and "inventory_interface" in q["sql"]]
    assert Interface.objects.get(pk=ports[1].pk).oper_status == 2
    # The cache advanced with its own write: the same status again writes nothing.
    again = apply_records([(dev.pk, f.record(n=3, complete=False, at=f.later(3), down=frozenset({2})))], cache=cache)
    assert again.interface_rows == 0 and again.events == 0
    # Someone marks port 3 monitored: the next refresh forgets this device, so its counters are kept from now on.
    ports[2].monitored = True
    ports[2].save()
    assert cache.refresh() == 1
    apply_records([(dev.pk, f.record(n=3, complete=False, at=f.later(4), in_octets=42))], cache=cache)
    assert InterfaceCounters.objects.get().interface_id == ports[2].pk
