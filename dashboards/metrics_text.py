"""The Prometheus text format (0.0.4), written faster than `prometheus_client.generate_latest`.

At city scale a scrape is a few hundred thousand samples, and the library's encoder formats every sample's
label set from scratch (~8 µs each). The collector's RowFamily rows share one LabelSet between the families of a
row (an interface's seven families, say), so here each label set is formatted once, and no Sample is built.
The output is byte-for-byte what `generate_latest` writes for the same registry (tests/dashboards/test_metrics_text.py).
Only gauge and counter families are supported: the collector yields nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CollectorRegistry, Metric
from prometheus_client.utils import floatToGoString

from dashboards.metrics import RowFamily, TextFamily

# Label values escape backslash, newline and double quote (one C-level pass per value).
_ESCAPES = str.maketrans({"\\": r"\\", "\n": r"\n", '"': r"\""})


def _label_text(labels: dict[str, str], keys: list[str] | None = None) -> str:
    if not labels:
        return ""
    names = keys if keys is not None else sorted(labels)
    return "{" + ",".join([f'{k}="{labels[k].translate(_ESCAPES)}"' for k in names]) + "}"


def _lines(metric: Metric) -> list[str]:
    if isinstance(metric, TextFamily):
        return [metric.text]
    if not isinstance(metric, RowFamily):
        return [f"{s.name}{_label_text(s.labels)} {floatToGoString(s.value)}\n" for s in metric.samples]
    name = metric.sample_name
    keys = sorted(metric.label_names)  # every row of a family has the same label names
    out: list[str] = []
    append = out.append
    for labels, value in metric.rows:
        text = labels.text
        if text is None:
            text = labels.text = _label_text(labels.labels, keys)
        # floatToGoString equals repr() for finite values below 1e6 (Go switches to exponents sooner above), and
        # this loop runs once per series: the cheap path first.
        append(f"{name}{text} {repr(value) if -1e308 < value < 1e6 else floatToGoString(value)}\n")
    return out


def render_chunks(registry: CollectorRegistry) -> Iterator[bytes]:
    """The exposition, one family at a time (the view streams it: memory holds one group of families)."""
    for metric in registry.collect():
        if metric.type not in ("gauge", "counter"):
            raise ValueError(f"{metric.name}: only gauges and counters are rendered here, not {metric.type}")
        name = metric.name + "_total" if metric.type == "counter" else metric.name
        doc = metric.documentation.replace("\\", r"\\").replace("\n", r"\n")
        yield (f"# HELP {name} {doc}\n# TYPE {name} {metric.type}\n" + "".join(_lines(metric))).encode("utf-8")


def render(registry: CollectorRegistry) -> bytes:
    return b"".join(render_chunks(registry))
