"""Coverage and 上云率 metrics agree with the query functions on the hand-computed tree of tests/inventory
(exempt county, exempt and merged units, planned sites, the online window, VPN and link evidence)."""

from __future__ import annotations

import pytest

from dashboards.metrics import YunwangCollector
from inventory.coverage import coverage, department_connection_rate
from inventory.migration import migration_by_department, migration_rate
from tests.inventory.coverage_tree import build_systems, build_tree

pytestmark = pytest.mark.django_db


def samples(name: str) -> list[tuple[dict[str, str], float]]:
    family = next(f for f in YunwangCollector().collect() if f.name == name)
    return [(s.labels, s.value) for s in family.samples]


def test_every_coverage_sample_equals_coverage() -> None:
    build_tree()
    got = samples("yunwang_coverage_ratio")
    areas = {labels["area_code"] for labels, _ in got}
    # Counties A and B and their counted townships; the exempt county C has nothing to count: no sample.
    assert "430105000000" in areas and "430102000000" in areas and "430104000000" not in areas
    assert len(got) == len({tuple(sorted(labels.items())) for labels, _ in got})  # no duplicate series
    for labels, value in got:
        mode = None if labels["access_mode"] == "all" else labels["access_mode"]
        expected = coverage(labels["area_code"], labels["level"], variant=labels["variant"], access_mode=mode)
        assert value == expected.ratio, labels
        assert labels["county"] == labels["area_code"][:6] + "000000"


def test_migration_and_connection_equal_the_query_functions() -> None:
    tree = build_tree()
    build_systems(tree.d1, tree.d2)
    overall = [value for _, value in samples("yunwang_cloud_migration_overall_ratio")]
    assert overall == [migration_rate().ratio] == [0.5]
    per_department = {labels["department"]: value for labels, value in samples("yunwang_cloud_migration_ratio")}
    assert per_department == {d.name: d.ratio for d in migration_by_department() if d.ratio is not None}
    (connection,) = samples("yunwang_department_connection_ratio")
    assert connection[1] == department_connection_rate().ratio
