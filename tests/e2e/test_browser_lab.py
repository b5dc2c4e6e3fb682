"""End-to-end with the real lab: the Kaifu district served over SNMP on 127.20.x.y, polled by the real collector.

An aggregation switch fails in the lab; after one status poll the operator's board (in headless Chromium) shows it
down with the timeout, the access switches behind it isolated with it as the cause, and the device page says so.
Only the few devices involved are polled, to keep this quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from collectors.runner import run_cycle
from collectors.targets import pollable
from inventory.models import Device
from lab.inventory import load_topology
from tests.dashboards.pages_data import PASSWORD, make_user
from tests.e2e.browser import Browser
from tests.lab_fixture import RunningLab, kaifu_lab  # noqa: F401  (the session fixture)

POLL = {"timeout_seconds": 2.0, "retries": 2, "progress": False, "concurrency": 8}


@pytest.fixture
def lab(kaifu_lab: RunningLab, transactional_db: Any) -> Iterator[RunningLab]:  # noqa: F811
    kaifu_lab.heal()
    load_topology(kaifu_lab.topology)
    try:
        yield kaifu_lab
    finally:
        kaifu_lab.heal()


def poll(names: set[str], mode: str, **override: Any) -> None:
    run_cycle(pollable().filter(name__in=names), mode, **(POLL | override))  # type: ignore[arg-type]


def test_a_lab_fault_shows_on_the_board(browser: Browser, lab: RunningLab) -> None:
    topo = lab.topology
    agg = next(d for d in topo.devices if d.role == "aggregation")
    behind = {k.b_device for k in topo.links if k.a_device == agg.name}
    polled = {agg.name} | behind
    # No discovery needed: the planned links (loaded from the lab's topology) are what isolation walks. The cores
    # are not polled either: never-polled is not down, so the walk passes through them.
    poll(polled, "status")
    assert Device.objects.filter(name__in=polled, reachable=True).count() == len(polled)

    lab.fail("device", agg.name)
    poll(polled, "status", timeout_seconds=0.5, retries=0)
    failed = Device.objects.get(name=agg.name)
    assert (failed.reachable, failed.poll_error_kind) == (False, "timeout")
    isolated = set(Device.objects.filter(isolated=True, isolated_by=failed).values_list("name", flat=True))
    assert isolated and isolated <= behind

    make_user("olga", "operator")
    browser.sign_in("olga", PASSWORD)
    browser.open(f"/status/?q={agg.name}")
    row = browser.find(f'#device-table tbody tr[data-device="{agg.name}"]')
    assert row.get_attribute("class") == "state-down" and "timeout" in row.text
    browser.open("/status/?state=isolated")
    assert browser.text("#count-isolated") == str(len(isolated))
    rows = browser.find_all("#device-table tbody tr")
    assert {r.get_attribute("data-device") for r in rows} == isolated
    assert all(agg.name in r.find_element("css selector", "td.cause").text for r in rows)
    browser.screenshot("lab-fault-isolated")
    browser.open(f"/devices/{failed.pk}/")
    assert browser.text("#device-state") == "中断"
    assert all(name in browser.text("#isolating") for name in isolated)
    browser.screenshot("lab-fault-device")

    lab.heal()
    poll(polled, "status")
    browser.open("/status/?state=down")
    assert browser.text("#count-down") == "0" and browser.text("#count-isolated") == "0"
