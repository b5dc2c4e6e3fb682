"""URL map: admin, REST API, dashboards, /metrics."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("inventory.api.urls")),
    path("", include("dashboards.metrics_urls")),
    path("", include("dashboards.urls")),
]
