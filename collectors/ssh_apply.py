"""SSH records into the inventory: what reconcile/apply does for SNMP, plus what only SSH brings.

- Facts and ports go through `collectors.apply.apply_records` (reconcile.plan): each observed field records its
  source in `Device.observed_sources`; SSH ports are matched by name only (an SSH record's if_index is a list
  position, not the ifIndex); SSH never changes reachability or uptime (SNMP owns those).
- ConfigBackup: stored when the SHA-256 of the raw running config changed. The text is masked
  (`collectors.masking.mask_config`) and the diff is the masked unified diff to the previous backup; the raw
  config never reaches the database. Nothing is written for an unchanged config.
- ComplianceResult: the 16 MLPS 2.0 checks run on every collected config (changed or not: thresholds and the
  defaults table can change under an unchanged config), but a new set of rows is stored only when some check's
  status or evidence differs from the latest stored set. The history is then one row set per *change*, and a
  regression shows with the time it was first seen.
- VpnAccount: `online` / `last_seen_online` from a VPN gateway's sessions (VpnSession.account = VpnAccount.account),
  VPN_UP / VPN_DOWN StatusEvents on transitions.
- Host keys: `DeviceHostKeyStore` keeps them on `Device.ssh_host_key` (remembered on first contact). A changed key
  fails the collection (kind host_key); `apply_ssh_records` then sets the device's poll_error_kind/poll_error,
  which leaves a ChangeRecord. The stored key is never replaced by a collector: a person clears it to accept.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from collectors.apply import BatchResult, apply_records, ref
from collectors.compliance import run_checks, thresholds_from_settings
from collectors.masking import config_diff, mask_config
from collectors.records import DeviceRecord, ErrorKind, VpnSession
from collectors.ssh.hostkeys import host_key_name
from inventory.changelog import record_changes
from inventory.models import ComplianceResult, ConfigBackup, Device, EventKind, StatusEvent, VpnAccount

ACTOR = "collector:ssh"
# Shown instead of an empty diff when the raw config changed only inside masked secrets.
SECRETS_ONLY = "(only masked secrets changed)\n"


@dataclass
class SshStoreResult:
    """What the SSH-only part of a batch wrote."""

    configs_stored: int = 0
    compliance_sets: int = 0
    vpn_events: int = 0
    host_key_errors: int = 0
    change_records: int = 0  # written here, outside apply_records (host-key alarms and first-contact keys)

    def add(self, other: SshStoreResult) -> None:
        self.configs_stored += other.configs_stored
        self.compliance_sets += other.compliance_sets
        self.vpn_events += other.vpn_events
        self.host_key_errors += other.host_key_errors
        self.change_records += other.change_records


def _stamp(when: datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M:%S}"


def store_config(device_id: int, platform: str | None, raw: str, when: datetime) -> ConfigBackup | None:
    """A new (masked) ConfigBackup when the raw config's hash changed since the last backup, else None."""
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    previous = ConfigBackup.objects.filter(device_id=device_id).order_by("-collected_at", "-id").first()
    if previous is not None and previous.sha256 == digest:
        return None
    masked = mask_config(raw, platform)
    diff = ""
    if previous is not None:
        # Only masked text is stored, so the diff is between masked versions: it can never show a secret.
        diff = config_diff(
            previous.text, masked, platform, old_label=_stamp(previous.collected_at), new_label=_stamp(when)
        )
        diff = diff or SECRETS_ONLY
    return ConfigBackup.objects.create(device_id=device_id, collected_at=when, sha256=digest, text=masked, diff=diff)


def latest_compliance(device_id: int) -> list[ComplianceResult]:
    """The most recent stored set of results of one device (empty before the first check)."""
    return list(ComplianceResult.objects.filter(device_id=device_id, current=True).order_by("check_id"))


def store_compliance(
    device_id: int, platform: str | None, os_version: str | None, raw: str, when: datetime
) -> list[ComplianceResult]:
    """Run the checks; store a new set only when a result differs from the latest stored set. Returns the new rows."""
    results = run_checks(raw, platform or "", os_version, thresholds_from_settings())
    # Evidence is masked by the checks already; masking again costs little and guards any future check.
    fresh = {r.check_id: (str(r.status), mask_config("\n".join(r.evidence), platform)) for r in results}
    stored = {r.check_id: (r.status, r.evidence) for r in latest_compliance(device_id)}
    if fresh == stored:
        return []
    rows = [
        ComplianceResult(device_id=device_id, checked_at=when, check_id=check, status=status, evidence=evidence)
        for check, (status, evidence) in sorted(fresh.items())
    ]
    with transaction.atomic():  # one current set per device at every instant
        ComplianceResult.objects.filter(device_id=device_id, current=True).update(current=False)
        return ComplianceResult.objects.bulk_create(rows)


def update_vpn(gateway_id: int, sessions: Sequence[VpnSession], when: datetime) -> int:
    """Accounts of this gateway (or named in its sessions) go online/offline; transitions become events."""
    online = {s.account for s in sessions}
    accounts = VpnAccount.objects.filter(Q(gateway_id=gateway_id) | Q(account__in=online))
    changed: list[VpnAccount] = []
    events: list[StatusEvent] = []
    for acc in accounts:
        now_online = acc.account in online
        if not now_online and not acc.online:
            continue
        if now_online != acc.online:
            kind = EventKind.VPN_UP if now_online else EventKind.VPN_DOWN
            events.append(StatusEvent(time=when, kind=kind, device_id=gateway_id, vpn_account=acc, reason=acc.account))
        if now_online:
            acc.last_seen_online = when
        acc.online = now_online
        changed.append(acc)
    # online/last_seen_online are excluded from the change log (VpnAccount.changelog_exclude): events carry it.
    VpnAccount.objects.bulk_update(changed, ["online", "last_seen_online"])
    StatusEvent.objects.bulk_create(events)
    return len(events)


