"""The SSH collection cycle: facts, ports, LLDP, running config and VPN sessions of every device SSH can reach.

It is `collectors.runner.run_cycle` with the SSH driver (bounded concurrency: `YUNWANG_SSH_CONCURRENCY` sessions
at once, one login per device), `collectors.ssh_apply.store_ssh_extras` after each applied batch, host keys
kept on the devices (`DeviceHostKeyStore`), and a `PollCycle(kind="ssh")` row. `manage.py poll --ssh --once`
runs one; `manage.py poll --loop` runs one every `YUNWANG_SSH_INTERVAL_SECONDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db.models import QuerySet

from collectors.contract import Driver
from collectors.records import DeviceRecord
from collectors.runner import CycleSummary, run_cycle
from collectors.ssh.driver import SessionFactory, SshDriver
from collectors.ssh.platforms import driver_for
from collectors.ssh.session import Timeouts
from collectors.ssh_apply import DeviceHostKeyStore, SshStoreResult, store_ssh_extras
from inventory.models import Device


@dataclass
class SshCycleSummary(CycleSummary):
    stored: SshStoreResult = field(default_factory=SshStoreResult)

    def line(self) -> str:
        s = self.stored
        return (
            f"{super().line()}; configs stored {s.configs_stored}, compliance changes {s.compliance_sets}, "
            f"VPN events {s.vpn_events}, host-key alarms {s.host_key_errors}"
        )


def ssh_collectable(devices: QuerySet[Device]) -> list[Device]:
    """Of these devices, those SSH can collect: a credential profile with an SSH user, and a platform we have a
    dialect driver for. The driver fixes the netmiko device type: Platform.netmiko_device_type is not trusted
    for it (plain "huawei" makes netmiko's TextFSM lookups miss; Sangfor has no netmiko driver and logs in as
    cisco_ios)."""
    chosen = (
        devices.filter(platform__isnull=False, credentials__isnull=False)
        .exclude(credentials__ssh_username="")
        .select_related("credentials", "platform")
    )
    return [d for d in chosen if d.platform is not None and driver_for(d.platform.slug) is not None]


def run_ssh_cycle(
    devices: QuerySet[Device],
    *,
    concurrency: int | None = None,
    poller_group: str = "default",
    progress: bool | None = None,
    session_factory: SessionFactory | None = None,
    timeouts: Timeouts | None = None,
) -> SshCycleSummary:
    """One SSH collection over `devices` (those `ssh_collectable` keeps); returns the cycle's summary."""
    chosen = ssh_collectable(devices)
    store = DeviceHostKeyStore.for_devices(chosen)
    workers = max(1, concurrency or settings.YUNWANG_SSH_CONCURRENCY)
    stored = SshStoreResult()

    def factory() -> tuple[Driver, Callable[[], None]]:
        kwargs = {"timeouts": timeouts} if timeouts is not None else {}
        driver = SshDriver(store, max_workers=workers, session_factory=session_factory, **kwargs)
        return cast(Driver, driver), driver.close

    def after_batch(batch: Sequence[tuple[int, DeviceRecord]]) -> None:
        stored.add(store_ssh_extras(batch))
        stored.change_records += (
            store.save()
        )  # first-contact keys of this batch, before a later batch could meet the same device again

    summary = run_cycle(
        chosen,
        "full",
        concurrency=workers,
        driver_factory=factory,
        source="ssh",
        poller_group=poller_group,
        progress=progress,
        after_batch=after_batch,
    )
    stored.change_records += store.save()
    summary.result.change_records += stored.change_records
    return SshCycleSummary(**vars(summary), stored=stored)  # its caller prints .line(), as for SNMP cycles
