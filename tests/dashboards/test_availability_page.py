"""/availability/: link availability per county from the alarm ledger, over 1 / 7 / 30 days, worst first."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards.alerts import Alarm, link_availability_by_county, record_alarms
from inventory.coverage import link_availability
from inventory.models import Area, Device, DeviceRole, DeviceType, EventKind, Interface, Link, Site, StatusEvent
from tests.dashboards.network import COUNTY, build_small_network
from tests.dashboards.pages_data import client_for

pytestmark = pytest.mark.django_db
URL = "/availability/"
EXPORT = "/availability/export/"
CITY = "430100000000"
FURONG = "430102000000"  # one monitored link, three 2-hour outages this week, one more 10 days ago
TIANXIN = "430103000000"  # alarms, but no monitored link in the inventory
HOUR = datetime.timedelta(hours=1)


def link_in(area: str, name: str) -> Link:
    site = Site.objects.create(name=f"{name}-site", area_id=area)
    role, dtype = DeviceRole.objects.get(slug="core"), DeviceType.objects.get()
    a, b = (Device.objects.create(name=f"{name}-{end}", site=site, role=role, device_type=dtype) for end in "ab")
    a_if = Interface.objects.create(device=a, if_index=1, name="GE0/0/1")
    b_if = Interface.objects.create(device=b, if_index=1, name="GE0/0/1")
    return Link.objects.create(a_interface=a_if, b_interface=b_if, kind="uplink")


def link_down(county: str, fingerprint: str, start: datetime.datetime, end: datetime.datetime | None) -> None:
    """A LinkDown alarm as the webhook records it: a firing row, and a resolved one once it ended."""
    labels = {"alertname": "LinkDown", "severity": "critical", "county": county, "device": "x"}
    alarms = [Alarm(fingerprint, "LinkDown", "firing", start, None, labels)]
    if end is not None:
        alarms.append(Alarm(fingerprint, "LinkDown", "resolved", start, end, labels))
    record_alarms(alarms)


@pytest.fixture
def ledger() -> datetime.datetime:
    """The alarms, relative to now (returned)."""
    build_small_network()  # 开福区 (430105000000): two monitored links
    Area.objects.create(code=FURONG, name="芙蓉区", parent_id=CITY)
    Area.objects.create(code=TIANXIN, name="天心区", parent_id=CITY)
    link_in(FURONG, "fr")
    link_in(CITY, "city-core")  # above county level
    now = timezone.now()
    link_down(COUNTY, "kf-1", now - 48 * HOUR, now - 47 * HOUR)  # 1 h, resolved
    link_down(COUNTY, "kf-2", now - HOUR / 2, None)  # still down
    for n, days_ago in enumerate((3, 4, 5, 10)):
        start = now - datetime.timedelta(days=days_ago)
        link_down(FURONG, f"fr-{n}", start, start + 2 * HOUR)
    link_down(TIANXIN, "tx-1", now - 24 * HOUR, now - 23 * HOUR)
    return now


@pytest.fixture
def operator() -> Client:
    return client_for("olga", "operator")


def test_urls_and_roles(ledger: datetime.datetime) -> None:
    assert reverse("dashboards:availability") == URL and reverse("dashboards:availability_export") == EXPORT
    admin = client_for("adm", "admin")
    assert admin.get(URL).status_code == 200
    assert admin.post(URL, {}).status_code == 405  # read-only, like every page
    for persona in (client_for("peng", "planner"), client_for("otto")):
        assert persona.get(URL).status_code == 403 and persona.get(EXPORT).status_code == 403
    assert Client().get(URL)["Location"] == "/login/?next=/availability/"


def test_figures_are_the_ledgers_worst_first(ledger: datetime.datetime, operator: Client) -> None:
    response = operator.get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.days == 7 and report.end - report.start == datetime.timedelta(days=7)
    assert [r.code for r in report.rows] == [FURONG, COUNTY, "", TIANXIN]
    assert {r.code: r.figures for r in report.rows} == link_availability_by_county(report.start, report.end)
    furong, kaifu, city, tianxin = report.rows
    assert (furong.name, furong.figures.links, furong.figures.alarms) == ("芙蓉区", 1, 3)
    assert furong.figures.down_seconds == 6 * 3600
    assert furong.figures.availability == pytest.approx(1 - 6 / (7 * 24))
    assert (furong.percent, furong.downtime) == ("96.429%", "0d 06:00:00")
    assert (kaifu.name, kaifu.figures.links, kaifu.figures.alarms) == ("开福区", 2, 2)
    assert 1.5 * 3600 <= kaifu.figures.down_seconds < 1.6 * 3600  # the open alarm runs to the end of the window
    assert (city.figures.links, city.figures.alarms, city.percent, city.name) == (
        1,
        0,
        "100.000%",
        "市级（不属于任何县区）",
    )
    assert (tianxin.name, tianxin.figures.links, tianxin.figures.alarms, tianxin.percent) == ("天心区", 0, 1, "—")
    html = response.content.decode()
    assert '<td class="num availability">96.429%</td>' in html and "0d 06:00:00" in html
    assert html.index('data-county="430102000000"') < html.index('data-county="430105000000"')


def test_window_changes_the_figures_and_the_order(ledger: datetime.datetime, operator: Client) -> None:
    day = operator.get(URL, {"days": "1"}).context["report"]
    assert [r.code for r in day.rows] == [COUNTY, "", FURONG, TIANXIN]
    assert {r.code: r.figures for r in day.rows} == link_availability_by_county(day.start, day.end)
    assert {r.code: r.figures.alarms for r in day.rows} == {COUNTY: 1, "": 0, FURONG: 0, TIANXIN: 1}
    month = operator.get(URL, {"days": "30"}).context["report"]
    furong = next(r for r in month.rows if r.code == FURONG)
    assert (furong.figures.alarms, furong.figures.down_seconds) == (4, 8 * 3600)
    assert furong.figures.availability == pytest.approx(1 - 8 / (30 * 24))
    for bogus in ("2", "x", ""):
        assert operator.get(URL, {"days": bogus}).context["report"].days == 7


def test_status_history_is_the_reported_figure_and_sorts_first(ledger: datetime.datetime, operator: Client) -> None:
    # The city-level link went down 12 h ago for 3 h and no alarm reached the ledger: the status history shows it,
    # and sorts the row first (the ledger says 100 %).
    city_link = Link.objects.get(b_interface__device__name="city-core-b")
    for kind, hours_ago in ((EventKind.LINK_DOWN, 12), (EventKind.LINK_UP, 9)):
        StatusEvent.objects.create(
            time=ledger - hours_ago * HOUR, kind=kind, link=city_link, device=city_link.b_interface.device
        )
    response = operator.get(URL)
    report = response.context["report"]
    expected = {c.code or "": c for c in link_availability(None, report.start, report.end).counties}
    assert {r.code: r.history for r in report.rows} == {**expected, TIANXIN: None}
    assert [r.code for r in report.rows] == ["", FURONG, COUNTY, TIANXIN]
    city = report.rows[0]
    assert city.history is not None and city.history.down_seconds == pytest.approx(3 * 3600, abs=1)
    assert (city.history_percent, city.percent) == (f"{(1 - 3 / 168) * 100:.3f}%", "100.000%")
    html = response.content.decode()
    assert f'<td class="num history-availability">{city.history_percent}</td>' in html
    assert '<td class="num history-downtime">0d 03:00:00</td>' in html
    assert "状态历史" in html and "告警记录" in html


def test_exports(ledger: datetime.datetime, operator: Client) -> None:
    response = operator.get(EXPORT, {"days": "30", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="link-availability-30d.csv"'
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:6] == ["区划代码", "县（区）", "监控链路数", "可用率", "中断时长（链路·秒）", "链路中断告警数"]
    assert table[0][6:] == ["可用率（状态历史）", "中断时长（状态历史，链路·秒）"]
    assert [row[0] for row in table[1:]] == [FURONG, COUNTY, "", TIANXIN]
    assert table[1] == [FURONG, "芙蓉区", "1", str(round(1 - 8 / 720, 6)), "28800.0", "4", "1.0", "0.0"]
    assert table[4][3] == ""  # no monitored link: no rate
    sheet = load_workbook(io.BytesIO(operator.get(EXPORT, {"format": "xlsx"}).content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == (FURONG, "芙蓉区", 1) and rows[1][3] == pytest.approx(1 - 6 / 168)
    assert rows[1][4:] == (21600.0, 3, 1.0, 0.0)  # no link event recorded: up all along in the status history


def test_query_count_does_not_grow_with_alarms_or_counties(ledger: datetime.datetime, operator: Client) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert operator.get(URL).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for n in range(10):
        code = f"4301{11 + n:02d}000000"
        Area.objects.create(code=code, name=f"县{n}", parent_id=CITY)
        link_in(code, f"more-{n}")
        link_down(code, f"more-{n}", ledger - 5 * HOUR, ledger - 4 * HOUR)
    assert len(operator.get(URL).context["report"].rows) == 14
    # session, user, roles; ledger: monitored links, LinkDown alarms; history: links, events, county names;
    # county names
    assert queries() == before == 9


def test_nav_and_english(ledger: datetime.datetime, operator: Client) -> None:
    html = operator.get(URL).content.decode()
    assert "各县（区）链路可用率" in html and "最近 30 天" in html
    operator.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = operator.get(URL).content.decode()
    assert "Link availability (链路可用率) per county" in html and "last 30 days" in html
    assert "city level (above any county)" in html
