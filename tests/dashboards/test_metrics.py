"""The /metrics collector on a hand-built network: values, conventions, promtool lint, query budget, auth."""

from __future__ import annotations

import re

import pytest
from prometheus_client import generate_latest
from prometheus_client.core import CollectorRegistry
from pytest_django import DjangoAssertNumQueries, Settings

from dashboards.metrics import SPECS, YunwangCollector, build_registry
from inventory.models import Area, Device, DeviceStatus, Site
from tests.dashboards.network import COUNTY, SECRET_SERIAL, TOWNSHIP, VILLAGE, SmallNetwork, build_small_network
from tests.dashboards.tools import run, tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def net() -> SmallNetwork:
    return build_small_network()


@pytest.fixture
def registry() -> CollectorRegistry:
    return build_registry()


def dev(name: str, role: str, area: str) -> dict[str, str]:
    return {"device": name, "role": role, "vendor": "huawei", "area_code": area, "county": COUNTY}


def test_device_families(net: SmallNetwork, registry: CollectorRegistry) -> None:
    value = registry.get_sample_value
    assert value("yunwang_device_up", dev("core1", "core", COUNTY)) == 1.0
    assert value("yunwang_device_up", dev("agg1", "aggregation", TOWNSHIP)) == 0.0
    assert value("yunwang_device_up", dev("new1", "access", VILLAGE)) is None  # never polled: no sample, not 0
    assert value("yunwang_device_isolated", {**dev("acc1", "access", VILLAGE), "upstream": "agg1"}) == 1.0
    assert value("yunwang_device_isolated", {**dev("agg1", "aggregation", TOWNSHIP), "upstream": ""}) == 0.0
    assert value("yunwang_device_uptime_seconds", {"device": "core1"}) == 1000.0
    assert value("yunwang_device_uptime_seconds", {"device": "agg1"}) is None
    assert value("yunwang_device_last_poll_success_timestamp_seconds", {"device": "core1"}) == net.now.timestamp()
    info = {**dev("core1", "core", COUNTY), "model": "S5735", "platform": "", "status": "active",
            "poller_group": "default", "site_kind": "network_centre", "access_mode": "dedicated"}  # fmt: skip
    assert value("yunwang_device_info", info) == 1.0


def test_link_families(net: SmallNetwork, registry: CollectorRegistry) -> None:
    uplink = {"a_device": "core1", "a_interface": "GE0/0/1", "b_device": "agg1", "b_interface": "GE0/0/24",
              "kind": "uplink", "county": COUNTY}  # fmt: skip
    assert registry.get_sample_value("yunwang_link_up", {**uplink, "monitored": "true"}) == 0.0
    assert registry.get_sample_value("yunwang_link_admin_up", uplink) == 1.0
    access = {"a_device": "agg1", "a_interface": "GE0/0/2", "b_device": "acc1", "b_interface": "GE0/0/1",
              "kind": "access", "county": COUNTY}  # fmt: skip
    assert registry.get_sample_value("yunwang_link_up", {**access, "monitored": "true"}) is None  # never observed
    assert registry.get_sample_value("yunwang_link_admin_up", access) == 0.0  # agg1 GE0/0/2 is shut


def test_interface_families_cover_monitored_interfaces_only(net: SmallNetwork, registry: CollectorRegistry) -> None:
    ge1 = {"device": "core1", "interface": "GE0/0/1"}
    assert registry.get_sample_value("yunwang_interface_oper_status", ge1) == 2.0
    assert registry.get_sample_value("yunwang_interface_admin_status", ge1) == 1.0
    assert registry.get_sample_value("yunwang_interface_speed_bps", ge1) == 1e9
    assert registry.get_sample_value("yunwang_interface_receive_bytes_total", ge1) == 123456.0
    assert registry.get_sample_value("yunwang_interface_transmit_bytes_total", ge1) == 654321.0
    assert registry.get_sample_value("yunwang_interface_receive_errors_total", ge1) == 3.0
    assert (
        registry.get_sample_value("yunwang_interface_oper_status", {"device": "core1", "interface": "GE0/0/9"}) is None
    )
    assert (
        registry.get_sample_value("yunwang_interface_receive_bytes_total", {"device": "agg1", "interface": "GE0/0/24"})
        is None
    )


def test_collector_health(net: SmallNetwork, registry: CollectorRegistry) -> None:
    group = {"kind": "status", "poller_group": "default"}
    last = registry.get_sample_value("yunwang_collector_last_success_timestamp_seconds", group)
    assert last == net.now.timestamp() - 60  # the skipped, unfinished cycle does not count
    assert registry.get_sample_value("yunwang_collector_cycle_duration_seconds", group) == 42.5
    assert registry.get_sample_value("yunwang_collector_devices_polled", group) == 4.0
    assert registry.get_sample_value("yunwang_collector_devices_failed", {**group, "reason": "timeout"}) == 2.0
    assert registry.get_sample_value("yunwang_collector_interval_seconds", {"kind": "status"}) == 300.0


def test_planning_and_compliance(net: SmallNetwork, registry: CollectorRegistry) -> None:
    value = registry.get_sample_value
    assert value("yunwang_business_systems", {"department": "卫健委", "cloud_status": "migrated"}) == 2.0
    assert value("yunwang_cloud_migration_ratio", {"department": "卫健委"}) == pytest.approx(2 / 3)
    assert value("yunwang_cloud_migration_overall_ratio") == pytest.approx(2 / 3)
    assert value("yunwang_coverage_target_ratio") == 0.9
    assert value("yunwang_vpn_accounts", {"county": COUNTY, "state": "registered"}) == 1.0  # the enabled one
    assert value("yunwang_vpn_accounts", {"county": COUNTY, "state": "online"}) == 1.0
    assert value("yunwang_area_info", {"area_code": COUNTY, "name": "开福区", "level": "county", "county": COUNTY}) == 1
    # Latest result per device and check: core1 regressed to fail, agg1 passes; not_applicable is not counted.
    assert value("yunwang_compliance_failing_devices", {"check": "ssh_only", "county": COUNTY}) == 1.0
    assert value("yunwang_compliance_checked_devices", {"check": "ssh_only", "county": COUNTY}) == 2.0
    assert value("yunwang_compliance_checked_devices", {"check": "banner", "county": COUNTY}) is None


