"""/metrics and the Alertmanager webhook (owned by the Prometheus work)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dashboards.alerts import alert_webhook
from dashboards.metrics_views import metrics

urlpatterns: list[URLPattern | URLResolver] = [
    path("metrics", metrics, name="metrics"),
    path("api/alerts/webhook", alert_webhook, name="alert-webhook"),
]
