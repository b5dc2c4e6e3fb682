"""Credential secrets at rest: Fernet-encrypted in the database, masked everywhere else.

A `Secret` never shows its value in str/repr/format (so it can't leak into logs, templates, API output or
tracebacks); code that needs the value calls `.reveal()`. A stored value of the form `file:/path` is a
reference to a secrets file, read at reveal time, so an operator may keep secrets out of the database entirely.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

MASK = "******"


def _fernet() -> Fernet:
    key: str = settings.YUNWANG_CREDENTIALS_KEY
    if not key:
        # Zero set-up for the demo and tests: derive from SECRET_KEY (production sets a key of its own).
        digest = hashlib.sha256(("yunwang-credentials:" + settings.SECRET_KEY).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode("ascii")
    try:
        return Fernet(key)
    except ValueError as exc:
        raise ImproperlyConfigured("YUNWANG_CREDENTIALS_KEY must be 32 url-safe base64-encoded bytes") from exc


class Secret:
    """A secret value that refuses to print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        if self._value.startswith("file:"):
            return Path(self._value[5:]).read_text(encoding="utf-8").strip()
        return self._value

    @property
    def is_reference(self) -> bool:
        return self._value.startswith("file:")

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __str__(self) -> str:
        if self.is_reference:
            return self._value  # a path is not a secret, and operators need to see which file
        return MASK if self._value else ""

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return str(self)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("A stored credential cannot be decrypted: wrong YUNWANG_CREDENTIALS_KEY?") from exc


class EncryptedField(models.TextField):
    """Stores a `Secret` as a Fernet token; blank stays blank."""

    _pyi_private_set_type: Secret | str  # type: ignore[assignment]  # what django-stubs lets code assign
    _pyi_private_get_type: Secret  # type: ignore[assignment]  # what it reads back

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Secret:
        return Secret(decrypt(value) if value else "")

    def to_python(self, value: Any) -> Secret:
        if isinstance(value, Secret):
            return value
        return Secret(value or "")

    def get_prep_value(self, value: Any) -> str:
        plain = value._value if isinstance(value, Secret) else (value or "")
        return encrypt(plain) if plain else ""

    def value_to_string(self, obj: models.Model) -> str:
        return MASK
