"""Migration 0002 keeps `current` only on each device's latest set of compliance results."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("inventory", "0001_initial")]
AFTER = [("inventory", "0002_compliance_current")]


@pytest.mark.django_db(transaction=True)
def test_existing_history_gets_current_only_on_the_latest_set() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    area = old.get_model("inventory", "Area").objects.create(code="430105000000", name="开福区", level="county")
    site = old.get_model("inventory", "Site").objects.create(name="中心", area=area, kind="network_centre")
    role = old.get_model("inventory", "DeviceRole").objects.create(name="core", slug="core")
    device_model = old.get_model("inventory", "Device")
    a, b = (device_model.objects.create(name=n, site=site, role=role) for n in ("a", "b"))
    result = old.get_model("inventory", "ComplianceResult")
    now = timezone.now()
    for device, when in ((a, now - datetime.timedelta(days=1)), (a, now), (b, now - datetime.timedelta(days=2))):
        for check in ("ssh_not_telnet", "snmpv3_only"):
            result.objects.create(device=device, check_id=check, status="pass", checked_at=when)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("inventory", "ComplianceResult")
    current = set(new.objects.filter(current=True).values_list("device__name", "checked_at"))
    assert current == {("a", now), ("b", now - datetime.timedelta(days=2))}
    assert new.objects.filter(current=False).count() == 2  # a's older set

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
