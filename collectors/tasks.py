"""Celery tasks for distributed polling. A worker started inside a county's network consumes its group's queue
(`celery -A yunwang worker -Q poll.<group>`) and runs the ordinary poll cycle (collectors.runner) there.

- `poll_devices(device_ids, mode, group, options)`: what `manage.py poll --distributed` sends (collectors.distributed
  waits for the summaries, records one PollCycle per group and prints the cycle's summary).
- `poll_group(group, mode, ssh)` / `dispatch(mode, ssh)`: fire-and-forget, for beat or cron: one whole cycle per
  group on its queue, each recording its own PollCycle.

Without a broker (CELERY_TASK_ALWAYS_EAGER) the tasks run in-process, which is what `manage.py poll` does anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import collectors.snmp  # noqa: F401 - the worker loads pysnmp when it starts, not during its first cycle
from collectors.contract import Mode
from collectors.distributed import TASK_NAME, queue_for
from collectors.runner import CycleSummary, run_cycle
from collectors.ssh_runner import run_ssh_cycle
from collectors.targets import pollable
from inventory.models import Device, PollCycle
from yunwang.celery import app  # the configured app (eager without a broker), not Celery's default one

__all__ = ["dispatch", "poll_devices", "poll_group", "queue_for"]

MODES = ("full", "status")


def poll_ids(device_ids: Sequence[int], mode: Mode, group: str, **cycle_kwargs: Any) -> CycleSummary:
    """run_cycle over these device ids, narrowed to the group: a misrouted id is never polled from here."""
    devices = pollable(poller_group=group).filter(pk__in=list(device_ids))
    summary = run_cycle(devices, mode, poller_group=group, progress=False, **cycle_kwargs)
    # The dispatcher writes one PollCycle per group (a group may be split into several tasks, or time out);
    # run_cycle always records its own, so this chunk's row is dropped once its figures are in the summary.
    if summary.poll_cycle_id is not None:
        PollCycle.objects.filter(pk=summary.poll_cycle_id).delete()
    return summary


def summary_json(summary: CycleSummary, *, group: str, worker: str, requested: int) -> dict[str, Any]:
    """What a task returns: counts only (never targets, credentials or error texts)."""
    result = summary.result
    return {
        "group": group,
        "worker": worker,
        "kind": summary.kind,
        "requested": requested,
        "devices": summary.devices,
        "polled": result.devices,
        "failed": summary.failed,
        "failed_by_reason": dict(result.failed_by_reason),
        "changes": summary.changes,
        "interface_rows": result.interface_rows,
        "events": result.events,
        "findings": result.findings,
        "links_changed": summary.links_changed,
        "isolated": summary.isolated,
        "duration_seconds": round(summary.duration_seconds, 3),
    }


@app.task(bind=True, name=TASK_NAME)
def poll_devices(
    self: Any,
    device_ids: list[int],
    mode: str,
    group: str = "default",
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Poll these devices on this worker (collection + apply + topology, as `manage.py poll` does)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    allowed = {"concurrency", "timeout_seconds", "retries"}
    kwargs = {k: v for k, v in (options or {}).items() if k in allowed and v is not None}
    summary = poll_ids(device_ids, cast(Mode, mode), group, **kwargs)
    return summary_json(summary, group=group, worker=str(self.request.hostname or "local"), requested=len(device_ids))


@app.task(name="collectors.poll_group")
def poll_group(group: str, mode: str = "status", ssh: bool = False) -> dict[str, Any]:
    """One cycle for one poller group; returns the summary (what the PollCycle row holds)."""
    summary = run_cycle(pollable(poller_group=group), "full" if mode == "full" else "status", poller_group=group)
    out: dict[str, Any] = {"line": summary.line(), "poll_cycle_id": summary.poll_cycle_id, "failed": summary.failed}
    if ssh:
        out["ssh"] = run_ssh_cycle(pollable(poller_group=group), poller_group=group).line()
    return out


@app.task(name="collectors.dispatch")
def dispatch(mode: str = "status", ssh: bool = False) -> list[str]:
    """Send one cycle per poller group to that group's queue (fire and forget); returns the queues used."""
    groups = sorted(set(Device.objects.values_list("poller_group", flat=True)))
    queues = []
    for group in groups:
        poll_group.apply_async(args=(group, mode, ssh), queue=queue_for(group))
        queues.append(queue_for(group))
    return queues
