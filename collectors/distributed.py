"""`manage.py poll --distributed`: send each poller group's due devices to its own queue, wait, sum up.

A worker placed inside a county's network consumes that county's queue (`poll.<group>`, collectors.tasks) and
runs the ordinary cycle there. The dispatcher splits the due devices by `Device.poller_group` into chunks, sends
them all at once, then collects each group as soon as its chunks are in: one summary line and one PollCycle row
per group, and the usual end-of-cycle line for the whole cycle. Every group has the same deadline
(`--group-timeout`), so a group whose worker is missing or stuck costs that group its cycle and nobody else
anything: its devices keep their last-known data (a missing poller says nothing about the devices), its
PollCycle counts them as failed with reason `no_worker` (nobody took the task) or `worker_timeout` (a worker took
it but did not finish), and its message names the queue to start a worker on. Unclaimed tasks expire at the
deadline, so a worker started later never runs a stale cycle.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import CommandError
from django.db.models import QuerySet
from django.utils import timezone

from collectors.apply import BatchResult
from collectors.contract import Mode
from collectors.runner import CycleSummary, LoopClock, _next_slot
from inventory.models import Device, PollCycle

QUEUE_PREFIX = "poll."
TASK_NAME = "collectors.poll_devices"  # collectors.tasks.poll_devices; sent by name, so celery loads only when used
CHUNK_SIZE = 500  # devices per task: several workers on one queue share a big group; small enough to retry
WAIT_STEP_SECONDS = 0.1
Write = Callable[[str], Any]


def queue_for(group: str) -> str:
    """The queue a poller group's workers consume: one per group, e.g. poll.430105."""
    return QUEUE_PREFIX + (group or "default")


def add_arguments(parser: ArgumentParser) -> None:
    """The options `manage.py poll` gains for distributed polling."""
    parser.add_argument(
        "--distributed",
        action="store_true",
        help="send each poller group's devices to its Celery queue poll.<group> (needs CELERY_BROKER_URL)",
    )
    parser.add_argument(
        "--group-timeout",
        type=float,
        default=None,
        help="with --distributed: seconds to wait for each group (default: the poll interval)",
    )
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="with --distributed: devices per task")


def chunks_by_group(devices: Iterable[tuple[int, str]], chunk_size: int) -> dict[str, list[list[int]]]:
    """(device id, poller group) pairs -> group -> chunks of ids, in id order."""
    groups: dict[str, list[int]] = {}
    for pk, group in devices:
        groups.setdefault(group or "default", []).append(pk)
    size = max(1, chunk_size)
    return {g: [ids[i : i + size] for i in range(0, len(ids), size)] for g, ids in sorted(groups.items())}


@dataclass
class GroupRun:
    """One group's tasks in flight and what came back."""

    group: str
    chunks: list[tuple[list[int], Any]]  # (device ids, AsyncResult)
    kind: str
    started: Any = field(default_factory=timezone.now)

    @property
    def devices(self) -> int:
        return sum(len(ids) for ids, _ in self.chunks)

    def ready(self) -> bool:
        return all(result.ready() for _, result in self.chunks)

    def finish(self, timeout_seconds: float, elapsed: float) -> tuple[CycleSummary, list[str], set[str]]:
        """Sum the chunks that came back; the others count as failed with the reason they did not."""
        summary = CycleSummary(kind=self.kind, devices=self.devices, duration_seconds=elapsed)
        errors: list[str] = []
        workers: set[str] = set()
        for ids, result in self.chunks:
            if result.successful():
                data = result.result
                workers.add(str(data["worker"]))
                _add(summary, data)
                summary.devices += int(data["devices"]) - len(ids)  # ids no longer pollable are not counted
            else:
                reason, text = _why_not(result, self.group, timeout_seconds)
                summary.result.failed_by_reason[reason] += len(ids)
                errors.append(text)
            if result.ready():
                result.forget()  # free the backend's key; an unclaimed task expires by itself at the deadline
        return summary, sorted(set(errors)), workers


def _add(summary: CycleSummary, data: dict[str, Any]) -> None:
    part = BatchResult(
        devices=int(data["polled"]),
        failed_by_reason=Counter({str(k): int(v) for k, v in data["failed_by_reason"].items()}),
        change_records=int(data["changes"]),
        interface_rows=int(data["interface_rows"]),
        events=int(data["events"]),
        findings=int(data["findings"]),
    )
    summary.result.add(part)
    summary.links_changed += int(data["links_changed"])
    summary.isolated = max(summary.isolated, int(data["isolated"]))  # each worker counts the whole graph


def _why_not(result: Any, group: str, timeout_seconds: float) -> tuple[str, str]:
    queue = queue_for(group)
    if result.state in ("PENDING", "REVOKED"):  # never taken, or taken only after it expired at the deadline
        return "no_worker", (
            f"no worker took the task from queue {queue} within {timeout_seconds:g} s "
            f"(start one in the group's network: celery -A yunwang worker -Q {queue})"
        )
    if result.state == "STARTED":
        host = (result.info or {}).get("hostname", "a worker") if isinstance(result.info, dict) else "a worker"
        return "worker_timeout", f"{host} took the task from {queue} but did not finish within {timeout_seconds:g} s"
    # A failed task: the exception's type only (its text could quote anything the worker saw).
    return "worker_error", f"the task on {queue} failed: {type(result.result).__name__} (see the worker's log)"


