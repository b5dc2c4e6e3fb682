"""Inventory Device + CredentialProfile → `records.Target`, the only place secrets leave the database.

Secrets are revealed here (`Secret.reveal()`) straight into the Target, whose repr hides them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet

from collectors.records import SnmpCredentials, SshCredentials, Target
from inventory.models import CredentialProfile, Device, DeviceStatus
from inventory.models.areas import prefix_of
from inventory.secrets import Secret

# People keep polling a device under maintenance (it is still there); planned and retired ones are left alone.
POLLED_STATUSES = (DeviceStatus.ACTIVE, DeviceStatus.MAINTENANCE)


def pollable(area: str | None = None, device: str | None = None, poller_group: str | None = None) -> QuerySet[Device]:
    """Devices a poll cycle covers, optionally narrowed to an area subtree, one device, or a poller group."""
    qs = Device.objects.filter(status__in=POLLED_STATUSES, management_ip__isnull=False).select_related(
        "credentials", "platform"
    )
    if area:
        qs = qs.filter(site__area__code__startswith=prefix_of(area))
    if device:
        qs = qs.filter(name=device)
    if poller_group:
        qs = qs.filter(poller_group=poller_group)
    return qs.order_by("id")


def _reveal(value: object) -> str:
    """EncryptedField values are `Secret`s (typed as str by the stubs)."""
    return value.reveal() if isinstance(value, Secret) else str(value or "")


def snmp_credentials(profile: CredentialProfile | None) -> SnmpCredentials | None:
    if profile is None or not profile.snmp_version:
        return None
    if profile.snmp_version == "3":
        return SnmpCredentials(
            version="3",
            user=profile.snmp_v3_user,
            auth_proto=profile.snmp_v3_auth_proto,  # type: ignore[arg-type]  # choices match the Literal
            auth_key=_reveal(profile.snmp_v3_auth_key),
            priv_proto=profile.snmp_v3_priv_proto,  # type: ignore[arg-type]
            priv_key=_reveal(profile.snmp_v3_priv_key),
        )
    return SnmpCredentials(version="2c", community=_reveal(profile.snmp_community))


def ssh_credentials(profile: CredentialProfile | None) -> SshCredentials | None:
    if profile is None or not profile.ssh_username:
        return None
    return SshCredentials(profile.ssh_username, _reveal(profile.ssh_password), profile.ssh_port)


def target_for(device: Device, timeout_seconds: float | None = None, retries: int | None = None) -> Target:
    profile = device.credentials
    return Target(
        name=device.name,
        host=str(device.management_ip),
        snmp_port=device.snmp_port,
        snmp=snmp_credentials(profile),
        ssh=ssh_credentials(profile),
        platform=device.platform.slug if device.platform else None,
        timeout_seconds=settings.YUNWANG_SNMP_TIMEOUT_SECONDS if timeout_seconds is None else timeout_seconds,
        retries=settings.YUNWANG_SNMP_RETRIES if retries is None else retries,
    )


def targets(
    devices: Iterable[Device], timeout_seconds: float | None = None, retries: int | None = None
) -> list[tuple[int, Target]]:
    """(device id, Target) pairs; the id travels with the target so records map back without guessing by host."""
    return [(d.pk, target_for(d, timeout_seconds, retries)) for d in devices]
