"""Shared pytest set-up.

Tests that touch the database get the `usesdb` marker automatically, so `make test` can run the
whole suite on SQLite and then the database tests again on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.db import connection

DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or names & DB_FIXTURES:
            item.add_marker(pytest.mark.usesdb)
    if connection.vendor != "postgresql":
        elsewhere = [item for item in items if item.get_closest_marker("postgresql")]
        if elsewhere:
            config.hook.pytest_deselected(items=elsewhere)
            items[:] = [item for item in items if item not in elsewhere]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Tests create many users; PBKDF2's deliberate slowness buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
