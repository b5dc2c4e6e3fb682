"""Migration 0003 installs the one-link-per-interface triggers, refuses bad data, and removes them on reverse."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from inventory import models as m

BEFORE = [("inventory", "0002_compliance_current")]
AFTER = [("inventory", "0003_link_one_link_per_interface")]
TABLE = m.Link._meta.db_table
TRIGGERS = {
    "postgresql": {f"{TABLE}_one_per_interface"},
    "sqlite": {f"{TABLE}_one_per_interface_insert", f"{TABLE}_one_per_interface_update"},
}


def installed_triggers() -> set[str]:
    """The link table's own triggers (and, on PostgreSQL, the function of the same name if it exists)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
                "UNION SELECT proname FROM pg_proc WHERE proname = %s",
                [TABLE, f"{TABLE}_one_per_interface"],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        return {row[0] for row in cursor.fetchall()}


def migrate(target: list[tuple[str, str]]) -> Any:
    """Migrate to `target`; return the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def at_0002(transactional_db: None) -> Iterator[Any]:
    """The database at 0002 (before the triggers); back at the latest migration afterwards, whatever happened."""
    yield migrate(BEFORE)
    m.Link.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def interfaces(apps: Any) -> list[Any]:
    area = apps.get_model("inventory", "Area").objects.create(code="430105000000", name="开福区", level="county")
    site = apps.get_model("inventory", "Site").objects.create(name="中心", area=area, kind="network_centre")
    role = apps.get_model("inventory", "DeviceRole").objects.create(name="core", slug="core")
    device = apps.get_model("inventory", "Device").objects.create(name="core-1", site=site, role=role)
    interface = apps.get_model("inventory", "Interface")
    return [interface.objects.create(device=device, name=f"GE0/0/{n}") for n in range(3)]


def test_triggers_are_installed_after_all_migrations(db: None) -> None:
    # A later migration that rebuilds the link table on SQLite drops them: it must install them again.
    assert TRIGGERS[connection.vendor] <= installed_triggers()


def test_a_bulk_import_of_thousands_of_links_fits_in_one_transaction(db: None) -> None:
    # The PostgreSQL trigger once took a lock per interface: 10,000 links in one transaction ran out of lock slots.
    device = interfaces(django_apps)[0].device
    m.Interface.objects.bulk_create([m.Interface(device=device, name=f"XGE1/0/{n}") for n in range(20_000)])
    ends = list(m.Interface.objects.filter(name__startswith="XGE1/0/").order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        m.Link.objects.bulk_create(
            [m.Link(a_interface_id=a, b_interface_id=b) for a, b in zip(ends[::2], ends[1::2], strict=True)],
            batch_size=2000,
        )
    assert m.Link.objects.count() == 10_000
    fresh = m.Interface.objects.create(device=device, name="XGE2/0/1")
    with pytest.raises(IntegrityError, match="already in another link"), transaction.atomic():  # B end of link 1
        m.Link.objects.bulk_create([m.Link(a_interface_id=ends[1], b_interface=fresh)])


@pytest.mark.postgresql  # SQLite has one writer at a time
def test_concurrent_writers_cannot_both_use_an_interface(transactional_db: None) -> None:
    x, y, z = interfaces(django_apps)
    created = threading.Event()

    def first_writer() -> None:  # its own connection: another transaction, uncommitted while the main one inserts
        try:
            with transaction.atomic():
                m.Link.objects.create(a_interface_id=x.pk, b_interface_id=y.pk)
                created.set()
                time.sleep(0.5)  # the main thread's insert waits on the interface's lock meanwhile
        finally:
            created.set()
            connections.close_all()

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert created.wait(10)
    try:
        with pytest.raises(IntegrityError, match="already in another link"), transaction.atomic():
            m.Link.objects.create(a_interface_id=z.pk, b_interface_id=x.pk)
    finally:
        thread.join()
    assert list(m.Link.objects.values_list("a_interface_id", "b_interface_id")) == [(x.pk, y.pk)]


def test_migration_refuses_existing_clash_then_applies_once_fixed(at_0002: Any) -> None:
    x, y, z = interfaces(at_0002)
    link = at_0002.get_model("inventory", "Link")
    first = link.objects.create(a_interface=x, b_interface=y)
    second = link.objects.create(a_interface=z, b_interface=x)  # x: A end of `first`, B end of `second`

    with pytest.raises(RuntimeError, match="already in another link") as err:
        migrate(AFTER)
    assert type(err.value).__name__ == "LinkEndsClash"
    assert f"interface {x.pk}: A end of link {first.pk}, B end of link {second.pk}" in str(err.value)
    assert installed_triggers() == set()

    second.delete()
    link = migrate(AFTER).get_model("inventory", "Link")
    assert installed_triggers() == TRIGGERS[connection.vendor]
    with pytest.raises(IntegrityError, match="already in another link"), transaction.atomic():
        link.objects.create(a_interface_id=z.pk, b_interface_id=x.pk)


def test_reversing_removes_the_triggers(at_0002: Any) -> None:
    x, _, z = interfaces(at_0002)
    migrate(AFTER)
    assert installed_triggers() == TRIGGERS[connection.vendor]

    link = migrate(BEFORE).get_model("inventory", "Link")
    assert installed_triggers() == set()
    link.objects.create(a_interface_id=x.pk, b_interface_id=z.pk)
    link.objects.create(a_interface_id=z.pk, b_interface_id=x.pk)  # only clean() would object now
    assert link.objects.count() == 2
