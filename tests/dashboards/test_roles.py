"""Role checks on every page (operator, planner, admin, outsider, anonymous) and the demo-accounts command."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dashboards.roles import has_role, roles_of
from inventory.models import Area, Device, Manufacturer
from tests.dashboards.pages_data import PASSWORD, build_network, make_user

pytestmark = pytest.mark.django_db


def signed_in(username: str, *roles: str) -> Client:
    make_user(username, *roles)
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


# page -> roles that may open it (admins may open everything)
PAGES = {
    "status": {"operator", "planner"},
    "status_fragment": {"operator", "planner"},
    "devices": {"operator", "planner"},
    "device": {"operator", "planner"},
    "config_backup": {"operator"},
    "compliance": {"operator"},
    "compliance_export": {"operator"},
    "availability": {"operator"},
    "availability_export": {"operator"},
    "coverage": {"planner"},
    "coverage_export": {"planner"},
    "migration": {"planner"},
    "migration_export": {"planner"},
}


def page_url(name: str, device_pk: int, backup_pk: int) -> str:
    if name == "device":
        return reverse("dashboards:device", args=[device_pk])
    if name == "config_backup":
        return reverse("dashboards:config_backup", args=[device_pk, backup_pk])
    return reverse(f"dashboards:{name}")


@pytest.mark.parametrize("persona", ["operator", "planner", "admin", "outsider"])
def test_every_page_checks_its_role(persona: str) -> None:
    net = build_network(5)
    backup = net.core.config_backups.first()
    assert backup is not None
    client = signed_in(persona, *([] if persona == "outsider" else [persona]))
    for name, allowed in PAGES.items():
        response = client.get(page_url(name, net.core.pk, backup.pk))
        expected = 200 if persona == "admin" or persona in allowed else 403
        assert response.status_code == expected, (persona, name)


def test_anonymous_goes_to_sign_in() -> None:
    net = build_network(5)
    backup = net.core.config_backups.first()
    assert backup is not None
    client = Client()
    for name in PAGES:
        url = page_url(name, net.core.pk, backup.pk)
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login") + "?next="), name
    assert client.get("/")["Location"] == reverse("login")


def test_home_sends_each_role_to_its_page() -> None:
    assert signed_in("o", "operator").get("/")["Location"] == reverse("dashboards:status")
    assert signed_in("p", "planner").get("/")["Location"] == reverse("dashboards:coverage")
    assert "未分配角色" in signed_in("x").get("/").content.decode()


def test_sign_in_and_out() -> None:
    make_user("olga", "operator")
    client = Client()
    response = client.post(reverse("login"), {"username": "olga", "password": PASSWORD, "next": "/status/"})
    assert response.status_code == 302 and response["Location"] == "/status/"
    wrong = Client().post(reverse("login"), {"username": "olga", "password": "nope"})
    assert wrong.status_code == 200 and "error" in wrong.content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboards:status")).status_code == 302


def test_pages_are_read_only() -> None:
    client = signed_in("peng", "planner")
    for url in (reverse("dashboards:status"), reverse("dashboards:coverage"), reverse("dashboards:migration")):
        assert client.post(url, {}).status_code == 405


def test_planner_group_reads_inventory_and_may_only_upload_boundaries() -> None:
    planner = Group.objects.get(name="planner")
    codenames = set(planner.permissions.values_list("codename", flat=True))
    assert {"view_device", "view_site", "view_businesssystem", "change_area"} <= codenames
    assert not {c for c in codenames if c.startswith(("add_", "delete_"))}
    assert {c for c in codenames if c.startswith("change_")} == {"change_area"}
    operator = Group.objects.get(name="operator")
    assert all(c.startswith("view_") for c in operator.permissions.values_list("codename", flat=True))


def test_roles_of_superuser_and_groups() -> None:
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert roles_of(root) == {"operator", "planner", "admin"}
    admin = make_user("adm", "admin")
    assert has_role(admin, "planner") and has_role(admin, "operator")
    planner = make_user("pl", "planner")
    assert has_role(planner, "planner") and not has_role(planner, "operator")


def test_create_demo_users_prints_working_credentials() -> None:
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    lines = [line.split() for line in out.getvalue().splitlines()[1:]]
    assert [(role, user) for role, user, _ in lines] == [
        ("operator", "operator"),
        ("planner", "planner"),
        ("admin", "admin"),
    ]
    for role, username, password in lines:
        client = Client()
        assert client.login(username=username, password=password)
        assert roles_of(User.objects.get(username=username)) >= {role}
    # Running it again resets the passwords and changes nothing else.
    call_command("create_demo_users", "--password", "again-pw-123", stdout=io.StringIO())
    assert User.objects.filter(username__in=["operator", "planner", "admin"]).count() == 3
    assert Client().login(username="planner", password="again-pw-123")


def board_queries(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboards:status"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def fragment_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboards:status_fragment")).status_code == 200
    return len(ctx.captured_queries)


def device_queries(client: Client, pk: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboards:device", args=[pk])).status_code == 200
    return len(ctx.captured_queries)


def test_board_query_count_does_not_grow_with_devices() -> None:
    client = signed_in("olga", "operator")
    net = build_network(20)
    small = (board_queries(client), board_queries(client, state="isolated"), fragment_queries(client))
    small_device = device_queries(client, net.core.pk)
    # Ten times the devices: copies of an isolated one, so every row shown needs its cause (a join, not a query).
    template = Device.objects.filter(isolated=True).values().first()
    assert template is not None
    clones = [
        Device(**{**template, "id": None, "name": f"clone-{i:04d}", "management_ip": f"127.12.0.{i + 1}"})
        for i in range(180)
    ]
    Device.objects.bulk_create(clones)
    assert Device.objects.count() == 200
    large = (board_queries(client), board_queries(client, state="isolated"), fragment_queries(client))
    assert large == small
    assert device_queries(client, net.core.pk) == small_device
    # And a fixed, small number: session, user, roles, counts, page ids, rows, three filter lists.
    assert small[0] <= 9


def test_planner_browses_the_inventory_in_the_admin_read_only() -> None:
    net = build_network(5)
    planner = make_user("pia", "planner")
    planner.is_staff = True
    planner.save()
    client = Client()
    client.force_login(planner)
    assert client.get("/admin/inventory/device/").status_code == 200
    device_url = f"/admin/inventory/device/{net.core.pk}/change/"
    page = client.get(device_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # a view-only form
    assert client.post(device_url, {"name": "renamed"}).status_code == 403
    assert client.get("/admin/inventory/device/add/").status_code == 403
    assert Device.objects.get(pk=net.core.pk).name == "kf-core-1"
    # The one change planners make: an area's boundary for the coverage map.
    area_page = client.get(f"/admin/inventory/area/{net.townships[0]}/change/")
    assert area_page.status_code == 200 and 'name="_save"' in area_page.content.decode()


def test_planner_changes_only_an_areas_geometry_in_the_admin() -> None:
    net = build_network(devices=5)
    planner = make_user("geo", "planner")
    planner.is_staff = True
    planner.save()
    client = Client()
    client.force_login(planner)
    code = net.townships[0]
    url = f"/admin/inventory/area/{code}/change/"
    form = client.get(url).content.decode()
    assert 'name="boundary_file"' in form and 'name="name"' not in form and 'name="exclusion"' not in form
    square = {"type": "Polygon", "coordinates": [[[112.9, 28.2], [113.0, 28.2], [113.0, 28.3], [112.9, 28.2]]]}
    upload = SimpleUploadedFile("t.geojson", json.dumps(square).encode(), content_type="application/geo+json")
    response = client.post(url, {"name": "renamed", "exclusion": "merged", "boundary_file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    area = Area.objects.get(code=code)
    assert area.boundary == square and area.name != "renamed" and area.exclusion == ""
    bad = SimpleUploadedFile("t.geojson", b'{"type": "Point", "coordinates": [1, 2]}')
    page = client.post(url, {"boundary_file": bad})
    assert page.status_code == 200 and "GeoJSON" in page.content.decode()  # the form again, with the error
    assert Area.objects.get(code=code).boundary == square


@pytest.mark.parametrize(
    ("roles", "read", "write"),
    [(("operator",), 200, 403), (("planner",), 200, 403), ((), 403, 403), (("admin",), 200, 201)],
)
def test_api_reads_need_a_role_and_writes_need_the_admin_role(roles: tuple[str, ...], read: int, write: int) -> None:
    user = make_user("api-" + ("-".join(roles) or "outsider"), *roles)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert client.get("/api/dcim/devices/").status_code == read
    assert client.get("/api/secrets/credential-profiles/").status_code == read
    assert client.post("/api/dcim/manufacturers/", {"name": "ZTE", "slug": "zte"}, format="json").status_code == write
    assert Manufacturer.objects.filter(slug="zte").exists() == (write == 201)
    region = client.patch("/api/dcim/regions/430105000000/", {"name": "x"}, format="json")
    assert region.status_code in ((403,) if write == 403 else (200, 404))
