"""上云率 with exemptions, by hand (see build_systems in coverage_tree.py)."""

from __future__ import annotations

import pytest

from inventory.migration import (
    cloud_resources,
    exemptions,
    migration_by_department,
    migration_rate,
    new_systems_on_cloud_share,
)
from inventory.models import BusinessSystem
from tests.inventory.coverage_tree import Tree, build_systems, build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> Tree:
    t = build_tree()
    build_systems(t.d1, t.d2)
    return t


def test_migration_rate_leaves_exempt_systems_out(tree: Tree) -> None:
    result = migration_rate()
    assert (result.migrated, result.should_migrate, result.ratio, result.exempt) == (2, 4, 0.5, 2)


def test_migration_rate_per_department(tree: Tree) -> None:
    assert migration_rate(tree.d1.pk).ratio == 0.5
    rows = {r.name: (r.migrated, r.should_migrate, r.ratio, r.exempt) for r in migration_by_department()}
    assert rows == {"区协会": (0, 0, None, 0), "区政务服务中心": (1, 2, 0.5, 2), "区档案馆": (1, 2, 0.5, 0)}


def test_exemption_list_is_explicit(tree: Tree) -> None:
    listed = [(e.system, e.reason, e.note) for e in exemptions()]
    assert listed == [("sys3", "vertical", "省垂管 2021-7号"), ("sys4", "classified", "")]


def test_unmarked_classified_system_is_listed_with_empty_reason(tree: Tree) -> None:
    # Bypasses clean() the way a raw bulk write would: the gap must still show in the audit list.
    BusinessSystem.objects.bulk_create(
        [BusinessSystem(name="sys7", department=tree.d2, classification="classified", cloud_status="planned")]
    )
    assert migration_rate().should_migrate == 4
    assert ("sys7", "") in [(e.system, e.reason) for e in exemptions()]


def test_all_migrated_is_100_percent(tree: Tree) -> None:
    BusinessSystem.objects.filter(name__in=["sys2", "sys6"]).update(cloud_status="migrated")
    assert migration_rate().ratio == 1.0


def test_new_systems_and_resources(tree: Tree) -> None:
    share = new_systems_on_cloud_share()
    assert (share.on_cloud, share.total, share.ratio) == (1, 2, 0.5)
    res = cloud_resources()
    assert res.systems == 2
    assert (res.vcpu.allocated, res.vcpu.used, res.vcpu.ratio) == (12, 7, pytest.approx(7 / 12))
    assert (res.ram_gb.allocated, res.ram_gb.used, res.ram_gb.ratio) == (16, 0, 0.0)
    assert res.storage_gb.ratio is None


def test_each_figure_is_one_query(tree: Tree, django_assert_num_queries: object) -> None:
    for fn in (migration_rate, migration_by_department, exemptions, new_systems_on_cloud_share, cloud_resources):
        with django_assert_num_queries(1):  # type: ignore[operator]
            fn()
