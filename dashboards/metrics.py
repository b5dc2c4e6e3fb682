"""/metrics: a custom Prometheus collector over the inventory database.

Every scrape reads the database afresh (a handful of set-based queries) and keeps nothing in process memory, so any
number of gunicorn workers answer the same. `describe()` lists the families from static specs, so registering the
collector never touches the database (no query at import time).

Conventions (prometheus client_python / promtool lint): names `yunwang_*`, base units (`_seconds`, `_bytes`, `_ratio`),
`_total` only on counters, bounded labels only (device and interface names, division codes, roles, kinds; never
serials, IP addresses or free text). `yunwang_device_info` carries the descriptive labels once, to join on.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from prometheus_client.core import CollectorRegistry, CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample

Kind = Literal["gauge", "counter"]

DEVICE_LABELS = ("device", "role", "vendor", "area_code", "county")
LINK_LABELS = ("a_device", "a_interface", "b_device", "b_interface", "kind", "county")
IF_LABELS = ("device", "interface")
CYCLE_LABELS = ("kind", "poller_group")


@dataclass(frozen=True)
class Spec:
    """One metric family: its name (as exposed), type, help text and label names."""

    name: str
    kind: Kind
    doc: str
    labels: tuple[str, ...] = ()

    def family(self) -> GaugeMetricFamily | CounterMetricFamily:
        if self.kind == "counter":
            return CounterMetricFamily(self.name, self.doc, labels=self.labels)
        return GaugeMetricFamily(self.name, self.doc, labels=self.labels)


_SPECS = [
    # --- devices
    Spec(
        "yunwang_device_info",
        "gauge",
        "Descriptive labels of each inventory device (value 1); join on `device`.",
        (*DEVICE_LABELS, "model", "platform", "status", "poller_group", "site_kind", "access_mode"),
    ),
    Spec(
        "yunwang_device_up",
        "gauge",
        "1 if the device answered its last poll, 0 if not (absent: never polled).",
        DEVICE_LABELS,
    ),  # fmt: skip
    Spec(
        "yunwang_device_isolated",
        "gauge",
        "1 if the device is unreachable because an upstream device is down; `upstream` names that device.",
        (*DEVICE_LABELS, "upstream"),
    ),
    Spec("yunwang_device_uptime_seconds", "gauge", "Device uptime at the last successful poll.", ("device",)),
    Spec(
        "yunwang_device_last_poll_success_timestamp_seconds",
        "gauge",
        "Unix time the device last answered a poll.",
        ("device",),
    ),
    Spec("yunwang_device_last_poll_timestamp_seconds", "gauge", "Unix time the device was last polled.", ("device",)),
    # --- links
    Spec(
        "yunwang_link_up",
        "gauge",
        "1 if the inventory link is up, 0 if down (absent: never observed). `a` is the upstream end.",
        (*LINK_LABELS, "monitored"),
    ),
    Spec(
        "yunwang_link_admin_up",
        "gauge",
        "0 if an end of the link is administratively down (shut on purpose), else 1.",
        LINK_LABELS,
    ),
    # --- monitored interfaces (links and uplinks, not every access port)
    Spec("yunwang_interface_admin_status", "gauge", "IF-MIB ifAdminStatus (1 up, 2 down, 3 testing).", IF_LABELS),
    Spec(
        "yunwang_interface_oper_status",
        "gauge",
        "IF-MIB ifOperStatus (1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 lowerLayerDown).",
        IF_LABELS,
    ),
    Spec("yunwang_interface_speed_bps", "gauge", "Interface speed in bits per second.", IF_LABELS),
    Spec("yunwang_interface_receive_bytes_total", "counter", "Octets received (ifHCInOctets).", IF_LABELS),
    Spec("yunwang_interface_transmit_bytes_total", "counter", "Octets sent (ifHCOutOctets).", IF_LABELS),
    Spec("yunwang_interface_receive_errors_total", "counter", "Inbound errors (ifInErrors).", IF_LABELS),
    Spec("yunwang_interface_transmit_errors_total", "counter", "Outbound errors (ifOutErrors).", IF_LABELS),
    # --- collector health (from PollCycle)
    Spec(
        "yunwang_collector_last_success_timestamp_seconds",
        "gauge",
        "Unix time the last completed poll cycle of this kind and poller group finished.",
        CYCLE_LABELS,
    ),
    Spec(
        "yunwang_collector_cycle_duration_seconds", "gauge", "Duration of the last completed poll cycle.", CYCLE_LABELS
    ),  # fmt: skip
    Spec("yunwang_collector_devices_polled", "gauge", "Devices polled in the last completed cycle.", CYCLE_LABELS),
    Spec(
        "yunwang_collector_devices_failed",
        "gauge",
        "Devices that failed in the last completed cycle, by error kind.",
        (*CYCLE_LABELS, "reason"),
    ),
    Spec(
        "yunwang_collector_interval_seconds",
        "gauge",
        "Configured interval between cycles of this kind (settings); the stale-collector alert compares against it.",
        ("kind",),
    ),
    # --- planning figures
    Spec(
        "yunwang_area_info",
        "gauge",
        "Name and level of each city, county and township (value 1); join on `area_code`.",
        ("area_code", "name", "level", "county"),
    ),
    Spec(
        "yunwang_coverage_ratio",
        "gauge",
        "Share of the units at `level` under the area (county or township) that have a connected access point.",
        ("area_code", "area_level", "county", "level", "variant", "access_mode"),
    ),
    Spec("yunwang_coverage_target_ratio", "gauge", "Coverage target (settings YUNWANG_COVERAGE_TARGET)."),
    Spec(
        "yunwang_access_units",
        "gauge",
        "Access units (sites) with a connected access point, by county, area level and site kind.",
        ("county", "level", "kind"),
    ),
    Spec("yunwang_department_connection_ratio", "gauge", "Connected departments / departments that must connect."),
    Spec(
        "yunwang_vpn_accounts",
        "gauge",
        "VPN accounts on the secure access platform, by county and state.",
        ("county", "state"),
    ),  # fmt: skip
    Spec(
        "yunwang_business_systems",
        "gauge",
        "Business systems by department and cloud status.",
        ("department", "cloud_status"),
    ),
    Spec(
        "yunwang_cloud_migration_ratio",
        "gauge",
        "Cloud migration rate per department: migrated / systems that should migrate (exempt ones excluded).",
        ("department",),
    ),
    Spec("yunwang_cloud_migration_overall_ratio", "gauge", "Cloud migration rate over all departments."),
    Spec("yunwang_cloud_migration_target_ratio", "gauge", "Migration target (YUNWANG_MIGRATION_TARGET)."),
    # --- compliance
    Spec(
        "yunwang_compliance_failing_devices",
        "gauge",
        "Devices in service whose latest result for the check is a failure, by check and county.",
        ("check", "county"),
    ),
    Spec(
        "yunwang_compliance_checked_devices",
        "gauge",
        "Devices in service with a latest pass or fail result for the check, by check and county.",
        ("check", "county"),
    ),
    # --- the exporter itself
    Spec("yunwang_exporter_collect_duration_seconds", "gauge", "Time this scrape spent reading the database."),
]
SPECS: dict[str, Spec] = {spec.name: spec for spec in _SPECS}


class LabelSet:
    """One label set, shared by every family of a row (a device's up/isolated/..., an interface's seven families),
    so the text encoder formats it once per row instead of once per sample."""

    __slots__ = ("labels", "text")

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels
        self.text: str | None = None  # the `{k="v",...}` form, filled in by metrics_text on first use


class RowFamily(Metric):
    """A gauge or counter family kept as rows of (LabelSet, value): cheap to fill at city scale. `samples` builds
    ordinary prometheus_client Samples on demand, so the registry, generate_latest and tests work unchanged."""

    def __init__(self, spec: Spec) -> None:
        name = spec.name.removesuffix("_total") if spec.kind == "counter" else spec.name
        super().__init__(name, spec.doc, spec.kind)
        self.sample_name = spec.name
        self.label_names = spec.labels
        self.rows: list[tuple[LabelSet, float]] = []

    @property  # type: ignore[override]
    def samples(self) -> list[Sample]:
        return [Sample(self.sample_name, labels.labels, value) for labels, value in self.rows]

    @samples.setter
    def samples(self, value: list[Sample]) -> None:
        if value:  # Metric.__init__ assigns []; anything else would be lost
            raise AttributeError("add rows with add() / add_metric()")

    def add(self, labels: LabelSet, value: float | None) -> None:
        """A sample, unless the value is unknown (None: no sample rather than a made-up number)."""
        if value is not None:
            self.rows.append((labels, float(value)))

    def add_metric(self, labels: list[str], value: float | None) -> None:
        if len(labels) != len(self.label_names):
            raise ValueError(f"{self.sample_name}: expected labels {self.label_names}, got {labels}")
        self.add(LabelSet(dict(zip(self.label_names, labels, strict=True))), value)


class TextFamily(Metric):
    """A gauge or counter family whose sample lines the database wrote (dashboards.metrics_sql): `text` is the
    lines, each ending in a newline. `samples` parses them back, for tests and `generate_latest`."""

    def __init__(self, spec: Spec, text: str) -> None:
        name = spec.name.removesuffix("_total") if spec.kind == "counter" else spec.name
        super().__init__(name, spec.doc, spec.kind)
        self.sample_name = spec.name
        self.label_names = spec.labels
        self.text = text

    @property  # type: ignore[override]
    def samples(self) -> list[Sample]:
        from prometheus_client.parser import text_string_to_metric_families

        parsed = text_string_to_metric_families(f"# TYPE {self.name} {self.type}\n{self.text}")
        return [sample for family in parsed for sample in family.samples]

    @samples.setter
    def samples(self, value: list[Sample]) -> None:
        if value:  # Metric.__init__ assigns []
            raise AttributeError("the samples of a TextFamily are its text")


def families(*names: str) -> dict[str, RowFamily]:
    """Fresh, empty families for the named specs."""
    return {name: RowFamily(SPECS[name]) for name in names}


class YunwangCollector(Collector):
    """The inventory as metrics. Stateless: every collect() reads the database."""

    def describe(self) -> Iterable[Metric]:
        return [spec.family() for spec in _SPECS]

    def collect(self) -> Iterator[Metric]:
        # Imported here: the queries need the app registry, and describe() must work without it.
        from dashboards import metrics_queries as q
        from dashboards import metrics_sql

        started = time.perf_counter()
        for source in (
            metrics_sql.device_families,
            metrics_sql.link_families,
            metrics_sql.interface_families,
            q.collector_families,
            q.planning_families,
            q.compliance_families,
        ):
            yield from source()
        duration = RowFamily(SPECS["yunwang_exporter_collect_duration_seconds"])
        duration.add_metric([], time.perf_counter() - started)
        yield duration


def build_registry() -> CollectorRegistry:
    """A registry of our own: no process/platform collectors whose values would differ per gunicorn worker."""
    registry = CollectorRegistry(auto_describe=True)
    registry.register(YunwangCollector())
    return registry


REGISTRY = build_registry()
