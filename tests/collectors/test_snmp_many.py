"""The per-device budget and early stop of collect_many (scheduler behaviour, independent of the wire)."""

from __future__ import annotations

import asyncio
import time

from collectors.contract import Mode
from collectors.records import DeviceRecord, ErrorKind, SnmpCredentials, Target, now
from collectors.snmp import collect_many, collect_one, device_budget_seconds


class SlowDriver:
    """A device that answers every request just under its timeout, forever: only the budget stops it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = 0

    async def collect(self, target: Target, *, mode: Mode) -> DeviceRecord:
        self.started += 1
        await asyncio.sleep(self.seconds)
        return DeviceRecord(host=target.host, source="snmp", collected_at=now())


TARGET = Target(name="slow", host="127.0.0.1", snmp=SnmpCredentials(community="x"), timeout_seconds=0.05, retries=0)


def test_budget_caps_a_slow_but_answering_device() -> None:
    budget = device_budget_seconds(TARGET, "status")
    assert budget == 0.05 * 4
    started = time.monotonic()
    record = asyncio.run(collect_one(SlowDriver(5), TARGET, "status"))
    assert time.monotonic() - started < budget + 0.5
    assert record.error is not None and record.error.kind == ErrorKind.TIMEOUT
    assert record.duration_seconds == budget


def test_stopping_early_cancels_the_devices_in_flight() -> None:
    driver = SlowDriver(0.01)

    async def first_two() -> list[DeviceRecord]:
        out = []
        async for record in collect_many([TARGET] * 50, "status", concurrency=2, driver=driver):
            out.append(record)
            if len(out) == 2:
                break
        return out

    assert len(asyncio.run(first_two())) == 2
    assert driver.started < 10, "workers stopped when the consumer stopped"
