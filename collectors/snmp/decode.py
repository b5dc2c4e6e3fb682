"""Decoding raw SNMP values into record fields. Every function takes any `Value` and returns None on a wrong type."""

from __future__ import annotations

from collectors.snmp.values import Value

IF_SPEED_SATURATED = 4294967295  # Gauge32 max: "look at ifHighSpeed" (RFC 2863)
_MAC_TEXT_LENGTH = 17  # "00:11:22:33:44:55" sent as text by some agents


def text(value: Value) -> str | None:
    """OCTET STRING -> str: UTF-8, then GBK (many Chinese devices), else lowercase colon hex. Empty -> None."""
    if isinstance(value, str):  # an OID where text was expected: still readable
        return value
    if not isinstance(value, bytes):
        return None
    raw = value.rstrip(b"\x00")  # C strings with their terminator on the wire are common
    if not raw:
        return None
    for encoding in ("utf-8", "gbk"):
        try:
            decoded = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if all(c.isprintable() or c in "\r\n\t" for c in decoded):
            return decoded
    return hex_colon(raw)


def hex_colon(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def integer(value: Value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def mac(value: Value) -> str | None:
    """ifPhysAddress / LLDP MAC -> lowercase colon hex. Empty (loopbacks, tunnels) -> None."""
    if not isinstance(value, bytes) or not value:
        return None
    if len(value) == _MAC_TEXT_LENGTH and value.count(b":") == 5:
        try:
            return value.decode("ascii").lower()
        except UnicodeDecodeError:
            pass
    return hex_colon(value)


def ticks_seconds(value: Value) -> float | None:
    """TimeTicks (hundredths of a second) -> seconds."""
    ticks = integer(value)
    return None if ticks is None or ticks < 0 else ticks / 100


def speed_bps(if_speed: Value, if_high_speed: Value) -> int | None:
    """ifSpeed in bit/s, or ifHighSpeed (Mbit/s) when ifSpeed saturates or is missing."""
    low = integer(if_speed)
    high = integer(if_high_speed)
    if low is not None and low < IF_SPEED_SATURATED:
        return low
    if high is not None:
        return high * 1_000_000
    return low


def oid(value: Value) -> str | None:
    if isinstance(value, str):
        return value.lstrip(".") or None
    return None