def test_compliance_leaves_decommissioned_devices_out(net: SmallNetwork, registry: CollectorRegistry) -> None:
    # As the compliance page does: a retired device's last results are history, not a finding.
    Device.objects.filter(pk=net.core1.pk).update(status=DeviceStatus.DECOMMISSIONED)
    value = registry.get_sample_value
    assert value("yunwang_compliance_failing_devices", {"check": "ssh_only", "county": COUNTY}) == 0.0
    assert value("yunwang_compliance_checked_devices", {"check": "ssh_only", "county": COUNTY}) == 1.0


def test_targets_are_settings(net: SmallNetwork, registry: CollectorRegistry, settings: Settings) -> None:
    settings.YUNWANG_COVERAGE_TARGET = 0.95
    assert registry.get_sample_value("yunwang_coverage_target_ratio") == 0.95


def test_collect_matches_describe(net: SmallNetwork) -> None:
    # Two sites at city level and a second, parentless copy of the county (a partial import): still no duplicates.
    Area.objects.create(code="430200000000", name="株洲市", parent_id="430000000000")
    Area.objects.create(code="430211000000", name="天元区")  # parentless
    Site.objects.create(name="市中心", area_id="430100000000", kind="data_centre")
    Site.objects.create(name="株洲中心", area_id="430200000000", kind="data_centre")
    collector = YunwangCollector()
    described = {m.name: m.type for m in collector.describe()}
    for family in collector.collect():
        assert described.get(family.name) == family.type, family.name
        spec = SPECS[family.name + ("_total" if family.type == "counter" else "")]
        seen = set()
        for sample in family.samples:
            assert set(sample.labels) == set(spec.labels), (family.name, sample.labels)
            key = tuple(sorted(sample.labels.items()))
            assert key not in seen, ("duplicate series", family.name, sample.labels)  # Prometheus rejects those
            seen.add(key)
    units = {"county": "", "level": "city", "kind": "data_centre"}
    assert build_registry().get_sample_value("yunwang_access_units", units) == 2.0


def test_no_serials_ips_or_free_text(net: SmallNetwork, registry: CollectorRegistry) -> None:
    text = generate_latest(registry).decode()
    assert SECRET_SERIAL not in text
    assert not re.search(r'"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"', text)  # no management IPs as label values


def test_promtool_check_metrics_passes(net: SmallNetwork, registry: CollectorRegistry) -> None:
    text = generate_latest(registry).decode()
    result = run([tool("promtool"), "check", "metrics"], stdin=text)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "yunwang_link_up{" in text


def test_scrape_query_budget(
    net: SmallNetwork, registry: CollectorRegistry, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    # One query per family group, whatever the size of the network (golden: update on purpose only).
    with django_assert_max_num_queries(18):
        generate_latest(registry)


def cov(area: str, area_level: str, level: str, variant: str, mode: str) -> dict[str, str]:
    return {"area_code": area, "area_level": area_level, "county": COUNTY, "level": level, "variant": variant,
            "access_mode": mode}  # fmt: skip


def test_coverage_families(net: SmallNetwork, registry: CollectorRegistry) -> None:
    value = registry.get_sample_value
    assert value("yunwang_coverage_ratio", cov(COUNTY, "county", "township", "registered", "all")) == 1.0
    # The street office's device is down, but the township's subtree holds the community, online over VPN.
    assert value("yunwang_coverage_ratio", cov(COUNTY, "county", "township", "online", "all")) == 1.0
    assert value("yunwang_coverage_ratio", cov(COUNTY, "county", "township", "online", "dedicated")) == 0.0
    # The community joins over VPN, and its VPN account is online.
    assert value("yunwang_coverage_ratio", cov(TOWNSHIP, "township", "village", "online", "vpn")) == 1.0
    assert value("yunwang_coverage_ratio", cov(TOWNSHIP, "township", "village", "registered", "dedicated")) == 0.0
    units = {"county": COUNTY, "level": "village", "kind": "community_committee"}
    assert value("yunwang_access_units", units) == 1.0
    assert value("yunwang_department_connection_ratio") == 0.0  # 卫健委 must connect and has no site


def test_coverage_agrees_with_the_query_functions(net: SmallNetwork) -> None:
    from inventory.coverage import coverage

    family = next(f for f in YunwangCollector().collect() if f.name == "yunwang_coverage_ratio")
    assert len(family.samples) == 3 * 2 * 3  # (county×township, county×village, township×village) × variants × modes
    for sample in family.samples:
        labels = sample.labels
        mode = None if labels["access_mode"] == "all" else labels["access_mode"]
        expected = coverage(labels["area_code"], labels["level"], variant=labels["variant"], access_mode=mode)
        assert sample.value == expected.ratio, labels


def test_county_of_a_code_and_of_its_prefix_agree() -> None:
    from dashboards.metrics_queries import Counties, _county_of_prefix

    county = Counties()
    for code in ("370000000000", "371300000000", "371302000000", "371302001000", "371302001201", None):
        expected = "" if code in (None, "370000000000", "371300000000") else "371302000000"
        assert county(code) == expected
        if code:
            assert _county_of_prefix(code[:6]) == expected
