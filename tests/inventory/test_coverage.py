"""Coverage figures on a hand-built tree (tests/inventory/coverage_tree.py): every expected number is worked out
by hand in that module's docstring."""

from __future__ import annotations

import datetime

import pytest

from inventory.coverage import (
    access_units,
    coverage,
    coverage_by_child,
    coverage_matrix,
    department_connection_rate,
    excluded_areas,
    link_availability,
    village_split,
    vpn_account_stats,
)
from inventory.models import EventKind, Link, StatusEvent
from tests.inventory.coverage_tree import CITY, NOW, A, B, C, Tree, build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> Tree:
    return build_tree()


# (level, variant, access_mode) -> (covered, total)
EXPECTED = {
    ("county", "registered", None): (2, 2),
    ("county", "online", None): (1, 2),
    ("county", "registered", "dedicated"): (1, 2),
    ("county", "registered", "vpn"): (2, 2),
    ("township", "registered", None): (3, 5),
    ("township", "online", None): (2, 5),
    ("township", "registered", "dedicated"): (2, 5),
    ("township", "online", "dedicated"): (1, 5),
    ("township", "registered", "vpn"): (2, 5),
    ("township", "online", "vpn"): (1, 5),
    ("village", "registered", None): (3, 5),
    ("village", "online", None): (2, 5),
}


@pytest.mark.parametrize(("key", "expected"), EXPECTED.items(), ids=["-".join(map(str, k)) for k in EXPECTED])
def test_coverage_by_hand(tree: Tree, key: tuple[str, str, str | None], expected: tuple[int, int]) -> None:
    level, variant, mode = key
    result = coverage(CITY, level, variant=variant, access_mode=mode, now=NOW)
    assert (result.covered, result.total) == expected
    assert result.ratio == pytest.approx(expected[0] / expected[1])


def test_uncovered_codes_and_exclusions(tree: Tree) -> None:
    result = coverage(CITY, "township", now=NOW)
    # 430105003000 is merged and 430104001000 sits in the exempt county: neither is counted nor listed.
    assert result.uncovered == ("430102002000", "430105002000")
    assert result.full is False
    assert [(e.code, e.exclusion) for e in excluded_areas(CITY)] == [
        (C, "exempt"),
        ("430105001202", "exempt"),
        ("430105003000", "merged"),
    ]


def test_exempt_area_itself_counts_nothing(tree: Tree) -> None:
    result = coverage(C, "village", now=NOW)
    assert (result.total, result.covered, result.ratio, result.full) == (0, 0, None, None)


def test_county_subtree_and_full_coverage(tree: Tree) -> None:
    assert coverage(A, "county", now=NOW).full is True
    village = coverage(A, "village", now=NOW)
    assert (village.covered, village.total) == (2, 4)


def test_online_window_is_a_setting(tree: Tree, settings: object) -> None:
    settings.YUNWANG_ONLINE_WINDOW_HOURS = 72  # type: ignore[attr-defined]
    # S2's device (seen 48 h ago) is now within the window: township A/001 was already online via S3, so the
    # dedicated split is where it shows.
    assert coverage(CITY, "township", variant="online", access_mode="dedicated", now=NOW).covered == 2


def test_coverage_by_child_per_county(tree: Tree) -> None:
    rows = coverage_by_child(CITY, child_level="county", level="township", now=NOW)
    assert [(r.code, r.total, r.covered, r.full, r.exclusion) for r in rows] == [
        (B, 2, 1, False, ""),
        (C, 0, 0, None, "exempt"),
        (A, 3, 2, False, ""),
    ]
    assert rows[0].name == "芙蓉区"
    assert rows[2].ratio == pytest.approx(2 / 3)


def test_coverage_by_child_per_township_online(tree: Tree) -> None:
    rows = coverage_by_child(A, child_level="township", level="village", variant="online", now=NOW)
    by_code = {r.code: (r.covered, r.total) for r in rows}
    assert by_code == {
        "430105001000": (1, 3),
        "430105002000": (0, 0),
        "430105003000": (0, 0),
        "430105100000": (1, 1),
    }
    assert next(r for r in rows if r.code == "430105100000").full is True


def test_village_split_community_vs_village(tree: Tree) -> None:
    rows = village_split(CITY, "registered", now=NOW)
    assert [(r.kind, r.covered, r.total) for r in rows] == [("community", 2, 3), ("village", 1, 2)]
    online = village_split(CITY, "online", now=NOW)
    assert [(r.kind, r.covered, r.total) for r in online] == [("community", 1, 3), ("village", 1, 2)]


