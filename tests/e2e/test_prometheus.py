"""End to end: a real Prometheus scrapes the running app with the shipped rules (`for:` shortened), and a real
Alertmanager with the shipped config routes the alerts back into yunwang's ledger through the webhook.

With the lab (tests/lab_fixture.py, snmpsim on 127.20.x.y) and the real poller: a link fails → one poll →
LinkDown fires and reaches the ledger → heal, poll → it resolves; an aggregation device dies → one poll →
DeviceUnreachable for it, DeviceIsolated for every device behind it → heal → all resolve.
On a small hand-built network whose state is written as the collectors' apply step writes it: Alertmanager's
inhibition of the dead device's link alert and the grouping of isolated devices under their upstream.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from collectors.runner import CycleSummary, run_cycle
from collectors.targets import pollable
from inventory.models import AlarmEvent, Device, Interface, Link, PollCycle
from lab.inventory import load_topology
from tests.dashboards.network import SmallNetwork, build_small_network
from tests.dashboards.servers import (
    Server,
    active_alerts,
    fast_alertmanager_config,
    fast_rules,
    start_alertmanager,
    start_prometheus,
    wait_for,
)
from tests.lab_fixture import RunningLab, kaifu_lab  # noqa: F401  (the session fixture)

TOKEN = "e2e-webhook-token"
# As tests/collectors/test_poll_lab.py: generous per-request budgets, the lab is one busy Python process.
STEADY = {"timeout_seconds": 2.0, "retries": 2, "progress": False, "concurrency": 8}
pytestmark = pytest.mark.django_db(transaction=True)


# With SQLite the test database is in memory and the live server thread shares the test thread's connection:
# a scrape in the middle of a poll's writes fails with "database table is locked". Requests to the live server
# and the test's own database work therefore take turns (on PostgreSQL this only serialises, harmlessly).
DB_TURN = threading.RLock()


@contextmanager
def turns(live_server: LiveServer) -> Iterator[None]:
    httpd = live_server.thread.httpd  # type: ignore[attr-defined]
    app: Any = httpd.get_app()

    def one_at_a_time(environ: dict[str, Any], start_response: Any) -> Any:
        with DB_TURN:
            return app(environ, start_response)  # Django's responses are complete bytes once returned

    httpd.set_app(one_at_a_time)
    try:
        yield
    finally:
        httpd.set_app(app)


@pytest.fixture(scope="module")
def stack(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """One Prometheus and one Alertmanager for the module (Prometheus takes ~5 s to first scrape a new target)."""
    tmp_path = tmp_path_factory.mktemp("prometheus")
    app = f"127.0.0.1:{live_server.thread.port}"  # type: ignore[attr-defined]
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN)
    am_config = fast_alertmanager_config(tmp_path / "alertmanager.yml", f"http://{app}/api/alerts/webhook", token_file)
    alertmanager = start_alertmanager(tmp_path, am_config)
    try:
        prometheus = start_prometheus(tmp_path, app, fast_rules(tmp_path / "rules.yml"), alertmanager.url[7:])
    except BaseException:
        alertmanager.stop()
        raise
    with override_settings(YUNWANG_ALERT_WEBHOOK_TOKEN=TOKEN), turns(live_server):
        yield prometheus, alertmanager
    _release_held_turns()
    prometheus.stop()
    alertmanager.stop()


_HELD_TURNS: list[None] = []


def _release_held_turns() -> None:
    while _HELD_TURNS:
        _HELD_TURNS.pop()
        DB_TURN.release()


@pytest.fixture(autouse=True)
def _flush_takes_a_turn(transactional_db: None) -> Iterator[None]:
    """pytest-django empties the tables after each test (TRUNCATE on PostgreSQL) while Prometheus keeps scraping:
    a scrape holding table locks then deadlocks the TRUNCATE. Hold the turn from the end of the test until the
    next test starts (or the module's stack stops), so the flush runs between scrapes."""
    _release_held_turns()
    yield
    DB_TURN.acquire()
    _HELD_TURNS.append(None)


def healthy(net: SmallNetwork) -> None:
    """Everything answered the last poll, which finished a moment ago."""
    with DB_TURN:
        _healthy(net)


def _healthy(net: SmallNetwork) -> None:
    Device.objects.filter(pk__in=[net.core1.pk, net.agg1.pk, net.acc1.pk]).update(
        reachable=True, isolated=False, isolated_by=None, last_seen=timezone.now()
    )
    Interface.objects.filter(device=net.agg1, name="GE0/0/2").update(admin_status=1)
    Link.objects.update(oper_up=True)
    PollCycle.objects.create(kind="status", finished_at=timezone.now(), duration_seconds=1.0, polled=4)


def set_link(link: Link, up: bool) -> None:
    with DB_TURN:
        Link.objects.filter(pk=link.pk).update(oper_up=up, last_change=timezone.now())


def firing(prometheus: Server, name: str, **labels: str) -> list[dict[str, object]]:
    return [a for a in active_alerts(prometheus, name) if all(a["labels"].get(k) == v for k, v in labels.items())]


def ledger(status: str, alertname: str, device: str) -> bool:
    with DB_TURN:
        return AlarmEvent.objects.filter(status=status, alertname=alertname, device_name=device).exists()


def am_state(alertmanager: Server, name: str, device: str) -> str | None:
    for alert in alertmanager.get("/api/v2/alerts"):
        if alert["labels"]["alertname"] == name and alert["labels"].get("device") == device:
            return str(alert["status"]["state"])
    return None


def poll(names: set[str], mode: str = "status", **kw: object) -> CycleSummary:
    with DB_TURN:
        summary = run_cycle(pollable().filter(name__in=names), mode, **(STEADY | kw))  # type: ignore[arg-type]
    print(summary.line())  # noqa: T201 (shown with -s: where the time goes)
    return summary


def alerted_devices(prometheus: Server, name: str) -> set[str]:
    return {str(a["labels"]["device"]) for a in active_alerts(prometheus, name)}


def test_lab_faults_fire_and_resolve(stack: tuple[Server, Server], kaifu_lab: RunningLab) -> None:  # noqa: F811
    prometheus, alertmanager = stack
    logs = (prometheus, alertmanager)
    topo = kaifu_lab.topology
    kaifu_lab.heal()
    with DB_TURN:
        load_topology(topo)
    agg = next(d.name for d in topo.devices if d.role == "aggregation")
    link = next(k for k in topo.links if k.a_device == agg)
    # The cores, the aggregation device and two devices behind it: enough for the poller's isolation logic, few
    # enough for a busy machine.
    behind_agg = sorted(k.b_device for k in topo.links if k.a_device == agg)[:2]
    names = {d.name for d in topo.devices if d.role == "core"} | {agg, link.b_device, *behind_agg}
    summary = poll(names)  # a status poll is enough: the loaded inventory already has the links and their ports
    assert summary.failed == 0, summary.line()
    wait_for(lambda: prometheus.get("/api/v1/query", query=f'yunwang_link_up{{b_device="{link.b_device}"}} == 1')
             ["data"]["result"], "the healthy lab link in Prometheus", logs=logs)  # fmt: skip

    kaifu_lab.fail("link", f"{link.b_device}:{link.b_if_index}")
    poll({link.a_device, link.b_device})
    (alert,) = wait_for(lambda: firing(prometheus, "LinkDown", b_device=link.b_device), "lab LinkDown", logs=logs)
    assert alert["labels"]["a_device"] == agg and alert["labels"]["county"] == "430105000000"
    wait_for(lambda: ledger("firing", "LinkDown", link.b_device), "lab LinkDown in the ledger", logs=logs)
    kaifu_lab.heal()
    poll({link.a_device, link.b_device})
    wait_for(lambda: not firing(prometheus, "LinkDown"), "lab LinkDown resolved", logs=logs)
    wait_for(lambda: ledger("resolved", "LinkDown", link.b_device), "lab LinkDown resolved in the ledger", logs=logs)

    kaifu_lab.fail("device", agg)
    poll(names - {agg}, timeout_seconds=2.0)
    poll({agg}, timeout_seconds=0.5, retries=0)
    with DB_TURN:
        behind = set(Device.objects.filter(isolated=True, isolated_by__name=agg).values_list("name", flat=True))
    assert behind, "the poller isolated nothing behind the dead aggregation device"
    wait_for(lambda: alerted_devices(prometheus, "DeviceUnreachable") == {agg}, "lab DeviceUnreachable", logs=logs)
    wait_for(lambda: alerted_devices(prometheus, "DeviceIsolated") == behind, "lab DeviceIsolated", logs=logs)
    kaifu_lab.heal()
    poll(names)
    for name in ("DeviceUnreachable", "DeviceIsolated", "LinkDown"):
        wait_for(lambda n=name: not firing(prometheus, n), f"lab {name} resolved", logs=logs)  # type: ignore[misc]


def test_link_down_fires_and_resolves_through_to_the_ledger(stack: tuple[Server, Server]) -> None:
    prometheus, alertmanager = stack
    with DB_TURN:
        net = build_small_network()
    healthy(net)
    logs = (prometheus, alertmanager)
    wait_for(lambda: prometheus.get("/api/v1/query", query='up{job="yunwang"} == 1')["data"]["result"],
             "Prometheus scraping /metrics", logs=logs)  # fmt: skip
    assert not active_alerts(prometheus, "LinkDown")

    set_link(net.uplink, up=False)
    (alert,) = wait_for(lambda: firing(prometheus, "LinkDown", b_device="agg1"), "LinkDown firing", logs=logs)
    assert alert["labels"]["severity"] == "critical"
    assert alert["labels"]["county"] == "430105000000"
    assert alert["labels"]["device"] == "agg1"
    wait_for(lambda: ledger("firing", "LinkDown", "agg1"), "the firing LinkDown in the alarm ledger", logs=logs)

    set_link(net.uplink, up=True)
    wait_for(lambda: not firing(prometheus, "LinkDown"), "LinkDown resolved", logs=logs)
    wait_for(lambda: ledger("resolved", "LinkDown", "agg1"), "the resolved LinkDown in the ledger", logs=logs)
    with DB_TURN:
        # By device: Alertmanager may still be retrying an earlier test's notifications into this test's ledger.
        resolved = AlarmEvent.objects.get(status="resolved", alertname="LinkDown", device_name="agg1")
    assert resolved.county == "430105000000" and resolved.ends_at is not None


def test_unreachable_device_isolates_its_dependents_and_inhibits_link_alerts(stack: tuple[Server, Server]) -> None:
    prometheus, alertmanager = stack
    with DB_TURN:
        net = build_small_network()
    healthy(net)
    logs = (prometheus, alertmanager)
    wait_for(lambda: prometheus.get("/api/v1/query", query='up{job="yunwang"} == 1')["data"]["result"],
             "Prometheus scraping /metrics", logs=logs)  # fmt: skip

    # agg1 dies: its uplink and its access link go down, acc1 behind it is cut off (as apply writes it).
    with DB_TURN:
        Device.objects.filter(pk=net.agg1.pk).update(reachable=False)
        Device.objects.filter(pk=net.acc1.pk).update(reachable=False, isolated=True, isolated_by=net.agg1)
    set_link(net.uplink, up=False)
    set_link(net.access_link, up=False)

    wait_for(lambda: firing(prometheus, "DeviceUnreachable", device="agg1"), "DeviceUnreachable agg1", logs=logs)
    (isolated,) = wait_for(lambda: firing(prometheus, "DeviceIsolated"), "DeviceIsolated acc1", logs=logs)
    assert isolated["labels"]["device"] == "acc1" and isolated["labels"]["upstream"] == "agg1"
    assert isolated["labels"]["severity"] == "info"
    assert not firing(prometheus, "DeviceUnreachable", device="acc1")  # isolated, not a fault of its own
    # The link hanging off dead agg1 (agg1 → acc1) raises nothing: DeviceUnreachable says it. agg1's own uplink
    # fires in Prometheus, and Alertmanager suppresses it behind agg1's DeviceUnreachable.
    (uplink,) = wait_for(lambda: firing(prometheus, "LinkDown"), "agg1's uplink LinkDown in Prometheus", logs=logs)
    assert uplink["labels"]["device"] == "agg1"
    wait_for(lambda: am_state(alertmanager, "LinkDown", "agg1") == "suppressed", "LinkDown agg1 inhibited", logs=logs)
    assert not firing(prometheus, "LinkDown", b_device="acc1")
    groups = alertmanager.get("/api/v2/alerts/groups")
    behind_agg1 = [g for g in groups if g["receiver"]["name"] == "noc-info" and g["labels"] == {"upstream": "agg1"}]
    assert [a["labels"]["device"] for g in behind_agg1 for a in g["alerts"]] == ["acc1"]
    wait_for(lambda: ledger("firing", "DeviceUnreachable", "agg1"), "DeviceUnreachable in the ledger", logs=logs)
    assert not ledger("firing", "LinkDown", "agg1")  # inhibited alerts are not notified

    healthy(net)
    for name in ("DeviceUnreachable", "DeviceIsolated", "LinkDown"):
        wait_for(lambda n=name: not firing(prometheus, n), f"{name} resolved", logs=logs)  # type: ignore[misc]
    wait_for(lambda: ledger("resolved", "DeviceUnreachable", "agg1"), "DeviceUnreachable resolved in the ledger")
