"""Driver contract over recorded walks, per vendor and quirk (NAPALM-style folders, snmp_exporter-style OID checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.records import to_json
from collectors.snmp import oids as O
from tests.collectors.snmp_cases import CASES, case_id, golden, replay, status_json


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_full_discovery_matches_recorded_result(case: Path) -> None:
    record, _ = replay(case, "full")
    assert to_json(record) == golden(case / "expected_result.json", to_json(record))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_status_poll_matches_recorded_result(case: Path) -> None:
    record, _ = replay(case, "status")
    assert status_json(record) == golden(case / "expected_status.json", status_json(record))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_asks_exactly_the_documented_oids(case: Path) -> None:
    _, full = replay(case, "full")
    _, status = replay(case, "status")
    asked = {"full": [[kind, list(oids)] for kind, oids in full.requests]}
    asked["status"] = [[kind, list(oids)] for kind, oids in status.requests]
    assert asked == golden(case / "expected_requests.json", asked)
    assert status.requests == [("get", (O.SYS_UPTIME,)), ("walk", O.STATUS_COLUMNS)]
    assert full.requests[0] == ("get", O.SYSTEM)


def test_every_required_vendor_has_a_case() -> None:
    vendors = {case.parent.name for case in CASES}
    assert {"huawei", "h3c", "ruijie", "cisco", "hillstone", "sangfor", "netsnmp"} <= vendors