def _record(run: GroupRun, summary: CycleSummary) -> None:
    summary.poll_cycle_id = PollCycle.objects.create(
        kind=summary.kind,
        poller_group=run.group,
        started_at=run.started,
        finished_at=timezone.now(),
        duration_seconds=round(summary.duration_seconds, 3),
        polled=summary.result.devices,
        failed=summary.failed,
        failed_by_reason=dict(summary.result.failed_by_reason),
        changes=summary.changes,
    ).pk


def _group_line(run: GroupRun, summary: CycleSummary, errors: list[str], workers: set[str]) -> str:
    where = queue_for(run.group) + (f" on {', '.join(sorted(workers))}" if workers else "")
    line = summary.line().replace(f"{summary.kind}: ", f"{summary.kind} [{where}]: ", 1)
    return line + "".join(f"\n  error: {e}" for e in errors)


def _celery_app() -> Any:
    from yunwang.celery import app

    if app.conf.task_always_eager or not app.conf.broker_url:
        raise CommandError(
            "--distributed needs a broker: set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) "
            "and start a worker per poller group (docs/celery.md)"
        )
    return app


def _broker_error(app: Any, exc: BaseException) -> CommandError:
    from kombu.utils.url import maybe_sanitize_url  # the URL may carry a password

    url = maybe_sanitize_url(app.conf.broker_url)
    return CommandError(f"cannot send poll tasks to the broker at {url}: {type(exc).__name__}")


def _check_broker(app: Any) -> None:
    """Fail at once, not after the result backend's long reconnect loop, when the broker cannot be reached."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=5)
    except Exception as exc:  # kombu's OperationalError and whatever the transport raises
        raise _broker_error(app, exc) from exc


def _send(app: Any, chunks: dict[str, list[list[int]]], mode: Mode, options: dict[str, Any], timeout: float) -> Any:
    kind = "discovery" if mode == "full" else "status"
    runs = []
    try:
        for group, parts in chunks.items():
            queue = queue_for(group)
            sent = [
                (ids, app.send_task(TASK_NAME, args=[ids, mode, group, options], queue=queue, expires=timeout))
                for ids in parts
            ]
            runs.append(GroupRun(group, sent, kind))
    except Exception as exc:  # kombu's OperationalError and friends
        raise _broker_error(app, exc) from exc
    return runs


def dispatch_cycle(
    devices: QuerySet[Device],
    mode: Mode,
    *,
    group_timeout: float,
    chunk_size: int = CHUNK_SIZE,
    options: dict[str, Any] | None = None,
    write: Write | None = None,
) -> CycleSummary:
    """One distributed cycle; returns the whole cycle's summary (the per-group PollCycle rows are written)."""
    app = _celery_app()
    _check_broker(app)
    t0 = time.monotonic()
    pairs = devices.values_list("pk", "poller_group")
    runs: list[GroupRun] = _send(app, chunks_by_group(pairs, chunk_size), mode, options or {}, group_timeout)
    total = CycleSummary(kind="discovery" if mode == "full" else "status")
    deadline = t0 + group_timeout
    pending = list(runs)
    while pending:
        timed_out = time.monotonic() >= deadline
        for run in [r for r in pending if timed_out or r.ready()]:  # each group as soon as it is in
            pending.remove(run)
            summary, errors, workers = run.finish(group_timeout, time.monotonic() - t0)
            _record(run, summary)
            total.devices += summary.devices
            total.result.add(summary.result)
            total.links_changed += summary.links_changed
            total.isolated = max(total.isolated, summary.isolated)
            if write is not None:
                write(_group_line(run, summary, errors, workers))
        if pending:
            time.sleep(WAIT_STEP_SECONDS)
    total.duration_seconds = time.monotonic() - t0
    return total


def run_from_command(select: Callable[[], QuerySet[Device]], opts: dict[str, Any], write: Write) -> None:
    """`manage.py poll --distributed [--once | --loop ...]`: what the poll command hands over to this module."""
    if opts.get("ssh"):
        raise CommandError("--ssh is not distributed: run `manage.py poll --once --ssh` where SSH can reach")
    timeout = opts.get("group_timeout") or opts["interval"]
    kwargs: dict[str, Any] = {
        "group_timeout": timeout,
        "chunk_size": opts.get("chunk_size") or CHUNK_SIZE,
        "options": {"concurrency": opts["concurrency"], "timeout_seconds": opts["timeout"], "retries": opts["retries"]},
        "write": write,
    }
    if not opts["loop"]:
        write(dispatch_cycle(select(), opts["mode"], **kwargs).line())
        return
    try:
        dispatch_loop(select, opts["interval"], opts["discovery_every"], opts["cycles"], kwargs)
    except KeyboardInterrupt:
        write("stopped")


def dispatch_loop(
    select: Callable[[], QuerySet[Device]],
    interval: float,
    discovery_every: int,
    max_cycles: int | None,
    kwargs: dict[str, Any],
    clock: LoopClock | None = None,
) -> None:
    """The runner's schedule (fixed slots, discovery every N, overrun slots skipped) over distributed cycles."""
    clock = clock or LoopClock()
    start, slot, ran = clock.monotonic(), 0, 0
    kwargs = kwargs | {"group_timeout": min(kwargs["group_timeout"], interval)}  # never into the next slot
    while max_cycles is None or ran < max_cycles:
        wait = start + slot * interval - clock.monotonic()
        if wait > 0:
            clock.sleep(wait)
        mode: Mode = "full" if ran % max(1, discovery_every) == 0 else "status"
        summary = dispatch_cycle(select(), mode, **kwargs)
        if kwargs.get("write") is not None:
            kwargs["write"](summary.line())
        ran += 1
        slot = _next_slot(slot, start, interval, clock.monotonic(), "distributed")