def _store_one(pk: int, platform: str | None, version: str | None, record: DeviceRecord) -> SshStoreResult:
    out = SshStoreResult()
    with transaction.atomic():
        if record.config:
            out.configs_stored += store_config(pk, platform, record.config, record.collected_at) is not None
            found = store_compliance(pk, platform, record.os_version or version, record.config, record.collected_at)
            out.compliance_sets += bool(found)
        if record.vpn_sessions is not None:
            out.vpn_events += update_vpn(pk, record.vpn_sessions, record.collected_at)
    return out


def mark_host_key_errors(items: Iterable[tuple[int, DeviceRecord]]) -> tuple[int, int]:
    """A changed host key is an alarm: poll_error_kind "host_key" and the message on the device, with a
    ChangeRecord (reachability is left to SNMP: the device answered, just not as the box we know). A device
    whose SSH collection succeeds again (a person cleared the stored key) loses its host_key error.
    Returns (devices with a changed key, ChangeRecords written)."""
    items = list(items)
    bad = {pk: r.error.message[:2000] for pk, r in items if r.error is not None and r.error.kind == ErrorKind.HOST_KEY}
    good = {pk for pk, r in items if r.ok}
    rows = []
    # values_list, not model instances: the change log snapshots every loaded Device (deferred fields recurse).
    for pk, name, kind, error in Device.objects.filter(
        Q(pk__in=bad) | Q(pk__in=good, poll_error_kind="host_key")
    ).values_list("id", "name", "poll_error_kind", "poll_error"):
        wanted = (str(ErrorKind.HOST_KEY), bad[pk]) if pk in bad else ("", "")
        if (kind, error) == wanted:
            continue
        Device.objects.filter(pk=pk).update(poll_error_kind=wanted[0], poll_error=wanted[1])
        changes = {"poll_error_kind": [kind, wanted[0]], "poll_error": [error, wanted[1]]}
        rows.append((ref(Device, pk, name), "update", changes))
    return len(bad), record_changes(rows, actor=ACTOR)


def store_ssh_extras(items: Sequence[tuple[int, DeviceRecord]]) -> SshStoreResult:
    """Configs, compliance and VPN sessions of successful SSH records; host-key alarms of failed ones."""
    alarms, changes = mark_host_key_errors(items)
    out = SshStoreResult(host_key_errors=alarms, change_records=changes)
    ok = [(pk, r) for pk, r in items if r.ok and r.source == "ssh"]
    meta = {
        pk: (slug, version)
        for pk, slug, version in Device.objects.filter(pk__in=[pk for pk, _ in ok]).values_list(
            "id", "platform__slug", "os_version"
        )
    }
    for pk, record in ok:
        if pk in meta:
            out.add(_store_one(pk, meta[pk][0], meta[pk][1] or None, record))
    return out


def apply_ssh_records(items: Sequence[tuple[int, DeviceRecord]]) -> tuple[BatchResult, SshStoreResult]:
    """Everything an SSH batch writes: reconcile/apply of facts and ports, then `store_ssh_extras`."""
    return apply_records(items), store_ssh_extras(items)


@dataclass
class DeviceHostKeyStore:
    """collectors.ssh.HostKeyStore over `Device.ssh_host_key`.

    The SSH driver calls get/remember from its worker threads, which must not touch the ORM (another thread is
    another connection, outside the cycle's transaction): keys are loaded up front and first-contact keys are
    kept in memory until `save()` writes them (with a ChangeRecord each) on the calling thread."""

    keys: dict[str, str] = field(default_factory=dict)
    devices: dict[str, tuple[int, str]] = field(default_factory=dict)  # host name -> (device id, device name)
    new: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def for_devices(cls, devices: Iterable[Device]) -> DeviceHostKeyStore:
        store = cls()
        for d in devices:
            port = d.credentials.ssh_port if d.credentials else 22
            name = host_key_name(str(d.management_ip), port)
            store.devices[name] = (d.pk, d.name)
            if d.ssh_host_key:
                store.keys[name] = d.ssh_host_key
        return store

    def get(self, host: str) -> str | None:
        with self._lock:
            return self.keys.get(host) or self.new.get(host)

    def remember(self, host: str, key: str) -> None:
        with self._lock:
            if host not in self.keys:
                self.new.setdefault(host, key)

    def save(self) -> int:
        """Write first-contact keys to their devices; a key already stored (by anyone) is never overwritten."""
        with self._lock:
            pending, self.new = dict(self.new), {}
        rows = []
        for host, key in pending.items():
            if host not in self.devices:
                continue
            pk, name = self.devices[host]
            if Device.objects.filter(pk=pk, ssh_host_key="").update(ssh_host_key=key):
                rows.append((ref(Device, pk, name), "update", {"ssh_host_key": ["", key]}))
            self.keys[host] = key
        return record_changes(rows, actor=ACTOR)
