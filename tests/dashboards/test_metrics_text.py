"""The fast text encoder writes exactly what prometheus_client.generate_latest writes."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from prometheus_client import generate_latest
from prometheus_client.core import CollectorRegistry, CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample

from dashboards.metrics import LabelSet, build_registry, families
from dashboards.metrics_text import render
from inventory.models import BusinessSystem, Department
from tests.dashboards.network import build_small_network


@pytest.mark.django_db
def test_identical_to_generate_latest_on_the_network() -> None:
    build_small_network()
    odd = Department.objects.create(name='odd "quoted" \\ back\nslash')  # label escaping, through the collector
    BusinessSystem.objects.create(name="s", department=odd, cloud_status="migrated")
    registry = build_registry()
    ours, theirs = render(registry), generate_latest(registry)
    # The exporter's own collect duration differs between two scrapes: compare everything else.
    strip = [line for line in ours.splitlines() if not line.startswith(b"yunwang_exporter_collect_duration")]
    assert strip == [line for line in theirs.splitlines() if not line.startswith(b"yunwang_exporter_collect_duration")]
    assert b'department="odd \\"quoted\\" \\\\ back\\nslash"' in ours


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
