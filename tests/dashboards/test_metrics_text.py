"""The exposition the /metrics view writes: the same samples as prometheus_client.generate_latest, valid text.

The per-device/link/interface families are written by the database (dashboards.metrics_sql), whose number format
differs from the library's (`1` for `1.0`, `123456` for `123456.0`): those are compared as parsed samples. The
encoder's own path (RowFamily, plain families) is compared byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from prometheus_client import generate_latest
from prometheus_client.core import CollectorRegistry, CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample

from dashboards.metrics import LabelSet, build_registry, families
from dashboards.metrics_text import render
from inventory.models import BusinessSystem, Department, Device, Interface
from tests.dashboards.network import build_small_network

ODD = 'odd "quoted" \\ back\nslash 核心'


def parsed(text: bytes) -> dict[str, tuple[str, str, set[tuple[str, tuple[tuple[str, str], ...], float]]]]:
    """family → (type, help, samples), without the exporter's own timing (it differs between two scrapes)."""
    return {
        family.name: (
            family.type,
            family.documentation,
            {(s.name, tuple(sorted(s.labels.items())), s.value) for s in family.samples},
        )
        for family in text_string_to_metric_families(text.decode())
        if family.name != "yunwang_exporter_collect_duration_seconds"
    }


@pytest.mark.django_db
def test_same_samples_as_generate_latest_on_the_network() -> None:
    net = build_small_network()
    odd = Department.objects.create(name=ODD)  # label escaping in Python (a planning family)
    BusinessSystem.objects.create(name="s", department=odd, cloud_status="migrated")
    Device.objects.filter(pk=net.acc1.pk).update(name=ODD)  # label escaping in SQL (device, link, interface)
    Interface.objects.filter(pk=net.access_link.b_interface_id).update(name=ODD + "/0", admin_status=1)
    registry = build_registry()
    ours, theirs = render(registry), generate_latest(registry)
    assert parsed(ours) == parsed(theirs)
    assert len(parsed(ours)) == 32
    escaped = 'odd \\"quoted\\" \\\\ back\\nslash 核心'.encode()
    assert b'department="' + escaped + b'"' in ours
    assert b'county="430105000000",device="' + escaped + b'",role="access"' in ours
    assert b'b_device="' + escaped + b'",b_interface="' + escaped + b'/0"' in ours
    assert b'yunwang_interface_admin_status{device="' + escaped + b'",interface="' + escaped + b'/0"} 1' in ours


class Shared(Collector):
    """Two families sharing one label dict, a counter, odd values and help text: the cases the cache must get right."""

    def collect(self) -> Iterable[Metric]:
        shared = {"device": "a\\b", "interface": 'GE"0'}
        gauge = GaugeMetricFamily("x_up", "help with \\ and\nnewline", labels=["device", "interface"])
        counter = CounterMetricFamily("x_bytes", "bytes", labels=["device", "interface"])
        gauge.samples.append(Sample("x_up", shared, 1.0))
        counter.samples.append(Sample("x_bytes_total", shared, 12345678901234.0))
        gauge.add_metric(["b", "c"], float("nan"))
        gauge.add_metric(["b", "d"], float("inf"))
        for i, value in enumerate((float("-inf"), -3.5, 0.0, 999999.9, 1e6, 1e-7, 2**53 + 0.0)):
            gauge.add_metric(["v", str(i)], value)
        empty = GaugeMetricFamily("x_nothing", "no labels")
        empty.add_metric([], 0.5)
        return [gauge, counter, empty]

    def describe(self) -> Iterable[Metric]:
        return []


def test_identical_on_edge_cases() -> None:
    registry = CollectorRegistry()
    registry.register(Shared())
    assert render(registry) == generate_latest(registry)
    assert b"-Inf" in render(registry) and b"1e+06" in render(registry)


def test_row_families_render_like_generate_latest() -> None:
    """RowFamily rows with shared label sets (the collector's fast path) against the library's encoder."""
    fam = families("yunwang_interface_oper_status", "yunwang_interface_receive_bytes_total")
    shared = LabelSet({"interface": 'GE"1\\', "device": "核心\n1"})
    fam["yunwang_interface_oper_status"].add(shared, 1.0)
    fam["yunwang_interface_receive_bytes_total"].add(shared, 98765432109.0)
    fam["yunwang_interface_receive_bytes_total"].add(LabelSet({"device": "b", "interface": "c"}), None)

    class Rows(Collector):
        def collect(self) -> Iterable[Metric]:
            return list(fam.values())

    registry = CollectorRegistry()
    registry.register(Rows())
    assert render(registry) == generate_latest(registry)
    assert render(registry).count(b"\n") == 6  # two families, one sample each; the None value made none
