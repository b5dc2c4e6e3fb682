"""Value decoding: text encodings, MACs, speeds, ticks, wrong types."""

from __future__ import annotations

import pytest

from collectors.snmp import decode
from collectors.snmp.values import Missing


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("至核心2".encode(), "至核心2"),
        ("四方坪街道".encode("gbk"), "四方坪街道"),
        (b"Gi1/0/1\x00", "Gi1/0/1"),
        (b"\xff\xfe\x00\x01", "ff:fe:00:01"),
        (b"\x01\x02", "01:02"),
        (b"", None),
        (b" padded ", " padded "),
        (7, None),
        (Missing.NO_SUCH_OBJECT, None),
        (None, None),
    ],
)
def test_text_is_utf8_then_gbk_else_hex(raw: object, text: str | None) -> None:
    assert decode.text(raw) == text  # type: ignore[arg-type]


def test_mac_is_lowercase_colon_hex() -> None:
    assert decode.mac(bytes.fromhex("00E0FC1234AB")) == "00:e0:fc:12:34:ab"
    assert decode.mac(b"00:E0:FC:12:34:AB") == "00:e0:fc:12:34:ab"  # agents that send the text form
    assert decode.mac(b"") is None
    assert decode.mac(42) is None


@pytest.mark.parametrize(
    ("if_speed", "if_high_speed", "bps"),
    [
        (1_000_000_000, 1000, 1_000_000_000),
        (4294967295, 10000, 10_000_000_000),  # saturated Gauge32: trust ifHighSpeed
        (None, 40000, 40_000_000_000),
        (4294967295, None, 4294967295),
        (b"fast", None, None),
    ],
)
def test_speed_uses_high_speed_when_if_speed_saturates(
    if_speed: object, if_high_speed: object, bps: int | None
) -> None:
    assert decode.speed_bps(if_speed, if_high_speed) == bps  # type: ignore[arg-type]


def test_ticks_are_hundredths() -> None:
    assert decode.ticks_seconds(864050) == 8640.5
    assert decode.ticks_seconds(b"soon") is None
    assert decode.integer(True) is None
