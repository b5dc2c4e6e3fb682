"""Every page, with the three personas: operator, planner, outsider (signed in without a role) and anonymous."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.views.coverage_source import coverage_total
from inventory.coverage import coverage
from inventory.models import Site
from tests.dashboards.pages_data import COUNTY, Network, build_network, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def net() -> Network:
    return build_network(20)


@pytest.fixture
def operator() -> Client:
    return client_for("olga", "operator")


@pytest.fixture
def planner() -> Client:
    return client_for("peng", "planner")


@pytest.fixture
def outsider() -> Client:
    return client_for("otto")


def test_status_board_shows_counts_and_problem_devices_first(net: Network, operator: Client) -> None:
    response = operator.get(reverse("dashboards:status"))
    assert response.status_code == 200
    board = response.context["board"]
    # 20 devices: core + 19 access; i % 10: 1 down, 2 isolated, 8 stale, 9 never polled, the rest up.
    assert board.counts == {"down": 2, "isolated": 2, "stale": 2, "never": 2, "up": 12}
    states = [row.state for row in board.rows]
    assert states[:4] == ["down", "down", "isolated", "isolated"]
    assert states == sorted(states, key=["down", "isolated", "stale", "never", "up"].index)
    html = response.content.decode()
    assert "kf-core-1" in html and net.isolated.name in html


def test_isolated_device_shows_its_upstream_cause(net: Network, operator: Client) -> None:
    response = operator.get(reverse("dashboards:status"), {"state": "isolated"})
    rows = response.context["board"].rows
    assert {r.device.name for r in rows} == {net.isolated.name, "kf-acc-00012"}
    assert all(r.device.isolated_by_id == net.core.pk for r in rows)
    assert f'href="/devices/{net.core.pk}/">kf-core-1</a>' in response.content.decode()


def test_board_filters_by_area_role_vendor_and_search(net: Network, operator: Client) -> None:
    url = reverse("dashboards:status")
    by_role = operator.get(url, {"role": "core"}).context["board"]
    assert [r.device.name for r in by_role.rows] == ["kf-core-1"]
    by_vendor = operator.get(url, {"vendor": "huawei"}).context["board"]
    assert {r.device.vendor_slug for r in by_vendor.rows} == {"huawei"}
    assert operator.get(url, {"q": "SN0000005"}).context["board"].total == 1
    assert operator.get(url, {"q": "127.10.0"}).context["board"].rows[0].device.name == "kf-core-1"
    township = net.townships[0]
    in_township = operator.get(url, {"area": township}).context["board"]
    assert in_township.total > 0
    assert all(r.device.area_code.startswith(township[:9]) for r in in_township.rows)
    assert operator.get(url, {"area": "bogus", "state": "nonsense"}).context["board"].total == 20


def test_fragment_refresh_returns_the_table_only(net: Network, operator: Client) -> None:
    response = operator.get(reverse("dashboards:status_fragment"), {"state": "down"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert net.down.name in html and 'id="count-down">2<' in html


def test_pagination_pages_through_every_device(operator: Client) -> None:
    build_network(120)
    seen: list[str] = []
    for number in (1, 2, 3):
        board = operator.get(reverse("dashboards:status"), {"page": number}).context["board"]
        seen += [r.device.name for r in board.rows]
    assert len(seen) == 120 and len(set(seen)) == 120
    assert operator.get(reverse("dashboards:status"), {"page": 99}).context["board"].page == 3


def test_device_page_for_operator_has_configs_and_compliance(net: Network, operator: Client) -> None:
    response = operator.get(reverse("dashboards:device", args=[net.core.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "HW-CORE-0001" in html and "3d 00:00:07" in html
    assert "GE0/0/2" in html and net.isolated.name in html  # the link to the isolated device
    assert "unknown-switch" in html  # an LLDP neighbour not in the inventory
    assert '<span class="d-add">+stelnet server enable</span>' in html
    assert "snmpv3_only" in html and "check-fail" in html
    assert "snmp-agent community read ******" in html


def test_device_page_of_isolated_device_names_the_cause(net: Network, operator: Client) -> None:
    html = operator.get(reverse("dashboards:device", args=[net.isolated.pk])).content.decode()
    assert 'id="isolation-cause"' in html and "kf-core-1" in html


def test_config_backup_page(net: Network, operator: Client, planner: Client) -> None:
    backup = net.core.config_backups.order_by("-collected_at").first()
    assert backup is not None
    url = reverse("dashboards:config_backup", args=[net.core.pk, backup.pk])
    assert "stelnet server enable" in operator.get(url).content.decode()
    assert planner.get(url).status_code == 403


def test_planner_reads_devices_without_configs(net: Network, planner: Client) -> None:
    response = planner.get(reverse("dashboards:device", args=[net.core.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "HW-CORE-0001" in html and "stelnet" not in html and "snmpv3_only" not in html


def test_coverage_page_matches_the_query_functions(net: Network, planner: Client) -> None:
    response = planner.get(reverse("dashboards:coverage"), {"area": COUNTY, "level": "village"})
    assert response.status_code == 200
    total = coverage_total(COUNTY, "village", "registered")
    assert (total.covered, total.total) == (6, 12)
    assert response.context["total_percent"] == "50.0%"
    assert len(response.context["rows"]) == 3
    assert response.context["uncovered_count"] == 6
    html = response.content.decode()
    assert 'id="coverage-rate">50.0%<' in html and "echarts.min.js" in html


def test_coverage_access_mode_and_online_variant(net: Network, planner: Client) -> None:
    url = reverse("dashboards:coverage")
    vpn = planner.get(url, {"area": COUNTY, "level": "village", "mode": "vpn"}).context
    assert vpn["total_shown"] == 3 and vpn["uncovered_count"] == 9
    # One village's access point goes dark: its devices unreachable and not seen within the window.
    dark = Site.objects.exclude(devices__in=[net.core, net.down, net.isolated]).filter(area__level="village").first()
    assert dark is not None and dark.devices.exists()
    dark.devices.update(reachable=False, last_seen=None)
    online = planner.get(url, {"area": COUNTY, "level": "village", "variant": "online"}).context
    assert online["total_shown"] == 5
    assert online["total_shown"] == coverage(COUNTY, "village", variant="online").covered
    assert dark.area_id in {u.code for u in online["uncovered"]}


def test_coverage_default_area_and_drill_down(net: Network, planner: Client) -> None:
    context = planner.get(reverse("dashboards:coverage")).context
    assert context["query"].area.code == COUNTY  # province and city have one child each: skipped
    township = net.townships[1]
    context = planner.get(reverse("dashboards:coverage"), {"area": township}).context
    assert [c.code for c, _, _ in context["rows"]] == sorted(v for v in net.villages if v.startswith(township[:9]))
    assert [a.code for a in context["crumbs"]][-2:] == [COUNTY, township]


def test_coverage_exports_csv_and_xlsx(net: Network, planner: Client) -> None:
    url = reverse("dashboards:coverage_export")
    response = planner.get(url, {"area": COUNTY, "level": "village", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[1][2:4] == ["4", "2"]
    response = planner.get(url, {"area": COUNTY, "level": "village", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.max_row == 4 and sheet.cell(2, 3).value == 4
    uncovered = planner.get(url, {"area": COUNTY, "table": "uncovered", "format": "csv"})
    assert len(uncovered.content.decode("utf-8-sig").strip().splitlines()) == 7


def test_migration_report(net: Network, planner: Client) -> None:
    response = planner.get(reverse("dashboards:migration"))
    assert response.status_code == 200
    overall = response.context["overall"]
    assert (overall.migrated, overall.should_migrate, overall.exempt) == (3, 5, 1)
    html = response.content.decode()
    assert 'id="migration-rate">60.0%<' in html and "保密局批复〔2023〕12号" in html


def test_migration_exports(net: Network, planner: Client) -> None:
    url = reverse("dashboards:migration_export")
    rows = list(csv.reader(io.StringIO(planner.get(url, {"format": "csv"}).content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["部门", "系统数", "豁免", "应上云", "已上云", "上云率"]
    assert rows[1:] == [
        ["财政局", "4", "0", "4", "2", "0.5", "0", "1", "1", "2", "0"],
        ["公安局", "2", "1", "1", "1", "1.0", "0", "0", "0", "1", "1"],
        ["合计", "6", "1", "5", "3", "0.6", "0", "1", "1", "3", "1"],
    ]
    exempt = planner.get(url, {"table": "exemptions", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(exempt.content)).active
    assert sheet is not None and sheet.cell(2, 2).value == "涉密办公系统"


def test_pages_are_chinese_by_default_and_switch_to_english(net: Network, operator: Client) -> None:
    html = operator.get(reverse("dashboards:status")).content.decode()
    assert "运行状态" in html and "未轮询" in html and 'lang="zh-hans"' in html
    response = operator.post("/i18n/setlang/", {"language": "en", "next": "/status/"})
    assert response.status_code == 302 and response["Location"] == "/status/"
    html = operator.get(reverse("dashboards:status")).content.decode()
    assert "Status board" in html and "never polled" in html and "运行状态" not in html
