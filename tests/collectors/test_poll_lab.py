"""Against the real Kaifu lab (snmpsim on 127.20.x.y): discovery matches the generated model, faults give the
right status, event and isolation cause and heal, and an unchanged lab is re-polled without interface writes.

One lab per session (tests/lab_fixture.py). The inventory is loaded and discovered once per module inside an
outer transaction that is rolled back at the end; each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from collectors.runner import CycleSummary, run_cycle
from collectors.targets import pollable
from inventory.models import ChangeRecord, Device, Discovery, Interface, Link, StatusEvent
from lab.inventory import load_topology
from tests.collectors.poll_factories import writes_to
from tests.lab_fixture import RunningLab, kaifu_lab  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.django_db
# Generous per-request timeouts: the lab agent is one Python process, and CI machines are busy. Fault tests
# poll only the devices they look at, so a cycle stays short whatever the timeout.
STEADY = {"timeout_seconds": 2.0, "retries": 2, "progress": False, "concurrency": 8}


def poll(names: set[str], mode: str = "status", **kw: Any) -> CycleSummary:
    return run_cycle(pollable().filter(name__in=names), mode, **(STEADY | kw))  # type: ignore[arg-type]


def discover_all() -> None:
    """Full discovery of the whole lab; devices that time out on a loaded machine get two more chances."""
    summary = run_cycle(pollable(), "full", **STEADY)  # type: ignore[arg-type]
    for _ in range(2):
        failed = set(Device.objects.filter(reachable=False).values_list("name", flat=True))
        if not failed:
            break
        summary = poll(failed, "full")
    assert not Device.objects.filter(reachable=False).exists(), summary.line()


@pytest.fixture(scope="module")
def lab(django_db_setup: None, django_db_blocker: Any, kaifu_lab: RunningLab) -> Iterator[RunningLab]:  # noqa: F811
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            kaifu_lab.heal()
            load_topology(kaifu_lab.topology)
            discover_all()
            yield kaifu_lab
        finally:
            kaifu_lab.heal()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_discovery_matches_the_generated_model(lab: RunningLab) -> None:
    topo = lab.topology
    devices = {d.name: d for d in Device.objects.all()}
    assert set(devices) == {d.name for d in topo.devices}
    wrong: list[tuple[str, object]] = []
    for want in topo.devices:
        got = devices[want.name]
        seen = (got.reachable, got.poll_error_kind, got.vendor, got.model, got.serial, got.sys_location)
        if seen != (True, "", want.vendor, want.model, want.serial, want.sys_location):  # GBK/UTF-8 location
            wrong.append((want.name, seen))
        if want.os_version not in got.os_version:  # H3C's sysDescr says "7.1.070, Release 1125P03"
            wrong.append((want.name, got.os_version))
        stored = {i.if_index: (i.name, i.alias) for i in Interface.objects.filter(device=got)}
        if stored != {i.if_index: (i.name, i.alias or "") for i in want.interfaces}:
            wrong.append((want.name, stored))
    assert wrong == []
    assert Link.objects.count() == len(topo.links)
    assert Link.objects.filter(lldp_confirmed=True).count() == len(topo.links)
    assert not Device.objects.filter(isolated=True).exists()
    assert not Discovery.objects.exists()


def test_gbk_and_utf8_aliases_and_the_v3_device(lab: RunningLab) -> None:
    topo = lab.topology
    gbk = next(d for d in topo.devices if d.text_encoding == "gbk" and any(i.alias for i in d.interfaces))
    utf8 = next(d for d in topo.devices if d.text_encoding == "utf-8" and any(i.alias for i in d.interfaces))
    for want in (gbk, utf8):
        alias = next(i for i in want.interfaces if i.alias)
        assert Interface.objects.get(device__name=want.name, if_index=alias.if_index).alias == alias.alias
    v3 = next(d for d in topo.devices if d.snmp_v3 is not None)
    device = Device.objects.get(name=v3.name)
    assert device.credentials is not None and device.credentials.snmp_version == "3"
    assert device.reachable is True and device.serial == v3.serial


def cut_off(lab: RunningLab, dead: str | None = None, cut: tuple[str, int] | None = None) -> dict[str, str]:
    """Expected isolation, worked out from the lab topology: device -> cause (independent of collectors.topology)."""
    links = [k for k in lab.topology.links if (k.a_device, k.a_if_index) != cut and (k.b_device, k.b_if_index) != cut]
    reached = {d.name for d in lab.topology.devices if d.role == "core"}
    todo = list(reached)
    while todo:
        here = todo.pop()
        for k in links:
            if k.a_device == here and k.b_device not in reached and here != dead:
                reached.add(k.b_device)
                todo.append(k.b_device)
    cause = dead or (cut[0] if cut else "")
    return {d.name: cause for d in lab.topology.devices if d.name not in reached and d.name != dead}


def isolated_now() -> dict[str, str]:
    return {d.name: d.isolated_by.name for d in Device.objects.filter(isolated=True).select_related("isolated_by")}  # type: ignore[union-attr]


def test_repolling_an_unchanged_lab_writes_no_interface_rows(lab: RunningLab) -> None:
    agg = next(d.name for d in lab.topology.devices if d.role == "aggregation")
    # A core, an aggregation and one access switch below it: three vendors' worth of walks, kept short.
    names = {"KF-CORE-01", agg, next(k.b_device for k in lab.topology.links if k.a_device == agg)}
    before = ChangeRecord.objects.count()
    for mode in ("full", "status"):
        with CaptureQueriesContext(connection) as ctx:
            summary = poll(names, mode)
        assert summary.failed == 0, summary.line()
        assert writes_to(ctx.captured_queries, '"inventory_interface"') == []
        assert summary.result.interface_rows == 0
    assert ChangeRecord.objects.count() == before


def test_device_down_isolates_what_is_behind_it_and_heals(lab: RunningLab) -> None:
    agg = next(d for d in lab.topology.devices if d.role == "aggregation")
    names = {agg.name} | {k.b_device for k in lab.topology.links if k.a_device == agg.name}
    lab.fail("device", agg.name)
    poll(names, timeout_seconds=0.5, retries=0)
    dev = Device.objects.get(name=agg.name)
    assert (dev.reachable, dev.poll_error_kind, dev.isolated) == (False, "timeout", False)
    assert StatusEvent.objects.get(kind="device_down", device=dev).reason == "timeout"
    expected = cut_off(lab, dead=agg.name)
    assert expected and isolated_now() == expected
    assert StatusEvent.objects.filter(kind="device_isolated", cause=dev).count() == len(expected)
    lab.heal()
    poll(names)
    dev.refresh_from_db()
    assert dev.reachable is True and isolated_now() == {}
    assert StatusEvent.objects.filter(kind="device_up", device=dev).exists()


def test_link_down_gives_port_and_link_events_and_isolation(lab: RunningLab) -> None:
    access = next(d.name for d in lab.topology.devices if d.role == "access")
    link = next(k for k in lab.topology.links if k.b_device == access)
    names = {link.a_device, link.b_device}
    lab.fail("link", f"{link.b_device}:{link.b_if_index}")
    poll(names)
    stored = Link.objects.get(b_interface__device__name=link.b_device, b_interface__if_index=link.b_if_index)
    assert stored.oper_up is False
    assert StatusEvent.objects.filter(kind="link_down", link=stored).count() == 1
    down = StatusEvent.objects.filter(kind="interface_down", device__name=link.a_device)
    assert [e.interface.if_index for e in down] == [link.a_if_index]  # type: ignore[union-attr]
    assert isolated_now() == cut_off(lab, cut=(link.a_device, link.a_if_index))
    lab.heal()
    poll(names)
    stored.refresh_from_db()
    assert stored.oper_up is True and isolated_now() == {}
    assert StatusEvent.objects.filter(kind="link_up", link=stored).count() == 1


def test_slow_device_times_out_on_its_own_budget(lab: RunningLab) -> None:
    slow = next(d for d in lab.topology.devices if d.role == "access")
    lab.fail("slow", slow.name, ms=3000)
    started = time.monotonic()
    summary = poll({slow.name}, timeout_seconds=0.5, retries=0)
    elapsed = time.monotonic() - started
    assert dict(summary.result.failed_by_reason) == {"timeout": 1}
    assert Device.objects.get(name=slow.name).poll_error_kind == "timeout"
    assert elapsed < 0.5 * 4 + 3  # its budget (0.5 s x 4 requests), not 3 s a request
    lab.heal()
    poll({slow.name})
    assert Device.objects.get(name=slow.name).reachable is True


def test_malformed_replies_keep_last_known_data(lab: RunningLab) -> None:
    bad = next(d for d in lab.topology.devices if d.role == "access" and d.snmp_v3 is None)
    serial = Device.objects.get(name=bad.name).serial
    lab.fail("malformed", bad.name)
    summary = poll({bad.name}, "full", timeout_seconds=0.5, retries=0)
    dev = Device.objects.get(name=bad.name)
    assert dev.reachable is False and dict(summary.result.failed_by_reason) == {dev.poll_error_kind: 1}
    assert dev.poll_error_kind in {"malformed", "timeout"}  # a truncated reply is dropped or rejected
    assert dev.serial == serial and dev.interfaces.count() == len(bad.interfaces)
    assert StatusEvent.objects.get(kind="device_down", device=dev).reason == dev.poll_error_kind
    lab.heal()
    poll({bad.name})
    dev.refresh_from_db()
    assert dev.reachable is True and dev.poll_error_kind == ""


def test_reboot_is_an_event(lab: RunningLab) -> None:
    name = next(d.name for d in lab.topology.devices if d.role == "access")
    lab.fail("reboot", name)
    poll({name})
    assert StatusEvent.objects.filter(kind="device_rebooted", device__name=name).count() == 1
    assert Device.objects.get(name=name).uptime_seconds < 120  # type: ignore[operator]
    poll({name})
    assert StatusEvent.objects.filter(kind="device_rebooted", device__name=name).count() == 1


def test_wrong_credentials(lab: RunningLab) -> None:
    v2 = next(d for d in lab.topology.devices if d.role == "access" and d.snmp_v3 is None)
    v3 = next(d for d in lab.topology.devices if d.snmp_v3 is not None)
    lab.fail("credentials", v2.name)
    lab.fail("credentials", v3.name)
    poll({v2.name, v3.name}, timeout_seconds=0.5, retries=0)
    # A v2c agent ignores a wrong community (no answer); a v3 agent reports the authentication failure.
    assert Device.objects.get(name=v2.name).poll_error_kind == "timeout"
    assert Device.objects.get(name=v3.name).poll_error_kind == "auth"
    lab.heal()
    poll({v2.name, v3.name})
    assert Device.objects.filter(name__in=[v2.name, v3.name], reachable=True).count() == 2
