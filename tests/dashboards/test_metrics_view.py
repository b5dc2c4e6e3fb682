"""GET /metrics: text format over HTTP, optional bearer token, no DB query when registering."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import Settings

from dashboards.metrics import YunwangCollector, build_registry
from tests.dashboards.network import build_small_network


def test_registering_the_collector_needs_no_database() -> None:
    # No django_db mark: a query here would raise "Database access not allowed".
    build_registry()
    names = {family.name for family in YunwangCollector().describe()}
    assert {"yunwang_device_up", "yunwang_link_up", "yunwang_interface_receive_bytes"} <= names


@pytest.mark.django_db
def test_metrics_served_open_by_default(client: Client) -> None:
    build_small_network()
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    body = response.content.decode()
    assert 'yunwang_device_up{area_code="430105000000",county="430105000000",device="core1"' in body
    assert "# TYPE yunwang_interface_receive_bytes_total counter" in body


@pytest.mark.django_db
def test_metrics_text_format_even_when_openmetrics_is_preferred(client: Client) -> None:
    # What Prometheus 2.x sends; it accepts the text format it lists last.
    accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
    response = client.get("/metrics", HTTP_ACCEPT=accept)
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "# EOF" not in response.content.decode()


@pytest.mark.django_db
def test_metrics_token_when_configured(client: Client, settings: Settings) -> None:
    settings.YUNWANG_METRICS_TOKEN = "scrape-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token")
    assert ok.status_code == 200
    assert b"yunwang_coverage_target_ratio" in ok.content


def test_metrics_rejects_post(client: Client) -> None:
    assert client.post("/metrics").status_code == 405
