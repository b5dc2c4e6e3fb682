from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from inventory import models as m
from inventory.changelog import acting_as
from tests.inventory.factories import kaifu_areas


def test_create_update_delete_leave_records(db: None) -> None:
    with acting_as("import:test.csv"):
        dept = m.Department.objects.create(name="市教育局")
        dept.short_name = "教育局"
        dept.save()
        dept.save()  # nothing changed: no record
        dept.delete()
    records = list(m.ChangeRecord.objects.filter(object_type="inventory.department").order_by("id"))
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert {r.actor for r in records} == {"import:test.csv"}
    assert records[1].changes == {"short_name": ["", "教育局"]}
    assert records[2].object_repr == "市教育局"


def test_volatile_observed_fields_are_not_logged(db: None) -> None:
    site = m.Site.objects.create(name="s", area=kaifu_areas()["street"])
    role = m.DeviceRole.objects.create(name="core", slug="core")
    dev = m.Device.objects.create(name="d", site=site, role=role, management_ip="127.20.0.9")
    before = m.ChangeRecord.objects.count()
    dev.uptime_seconds = 123.0
    dev.save()
    assert m.ChangeRecord.objects.count() == before
    dev.serial = "SN1"
    dev.save()
    assert m.ChangeRecord.objects.latest("id").changes == {"serial": ["", "SN1"]}


@pytest.fixture
def admin_client_logged_in(db: None) -> Client:
    User.objects.create_superuser("alice", "alice@example.gov.cn", "pw-Alice-123")
    client = Client()
    client.login(username="alice", password="pw-Alice-123")
    return client


def test_admin_write_is_attributed_to_the_user(admin_client_logged_in: Client) -> None:
    response = admin_client_logged_in.post(
        "/admin/inventory/department/add/", {"name": "市民政局", "short_name": "", "must_connect": "on"}
    )
    assert response.status_code == 302, response.content[:500]
    record = m.ChangeRecord.objects.get(object_type="inventory.department", action="create")
    assert record.actor == "user:alice"
    assert record.changes["name"] == [None, "市民政局"]


def test_admin_bulk_delete_is_logged(admin_client_logged_in: Client) -> None:
    ids = [m.Department.objects.create(name=f"部门{i}").pk for i in range(3)]
    response = admin_client_logged_in.post(
        "/admin/inventory/department/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    deletes = m.ChangeRecord.objects.filter(object_type="inventory.department", action="delete")
    assert deletes.count() == 3
    assert {r.actor for r in deletes} == {"user:alice"}


def test_deferred_fields_load_without_recursion_and_log_only_real_changes(db: None) -> None:
    m.Department.objects.create(name="市审计局", short_name="审计局")
    dept = m.Department.objects.only("name").get(name="市审计局")
    assert dept.name == "市审计局"
    dept.name = "市审计局（新）"
    dept.save()
    assert m.ChangeRecord.objects.latest("id").changes == {"name": ["市审计局", "市审计局（新）"]}
