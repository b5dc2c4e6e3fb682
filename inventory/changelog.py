"""The change log: every write by people, imports or collectors leaves a ChangeRecord.

Models that inherit `Tracked` remember the values they were loaded with; `save()` and `delete()` write a
ChangeRecord with the fields that changed (secrets masked). Who did it comes from `acting_as(...)`, a
context manager the admin middleware, the import command and the collectors set. Bulk writes (the
collector's apply step) bypass `save()` and write their ChangeRecords in bulk with `record_changes()`.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction

from inventory.secrets import MASK, EncryptedField, Secret

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("yunwang_actor", default="system")


def current_actor() -> str:
    return _actor.get()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Attribute every write inside the block to `actor` (e.g. "user:alice", "import:cli", "collector:snmp")."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value for before/after."""
    if isinstance(value, Secret):
        return MASK if value else ""
    if isinstance(value, datetime.datetime | datetime.date | decimal.Decimal):
        return str(value)
    return value


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if f.name not in getattr(model, "changelog_exclude", ())]


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The tracked values the object holds now. Deferred fields (`.only()`/`.defer()`) are left out rather
    than fetched: reading them here would load them one query each (and recurse from `from_db`)."""
    loaded = obj.__dict__
    return {f.attname: loaded[f.attname] for f in _tracked_fields(type(obj)) if f.attname in loaded}


def diff(
    before: dict[str, Any] | None, after: dict[str, Any] | None, model: type[models.Model]
) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that differ; secrets are masked, even when both are set."""
    changes: dict[str, list[Any]] = {}
    for f in _tracked_fields(model):
        if before is not None and after is not None and (f.attname not in before or f.attname not in after):
            continue  # deferred on one side: not compared, so never logged as a change
        old = before.get(f.attname) if before is not None else None
        new = after.get(f.attname) if after is not None else None
        if old == new:
            continue
        if isinstance(f, EncryptedField):
            changes[f.attname] = [MASK if old else "", MASK if new else ""]
        else:
            changes[f.attname] = [_plain(old), _plain(new)]
    return changes


def record_changes(rows: Iterable[tuple[models.Model, str, dict[str, list[Any]]]], actor: str | None = None) -> int:
    """Bulk-write ChangeRecords for (object, action, changes) triples; used by bulk writers such as apply."""
    from inventory.models import ChangeRecord

    who = actor or current_actor()
    records = [
        ChangeRecord(
            actor=who,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            changes=changes,
        )
        for obj, action, changes in rows
        if changes or action != "update"
    ]
    ChangeRecord.objects.bulk_create(records, batch_size=1000)
    return len(records)


class Tracked(models.Model):
    """Base for models whose writes are logged (see module docstring)."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> Tracked:  # type: ignore[override]
        obj = super().from_db(db, field_names, values, **kwargs)
        obj._loaded = snapshot(obj)
        return obj

    def save(self, *args: Any, **kwargs: Any) -> None:
        before: dict[str, Any] | None = getattr(self, "_loaded", None)
        creating = self._state.adding or before is None
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            after = snapshot(self)
            changes = diff(None if creating else before, after, type(self))
            if creating or changes:
                record_changes([(self, "create" if creating else "update", changes)])
        self._loaded = after


def log_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """post_delete receiver (connected in InventoryConfig.ready for every Tracked model): covers
    instance.delete(), queryset.delete() (admin bulk delete) and cascades alike."""
    if isinstance(instance, Tracked):
        record_changes([(instance, "delete", diff(snapshot(instance), None, type(instance)))])
