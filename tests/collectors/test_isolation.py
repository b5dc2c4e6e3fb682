"""Link status and isolation over the link graph: pure cases, then recompute() on the database."""

from __future__ import annotations

import pytest

from collectors.topology import Edge, Node, isolation, link_status, recompute
from inventory.models import ChangeRecord, Device, Link, StatusEvent
from tests.collectors import poll_factories as f

C1, C2, A1, X1, X2 = 1, 2, 3, 4, 5
NAMES = {C1: "C1", C2: "C2", A1: "A1", X1: "X1", X2: "X2"}


def nodes(**overrides: tuple[bool | None, str]) -> dict[int, Node]:
    out = {}
    for pk, name in NAMES.items():
        reachable, kind = overrides.get(name, (True, ""))
        out[pk] = Node(pk, name, name.startswith("C"), reachable, kind)
    return out


def edges(down_ports: frozenset[tuple[int, int]] = frozenset()) -> list[Edge]:
    """C1->A1, C2->A1 (dual-homed aggregation), A1->X1, X1->X2; (device, link id) pairs in down_ports are down."""
    pairs = [(10, C1, A1), (11, C2, A1), (12, A1, X1), (13, X1, X2)]
    return [
        Edge(lid, a, b, 2 if (a, lid) in down_ports else 1, 2 if (b, lid) in down_ports else 1) for lid, a, b in pairs
    ]


def test_healthy_network_has_no_isolation() -> None:
    assert isolation(nodes(), edges()) == {}


def test_devices_behind_a_down_device_are_isolated_by_it() -> None:
    n = nodes(A1=(False, "timeout"), X1=(False, "timeout"), X2=(False, "timeout"))
    assert isolation(n, edges()) == {X1: A1, X2: A1}  # A1 itself is the cause, not isolated


def test_a_down_link_isolates_with_the_upstream_as_cause() -> None:
    n = nodes(X1=(False, "timeout"), X2=(False, "timeout"))
    assert isolation(n, edges(frozenset({(A1, 12)}))) == {X1: A1, X2: A1}


def test_dual_homed_device_survives_one_core() -> None:
    n = nodes(C1=(False, "timeout"))
    assert isolation(n, edges()) == {}
    both = nodes(C1=(False, "timeout"), C2=(False, "refused"), A1=(False, "timeout"))
    assert isolation(both, edges())[A1] == C1


def test_a_device_that_answers_badly_is_alive() -> None:
    n = nodes(A1=(False, "auth"), X1=(False, "timeout"), X2=(False, "timeout"))
    assert isolation(n, edges()) == {X2: X1}  # X1 is down by itself: A1 (wrong community) still forwards


def test_link_status_from_both_ends_and_reachability() -> None:
    up, down = edges()[2], edges(frozenset({(A1, 12)}))[2]
    assert link_status(up, nodes()) is True
    assert link_status(down, nodes()) is False
    assert link_status(up, nodes(X1=(False, "timeout"))) is False  # peer dead
    assert link_status(up, nodes(X1=(False, "auth"))) is True  # peer alive, our end says up
    assert link_status(up, nodes(A1=(False, "auth"), X1=(False, "malformed"))) is None


@pytest.mark.django_db
def test_recompute_writes_isolation_events_and_heals() -> None:
    core = f.device("KF-CORE-01", "core", host="127.0.0.2", reachable=True)
    agg = f.device("KF-AGG-01", "aggregation", host="127.0.0.3", reachable=True)
    acc = f.device("KF-ACC-01", host="127.0.0.4", reachable=True)
    c_if, a_if, x_if = f.interfaces(core, 1), f.interfaces(agg, 2), f.interfaces(acc, 1)
    for iface in (*c_if, *a_if, *x_if):
        iface.oper_status = 1
        iface.save()
    uplink = f.link(c_if[0], a_if[0])
    f.link(a_if[1], x_if[0], kind="access")
    first = recompute()
    assert first.links_changed == 2 and Link.objects.filter(oper_up=True).count() == 2
    assert StatusEvent.objects.count() == 0  # unknown -> up is no transition

    Device.objects.filter(pk__in=[agg.pk, acc.pk]).update(reachable=False, poll_error_kind="timeout")
    recompute()
    acc.refresh_from_db()
    agg.refresh_from_db()
    assert (acc.isolated, acc.isolated_by_id) == (True, agg.pk) and agg.isolated is False
    event = StatusEvent.objects.get(kind="device_isolated")
    assert (event.device_id, event.cause_id, event.reason) == (acc.pk, agg.pk, "upstream KF-AGG-01 down")
    assert StatusEvent.objects.filter(kind="link_down", link=uplink).count() == 1
    assert ChangeRecord.objects.filter(object_type="inventory.device", object_id=str(acc.pk)).exists()

    steady = recompute()
    assert (steady.links_changed, steady.change_records) == (0, 0)

    Device.objects.filter(pk__in=[agg.pk, acc.pk]).update(reachable=True, poll_error_kind="")
    recompute()
    acc.refresh_from_db()
    assert (acc.isolated, acc.isolated_by_id) == (False, None)
    assert StatusEvent.objects.filter(kind="link_up").count() == 2
