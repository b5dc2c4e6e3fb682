"""Transport-neutral SNMP values and the transport interface the driver talks to.

A transport hands back raw `(oid, value)` pairs; the driver decodes them. Values keep only what decoding needs:
`int` (INTEGER, Counter32/64, Gauge32, TimeTicks in hundredths), `bytes` (OCTET STRING, IpAddress, Opaque),
`str` (OBJECT IDENTIFIER, dotted, no leading dot), `None` (NULL) or an `Exception` marker (noSuchObject,
noSuchInstance, endOfMibView). That is enough for pysnmp, gufo-snmp and recorded snmprec data to look alike.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from collectors.records import ErrorKind


class Missing(enum.Enum):
    """RFC 3416 exception values: the agent has nothing there."""

    NO_SUCH_OBJECT = "noSuchObject"
    NO_SUCH_INSTANCE = "noSuchInstance"
    END_OF_MIB_VIEW = "endOfMibView"


Value = int | bytes | str | Missing | None


class Varbind(NamedTuple):
    oid: str  # dotted, no leading dot
    value: Value


# SNMPv2c agents drop requests with a wrong community silently: that is indistinguishable from a dead device.
NO_RESPONSE = "no SNMP response within the timeout (for v2c, a wrong community looks the same)"


class SnmpFailure(Exception):
    """Raised by transports (inside the package only); the driver turns it into a failed record."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class SnmpTransport(Protocol):
    """The wire, as small as the driver needs it (snmp_exporter style: tests replay recorded data through it)."""

    async def get(self, oids: Sequence[str]) -> list[Varbind]:
        """One GET. Missing OIDs come back with a `Missing` value, in request order."""
        ...

    async def walk_columns(self, columns: Sequence[str]) -> list[Varbind]:
        """Every instance under each column OID (e.g. `1.3.6.1.2.1.2.2.1.7`), in wire order.

        Stops each column at its end (never walks past it). Rows may be sparse, duplicated or unsorted; the
        caller keys them on the OID suffix.
        """
        ...

    async def close(self) -> None: ...


def oid_key(oid: str) -> tuple[int, ...]:
    """Numeric sort key for a dotted OID; junk arcs sort last instead of raising."""
    out: list[int] = []
    for arc in oid.split("."):
        out.append(int(arc) if arc.isdigit() else 1 << 32)
    return tuple(out)
