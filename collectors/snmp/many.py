"""Collect many targets with bounded concurrency; results stream out as they finish.

A dead device costs one worker slot for its own timeout x (retries + 1) and never delays the others: each
worker pulls the next target as soon as it is free. A hard per-device budget also caps a device that answers
slowly but steadily (many requests, each just under the timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable

from collectors.contract import Driver, Mode
from collectors.records import DeviceRecord, ErrorKind, Target, failed
from collectors.snmp.driver import SnmpDriver
from collectors.snmp.transports import DefaultFactory

# Requests a collection makes, at most, before its budget runs out (full: GET + 3 walks of several requests).
_REQUEST_BUDGET = {"full": 12, "status": 4}


def device_budget_seconds(target: Target, mode: Mode) -> float:
    return target.timeout_seconds * (target.retries + 1) * _REQUEST_BUDGET[mode]


async def collect_one(driver: Driver, target: Target, mode: Mode) -> DeviceRecord:
    """`driver.collect` under the per-device budget; over budget is a timeout result."""
    budget = device_budget_seconds(target, mode)
    try:
        async with asyncio.timeout(budget):
            return await driver.collect(target, mode=mode)
    except TimeoutError:
        message = f"device took longer than its {budget:g} s budget"
        return failed(target.host, "snmp", ErrorKind.TIMEOUT, message, duration_seconds=budget)


async def collect_many(
    targets: Iterable[Target], mode: Mode, concurrency: int = 64, *, driver: Driver | None = None
) -> AsyncIterator[DeviceRecord]:
    """Yield one record per target, in completion order, at most `concurrency` devices in flight.

    Without `driver`, an `SnmpDriver` over `DefaultFactory` (pysnmp for full, gufo-snmp for status) is made
    and closed here. Stopping the iteration early cancels the devices still in flight.
    """
    factory: DefaultFactory | None = None
    active: Driver
    if driver is None:
        factory = DefaultFactory()
        active = SnmpDriver(factory)
    else:
        active = driver
    pending = iter(targets)
    results: asyncio.Queue[DeviceRecord | None] = asyncio.Queue()

    async def worker() -> None:
        try:
            for target in pending:  # a shared iterator: each worker takes the next free target
                await results.put(await collect_one(active, target, mode))
        finally:
            await results.put(None)

    workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
    try:
        running = len(workers)
        while running:
            item = await results.get()
            if item is None:
                running -= 1
            else:
                yield item
    finally:
        for task in workers:
            task.cancel()
        for task in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if factory is not None:
            factory.close()
