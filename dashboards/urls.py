"""Operator and planner pages (owned by the web pages work).

The pages are in the `dashboards` namespace; sign-in/sign-out are not, because settings.LOGIN_URL is "login".
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from dashboards.views import availability, compliance, coverage, device, migration, status

pages: list[URLPattern | URLResolver] = [
    path("", status.home, name="home"),
    path("status/", status.status_board, name="status"),
    path("status/fragment/", status.status_fragment, name="status_fragment"),
    path("devices/", status.status_board, name="devices"),
    path("devices/<int:pk>/", device.device_detail, name="device"),
    path("devices/<int:pk>/configs/<int:backup_pk>/", device.config_backup, name="config_backup"),
    path("compliance/", compliance.compliance_page, name="compliance"),
    path("compliance/export/", compliance.compliance_export, name="compliance_export"),
    path("availability/", availability.availability_page, name="availability"),
    path("availability/export/", availability.availability_export, name="availability_export"),
    path("coverage/", coverage.coverage_page, name="coverage"),
    path("coverage/export/", coverage.coverage_export, name="coverage_export"),
    path("migration/", migration.migration_page, name="migration"),
    path("migration/export/", migration.migration_export, name="migration_export"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="dashboards/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("", include((pages, "dashboards"))),
]
