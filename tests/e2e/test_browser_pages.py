"""End-to-end: sign in through the real form in headless Chromium, open every page against a live server, check
real content (counts, a failed device, coverage and 上云率 matching the query functions), the language switch and
the auto-refresh, with no JavaScript console errors. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from dashboards.alerts import Alarm, link_availability_by_county, record_alarms
from inventory.coverage import coverage, link_availability
from inventory.migration import migration_rate
from inventory.models import Area, Device, EventKind, Link, StatusEvent
from tests.dashboards.pages_data import COUNTY, PASSWORD, Network, build_network, make_user
from tests.e2e.browser import Browser

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def net(transactional_db: Any) -> Network:
    network = build_network(60)
    make_user("olga", "operator")
    make_user("peng", "planner")
    return network


def no_console_errors(browser: Browser, page: str) -> None:
    assert browser.console_errors() == [], page


def test_operator_board_device_page_refresh_and_language(browser: Browser, net: Network) -> None:
    browser.sign_in("olga", PASSWORD)
    assert browser.driver.current_url.endswith("/status/")
    down = Device.objects.filter(reachable=False, isolated=False).count()
    assert browser.text("#count-down") == str(down)
    assert browser.text("#count-all") == "60"
    assert browser.text("h1") == "运行状态"
    first_row = browser.find("#device-table tbody tr")
    assert first_row.get_attribute("class") == "state-down"  # problems first
    assert net.down.name in browser.text("#device-table")
    browser.screenshot("status-board-zh")
    no_console_errors(browser, "status board")

    # A device fails: the board picks it up without a page reload.
    browser.js("window.__sameDocument = true;")
    core = Device.objects.filter(name="kf-core-1")
    core.update(reachable=False, poll_error_kind="timeout", last_polled=timezone.now())
    browser.js("window.yunwangRefreshBoard();")
    browser.wait_for(lambda: browser.text("#count-down") == str(down + 1))
    assert browser.js("return window.__sameDocument === true;")
    assert any("kf-core-1" in row.text for row in browser.find_all("#device-table tbody tr.state-down"))

    # Filters: search narrows the table to one device.
    browser.open("/status/?q=kf-acc-00012")
    rows = browser.find_all("#device-table tbody tr")
    assert len(rows) == 1 and "kf-core-1" in rows[0].text  # isolated, and its upstream cause is named
    no_console_errors(browser, "status board filtered")

    # Device page of the isolated device: cause, timeline.
    browser.open(f"/devices/{net.isolated.pk}/")
    assert "kf-core-1" in browser.text("#isolation-cause")
    assert browser.find_all("#events li")
    browser.screenshot("device-isolated-zh")
    browser.open(f"/devices/{net.core.pk}/")
    assert "snmpv3_only" in browser.text("#compliance")
    assert browser.find_all("pre.diff .d-add")
    browser.screenshot("device-core-zh")
    no_console_errors(browser, "device pages")

    # Language switch to English and back.
    browser.open("/status/")
    browser.find("#lang-en").click()
    browser.wait_for(lambda: browser.text("h1") == "Status board")
    assert "never polled" in browser.text("#counts")
    browser.screenshot("status-board-en")
    browser.find("#lang-zh-hans").click()
    browser.wait_for(lambda: browser.text("h1") == "运行状态")


def test_operator_compliance_and_availability_pages(browser: Browser, net: Network) -> None:
    now = timezone.now()
    link = Link.objects.get(b_interface__device=net.isolated)
    for kind, hours_ago in ((EventKind.LINK_DOWN, 30), (EventKind.LINK_UP, 28)):  # 2 h down, in the status history
        StatusEvent.objects.create(time=now - hours_ago * HOUR, kind=kind, link=link, device=net.isolated)
    labels = {"alertname": "LinkDown", "severity": "critical", "county": COUNTY}
    record_alarms(  # Alertmanager saw 1 h of it
        [
            Alarm("e2e-1", "LinkDown", "firing", now - 29 * HOUR, None, labels),
            Alarm("e2e-1", "LinkDown", "resolved", now - 29 * HOUR, now - 28 * HOUR, labels),
        ]
    )
    browser.sign_in("olga", PASSWORD)

    browser.open("/compliance/")
    assert browser.text("#check-counts tr[data-check=snmpv3_only] .n-fail") == "1"
    assert browser.text("#check-counts tr[data-check=ssh_not_telnet] .n-pass") == "1"
    failing = browser.find_all("#failing-table tbody tr")
    assert [(r.get_attribute("data-device"), r.get_attribute("data-check")) for r in failing] == [
        (net.core.name, "snmpv3_only")
    ]
    browser.find("#check-counts tr[data-check=ssh_not_telnet] a").click()  # the check's title filters the list
    browser.wait_for(lambda: "check=ssh_not_telnet" in browser.driver.current_url)
    assert "empty" in (browser.find("#failing-table tbody tr td").get_attribute("class") or "")
    browser.screenshot("compliance-zh")
    no_console_errors(browser, "compliance")

    browser.open("/availability/")
    end = timezone.now()
    history = link_availability(COUNTY, end - datetime.timedelta(days=7), end).counties[0]
    ledger = link_availability_by_county(end - datetime.timedelta(days=7), end)[COUNTY]
    row = f"#availability-table tr[data-county='{COUNTY}']"
    assert history.down_seconds == pytest.approx(2 * 3600) and ledger.down_seconds == pytest.approx(3600)
    assert history.availability is not None and ledger.availability is not None
    assert browser.text(f"{row} .history-availability") == f"{history.availability * 100:.3f}%"
    assert browser.text(f"{row} .availability") == f"{ledger.availability * 100:.3f}%"
    assert (browser.text(f"{row} .history-downtime"), browser.text(f"{row} .alarms")) == ("0d 02:00:00", "1")
    browser.screenshot("availability-zh")
    no_console_errors(browser, "availability")


# A 1x1 PNG.
TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def test_planner_coverage_map_and_migration_report(browser: Browser, net: Network, settings: Any) -> None:
    browser.sign_in("peng", PASSWORD)
    assert "/coverage/" in browser.driver.current_url
    expected = coverage(COUNTY, "village")
    assert browser.text("#coverage-total") == str(expected.total)
    assert browser.text("#coverage-covered") == str(expected.covered)
    assert browser.text("#coverage-rate") == f"{expected.covered / expected.total * 100:.1f}%"
    assert browser.text("#uncovered-count") == str(len(expected.uncovered or ()))
    # No boundaries uploaded: the hierarchy (treemap) view, drawn by the vendored ECharts.
    browser.wait_for(lambda: browser.js("return !!window.yunwangCoverageChart;"))
    assert browser.js("return window.yunwangCoverageChart.getOption().series[0].type;") == "treemap"
    assert browser.js("return window.yunwangCoverageChart.getOption().series[0].data.length;") == 3
    browser.screenshot("coverage-treemap-zh")
    no_console_errors(browser, "coverage treemap")

    # Drill down into the first township from the table.
    browser.find("#coverage-table tbody tr a").click()
    browser.wait_for(lambda: "area=" + net.townships[0] in browser.driver.current_url)
    township = coverage(net.townships[0], "village")
    assert browser.text("#coverage-covered") == str(township.covered)
    no_console_errors(browser, "coverage township")

    # A planner uploads boundaries (admin does this; here straight into the model): the map view appears.
    for i, code in enumerate(net.townships):
        x = 112.98 + i * 0.02
        ring = [[x, 28.2], [x + 0.02, 28.2], [x + 0.02, 28.23], [x, 28.23], [x, 28.2]]
        Area.objects.filter(code=code).update(boundary={"type": "Polygon", "coordinates": [ring]})
    browser.open(f"/coverage/?area={COUNTY}&mode=vpn")
    browser.wait_for(lambda: browser.js("return !!window.yunwangCoverageChart;"))
    assert browser.js("return window.yunwangCoverageChart.getOption().geo[0].map;") == "yunwang-areas"
    vpn = coverage(COUNTY, "village", access_mode="vpn")
    assert browser.text("#coverage-covered") == str(vpn.covered)
    browser.screenshot("coverage-map-vpn-zh")
    browser.find(".switch button[data-view=tree]").click()
    assert browser.js("return window.yunwangCoverageChart.getOption().series[0].type;") == "treemap"
    no_console_errors(browser, "coverage map")

    # With a tile server configured (here a data: URL, so nothing leaves the machine) tiles go under the map.
    settings.YUNWANG_MAP_TILE_URL = TILE + "#{z}/{x}/{y}"
    browser.open(f"/coverage/?area={COUNTY}")
    browser.wait_for(lambda: len(browser.find_all("#map-tiles img")) > 0)
    source = browser.find("#map-tiles img").get_attribute("src") or ""
    zoom, x, y = (int(part) for part in source.split("#")[1].split("/"))
    assert 10 <= zoom <= 16 and 0 < x < 2**zoom and 0 < y < 2**zoom  # Changsha-sized tiles, placeholders filled
    browser.screenshot("coverage-map-tiles")
    no_console_errors(browser, "coverage map with tiles")

    browser.open("/migration/")
    rate = migration_rate()
    assert rate.ratio is not None
    assert browser.text("#migration-rate") == f"{rate.ratio * 100:.1f}%"
    assert browser.text("#migration-migrated") == str(rate.migrated)
    assert "保密局批复〔2023〕12号" in browser.text("#exemptions")
    browser.screenshot("migration-zh")
    no_console_errors(browser, "migration")
