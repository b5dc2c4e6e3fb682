"""collectors.ssh_apply over the real SSH driver replaying recorded CLI sessions (no network): config backups
on change only and masked, compliance sets on change only (a regression visible with its time), ports matched
by name, observed sources, VPN presence, host keys kept on the device and a changed key an alarm."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from collectors.records import ErrorKind, VpnSession, failed
from collectors.ssh.driver import SshDriver
from collectors.ssh_apply import (
    DeviceHostKeyStore,
    apply_ssh_records,
    latest_compliance,
    mark_host_key_errors,
    update_vpn,
)
from collectors.ssh_runner import run_ssh_cycle
from collectors.targets import target_for
from inventory.models import (
    ChangeRecord,
    ComplianceResult,
    ConfigBackup,
    CredentialProfile,
    Device,
    Interface,
    Platform,
    PollCycle,
    StatusEvent,
    VpnAccount,
)
from tests.collectors import poll_factories as f
from tests.collectors.sshstore_support import copy_case, leaked, replay, secrets_of, stored_text

pytestmark = pytest.mark.django_db
HOST = "127.0.0.31"


@pytest.fixture
def core(tmp_path: Path) -> tuple[Device, Path]:
    profile = CredentialProfile.objects.create(name="ssh", ssh_username="ywadmin", ssh_password="pw-not-shown")
    platform = Platform.objects.create(name="Huawei VRP", slug="huawei_vrp", netmiko_device_type="huawei_vrp")
    folder = copy_case("huawei_vrp/core_switch", tmp_path / "core")
    device = f.device("KF-CORE-01", role_slug="core", host=HOST, credentials=profile, platform=platform)
    return device, folder


def cycle(folder: Path) -> None:
    summary = run_ssh_cycle(Device.objects.all(), session_factory=replay({HOST: folder}), progress=False)
    assert summary.failed == 0, summary.line()


def edit_config(folder: Path, old: str, new: str) -> None:
    path = folder / "display_current-configuration.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_config_backup_only_on_change_masked_with_diff(core: tuple[Device, Path]) -> None:
    device, folder = core
    raw = (folder / "display_current-configuration.txt").read_text(encoding="utf-8")
    secrets = secrets_of(raw, "huawei_vrp")
    assert {"%^%#Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8%^%#", "$1c$Secr3tHashValue1$Xy7Q$"} <= secrets
    cycle(folder)
    first = ConfigBackup.objects.get(device=device)
    assert first.diff == "" and "******" in first.text and len(first.sha256) == 64
    cycle(folder)
    assert ConfigBackup.objects.filter(device=device).count() == 1  # unchanged: nothing stored

    edit_config(folder, "stelnet server enable", "stelnet server enable\nntp-service unicast-server 10.43.0.99")
    edit_config(folder, "Secr3tHashValue1", "N3wHashValue2")
    cycle(folder)
    latest = ConfigBackup.objects.filter(device=device).order_by("-collected_at").first()
    assert latest is not None and ConfigBackup.objects.filter(device=device).count() == 2
    assert "+ntp-service unicast-server 10.43.0.99" in latest.diff.splitlines()
    assert leaked(secrets | {"$1c$N3wHashValue2$Xy7Q$"}, stored_text()) == set()


def test_only_secrets_changed_shows_a_note_not_the_secret(core: tuple[Device, Path]) -> None:
    device, folder = core
    cycle(folder)
    edit_config(folder, "Secr3tHashValue1", "N3wHashValue2")
    cycle(folder)
    latest = ConfigBackup.objects.filter(device=device).order_by("-collected_at").first()
    assert latest is not None and "N3wHashValue2" not in latest.text + latest.diff
    assert latest.diff  # the change is visible (masked line or the "only masked secrets" note)


def test_compliance_stored_on_change_and_a_regression_is_visible(core: tuple[Device, Path]) -> None:
    device, folder = core
    cycle(folder)
    first = {r.check_id: r.status for r in latest_compliance(device.pk)}
    assert len(first) == 16 and first["ssh_not_telnet"] == "pass"
    cycle(folder)
    assert ComplianceResult.objects.filter(device=device).count() == 16  # same results: no new set

    edit_config(folder, "undo telnet server enable", "telnet server enable")
    cycle(folder)
    assert ComplianceResult.objects.filter(device=device).count() == 32
    now = {r.check_id: (r.status, r.evidence) for r in latest_compliance(device.pk)}
    assert now["ssh_not_telnet"][0] == "fail" and "telnet server enable" in now["ssh_not_telnet"][1]
    times = sorted(set(ComplianceResult.objects.filter(device=device).values_list("checked_at", flat=True)))
    before = ComplianceResult.objects.get(device=device, check_id="ssh_not_telnet", checked_at=times[0])
    assert before.status == "pass" and times[0] < times[1]  # the regression and when it was first seen
    # Exactly the newest set is current (what /metrics and the device page read).
    current = ComplianceResult.objects.filter(device=device, current=True)
    assert set(current.values_list("checked_at", flat=True)) == {times[1]} and current.count() == 16


def test_ports_matched_by_name_never_by_ssh_position(core: tuple[Device, Path]) -> None:
    device, folder = core
    # Real ifIndexes from SNMP, deliberately unlike SSH's list positions.
    for if_index, name in ((7001, "XGigabitEthernet1/0/3"), (7002, "XGigabitEthernet1/0/4"), (3, "Vlanif100")):
        Interface.objects.create(device=device, if_index=if_index, name=name)
    Device.objects.filter(pk=device.pk).update(
        sys_location="机房", serial="", observed_sources={"sys_location": "snmp", "uptime_seconds": "snmp"}
    )
    cycle(folder)
    rows = {i.name: i for i in Interface.objects.filter(device=device)}
    assert set(rows) == {"XGigabitEthernet1/0/3", "XGigabitEthernet1/0/4", "Vlanif100"}  # no SSH-made duplicates
    assert (rows["XGigabitEthernet1/0/3"].if_index, rows["Vlanif100"].if_index) == (7001, 3)
    assert (rows["XGigabitEthernet1/0/3"].oper_status, rows["XGigabitEthernet1/0/4"].admin_status) == (1, 2)
    device.refresh_from_db()
    assert device.serial and device.observed_sources["serial"] == "ssh"
    assert device.observed_sources["os_version"] == "ssh" and device.observed_sources["sys_location"] == "snmp"
    cycle_row = PollCycle.objects.get()
    assert (cycle_row.kind, cycle_row.polled, cycle_row.failed) == ("ssh", 1, 0)
    assert ChangeRecord.objects.filter(actor="collector:ssh", object_id=str(device.pk)).exists()


def test_vpn_presence_and_events(core: tuple[Device, Path]) -> None:
    gateway = core[0]
    for name in ("kf-a", "kf-b", "kf-c"):
        VpnAccount.objects.create(account=name, site=gateway.site, gateway=gateway)
    t0 = timezone.now()
    assert update_vpn(gateway.pk, [VpnSession("kf-a", "10.1.1.2"), VpnSession("kf-b", "10.1.1.3")], t0) == 2
    assert dict(VpnAccount.objects.values_list("account", "online")) == {"kf-a": True, "kf-b": True, "kf-c": False}
    t1 = t0 + timedelta(minutes=5)
    assert update_vpn(gateway.pk, [VpnSession("kf-a", "10.1.1.2")], t1) == 1
    b = VpnAccount.objects.get(account="kf-b")
    assert (b.online, b.last_seen_online) == (False, t0)  # last seen is when it was last online
    assert VpnAccount.objects.get(account="kf-a").last_seen_online == t1
    kinds = list(StatusEvent.objects.order_by("time", "id").values_list("kind", "vpn_account__account"))
    assert kinds == [("vpn_up", "kf-a"), ("vpn_up", "kf-b"), ("vpn_down", "kf-b")]
    assert update_vpn(gateway.pk, [VpnSession("kf-a", "10.1.1.2")], t1) == 0  # no transition, no event


def test_host_key_store_on_the_device(core: tuple[Device, Path]) -> None:
    device = core[0]
    store = DeviceHostKeyStore.for_devices(Device.objects.select_related("credentials"))
    assert store.get(HOST) is None
    store.remember(HOST, "ssh-ed25519 AAAAfirst")
    store.remember(HOST, "ssh-ed25519 AAAAsecond")  # a second remember never replaces the first
    assert store.get(HOST) == "ssh-ed25519 AAAAfirst"
    assert store.save() == 1
    device.refresh_from_db()
    assert device.ssh_host_key == "ssh-ed25519 AAAAfirst"
    assert ChangeRecord.objects.filter(actor="collector:ssh", changes__has_key="ssh_host_key").count() == 1
    again = DeviceHostKeyStore.for_devices(Device.objects.select_related("credentials"))
    again.remember(HOST, "ssh-ed25519 AAAAother")
    assert again.get(HOST) == "ssh-ed25519 AAAAfirst" and again.save() == 0


def test_changed_host_key_is_an_alarm(core: tuple[Device, Path]) -> None:
    device = core[0]
    record = failed(HOST, "ssh", ErrorKind.HOST_KEY, f"{HOST}: SSH host key changed since first contact")
    assert mark_host_key_errors([(device.pk, record)]) == (1, 1)
    device.refresh_from_db()
    assert (device.poll_error_kind, device.reachable) == ("host_key", None)  # reachability stays SNMP's
    alarm = ChangeRecord.objects.get(actor="collector:ssh", object_id=str(device.pk))
    assert alarm.changes["poll_error_kind"] == ["", "host_key"]
    assert mark_host_key_errors([(device.pk, record)]) == (1, 0)
    assert ChangeRecord.objects.filter(actor="collector:ssh").count() == 1  # the same alarm is not repeated
    # A person checked the box and cleared the stored key: the next successful collection ends the alarm.
    assert mark_host_key_errors([(device.pk, dataclasses.replace(record, error=None))]) == (0, 1)
    device.refresh_from_db()
    assert (device.poll_error_kind, device.poll_error) == ("", "")


def test_apply_ssh_records_without_a_cycle(core: tuple[Device, Path]) -> None:
    """The building block for callers with their own records (e.g. a probe that stores): apply + extras."""
    device, folder = core
    driver = SshDriver(session_factory=replay({HOST: folder}), max_workers=1)
    try:
        record = driver.collect_blocking(target_for(Device.objects.select_related("credentials", "platform").get()))
    finally:
        driver.close()
    batch, stored = apply_ssh_records([(device.pk, record)])
    assert (batch.devices, stored.configs_stored, stored.compliance_sets) == (1, 1, 1)
    assert ConfigBackup.objects.filter(device=device).count() == 1 and not PollCycle.objects.exists()
