from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from inventory import models as m
from tests.inventory.factories import device, kaifu_areas

COMMUNITY = "api-secret-community-xyz"


@pytest.fixture
def api(db: None) -> APIClient:
    user = User.objects.create_user("robot", password="pw-Robot-123", is_staff=True, is_superuser=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_api_needs_a_token(db: None) -> None:
    assert APIClient().get("/api/dcim/devices/").status_code in (401, 403)


def test_device_list_is_paginated_with_nested_briefs(api: APIClient) -> None:
    site = m.Site.objects.create(name="开福区政务外网中心", area=kaifu_areas()["county"])
    for i in range(3):
        device(f"KF-ACC-{i:02}", site, management_ip=f"127.20.1.{i + 1}")
    body = api.get("/api/dcim/devices/?limit=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    first = body["results"][0]
    assert first["display"] == "KF-ACC-00"
    assert first["site"] == {"id": site.pk, "display": "开福区政务外网中心"}


def test_status_endpoint(api: APIClient) -> None:
    body = api.get("/api/status/").json()
    assert body["devices"] == 0 and "django-version" in body


def test_api_write_is_logged_with_the_token_user(api: APIClient) -> None:
    response = api.post("/api/tenancy/tenants/", {"name": "区教育局"}, format="json")
    assert response.status_code == 201, response.content
    record = m.ChangeRecord.objects.get(object_type="inventory.department", action="create")
    assert record.actor == "api:robot"


def test_bad_payload_gets_field_errors_and_writes_nothing(api: APIClient) -> None:
    response = api.post("/api/dcim/regions/", {"code": "12345", "name": "x"}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()
    assert not m.Area.objects.exists()


def test_credential_secrets_are_write_only(api: APIClient) -> None:
    response = api.post(
        "/api/secrets/credential-profiles/",
        {"name": "p1", "snmp_version": "2c", "snmp_community": COMMUNITY},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert COMMUNITY not in response.content.decode()
    listing = api.get("/api/secrets/credential-profiles/").content.decode()
    assert COMMUNITY not in listing and '"secrets_set":["snmp_community"]' in listing.replace(" ", "")
    assert m.CredentialProfile.objects.get(name="p1").snmp_community.reveal() == COMMUNITY


def test_openapi_schema_renders(api: APIClient) -> None:
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/dcim/devices/" in response.content


def test_a_link_made_through_the_api_monitors_both_ends(api: APIClient) -> None:
    """Monitored interfaces are what the poller collects counters for and /metrics exports: a new link's ends."""
    site = m.Site.objects.create(name="开福区政务外网中心", area=kaifu_areas()["county"])
    core, agg = device("KF-CORE-01", site), device("KF-AGG-01", site)
    up = m.Interface.objects.create(device=core, name="GE1/0/1", if_index=1, oper_status=1, admin_status=1)
    down = m.Interface.objects.create(device=agg, name="GE0/0/24", if_index=24, oper_status=1, admin_status=1)
    response = api.post("/api/dcim/cables/", {"a_interface": up.pk, "b_interface": down.pk}, format="json")
    assert response.status_code == 201, response.content
    assert set(m.Interface.objects.filter(monitored=True).values_list("name", flat=True)) == {"GE1/0/1", "GE0/0/24"}
    updates = m.ChangeRecord.objects.filter(object_type="inventory.interface", action="update", actor="api:robot")
    assert updates.count() == 2 and all("monitored" in r.changes for r in updates)  # in the change log
    text = api.get("/metrics").content.decode()
    assert 'yunwang_interface_oper_status{device="KF-AGG-01",interface="GE0/0/24"} 1' in text
