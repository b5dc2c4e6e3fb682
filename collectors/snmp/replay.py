"""A transport that replays a recorded walk (snmprec text) and records every OID it was asked.

snmprec is snmpsim's format, one varbind a line: `oid|tag|value`; tag is the BER type number (2 INTEGER,
4 OCTET STRING, 5 NULL, 6 OID, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 68 Opaque, 70 Counter64)
with an `x` suffix when the value is hex (`4x|e5bc80`). The same files are served by snmpsim in the live tests.
Replay-only extras: tags 128/129/130 put noSuchObject/noSuchInstance/endOfMibView in a walk. Lines are
replayed in file order, duplicates included, so unsorted and duplicated agents can be reproduced.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from collectors.snmp.values import Missing, Value, Varbind

_INT_TAGS = {"2", "65", "66", "67", "70"}
_MISSING_TAGS = {"128": Missing.NO_SUCH_OBJECT, "129": Missing.NO_SUCH_INSTANCE, "130": Missing.END_OF_MIB_VIEW}


def parse_value(tag: str, raw: str) -> Value:
    hexed = tag.endswith("x")
    tag = tag.rstrip("x")
    if tag in _MISSING_TAGS:
        return _MISSING_TAGS[tag]
    if tag == "5":
        return None
    if tag in _INT_TAGS:
        return int(raw, 16) if hexed else int(raw)
    if tag == "6":
        return raw.lstrip(".")
    if tag == "64" and not hexed:
        return ipaddress.IPv4Address(raw).packed
    return bytes.fromhex(raw) if hexed else raw.encode("utf-8")


def parse_snmprec(text: str) -> list[Varbind]:
    out = []
    for line in text.splitlines():
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        oid, tag, raw = line.split("|", 2)
        out.append(Varbind(oid.strip().lstrip("."), parse_value(tag.strip(), raw)))
    return out


@dataclass
class ReplayTransport:
    """In-memory agent over recorded varbinds. `requests` lists ("get" | "walk", oids) in the order asked."""

    varbinds: list[Varbind]
    requests: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path) -> ReplayTransport:
        return cls(parse_snmprec(path.read_text(encoding="utf-8")))

    async def get(self, oids: Sequence[str]) -> list[Varbind]:
        self.requests.append(("get", tuple(oids)))
        found: dict[str, Value] = {}
        for oid, value in self.varbinds:
            found.setdefault(oid, value)
        return [Varbind(oid, found.get(oid, Missing.NO_SUCH_OBJECT)) for oid in oids]

    async def walk_columns(self, columns: Sequence[str]) -> list[Varbind]:
        self.requests.append(("walk", tuple(columns)))
        out = []
        for column in columns:
            prefix = column + "."
            for varbind in self.varbinds:
                if varbind.oid.startswith(prefix):
                    if varbind.value is Missing.END_OF_MIB_VIEW:
                        break
                    out.append(varbind)
        return out

    async def close(self) -> None:
        return None
