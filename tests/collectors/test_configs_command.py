"""`manage.py configs` over backups stored by a real SSH cycle (recorded CLI sessions): latest config, diffs,
history; masked everywhere (no secret of the recorded config in any output)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from collectors.ssh_runner import run_ssh_cycle
from inventory.models import CredentialProfile, Device, Platform
from tests.collectors import poll_factories as f
from tests.collectors.sshstore_support import copy_case, leaked, replay, secrets_of

pytestmark = pytest.mark.django_db
HOSTS = {"127.0.0.41": ("KF-CORE-01", "huawei_vrp", "huawei_vrp/core_switch"),
         "127.0.0.42": ("KF-AGG-01", "h3c_comware", "h3c_comware/aggregation")}  # fmt: skip
CONFIG = {"huawei_vrp": "display_current-configuration.txt", "h3c_comware": "display_current-configuration.txt"}


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    profile = CredentialProfile.objects.create(name="ssh", ssh_username="ywadmin", ssh_password="pw-not-shown")
    out = {}
    for host, (name, slug, case) in HOSTS.items():
        platform, _ = Platform.objects.get_or_create(slug=slug, defaults={"name": slug})
        f.device(name, host=host, credentials=profile, platform=platform)
        out[host] = copy_case(case, tmp_path / slug)
    return out


def collect(folders: dict[str, Path]) -> None:
    assert run_ssh_cycle(Device.objects.all(), session_factory=replay(folders), progress=False).failed == 0


def configs(*args: str) -> str:
    out = StringIO()
    call_command("configs", *args, stdout=out)
    return out.getvalue()


def all_secrets(folders: dict[str, Path]) -> set[str]:
    found: set[str] = {"pw-not-shown"}
    for host, (_, slug, _) in HOSTS.items():
        found |= secrets_of((folders[host] / CONFIG[slug]).read_text(encoding="utf-8"), slug)
    return found


def test_latest_diff_and_history(folders: dict[str, Path]) -> None:
    secrets = all_secrets(folders)
    assert len(secrets) >= 4
    collect(folders)
    listing = configs()
    assert "KF-AGG-01" in listing and "KF-CORE-01" in listing and "1 versions" in listing
    shown = configs("--device", "KF-CORE-01")
    assert "sysname" in shown and "******" in shown
    assert "first backup" in configs("--device", "KF-CORE-01", "--diff")
    assert configs("--diff") == ""  # nothing changed yet

    path = folders["127.0.0.41"] / CONFIG["huawei_vrp"]
    path.write_text(path.read_text(encoding="utf-8").replace("undo telnet server enable", "telnet server enable"))
    collect(folders)
    diff = configs("--device", "KF-CORE-01", "--diff").splitlines()
    assert "-undo telnet server enable" in diff and "+telnet server enable" in diff
    assert configs("--diff").startswith("== KF-CORE-01 (")  # only the device that changed
    history = configs("--device", "KF-CORE-01", "--history").splitlines()
    assert history[0] == "== KF-CORE-01" and history[1].endswith("first") and history[2].endswith("+1 -1")
    every = configs("--history", "--diff") + configs() + configs("--device", "KF-AGG-01")
    assert "+telnet server enable" in every and "== KF-AGG-01" in every
    assert leaked(secrets, every + "\n".join(diff)) == set()


def test_unknown_device_or_nothing_collected_is_an_error(folders: dict[str, Path]) -> None:
    with pytest.raises(CommandError, match="no device named"):
        configs("--device", "KF-NOPE")
    with pytest.raises(CommandError, match="no configuration collected"):
        configs("--device", "KF-CORE-01")
