"""End to end against the Kaifu lab's SSH simulator (one lab per session, tests/lab_fixture.py): an SSH cycle
over VRP, Comware and IOS devices and the VPN gateway stores facts with their source, masked configs (no secret
of the lab config anywhere a person can see), compliance as the lab intends, VPN presence that follows a lab
fault, and a changed host key as an alarm; `manage.py poll --ssh --once` and the loop's SSH schedule.

The inventory is loaded once per module inside an outer transaction that is rolled back at the end; each test
runs in its own savepoint on top of it.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from collectors.ssh.session import Timeouts
from collectors.ssh_runner import SshCycleSummary, run_ssh_cycle
from collectors.targets import pollable
from inventory.models import ChangeRecord, ComplianceResult, ConfigBackup, Device, PollCycle, StatusEvent, VpnAccount
from lab.configs import compliance_profile, config_for
from lab.inventory import load_topology
from lab.ssh.view import vpn_online_sites
from lab.state import Faults, read_faults, write_faults
from lab.topology import LabDevice
from tests.collectors.sshstore_support import leaked, secrets_of, stored_text
from tests.lab_fixture import FAULT_SETTLE_S, RunningLab, kaifu_lab  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.django_db
DIALECTS = {"KF-CORE-01": "huawei_vrp", "KF-AGG-01": "h3c_comware", "KF-AGG-13": "cisco_ios"}
GATEWAY = "KF-VPN-01"
REPLACED = "KF-ACC-1310"  # a VRP access switch whose host key a test changes (no other test uses it)
DEVICES = {*DIALECTS, GATEWAY, REPLACED}
# Generous: the lab is one Python process and CI machines are busy; a healthy cycle stays short anyway.
# Where our checks are deliberately broader than the lab's profile (as in tests/collectors/test_ssh_lab.py).
BROADER = {"insecure_services_off", "password_irreversible"}
TIMEOUTS = Timeouts(connect_seconds=5, login_seconds=10, command_seconds=20)


def ssh(names: set[str]) -> SshCycleSummary:
    return run_ssh_cycle(pollable().filter(name__in=names), concurrency=8, progress=False, timeouts=TIMEOUTS)


def lab_secrets(device: LabDevice, lab: RunningLab) -> set[str]:
    found = secrets_of(config_for(device, lab.topology), device.platform) | {device.ssh_password}
    found |= {device.snmp_community} if device.snmp_community else set()
    found |= {device.snmp_v3[2], device.snmp_v3[4]} if device.snmp_v3 else set()
    return {s for s in found if s}


@pytest.fixture(scope="module")
def lab(django_db_setup: None, django_db_blocker: Any, kaifu_lab: RunningLab) -> Iterator[RunningLab]:  # noqa: F811
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            kaifu_lab.heal()
            load_topology(kaifu_lab.topology)
            summary = ssh(DEVICES)
            assert (summary.result.devices, summary.failed) == (len(DEVICES), 0), summary.line()
            yield kaifu_lab
        finally:
            kaifu_lab.heal()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_facts_come_with_their_source(lab: RunningLab) -> None:
    wrong: list[object] = []
    for name in DIALECTS:
        want, got = lab.topology.device(name), Device.objects.get(name=name)
        sources = got.observed_sources
        seen = (got.serial, sources.get("serial"), sources.get("os_version"), want.os_version in got.os_version)
        if seen != (want.serial, "ssh", "ssh", True):
            wrong.append((name, seen, got.os_version))
        ports = set(got.interfaces.values_list("name", flat=True))
        if not ports or not ports <= {i.name for i in want.interfaces}:
            wrong.append((name, sorted(ports)[:5]))
        if (got.reachable, got.uptime_seconds) != (None, None):  # SNMP alone decides reachability and uptime
            wrong.append((name, got.reachable, got.uptime_seconds))
    assert wrong == []
    assert PollCycle.objects.filter(kind="ssh", polled=len(DEVICES), failed=0).exists()


def test_configs_stored_masked_and_only_on_change(lab: RunningLab) -> None:
    assert ConfigBackup.objects.filter(device__name__in=DEVICES).count() == len(DEVICES)
    secrets = set().union(*(lab_secrets(lab.topology.device(n), lab) for n in DEVICES))
    assert len(secrets) > 10  # communities, v3 keys, passwords and the cipher strings of the configs
    out = StringIO()
    for name in DEVICES:
        call_command("configs", "--device", name, stdout=out)
        call_command("configs", "--device", name, "--history", "--diff", stdout=out)
    call_command("compliance", "--json", stdout=out)
    call_command("compliance", stdout=out)
    assert leaked(secrets, stored_text() + out.getvalue()) == set()
    assert "******" in out.getvalue()

    rows = ComplianceResult.objects.count()
    again = ssh(DEVICES)
    assert again.failed == 0 and again.stored.configs_stored == 0 and again.stored.compliance_sets == 0
    assert (ConfigBackup.objects.count(), ComplianceResult.objects.count()) == (len(DEVICES), rows)
    assert again.result.interface_rows == 0


def test_compliance_as_the_lab_intends(lab: RunningLab) -> None:
    wrong = []
    for name in ("KF-CORE-01", "KF-AGG-01", REPLACED):  # VRP and Comware have MLPS rules
        want = {k: "pass" if ok else "fail" for k, ok in compliance_profile(lab.topology.device(name)).items()}
        got = dict(ComplianceResult.objects.filter(device__name=name).values_list("check_id", "status"))
        # In BROADER checks a lab "pass" may be our "fail"; a lab "fail" must still be ours.
        diff = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v and (k not in BROADER or v == "fail")}
        if set(got) != set(want) or diff:
            wrong.append((name, diff))
    assert wrong == []
    assert set(ComplianceResult.objects.filter(device__name="KF-AGG-13").values_list("status", flat=True)) == {
        "not_applicable"  # no MLPS rules for IOS yet: stored, and says so
    }
    report = StringIO()
    call_command("compliance", "--json", "--device", "KF-AGG-01", stdout=report)
    [entry] = json.loads(report.getvalue())
    failing = {r["check_id"]: r["evidence"] for r in entry["results"] if r["status"] == "fail"}
    assert "telnet server enable" in failing["ssh_not_telnet"]  # evidence shows the offending line


def set_faults(lab: RunningLab, faults: Faults) -> None:
    write_faults(lab.state_dir, faults)
    time.sleep(FAULT_SETTLE_S)


def test_vpn_accounts_follow_the_gateway(lab: RunningLab) -> None:
    expected = {s.vpn_account or "" for s in vpn_online_sites(lab.topology, Faults())}
    online = set(VpnAccount.objects.filter(online=True).values_list("account", flat=True))
    assert online == expected and len(expected) > 3
    assert VpnAccount.objects.filter(online=False).exists()  # the idle accounts
    gone = sorted(expected)[0]
    set_faults(lab, dataclasses.replace(read_faults(lab.state_dir), down_devices={gone}))
    try:
        ssh({GATEWAY})
    finally:
        lab.heal()
    account = VpnAccount.objects.get(account=gone)
    assert (account.online, account.last_seen_online is not None) == (False, True)
    down = StatusEvent.objects.get(kind="vpn_down")
    assert (down.vpn_account_id, down.device.name) == (account.pk, GATEWAY)
    ssh({GATEWAY})
    assert VpnAccount.objects.get(account=gone).online is True
    assert StatusEvent.objects.filter(kind="vpn_up", vpn_account=account).count() == 2  # first sight, recovery


def test_changed_host_key_is_refused_and_visible(lab: RunningLab) -> None:
    before = Device.objects.get(name=REPLACED).ssh_host_key
    assert before.startswith("ssh-ed25519 ")  # remembered on first contact
    (lab.state_dir / "ssh" / f"{REPLACED}.key").unlink()  # the lab gives the device a new key (a replaced box)
    time.sleep(FAULT_SETTLE_S)
    summary = ssh({REPLACED})
    assert dict(summary.result.failed_by_reason) == {"host_key": 1} and summary.stored.host_key_errors == 1
    device = Device.objects.get(name=REPLACED)
    assert device.ssh_host_key == before  # never silently accepted
    assert device.poll_error_kind == "host_key" and "host key changed" in device.poll_error
    assert ChangeRecord.objects.filter(
        actor="collector:ssh", object_id=str(device.pk), changes__poll_error_kind=["", "host_key"]
    ).exists()
    assert ConfigBackup.objects.filter(device=device).count() == 1  # nothing taken from the impostor


def test_poll_command_ssh_once_and_loop_schedule(lab: RunningLab) -> None:
    out = StringIO()
    call_command("poll", "--ssh", "--once", "--device", "KF-AGG-13", stdout=out)
    assert out.getvalue().startswith("ssh: polled 1/1, failed 0")
    assert not PollCycle.objects.filter(kind__in=["discovery", "status"]).exists()  # --ssh --once: only SSH
    loop = StringIO()
    call_command("poll", "--loop", "--cycles", "1", "--device", "KF-AGG-13", "--timeout", "2", stdout=loop)
    lines = loop.getvalue().splitlines()
    assert lines[0].startswith("discovery: polled 1/1") and lines[1].startswith("ssh: polled 1/1"), lines
