from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DashboardsConfig(AppConfig):
    name = "dashboards"

    def ready(self) -> None:
        from dashboards.roles import sync_groups

        # After every migrate the role groups exist with their permissions (tests and fresh installs alike).
        # Not `sender=self`: post_migrate skips apps without models, so listen for inventory's instead.
        post_migrate.connect(sync_groups, dispatch_uid="dashboards.sync_groups")