def test_matrix_agrees_with_single_queries(tree: Tree) -> None:
    matrix = coverage_matrix(CITY, now=NOW)
    assert {r.level for r in matrix} == {"county", "township", "village"}
    for r in matrix:
        single = coverage(CITY, r.level, variant=r.variant, access_mode=r.access_mode, now=NOW)
        assert (r.covered, r.total) == (single.covered, single.total), r
        assert r.uncovered is None


def test_query_counts_are_constant(tree: Tree, django_assert_max_num_queries: object) -> None:
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        coverage(CITY, "village", variant="online", now=NOW)
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        coverage_by_child(CITY, child_level="county", level="village", now=NOW)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        coverage_matrix(CITY, now=NOW)


def test_access_units_by_level_and_kind(tree: Tree) -> None:
    # Connected sites: S1 (county), S2 (township), S3, S5, S6, S7, S8 (villages); S4 is planned.
    counts = [(u.level, u.kind, u.count) for u in access_units(CITY)]
    assert counts == [("county", "other", 1), ("township", "other", 1), ("village", "other", 5)]


def test_department_connection_rate(tree: Tree) -> None:
    rate = department_connection_rate()
    assert (rate.connected, rate.total, rate.ratio, rate.missing) == (1, 2, 0.5, ("区档案馆",))


def test_vpn_account_stats(tree: Tree) -> None:
    stats = vpn_account_stats(now=NOW)
    # vpn-off is disabled; vpn-s6 was last online 40 days ago; both enabled accounts were up 4-3 h ago.
    assert (stats.registered, stats.active_30d, stats.online_now, stats.peak_online) == (2, 1, 0, 2)
    assert vpn_account_stats(B, now=NOW).registered == 1


def test_vpn_invalid_inputs(tree: Tree) -> None:
    with pytest.raises(ValueError):
        coverage(CITY, "village", variant="sometimes")
    with pytest.raises(ValueError):
        coverage(A, "city")


def test_link_availability_from_history(tree: Tree) -> None:
    start = NOW - datetime.timedelta(hours=24)
    dev = tree.link.b_interface.device
    for kind, at in [(EventKind.LINK_DOWN, 1), (EventKind.LINK_UP, 2), (EventKind.LINK_DOWN, 23)]:
        StatusEvent.objects.create(time=start + datetime.timedelta(hours=at), kind=kind, device=dev, link=tree.link)
    report = link_availability(CITY, start, NOW)
    (link,) = report.links
    assert link.down_seconds == 2 * 3600
    assert link.availability == pytest.approx(22 / 24)
    assert [(c.code, c.links) for c in report.counties] == [(A, 1)]
    assert report.counties[0].name == "开福区"
    # Down before the period starts and never back up: down for the whole period.
    later = link_availability(CITY, NOW, NOW + datetime.timedelta(hours=1))
    assert later.links[0].availability == 0.0


def test_link_that_went_down_inside_the_window_still_counts_online(tree: Tree) -> None:
    # S5's device has been down for 30 h; its link went down 2 h ago, so it was up within the last 24 h.
    Link.objects.filter(pk=tree.link.pk).update(oper_up=False, last_change=NOW - datetime.timedelta(hours=2))
    assert coverage(A, "village", variant="online", access_mode="dedicated", now=NOW).covered == 1
    # Down since 30 h: no evidence within the window any more.
    Link.objects.filter(pk=tree.link.pk).update(last_change=NOW - datetime.timedelta(hours=30))
    assert coverage(A, "village", variant="online", access_mode="dedicated", now=NOW).covered == 0


def test_other_figures_take_constant_queries(tree: Tree, django_assert_num_queries: object) -> None:
    start = NOW - datetime.timedelta(hours=24)
    with django_assert_num_queries(1):  # type: ignore[operator]
        department_connection_rate(variant="online", now=NOW)
    with django_assert_num_queries(1):  # type: ignore[operator]
        access_units(CITY, variant="online", now=NOW)
    with django_assert_num_queries(3):  # type: ignore[operator]
        vpn_account_stats(CITY, now=NOW)
    with django_assert_num_queries(3):  # type: ignore[operator]
        link_availability(CITY, start, NOW)
