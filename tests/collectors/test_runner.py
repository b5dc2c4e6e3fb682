"""The poll cycle over the real SNMP driver replaying recorded walks (no network): batching, timeouts,
PollCycle rows, schedule with skipped cycles."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collectors.contract import Driver, Mode
from collectors.records import Target
from collectors.runner import run_cycle, run_loop
from collectors.snmp import SnmpDriver
from collectors.snmp.replay import ReplayTransport
from collectors.snmp.values import Varbind
from collectors.targets import pollable
from inventory.models import ChangeRecord, CredentialProfile, Device, Interface, PollCycle
from tests.collectors import poll_factories as f
from tests.collectors.poll_factories import writes_to

pytestmark = pytest.mark.django_db
WALKS = Path(__file__).parent / "fixtures" / "snmp"
RECORDED = {
    "127.0.0.11": WALKS / "huawei" / "ce6850_utf8" / "walk.snmprec",
    "127.0.0.12": WALKS / "h3c" / "s6800_serial_in_vendor_mib" / "walk.snmprec",
    "127.0.0.13": WALKS / "ruijie" / "s5750_unsorted_duplicates" / "walk.snmprec",
}
SLOW = "127.0.0.14"


class Stalled(ReplayTransport):
    """An agent that never answers in time."""

    async def get(self, oids: Sequence[str]) -> list[Varbind]:
        await asyncio.sleep(60)
        return []


def replay_driver() -> tuple[Driver, Callable[[], None]]:
    def factory(target: Target, mode: Mode) -> ReplayTransport:
        if target.host == SLOW:
            return Stalled([])
        return ReplayTransport.from_file(RECORDED[target.host])

    return SnmpDriver(factory), lambda: None


@pytest.fixture
def fleet() -> list[Device]:
    profile = CredentialProfile.objects.create(name="lab v2c", snmp_version="2c", snmp_community="public")
    return [f.device(f"KF-DEV-{h[-2:]}", host=h, credentials=profile) for h in RECORDED]


def test_discovery_cycle_writes_devices_and_a_poll_cycle_row(fleet: list[Device]) -> None:
    summary = run_cycle(pollable(), "full", driver_factory=replay_driver, progress=False)
    assert (summary.devices, summary.result.devices, summary.failed) == (3, 3, 0)
    for dev in Device.objects.all():
        assert dev.reachable is True and dev.sys_object_id and dev.interfaces.exists()
    huawei = Device.objects.get(management_ip="127.0.0.11")
    assert huawei.vendor == "huawei"
    cycle = PollCycle.objects.get()
    assert (cycle.kind, cycle.polled, cycle.failed, cycle.skipped) == ("discovery", 3, 0, False)
    assert cycle.changes == summary.changes > 0
    assert "polled 3/3, failed 0 (none)" in summary.line()


def test_unchanged_devices_write_no_interface_rows_on_the_next_cycles(fleet: list[Device]) -> None:
    run_cycle(pollable(), "full", driver_factory=replay_driver, progress=False)
    before = ChangeRecord.objects.count()
    for mode in ("full", "status"):
        with CaptureQueriesContext(connection) as ctx:
            summary = run_cycle(pollable(), mode, driver_factory=replay_driver, progress=False)  # type: ignore[arg-type]
        assert writes_to(ctx.captured_queries, '"inventory_interface"') == []
        assert summary.result.interface_rows == 0
    assert ChangeRecord.objects.count() == before
    assert list(PollCycle.objects.order_by("started_at").values_list("kind", flat=True)) == [
        "discovery",
        "discovery",
        "status",
    ]


def test_a_stalled_device_costs_only_its_own_budget(fleet: list[Device]) -> None:
    stalled = f.device("KF-DEV-SLOW", host=SLOW, credentials=fleet[0].credentials)
    started = time.monotonic()
    summary = run_cycle(
        pollable(), "full", driver_factory=replay_driver, timeout_seconds=0.05, retries=0, progress=False
    )
    assert time.monotonic() - started < 5  # budget 0.05 s x 1 try x 12 requests, not 60 s
    assert dict(summary.result.failed_by_reason) == {"timeout": 1}
    stalled.refresh_from_db()
    assert (stalled.reachable, stalled.poll_error_kind) == (False, "timeout")
    assert Device.objects.filter(reachable=True).count() == 3
    assert PollCycle.objects.get().failed_by_reason == {"timeout": 1}


def test_loop_discovers_every_n_cycles_and_skips_overrun_slots(fleet: list[Device]) -> None:
    summaries = run_loop(
        pollable,
        interval_seconds=0.001,  # every cycle overruns this interval
        discovery_every=2,
        max_cycles=3,
        cycle_kwargs={"driver_factory": replay_driver, "progress": False},
    )
    assert [s.kind for s in summaries] == ["discovery", "status", "discovery"]
    assert PollCycle.objects.filter(skipped=True).count() >= 2
    ran = PollCycle.objects.filter(skipped=False).order_by("started_at")
    for earlier, later in zip(ran, ran[1:], strict=False):
        assert earlier.finished_at is not None and earlier.finished_at <= later.started_at  # never overlapped
    assert Interface.objects.count() > 0


def test_steady_status_cycles_skip_the_topology_pass(fleet: list[Device]) -> None:
    from collectors.statecache import StateCache

    cache = StateCache()
    run_cycle(pollable(), "full", driver_factory=replay_driver, progress=False, cache=cache)
    run_cycle(pollable(), "status", driver_factory=replay_driver, progress=False, cache=cache)
    with CaptureQueriesContext(connection) as ctx:
        summary = run_cycle(pollable(), "status", driver_factory=replay_driver, progress=False, cache=cache)
    assert summary.changes == 0
    assert not [q for q in ctx.captured_queries if "inventory_link" in q["sql"]]
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT") and "inventory_interface" in q["sql"]]
    # People edit the inventory: the next status cycle recomputes the topology.
    dev = fleet[0]
    dev.poller_group = "other"
    dev.save()
    with CaptureQueriesContext(connection) as ctx:
        run_cycle(pollable(), "status", driver_factory=replay_driver, progress=False, cache=cache)
    assert [q for q in ctx.captured_queries if "inventory_link" in q["sql"]]
