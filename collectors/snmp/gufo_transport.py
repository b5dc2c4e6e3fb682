"""The gufo-snmp transport: the hot status-poll path (v2c and v3), ~an order of magnitude cheaper than pysnmp.

gufo-snmp (PyPI `gufo-snmp`, Gufo Labs) encodes and decodes BER in Rust and speaks asyncio; one UDP socket per
session. It walks one column per GETBULK stream, with a large `max_repetitions` so a 52-port column is one
request. Values already come back as Python int/bytes/str.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from gufo.snmp import (
    Aes128Key,
    Aes256Key,
    DesKey,
    KeyExpansion,
    Md5Key,
    Sha1Key,
    Sha256Key,
    Sha512Key,
    SnmpAuthError,
    SnmpError,
    User,
)
from gufo.snmp.aio import SnmpSession
from gufo.snmp.user import BaseAuthKey, BasePrivKey, KeyType

from collectors.contract import Mode
from collectors.records import ErrorKind, SnmpCredentials, Target
from collectors.snmp.values import NO_RESPONSE, Missing, SnmpFailure, Value, Varbind

T = TypeVar("T")
MAX_ROWS_PER_COLUMN = 200_000

_AUTH_KEYS: dict[str, type[BaseAuthKey]] = {"MD5": Md5Key, "SHA": Sha1Key, "SHA256": Sha256Key, "SHA512": Sha512Key}
_PRIV_KEYS: dict[str, type[BasePrivKey]] = {"DES": DesKey, "AES": Aes128Key, "AES256": Aes256Key}


def gufo_user(creds: SnmpCredentials) -> User:
    """A gufo User from master keys: the password-to-key step (1 MB of hashing per key) runs once per credential
    set and process, not once per device; localisation to each engine ID stays per session."""
    auth = priv = None
    if creds.auth_proto:
        auth_cls = _AUTH_KEYS[creds.auth_proto]
        auth = auth_cls(_master_key(creds.auth_proto, creds.auth_key), key_type=KeyType.Master)
        if creds.priv_proto:  # the privacy key is derived with the authentication hash (RFC 3414, 3826)
            priv_master = _master_key(creds.auth_proto, creds.priv_key)
            priv = _PRIV_KEYS[creds.priv_proto](priv_master, key_type=KeyType.Master)
    # AES-256 with a shorter SHA-1/MD5 key needs key expansion; Reeder/"Cisco" matches pysnmp's usmAesCfb256Protocol.
    return User(creds.user, auth_key=auth, priv_key=priv, key_expansion=KeyExpansion.Cisco)


@functools.lru_cache(maxsize=256)
def _master_key(auth_proto: str, password: str) -> bytes:
    return _AUTH_KEYS[auth_proto].get_master_key(password.encode())


def _convert(value: object) -> Value:
    if isinstance(value, int | bytes | str) or value is None:
        return value
    return None  # float (Opaque) and anything newer: not a type the driver decodes


class GufoTransport:
    def __init__(self, target: Target, max_repetitions: int = 64) -> None:
        assert target.snmp is not None
        self._target = target
        creds = target.snmp
        user = gufo_user(creds) if creds.version == "3" else None
        self._session = SnmpSession(
            addr=target.host,
            port=target.snmp_port,
            community=creds.community,
            user=user,
            timeout=target.timeout_seconds,
            max_repetitions=max_repetitions,
        )
        self._ready = creds.version != "3"

    async def _call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run one operation with the target's retries; map gufo/OS errors to error kinds."""
        attempts = self._target.retries + 1
        for attempt in range(attempts):
            started = time.monotonic()
            try:
                if not self._ready:
                    await self._session.refresh()  # v3 engine-ID discovery and time sync
                    self._ready = True
                return await operation()
            except TimeoutError:
                # gufo reports ECONNREFUSED (ICMP port unreachable) as an immediate TimeoutError
                if time.monotonic() - started < self._target.timeout_seconds / 2:
                    raise SnmpFailure(ErrorKind.REFUSED, "ICMP port unreachable: no SNMP agent on that port") from None
                if attempt + 1 == attempts:
                    raise SnmpFailure(ErrorKind.TIMEOUT, NO_RESPONSE) from None
            except SnmpAuthError:
                raise SnmpFailure(ErrorKind.AUTH, "SNMPv3 authentication failed") from None
            except ConnectionRefusedError:
                raise SnmpFailure(ErrorKind.REFUSED, "ICMP port unreachable: no SNMP agent on that port") from None
            except (SnmpError, ValueError) as exc:
                raise SnmpFailure(ErrorKind.MALFORMED, f"SNMP error: {type(exc).__name__}") from None
            except OSError as exc:
                raise SnmpFailure(ErrorKind.REFUSED, f"socket error: {exc.strerror}") from None
        raise AssertionError("unreachable")

    async def get(self, oids: Sequence[str]) -> list[Varbind]:
        found = await self._call(lambda: self._session.get_many(list(oids)))
        return [Varbind(oid, _convert(found[oid]) if oid in found else Missing.NO_SUCH_OBJECT) for oid in oids]

    async def walk_columns(self, columns: Sequence[str]) -> list[Varbind]:
        out: list[Varbind] = []
        for column in columns:
            out.extend(await self._call(functools.partial(self._walk, column)))
        return out

    async def _walk(self, column: str) -> list[Varbind]:
        out = []
        async for oid, value in self._session.getbulk(column):
            out.append(Varbind(oid, _convert(value)))
            if len(out) > MAX_ROWS_PER_COLUMN:  # an agent that never ends its column must not keep us forever
                raise SnmpFailure(ErrorKind.MALFORMED, f"column {column} did not end after {MAX_ROWS_PER_COLUMN} rows")
        return out

    async def close(self) -> None:
        return None  # the socket closes with the session object


def gufo_factory(target: Target, mode: Mode) -> GufoTransport:
    return GufoTransport(target)
