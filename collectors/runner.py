"""The poll cycle: collect asynchronously, write as records arrive, recompute topology, log a PollCycle.

Threads: the drivers run in an asyncio loop on a worker thread (bounded concurrency, each device under its own
budget, so a dead or slow device only ever costs its own timeout); every database write happens on the calling
thread, which takes records off a queue in batches as they arrive and hands them to `apply_records`. The ORM
therefore stays on one thread, which keeps SQLite and PostgreSQL equally simple.

`run_loop` starts a cycle every `interval` seconds: a light status poll, with a full discovery every N cycles.
A cycle that runs past the start of the next one makes that one skipped (logged, and recorded as a skipped
PollCycle), never overlapped.
"""

from __future__ import annotations

import asyncio
import logging
import math
import queue
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from tqdm import tqdm

from collectors.apply import BatchResult, apply_records, load_directory
from collectors.contract import Driver, Mode
from collectors.records import DeviceRecord, ErrorKind, Target, failed
from collectors.statecache import StateCache
from collectors.targets import targets
from collectors.topology import recompute
from inventory.models import Device, PollCycle

log = logging.getLogger(__name__)

BATCH_MAX = 200  # records applied per batch: bounds the state loaded at once, amortises the bulk writes
# A driver factory returns the driver and how to close it; it runs inside the collection thread's event loop.
DriverFactory = Callable[[], tuple[Driver, Callable[[], None]]]
Source = Literal["snmp", "ssh"]


def snmp_driver() -> tuple[Driver, Callable[[], None]]:
    from collectors.snmp import DefaultFactory, SnmpDriver

    factory = DefaultFactory()
    return SnmpDriver(factory), factory.close


# An SSH collection's backstop: the driver's own connect/login/command timeouts fire well before this.
SSH_BUDGET_SECONDS = 180.0


def budget_seconds(target: Target, mode: Mode, source: Source = "snmp") -> float:
    if source == "ssh":
        return SSH_BUDGET_SECONDS
    from collectors.snmp import device_budget_seconds

    return device_budget_seconds(target, mode)


@dataclass
class CycleSummary:
    kind: str
    devices: int = 0
    result: BatchResult = field(default_factory=BatchResult)
    links_changed: int = 0
    isolated: int = 0
    duration_seconds: float = 0.0
    poll_cycle_id: int | None = None

    @property
    def failed(self) -> int:
        return sum(self.result.failed_by_reason.values())

    @property
    def changes(self) -> int:
        return self.result.change_records

    def line(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.result.failed_by_reason.items())) or "none"
        return (
            f"{self.kind}: polled {self.result.devices}/{self.devices}, failed {self.failed} ({reasons}), "
            f"changes {self.changes}, interface rows {self.result.interface_rows}, events {self.result.events}, "
            f"link findings {self.result.findings}, isolated {self.isolated}, {self.duration_seconds:.1f} s"
        )


async def _guarded(driver: Driver, target: Target, mode: Mode, source: Source) -> DeviceRecord:
    """One device under its own budget; a bug in a driver is a failed record, not a stopped cycle."""
    budget = budget_seconds(target, mode, source)
    try:
        async with asyncio.timeout(budget):
            return await driver.collect(target, mode=mode)
    except TimeoutError:
        return failed(target.host, source, ErrorKind.TIMEOUT, f"took longer than its {budget:g} s budget")
    except Exception as exc:  # noqa: BLE001 - one device's failure must never stop the others
        log.exception("driver failed on %s", target.name)
        return failed(target.host, source, ErrorKind.INTERNAL, f"{type(exc).__name__} in driver")


async def _collect(
    pairs: Sequence[tuple[int, Target]],
    mode: Mode,
    concurrency: int,
    make_driver: DriverFactory,
    source: Source,
    out: queue.Queue[Any],
    stop: threading.Event,
) -> None:
    driver, close = make_driver()
    pending = iter(pairs)

    async def worker() -> None:
        for pk, target in pending:  # shared iterator: a free worker takes the next device
            if stop.is_set():
                return
            out.put((pk, await _guarded(driver, target, mode, source)))

    try:
        await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(pairs))))))
    finally:
        close()


_DONE = object()


def _collector_thread(args: tuple[Any, ...], out: queue.Queue[Any]) -> None:
    try:
        asyncio.run(_collect(*args))
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which re-raises
        out.put(exc)
    finally:
        out.put(_DONE)


def _next_batch(q: queue.Queue[Any]) -> tuple[list[tuple[int, DeviceRecord]], bool]:
    """Block for one item, then take what else is already waiting (records pile up while we write)."""
    batch: list[tuple[int, DeviceRecord]] = []
    item = q.get()
    while True:
        if item is _DONE:
            return batch, True
        if isinstance(item, BaseException):
            raise item
        batch.append(item)
        if len(batch) >= BATCH_MAX:
            return batch, False
        try:
            item = q.get_nowait()
        except queue.Empty:
            return batch, False


