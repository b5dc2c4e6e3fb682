"""`manage.py compliance` over results stored by a real SSH cycle (recorded CLI sessions): table per device,
summary per check, --area / --device filters, JSON with masked evidence; the latest set after a regression."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from collectors.ssh_runner import run_ssh_cycle
from inventory.models import CredentialProfile, Device, Platform
from tests.collectors import poll_factories as f
from tests.collectors.sshstore_support import copy_case, leaked, replay, secrets_of

pytestmark = pytest.mark.django_db
VRP, COMWARE = "127.0.0.51", "127.0.0.52"
CONFIG = "display_current-configuration.txt"


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    profile = CredentialProfile.objects.create(name="ssh", ssh_username="ywadmin", ssh_password="pw-not-shown")
    vrp = Platform.objects.create(name="Huawei VRP", slug="huawei_vrp")
    comware = Platform.objects.create(name="H3C Comware", slug="h3c_comware")
    f.device("KF-CORE-01", host=VRP, credentials=profile, platform=vrp)
    f.device("KF-AGG-01", host=COMWARE, credentials=profile, platform=comware)
    folders = {VRP: copy_case("huawei_vrp/core_switch", tmp_path / "vrp")}
    folders[COMWARE] = copy_case("h3c_comware/aggregation", tmp_path / "comware")
    assert run_ssh_cycle(Device.objects.all(), session_factory=replay(folders), progress=False).failed == 0
    return folders


def compliance(*args: str) -> str:
    out = StringIO()
    call_command("compliance", *args, stdout=out)
    return out.getvalue()


def as_json(*args: str) -> list[dict[str, Any]]:
    data = json.loads(compliance("--json", *args))
    assert isinstance(data, list)
    return data


def test_table_per_device_and_summary_per_check(folders: dict[str, Path]) -> None:
    data = {d["device"]: d for d in as_json()}
    assert set(data) == {"KF-CORE-01", "KF-AGG-01"} and all(len(d["results"]) == 16 for d in data.values())
    table = compliance().splitlines()
    core = next(x for x in table if x.startswith("KF-CORE-01"))
    failing = [r["check_id"] for r in data["KF-CORE-01"]["results"] if r["status"] == "fail"]
    assert core.endswith(", ".join(failing) or "-")
    ntp = next(x for x in table if x.startswith("ntp "))
    statuses = [next(r["status"] for r in d["results"] if r["check_id"] == "ntp") for d in data.values()]
    assert ntp.split()[1:4] == [str(statuses.count(s)) for s in ("pass", "fail", "not_applicable")]
    assert "NTP时间同步" in ntp


def test_filters(folders: dict[str, Path]) -> None:
    assert [d["device"] for d in as_json("--device", "KF-AGG-01")] == ["KF-AGG-01"]
    assert len(as_json("--area", "430105000000")) == 2
    assert as_json("--area", "371300000000") == []
    with pytest.raises(CommandError, match="12-digit"):
        compliance("--area", "4301")
    with pytest.raises(CommandError, match="no device named"):
        compliance("--device", "KF-NOPE")


def test_latest_set_shows_a_regression_and_evidence_is_masked(folders: dict[str, Path]) -> None:
    path = folders[VRP] / CONFIG
    raw = path.read_text(encoding="utf-8")
    secrets = secrets_of(raw, "huawei_vrp") | secrets_of((folders[COMWARE] / CONFIG).read_text("utf-8"), "h3c_comware")
    path.write_text(raw.replace("undo telnet server enable", "telnet server enable"), encoding="utf-8")
    assert run_ssh_cycle(Device.objects.all(), session_factory=replay(folders), progress=False).failed == 0
    [core] = as_json("--device", "KF-CORE-01")
    telnet = next(r for r in core["results"] if r["check_id"] == "ssh_not_telnet")
    assert telnet["status"] == "fail" and "telnet server enable" in telnet["evidence"]
    assert leaked(secrets, compliance("--json") + compliance()) == set()
    assert any("******" in r["evidence"] for d in as_json() for r in d["results"])  # secrets shown masked
