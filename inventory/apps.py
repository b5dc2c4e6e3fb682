from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from inventory.changelog import log_delete

        post_delete.connect(log_delete, dispatch_uid="inventory.changelog.log_delete")