def run_cycle(
    devices: QuerySet[Device] | Sequence[Device],
    mode: Mode,
    *,
    concurrency: int | None = None,
    timeout_seconds: float | None = None,
    retries: int | None = None,
    driver_factory: DriverFactory = snmp_driver,
    source: Source = "snmp",
    poller_group: str = "default",
    progress: bool | None = None,
    after_batch: Callable[[list[tuple[int, DeviceRecord]]], object] | None = None,
    cache: StateCache | None = None,
) -> CycleSummary:
    """Poll `devices` once (mode "full" = discovery, "status" = light poll) and write what changed."""
    started, t0 = timezone.now(), time.monotonic()
    kind = "ssh" if source == "ssh" else ("discovery" if mode == "full" else "status")
    pairs = targets(devices, timeout_seconds, retries)
    summary = CycleSummary(kind=kind, devices=len(pairs))
    out: queue.Queue[Any] = queue.Queue()
    stop = threading.Event()
    concurrency = concurrency or settings.YUNWANG_POLL_CONCURRENCY
    args = (pairs, mode, concurrency, driver_factory, source, out, stop)
    thread = threading.Thread(target=_collector_thread, args=(args, out), name="poll-collect", daemon=True)
    thread.start()
    show = sys.stdout.isatty() if progress is None else progress
    directory = load_directory() if mode == "full" else {}
    if cache is not None and mode == "full":
        cache.clear()
    elif cache is not None:
        cache.refresh()
    try:
        with tqdm(total=len(pairs), disable=not show, unit="dev", desc=kind) as bar:
            done = False
            while not done:
                batch, done = _next_batch(out)
                summary.result.add(apply_records(batch, directory, cache))
                if after_batch is not None:
                    after_batch(batch)
                bar.update(len(batch))
    finally:
        stop.set()  # on an error here, let the collector wind down rather than poll on
        thread.join()
    # Link status and isolation only move when a device or port did, or when people edited the inventory.
    steady = cache is not None and mode == "status" and not cache.people_changed
    if not (steady and summary.result.events == 0 and summary.result.change_records == 0):
        topo = recompute(actor=f"collector:{source}")
        summary.links_changed, summary.isolated = topo.links_changed, topo.isolated
        summary.result.change_records += topo.change_records
    else:
        summary.isolated = Device.objects.filter(isolated=True).count()
    summary.duration_seconds = time.monotonic() - t0
    summary.poll_cycle_id = _record_cycle(summary, started, poller_group).pk
    return summary


def _record_cycle(summary: CycleSummary, started: Any, poller_group: str) -> PollCycle:
    return PollCycle.objects.create(
        kind=summary.kind,
        poller_group=poller_group,
        started_at=started,
        finished_at=timezone.now(),
        duration_seconds=round(summary.duration_seconds, 3),
        polled=summary.result.devices,
        failed=summary.failed,
        failed_by_reason=dict(summary.result.failed_by_reason),
        changes=summary.changes,
    )


@dataclass
class LoopClock:
    """Injected time, so the schedule is testable without waiting."""

    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def run_loop(
    select: Callable[[], QuerySet[Device]],
    *,
    interval_seconds: float,
    discovery_every: int,
    max_cycles: int | None = None,
    clock: LoopClock | None = None,
    write: Callable[[str], Any] | None = None,
    poller_group: str = "default",
    cycle_kwargs: dict[str, Any] | None = None,
    extra: Callable[[], object] | None = None,
) -> list[CycleSummary]:
    """Cycle on a fixed schedule; returns the summaries of the cycles that ran (most useful with max_cycles)."""
    clock = clock or LoopClock()
    start, slot, ran = clock.monotonic(), 0, 0
    summaries: list[CycleSummary] = []
    kwargs = {"cache": StateCache()} | (cycle_kwargs or {})
    while max_cycles is None or ran < max_cycles:
        wait = start + slot * interval_seconds - clock.monotonic()
        if wait > 0:
            clock.sleep(wait)
        mode: Mode = "full" if ran % max(1, discovery_every) == 0 else "status"
        summary = run_cycle(select(), mode, poller_group=poller_group, **kwargs)
        summaries.append(summary)
        if write is not None:
            write(summary.line())
        if extra is not None:
            extra()
        ran += 1
        slot = _next_slot(slot, start, interval_seconds, clock.monotonic(), poller_group)
    return summaries


def _next_slot(slot: int, start: float, interval: float, now: float, poller_group: str) -> int:
    """The next slot to run; slots whose start passed while the last cycle ran are skipped, never overlapped."""
    current = math.floor((now - start) / interval)
    for skipped in range(slot + 1, current + 1):
        log.warning("poll cycle overran its %g s interval: cycle %d skipped", interval, skipped)
        PollCycle.objects.create(kind="skipped", poller_group=poller_group, skipped=True, finished_at=timezone.now())
    return max(slot + 1, current + 1)


class SshSchedule:
    """SSH collection on its own, longer schedule: run after the SNMP cycle during which it fell due."""

    def __init__(self, interval_seconds: float, run: Callable[[], CycleSummary], clock: LoopClock | None = None):
        self.interval = interval_seconds
        self.run = run
        self.clock = clock or LoopClock()
        self.last: float | None = None

    def run_if_due(self, write: Callable[[str], Any] | None = None) -> CycleSummary | None:
        now = self.clock.monotonic()
        if self.interval <= 0 or (self.last is not None and now - self.last < self.interval):
            return None
        self.last = now
        summary = self.run()
        if write is not None:
            write(summary.line())
        return summary
