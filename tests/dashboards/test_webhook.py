"""POST /api/alerts/webhook: Alertmanager notifications into the AlarmEvent ledger; availability from it."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from dashboards.alerts import link_availability_by_county
from inventory.models import AlarmEvent
from tests.dashboards.network import COUNTY, build_small_network

pytestmark = pytest.mark.django_db
TOKEN = "am-webhook-token"
URL = "/api/alerts/webhook"


def alert(status: str, starts: str, ends: str = "0001-01-01T00:00:00Z", fp: str = "f1") -> dict[str, Any]:
    return {
        "status": status,
        "labels": {
            "alertname": "LinkDown",
            "severity": "critical",
            "county": COUNTY,
            "device": "agg1",
            "a_device": "core1",
            "b_device": "agg1",
        },  # fmt: skip
        "annotations": {"summary": "core1 GE0/0/1 ↔ agg1 GE0/0/24 down"},
        "startsAt": starts,
        "endsAt": ends,
        "generatorURL": "http://127.0.0.1:9090/graph",
        "fingerprint": fp,
    }


def notify(client: Client, alerts: list[dict[str, Any]], token: str | None = TOKEN) -> Any:
    payload = {"version": "4", "status": alerts[0]["status"], "receiver": "yunwang", "alerts": alerts,
               "groupLabels": {}, "commonLabels": {}, "externalURL": "", "groupKey": "{}"}  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)


@pytest.fixture
def token(settings: Settings) -> str:
    settings.YUNWANG_ALERT_WEBHOOK_TOKEN = TOKEN
    return TOKEN


def test_unconfigured_webhook_is_503(client: Client, settings: Settings) -> None:
    settings.YUNWANG_ALERT_WEBHOOK_TOKEN = ""
    assert notify(client, [alert("firing", "2026-01-01T00:00:00Z")]).status_code == 503
    assert not AlarmEvent.objects.exists()


def test_webhook_needs_the_token(client: Client, token: str) -> None:
    assert notify(client, [alert("firing", "2026-01-01T00:00:00Z")], token=None).status_code == 401
    assert notify(client, [alert("firing", "2026-01-01T00:00:00Z")], token="nope").status_code == 401
    assert not AlarmEvent.objects.exists()


def test_firing_then_resolved_recorded_once_each(client: Client, token: str) -> None:
    firing = alert("firing", "2026-01-01T00:00:00Z")
    assert notify(client, [firing]).json() == {"recorded": 1}
    assert notify(client, [firing]).json() == {"recorded": 0}  # repeat notification
    resolved = alert("resolved", "2026-01-01T00:00:00Z", "2026-01-01T00:30:00Z")
    assert notify(client, [resolved]).json() == {"recorded": 1}
    rows = list(AlarmEvent.objects.order_by("received_at", "id"))
    assert [(r.status, r.severity, r.county, r.device_name) for r in rows] == [
        ("firing", "critical", COUNTY, "agg1"),
        ("resolved", "critical", COUNTY, "agg1"),
    ]
    assert rows[0].ends_at is None
    assert rows[1].ends_at == datetime.datetime(2026, 1, 1, 0, 30, tzinfo=datetime.UTC)
    assert rows[1].annotations["summary"].startswith("core1")


def test_malformed_payload_is_400(client: Client, token: str) -> None:
    bad = client.post(URL, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert bad.status_code == 400
    assert notify(client, [{**alert("firing", "2026-01-01T00:00:00Z"), "status": "weird"}]).status_code == 400


def test_link_availability_per_county_from_the_ledger(client: Client, token: str) -> None:
    build_small_network()  # two monitored links in the county
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(hours=10)
    notify(client, [alert("firing", "2026-01-01T01:00:00Z")])
    notify(client, [alert("resolved", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z")])  # 1 h down
    notify(client, [alert("firing", "2026-01-01T09:00:00Z", fp="f2")])  # still down at the end: 1 h
    notify(client, [alert("firing", "2025-12-31T23:00:00Z", fp="f3")])  # began before: 0.5 h in period
    notify(client, [alert("resolved", "2025-12-31T23:00:00Z", "2026-01-01T00:30:00Z", fp="f3")])
    figures = link_availability_by_county(start, end)[COUNTY]
    assert figures.links == 2
    assert figures.down_seconds == 2.5 * 3600
    assert figures.availability == pytest.approx(1 - 2.5 / 20)
    assert link_availability_by_county(start, timezone.now())[COUNTY].links == 2
