"""/compliance/: MLPS 2.0 counts per check and the failing list, from current results only; filters, pages, exports."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from collectors.compliance import CHECKS
from dashboards.views import compliance_source
from inventory.models import ComplianceResult
from inventory.models.areas import prefix_of
from tests.dashboards.compliance_data import ComplianceNetwork, build_compliance
from tests.dashboards.pages_data import client_for

pytestmark = pytest.mark.django_db
URL = "/compliance/"
EXPORT = "/compliance/export/"


@pytest.fixture
def data() -> ComplianceNetwork:
    return build_compliance(20)


@pytest.fixture
def operator() -> Client:
    return client_for("olga", "operator")


def counts_of(response: Any) -> dict[str, tuple[int, int, int]]:
    return {c.check_id: (c.passed, c.failed, c.not_applicable) for c, _link in response.context["counts"]}


def expected_counts(data: ComplianceNetwork, prefix: str = "") -> dict[str, tuple[int, int, int]]:
    return {check: (c["pass"], c["fail"], c["not_applicable"]) for check, c in data.expected_counts(prefix).items()}


def all_failing_rows(client: Client, **params: str) -> list[Any]:
    rows: list[Any] = []
    page = 1
    while True:
        failing = client.get(URL, {**params, "page": str(page)}).context["failing"]
        rows += failing.rows
        if failing.next_link is None:
            return rows
        page += 1


def test_urls_and_roles(data: ComplianceNetwork) -> None:
    assert reverse("dashboards:compliance") == URL and reverse("dashboards:compliance_export") == EXPORT
    admin = client_for("adm", "admin")
    assert admin.get(URL).status_code == 200
    assert admin.post(URL, {}).status_code == 405  # read-only, like every page
    for persona in (client_for("peng", "planner"), client_for("otto")):
        for url in (URL, EXPORT):
            response = persona.get(url)
            assert response.status_code == 403 and "无权访问" in response.content.decode()
    assert Client().get(URL)["Location"] == "/login/?next=/compliance/"


def test_counts_per_check_match_the_current_results(data: ComplianceNetwork, operator: Client) -> None:
    response = operator.get(URL)
    assert response.status_code == 200
    counts = counts_of(response)
    assert list(counts) == list(CHECKS)  # the 16 checks, in their defined order
    assert counts == expected_counts(data)
    # By hand, 19 devices in service (i = 1..19): even i fail SSH; i = 3, 6, ..., 18 fail NTP.
    assert counts["ssh_not_telnet"] == (10, 9, 0)
    assert counts["ntp"] == (13, 6, 0)
    assert counts["snmpv3_only"] == (0, 0, 19)
    # Non-current results do not count: every device failed login_banner at t0.
    assert counts["login_banner"] == (14, 5, 0)
    assert response.context["devices_checked"] == 19
    html = response.content.decode()
    assert "远程管理使用SSH而非Telnet" in html and 'data-check="acl_on_management"' in html


def test_decommissioned_devices_are_left_out(data: ComplianceNetwork, operator: Client) -> None:
    gone = data.decommissioned.name
    assert ComplianceResult.objects.filter(device=data.decommissioned, current=True, status="fail").exists()
    rows = all_failing_rows(operator)
    assert gone not in {r.device for r in rows}
    assert gone not in operator.get(EXPORT, {"format": "csv"}).content.decode("utf-8-sig")


def test_failing_list_has_evidence_device_links_and_failing_since(data: ComplianceNetwork, operator: Client) -> None:
    rows = all_failing_rows(operator)
    got = {(r.device, r.check_id): r.failing_since for r in rows}
    assert got == data.expected_failing()
    assert len(rows) == len(got) == sum(f for _p, f, _n in expected_counts(data).values())
    # Device 2 (kf-acc-00003): never passed SSH (since t0), idle timeout broken by "not applicable" (since t2).
    device = data.devices[2]
    t0, t1, t2 = data.times
    assert got[(device.name, "ssh_not_telnet")] == t0 and got[(device.name, "idle_timeout")] == t2
    assert got[(data.devices[3].name, "ntp")] == t1  # passed at t0
    assert got[(data.devices[5].name, "login_banner")] == t2  # passed at t1
    assert [(r.device, r.check_id) for r in rows] == sorted((r.device, r.check_id) for r in rows)
    row = next(r for r in rows if (r.device, r.check_id) == (device.name, "ssh_not_telnet"))
    assert row.url == f"/devices/{device.pk}/" and row.area == device.site.area.name
    assert row.title == "远程管理使用SSH而非Telnet"
    html = operator.get(URL).content.decode()
    assert f'<a href="/devices/{device.pk}/">{device.name}</a>' in html
    assert "ssh_not_telnet: line 1 of kf-acc-00003\nssh_not_telnet: line 2" in html
    local_t0 = timezone.localtime(t0).strftime("%Y-%m-%d %H:%M")
    assert f">{local_t0}</time>" in html


def new_set(device_pk: int, status: str, when: datetime.datetime) -> None:
    """A new current set for one device (just the SSH check: the others leave the current set)."""
    ComplianceResult.objects.filter(device_id=device_pk).update(current=False)
    ComplianceResult.objects.create(device_id=device_pk, check_id="ssh_not_telnet", status=status, checked_at=when)


def ssh_failing_since(client: Client, name: str) -> list[datetime.datetime]:
    return [r.failing_since for r in all_failing_rows(client, check="ssh_not_telnet") if r.device == name]


def test_failing_since_follows_the_run_of_fails(data: ComplianceNetwork, operator: Client) -> None:
    device = data.devices[2]
    hour = datetime.timedelta(hours=1)
    later = data.times[2] + hour
    new_set(device.pk, "fail", later)  # still failing: the run goes on
    assert ssh_failing_since(operator, device.name) == [data.times[0]]
    new_set(device.pk, "pass", later + hour)  # fixed
    assert ssh_failing_since(operator, device.name) == []
    new_set(device.pk, "fail", later + 2 * hour)  # failing again: a new run
    assert ssh_failing_since(operator, device.name) == [later + 2 * hour]
    new_set(device.pk, "fail", later + 3 * hour)
    assert ssh_failing_since(operator, device.name) == [later + 2 * hour]


def test_filter_by_area_and_check(data: ComplianceNetwork, operator: Client) -> None:
    township = data.net.townships[0]
    response = operator.get(URL, {"area": township})
    assert counts_of(response) == expected_counts(data, prefix_of(township))
    rows = all_failing_rows(operator, area=township)
    assert rows and {(r.device, r.check_id): r.failing_since for r in rows} == data.expected_failing(
        prefix_of(township)
    )
    assert all(r.area_code.startswith(prefix_of(township)) for r in rows)
    ntp = all_failing_rows(operator, area=township, check="ntp")
    assert {r.check_id for r in ntp} == {"ntp"} and len(ntp) == counts_of(response)["ntp"][1]
    by_check = operator.get(URL, {"check": "ntp"})
    assert by_check.context["failing"].total == 6 and counts_of(by_check) == expected_counts(data)
    # Unknown values are ignored, never an error.
    bogus = operator.get(URL, {"area": "bogus", "check": "nonsense", "page": "x"})
    assert bogus.status_code == 200 and bogus.context["failing"].total == 9 + 6 + 5 + 4


def test_pagination_is_server_side(data: ComplianceNetwork, operator: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compliance_source, "PAGE_SIZE", 7)
    first = operator.get(URL).context["failing"]
    assert (first.total, first.pages, len(first.rows), first.first_index, first.last_index) == (24, 4, 7, 1, 7)
    rows = all_failing_rows(operator)
    assert len(rows) == 24 and len({(r.device, r.check_id) for r in rows}) == 24
    last = operator.get(URL, {"page": "99"}).context["failing"]
    assert last.page == 4 and len(last.rows) == 3 and last.next_link is None
    assert last.prev_link == "?page=3"
    filtered = operator.get(URL, {"check": "ntp", "page": "1"}).context["failing"]
    assert filtered.next_link is None and filtered.total == 6
    ssh = operator.get(URL, {"check": "ssh_not_telnet"}).context["failing"]
    assert (ssh.total, ssh.next_link) == (9, "?check=ssh_not_telnet&page=2")


def test_csv_and_xlsx_exports_hold_every_failing_row(data: ComplianceNetwork, operator: Client) -> None:
    response = operator.get(EXPORT, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="compliance-failing.csv"'
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == [
        "设备",
        "区划代码",
        "行政区划",
        "检查项",
        "检查项名称",
        "不合规起始时间",
        "最近检查时间",
        "依据",
    ]
    expected = data.expected_failing()
    assert len(table) - 1 == len(expected) == 24
    local = {key: timezone.localtime(since).strftime("%Y-%m-%d %H:%M:%S") for key, since in expected.items()}
    assert {(r[0], r[3]): r[5] for r in table[1:]} == local
    device = data.devices[2]
    line = next(r for r in table if r[0] == device.name and r[3] == "idle_timeout")
    assert line[1] == device.site.area_id and line[4] == "登录超时自动退出"
    assert line[7] == "idle_timeout: line 1 of kf-acc-00003\nidle_timeout: line 2"
    xlsx = operator.get(EXPORT, {"format": "xlsx", "check": "ntp", "area": data.net.townships[0]})
    assert xlsx["Content-Disposition"].endswith(f'compliance-failing-{data.net.townships[0]}-ntp.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    wanted = {
        k: v for k, v in local.items() if k[1] == "ntp" and k in data.expected_failing(prefix_of(data.net.townships[0]))
    }
    assert values[0][0] == "设备" and {(r[0], r[3]): r[5] for r in values[1:]} == wanted


def page_queries(client: Client, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant(data: ComplianceNetwork, operator: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    township = data.net.townships[0]
    measured = []
    for size in (5, 50):  # 5 rows on the page, then all 24
        monkeypatch.setattr(compliance_source, "PAGE_SIZE", size)
        assert len(operator.get(URL).context["failing"].rows) == min(size, 24)
        measured.append((page_queries(operator, URL), page_queries(operator, URL, area=township, check="ntp")))
    assert measured[0] == measured[1]
    # The export: 6 rows (one check) or 24 (all), the same queries.
    assert page_queries(operator, EXPORT, format="csv", check="ntp") == page_queries(operator, EXPORT, format="xlsx")
    # session, user, roles, counts, page ids, rows (with failing since), area choices; export: session, user,
    # roles, rows.
    assert measured[0] == (7, 7) and page_queries(operator, EXPORT, format="csv") == 4


def test_retired_check_ids_are_listed_after_the_sixteen(data: ComplianceNetwork, operator: Client) -> None:
    """A check id no longer in CHECKS but still in a current set (an older collector's) is shown under its id."""
    device = data.devices[1]
    ComplianceResult.objects.create(device=device, check_id="ssh_only", status="fail", checked_at=data.times[2])
    response = operator.get(URL)
    counts = counts_of(response)
    assert list(counts)[:16] == list(CHECKS) and list(counts)[16:] == ["ssh_only"]
    assert counts["ssh_only"] == (0, 1, 0)
    links = dict((c.check_id, link) for c, link in response.context["counts"])
    assert links["ssh_only"] is None and links["ntp"] == "?check=ntp"  # the check filter knows only the 16
    rows = [r for r in all_failing_rows(operator) if r.check_id == "ssh_only"]
    assert [(r.device, r.title, r.failing_since) for r in rows] == [(device.name, "ssh_only", data.times[2])]


def test_english_titles_and_nav(data: ComplianceNetwork, operator: Client) -> None:
    html = operator.get(URL).content.decode()
    assert 'href="/compliance/"' in html and 'href="/availability/"' in html and "合规检查" in html
    operator.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = operator.get(URL).content.decode()
    assert "Remote management over SSH, not Telnet" in html and "Failing since" in html
    planner_html = client_for("peng", "planner").get("/status/").content.decode()
    assert 'href="/compliance/"' not in planner_html and 'href="/availability/"' not in planner_html
