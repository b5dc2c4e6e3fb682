"""The pysnmp 7 (asyncio, v3arch) transport: discovery, v2c and v3. Multi-column GETBULK for table walks.

One `SnmpEngine` is shared by every transport a `PysnmpFactory` makes (it owns one UDP socket and the v3 engine-ID
cache); callers bound concurrency (see `collectors.snmp.many`), because an unbounded burst on one socket drops
replies. MIB lookups are off (`lookupMib=False`): values come back as raw pyasn1 objects and are converted here.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from typing import Any

from pyasn1.type import univ
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
    usm3DESEDEPrivProtocol,
    usmAesCfb128Protocol,
    usmAesCfb256Protocol,
    usmDESPrivProtocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol,
    usmHMACSHAAuthProtocol,
    usmNoAuthProtocol,
    usmNoPrivProtocol,
)
from pysnmp.hlapi.varbinds import CommandGeneratorVarBinds
from pysnmp.proto import errind, rfc1905

from collectors.contract import Mode
from collectors.records import ErrorKind, SnmpCredentials, Target
from collectors.snmp.values import NO_RESPONSE, Missing, SnmpFailure, Value, Varbind, oid_key

AUTH_PROTOCOLS = {
    "": usmNoAuthProtocol,
    "MD5": usmHMACMD5AuthProtocol,
    "SHA": usmHMACSHAAuthProtocol,
    "SHA256": usmHMAC192SHA256AuthProtocol,
    "SHA512": usmHMAC384SHA512AuthProtocol,
}
PRIV_PROTOCOLS = {
    "": usmNoPrivProtocol,
    "DES": usmDESPrivProtocol,
    "3DES": usm3DESEDEPrivProtocol,
    "AES": usmAesCfb128Protocol,
    "AES256": usmAesCfb256Protocol,
}
# USM says no: wrong user, wrong auth key (usmStatsWrongDigests), wrong priv key (usmStatsDecryptionErrors) ...
_AUTH_ERRORS = (
    errind.WrongDigest,
    errind.DecryptionError,
    errind.UnknownUserName,
    errind.UnknownSecurityName,
    errind.AuthenticationFailure,
    errind.AuthenticationError,
    errind.UnsupportedSecurityLevel,
    errind.UnsupportedAuthProtocol,
    errind.UnsupportedPrivProtocol,
)
_TOO_BIG = 1  # errorStatus tooBig: ask for fewer rows per request
MAX_REQUESTS_PER_WALK = 5000  # an agent that never ends its table must not keep us forever


def auth_data(creds: SnmpCredentials) -> CommunityData | UsmUserData:
    if creds.version == "2c":
        return CommunityData(creds.community, mpModel=1)
    return UsmUserData(
        creds.user,
        authKey=creds.auth_key or None,
        privKey=creds.priv_key or None,
        authProtocol=AUTH_PROTOCOLS[creds.auth_proto],
        privProtocol=PRIV_PROTOCOLS[creds.priv_proto],
    )


def convert(value: Any) -> Value:
    """pyasn1/pysnmp value -> transport-neutral value. Exception values first: they subclass Null."""
    if isinstance(value, rfc1905.NoSuchObject):
        return Missing.NO_SUCH_OBJECT
    if isinstance(value, rfc1905.NoSuchInstance):
        return Missing.NO_SUCH_INSTANCE
    if isinstance(value, rfc1905.EndOfMibView):
        return Missing.END_OF_MIB_VIEW
    if isinstance(value, univ.Integer):
        return int(value)
    if isinstance(value, univ.OctetString):
        return bytes(value)
    if isinstance(value, univ.ObjectIdentifier):
        return ".".join(str(arc) for arc in value)
    return None


def _failure(indication: object, undecodable: bool = False) -> SnmpFailure:
    if isinstance(indication, errind.RequestTimedOut) and undecodable:
        return SnmpFailure(ErrorKind.MALFORMED, "the device answered with messages that cannot be decoded")
    if isinstance(indication, errind.RequestTimedOut):
        return SnmpFailure(ErrorKind.TIMEOUT, NO_RESPONSE)
    if isinstance(indication, _AUTH_ERRORS):
        return SnmpFailure(ErrorKind.AUTH, f"SNMPv3 authentication failed: {indication}")
    return SnmpFailure(ErrorKind.MALFORMED, f"SNMP error: {indication}")


class PysnmpFactory:
    """Makes `PysnmpTransport`s sharing engines. Create and use it inside one running event loop.

    One engine for every v2c target, and one per SNMPv3 credential set: pysnmp's USM user table is keyed by
    (engine ID, user name) and targets are added before their engine ID is known, so two key sets under one
    user name in one engine would overwrite each other while requests are in flight.
    """

    def __init__(self, *, max_varbinds_per_request: int = 60) -> None:
        self._engines: dict[str, SnmpEngine] = {}
        self.max_varbinds = max_varbinds_per_request
        self.undecodable: dict[tuple[str, int], float] = {}  # source address -> when it last sent garbage

    def __call__(self, target: Target, mode: Mode) -> PysnmpTransport:
        assert target.snmp is not None
        key = _engine_key(target.snmp)
        engine = self._engines.get(key)
        if engine is None:
            engine = self._engines[key] = SnmpEngine()
            # pysnmp builds its MIB view on the first request (~1 s CPU); pay it now, not inside a device's timeout.
            view = CommandGeneratorVarBinds().get_mib_view_controller(engine.cache)
            ObjectType(ObjectIdentity("1.3.6.1.2.1.1.3.0")).resolve_with_mib(view)
            _watch_undecodable(engine, self.undecodable)
        return PysnmpTransport(engine, target, self.max_varbinds, self.undecodable)

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close_dispatcher()
        self._engines.clear()


def _watch_undecodable(engine: SnmpEngine, seen: dict[tuple[str, int], float]) -> None:
    """Note which source addresses send messages pysnmp cannot decode.

    pysnmp drops such messages (counting snmpInASNParseErrs), so the request just times out; noting the sender
    lets the transport say "malformed" instead of "timeout" for a device that answers with garbage.
    """
    dispatcher = engine.message_dispatcher
    original = dispatcher.receive_message
    (counter,) = engine.get_mib_builder().import_symbols("__SNMPv2-MIB", "snmpInASNParseErrs")

    def receive_message(snmp_engine: Any, domain: Any, address: Any, whole: Any) -> Any:
        before = int(counter.syntax)
        try:
            return original(snmp_engine, domain, address, whole)
        finally:
            if int(counter.syntax) != before:
                seen[(str(address[0]), int(address[1]))] = time.monotonic()

    dispatcher.receive_message = receive_message  # type: ignore[method-assign]


def _engine_key(creds: SnmpCredentials) -> str:
    if creds.version == "2c":
        return ""
    secret = "\0".join((creds.user, creds.auth_proto, creds.auth_key, creds.priv_proto, creds.priv_key))
    return hashlib.sha256(secret.encode()).hexdigest()  # a digest, so the dict never holds keys in clear


class PysnmpTransport:
    def __init__(
        self, engine: SnmpEngine, target: Target, max_varbinds: int, undecodable: dict[tuple[str, int], float]
    ) -> None:
        assert target.snmp is not None
        self._engine = engine
        self._undecodable = undecodable
        self._target = target
        self._auth = auth_data(target.snmp)
        self._udp: UdpTransportTarget | None = None
        self._max_varbinds = max_varbinds

    async def _endpoint(self) -> UdpTransportTarget:
        if self._udp is None:
            t = self._target
            try:
                self._udp = await UdpTransportTarget.create(
                    (t.host, t.snmp_port), timeout=t.timeout_seconds, retries=t.retries
                )
            except Exception as exc:  # pysnmp raises PySnmpError for unresolvable hosts
                raise SnmpFailure(ErrorKind.REFUSED, f"cannot open UDP to {t.host}: {type(exc).__name__}") from None
        return self._udp

    async def get(self, oids: Sequence[str]) -> list[Varbind]:
        request = [ObjectType(ObjectIdentity(oid)) for oid in oids]
        started = time.monotonic()
        indication, status, _index, varbinds = await get_cmd(
            self._engine, self._auth, await self._endpoint(), ContextData(), *request, lookupMib=False
        )
        if indication:
            raise _failure(indication, self._garbage_since(started))
        if int(status) == _TOO_BIG and len(oids) > 1:
            half = len(oids) // 2
            return await self.get(oids[:half]) + await self.get(oids[half:])
        if int(status):
            raise SnmpFailure(ErrorKind.MALFORMED, f"GET errorStatus {int(status)}")
        return [Varbind(str(vb[0]), convert(vb[1])) for vb in varbinds]

    async def _bulk(self, oids: Sequence[str], repetitions: int) -> list[Varbind]:
        request = [ObjectType(ObjectIdentity(oid)) for oid in oids]
        started = time.monotonic()
        indication, status, _index, varbinds = await bulk_cmd(
            self._engine, self._auth, await self._endpoint(), ContextData(), 0, repetitions, *request, lookupMib=False
        )
        if indication:
            raise _failure(indication, self._garbage_since(started))
        if int(status) == _TOO_BIG and repetitions > 1:
            return await self._bulk(oids, repetitions // 2)
        if int(status):
            raise SnmpFailure(ErrorKind.MALFORMED, f"GETBULK errorStatus {int(status)}")
        return [Varbind(str(vb[0]), convert(vb[1])) for vb in varbinds]

    async def walk_columns(self, columns: Sequence[str]) -> list[Varbind]:
        """One GETBULK carries every still-open column; each column stops at its own end (never walks past)."""
        out: list[Varbind] = []
        cursors = {column: column for column in columns}  # column -> last OID seen
        for _ in range(MAX_REQUESTS_PER_WALK):
            if not cursors:
                break
            open_columns = list(cursors)
            repetitions = max(1, self._max_varbinds // len(open_columns))
            reply = await self._bulk([cursors[c] for c in open_columns], repetitions)
            out.extend(_advance(cursors, open_columns, reply))
        return out

    def _garbage_since(self, started: float) -> bool:
        return self._undecodable.get((self._target.host, self._target.snmp_port), 0.0) >= started

    async def close(self) -> None:
        return None  # the engine's socket belongs to the factory


def _advance(cursors: dict[str, str], open_columns: list[str], reply: list[Varbind]) -> list[Varbind]:
    """Take one GETBULK reply (row-major over `open_columns`); move or close each column's cursor."""
    taken: list[Varbind] = []
    closed: set[str] = set()
    before = dict(cursors)
    width = len(open_columns)
    for position, varbind in enumerate(reply):
        column = open_columns[position % width]
        if column in closed:
            continue
        last = cursors[column]
        inside = varbind.oid.startswith(column + ".") and not isinstance(varbind.value, Missing)
        if not inside or oid_key(varbind.oid) <= oid_key(last):  # past the end, or a looping agent
            closed.add(column)
            continue
        cursors[column] = varbind.oid
        taken.append(varbind)
    for column in open_columns:
        if column in closed or cursors[column] == before[column]:  # no progress: the agent has nothing more
            del cursors[column]
    return taken
