"""Each interface is in at most one link, enforced by the database.

The two OneToOneFields stop an interface from being the A end of two links (or the B end of two); these triggers also
stop it from being the A end of one link and the B end of another, which only `Link.clean()` caught, so writes that
skip full_clean (collectors, bulk code, raw SQL) could create it.

The migration refuses to run while such pairs exist: fix the links first, then migrate again.

SQLite drops a table's triggers when Django rebuilds the table (`_remake_table`, used by many AlterField/AddField
operations there). A later migration that rebuilds the link table on SQLite must install these triggers again;
tests/inventory/test_migration_link_ends.py checks they are present after all migrations.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

NAME = "link_one_link_per_interface"
MESSAGE = "already in another link"
LISTED = 20


class LinkEndsClash(RuntimeError):
    """Existing links use an interface at both ends of different links; the triggers cannot be installed."""


def _table(apps: Any) -> str:
    return str(apps.get_model("inventory", "Link")._meta.db_table)


def _trigger(table: str) -> str:
    """The PostgreSQL trigger and function name; SQLite's two triggers add `_insert` and `_update`."""
    return f"{table}_one_per_interface"


def check_existing_links(apps: Any, schema_editor: Any) -> None:
    """Raise LinkEndsClash listing every interface that is the A end of one link and the B end of another."""
    link = apps.get_model("inventory", "Link")
    rows = list(
        link.objects.using(schema_editor.connection.alias)
        .filter(a_interface__link_as_b__isnull=False)
        .order_by("a_interface_id")
        .values_list("a_interface_id", "pk", "a_interface__link_as_b__pk")
    )
    if not rows:
        return
    lines = [f"  interface {iface}: A end of link {a_link}, B end of link {b_link}" for iface, a_link, b_link in rows]
    if len(lines) > LISTED:
        lines = [*lines[:LISTED], f"  ... and {len(lines) - LISTED} more"]
    raise LinkEndsClash(
        f"Cannot enforce one link per interface: {len(rows)} interface(s) {MESSAGE} "
        "(an A end of one link and the B end of another). Delete or relink these first, then migrate again:\n"
        + "\n".join(lines)
    )


def _postgresql_sql(table: str, quote: Any) -> list[str]:
    function = trigger = quote(_trigger(table))  # a trigger's name is per table, a function's per schema
    return [
        f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    self_id bigint := CASE WHEN TG_OP = 'UPDATE' THEN OLD.id END;
    other_link bigint;
    iface bigint;
BEGIN
    -- Transactions that write link ends take turns, so two concurrent ones cannot each miss the other's uncommitted
    -- row (under READ COMMITTED the query below sees what committed while waiting). One key for all: a lock per
    -- interface would take a lock-table slot per row, and a bulk import of a few thousand links would exhaust
    -- max_locks_per_transaction; re-taking the same key costs nothing. Collectors never write link ends (only
    -- oper_up / lldp_confirmed, which do not fire this trigger), so only admin, API and import writes queue here.
    PERFORM pg_advisory_xact_lock(hashtextextended('{NAME}', 0));
    SELECT l.id, CASE WHEN l.a_interface_id IN (NEW.a_interface_id, NEW.b_interface_id)
                      THEN l.a_interface_id ELSE l.b_interface_id END
        INTO other_link, iface
        FROM {quote(table)} AS l
        WHERE l.id IS DISTINCT FROM self_id
          AND (l.a_interface_id IN (NEW.a_interface_id, NEW.b_interface_id)
               OR l.b_interface_id IN (NEW.a_interface_id, NEW.b_interface_id))
        LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'interface % is {MESSAGE} (link %)', iface, other_link
            USING ERRCODE = 'unique_violation', CONSTRAINT = '{NAME}', TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END
$body$""",
        f"CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF a_interface_id, b_interface_id ON {quote(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _sqlite_sql(table: str, quote: Any) -> list[str]:
    ends = "(NEW.a_interface_id, NEW.b_interface_id)"
    clash = f"SELECT 1 FROM {quote(table)} WHERE (a_interface_id IN {ends} OR b_interface_id IN {ends})"
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{NAME}: an interface is {MESSAGE}'); END"
    # SQLite sets NEW.id only after BEFORE INSERT triggers ran; there is no row of our own to skip on insert anyway.
    return [
        f"CREATE TRIGGER {quote(_trigger(table) + '_insert')} BEFORE INSERT ON {quote(table)} "
        f"WHEN EXISTS ({clash}) {raise_}",
        f"CREATE TRIGGER {quote(_trigger(table) + '_update')} BEFORE UPDATE OF a_interface_id, b_interface_id "
        f"ON {quote(table)} WHEN EXISTS ({clash} AND id <> OLD.id) {raise_}",
    ]


def install(apps: Any, schema_editor: Any) -> None:
    table, quote = _table(apps), schema_editor.quote_name
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # Hold off other writers between the check and the trigger, so no bad pair slips in unseen.
        schema_editor.execute(f"LOCK TABLE {quote(table)} IN SHARE ROW EXCLUSIVE MODE", None)
        statements = _postgresql_sql(table, quote)
    elif vendor == "sqlite":
        statements = _sqlite_sql(table, quote)
    else:
        raise NotImplementedError(f"{NAME}: no triggers for database vendor {vendor!r}")
    check_existing_links(apps, schema_editor)
    for sql in statements:
        schema_editor.execute(sql, None)


def uninstall(apps: Any, schema_editor: Any) -> None:
    table, quote = _table(apps), schema_editor.quote_name
    if schema_editor.connection.vendor == "postgresql":
        name = quote(_trigger(table))
        statements = [f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}", f"DROP FUNCTION IF EXISTS {name}()"]
    else:
        statements = [f"DROP TRIGGER IF EXISTS {quote(f'{_trigger(table)}_{op}')}" for op in ("insert", "update")]
    for sql in statements:
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_compliance_current"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
