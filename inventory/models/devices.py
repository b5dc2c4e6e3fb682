"""Devices and what describes them: manufacturers, types, platforms, roles, credentials profiles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.changelog import Tracked
from inventory.secrets import EncryptedField


class Manufacturer(Tracked):
    """A vendor; `enterprise_number` is its SNMP private enterprise number (sysObjectID 1.3.6.1.4.1.N)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    enterprise_number = models.PositiveIntegerField(_("SNMP enterprise number"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeviceType(Tracked):
    """A hardware model, recognised on the wire by its sysObjectID."""

    manufacturer = models.ForeignKey(
        Manufacturer, verbose_name=_("manufacturer"), on_delete=models.PROTECT, related_name="device_types"
    )
    model = models.CharField(_("model"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sys_object_id = models.CharField(_("sysObjectID"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("device type")
        verbose_name_plural = _("device types")
        ordering = ["manufacturer__name", "model"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "model"], name="devicetype_unique_model"),
            models.UniqueConstraint(
                fields=["sys_object_id"], condition=~models.Q(sys_object_id=""), name="devicetype_unique_sysobjectid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.model}"


class Platform(Tracked):
    """An OS family (huawei_vrp, h3c_comware, ...) and how to talk to it over SSH."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    manufacturer = models.ForeignKey(
        Manufacturer, verbose_name=_("manufacturer"), null=True, blank=True, on_delete=models.PROTECT
    )
    netmiko_device_type = models.CharField(_("netmiko device type"), max_length=50, blank=True)
    napalm_driver = models.CharField(_("NAPALM driver"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeviceRole(Tracked):
    """core, aggregation, access, firewall, vpn_gateway, isolation_gateway, ..."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("device role")
        verbose_name_plural = _("device roles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SnmpVersion(models.TextChoices):
    NONE = "", _("no SNMP")
    V2C = "2c", "v2c"
    V3 = "3", "v3"


class CredentialProfile(Tracked):
    """How to log in to a group of devices. Secret fields are encrypted at rest and never rendered."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    snmp_version = models.CharField(_("SNMP version"), max_length=2, choices=SnmpVersion.choices, default="2c")
    snmp_community = EncryptedField(_("SNMP community"), blank=True)
    snmp_v3_user = models.CharField(_("SNMPv3 user"), max_length=64, blank=True)
    snmp_v3_auth_proto = models.CharField(
        _("SNMPv3 auth protocol"),
        max_length=8,
        blank=True,
        choices=[("", "—"), ("MD5", "MD5"), ("SHA", "SHA"), ("SHA256", "SHA-256"), ("SHA512", "SHA-512")],
    )
    snmp_v3_auth_key = EncryptedField(_("SNMPv3 auth key"), blank=True)
    snmp_v3_priv_proto = models.CharField(
        _("SNMPv3 privacy protocol"),
        max_length=8,
        blank=True,
        choices=[("", "—"), ("DES", "DES"), ("AES", "AES-128"), ("AES256", "AES-256")],
    )
    snmp_v3_priv_key = EncryptedField(_("SNMPv3 privacy key"), blank=True)
    ssh_username = models.CharField(_("SSH username"), max_length=64, blank=True)
    ssh_password = EncryptedField(_("SSH password"), blank=True)
    ssh_port = models.PositiveIntegerField(_("SSH port"), default=22)

    class Meta:
        verbose_name = _("credentials profile")
        verbose_name_plural = _("credentials profiles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.snmp_version == SnmpVersion.V3:
            if not self.snmp_v3_user:
                raise ValidationError({"snmp_v3_user": _("SNMPv3 needs a user.")})
            if self.snmp_v3_priv_proto and not self.snmp_v3_auth_proto:
                raise ValidationError({"snmp_v3_auth_proto": _("Privacy without authentication is not allowed.")})


class DeviceStatus(models.TextChoices):
    """Intended status, owned by people (the observed state is `reachable`)."""

    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("active")
    MAINTENANCE = "maintenance", _("maintenance")
    DECOMMISSIONED = "decommissioned", _("decommissioned")


class Device(Tracked):
    """A network device. Intended fields belong to people; observed fields are written only by collectors."""

    # --- intended (people own these; collectors never write them)
    name = models.CharField(_("name"), max_length=100, unique=True)
    site = models.ForeignKey("inventory.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="devices")
    role = models.ForeignKey(DeviceRole, verbose_name=_("role"), on_delete=models.PROTECT, related_name="devices")
    device_type = models.ForeignKey(
        DeviceType, verbose_name=_("device type"), null=True, blank=True, on_delete=models.PROTECT
    )
    platform = models.ForeignKey(Platform, verbose_name=_("platform"), null=True, blank=True, on_delete=models.PROTECT)
    management_ip = models.GenericIPAddressField(_("management IP"), null=True, blank=True)
    snmp_port = models.PositiveIntegerField(_("SNMP port"), default=161)
    status = models.CharField(_("status"), max_length=20, choices=DeviceStatus.choices, default=DeviceStatus.ACTIVE)
    poller_group = models.CharField(_("poller group"), max_length=50, blank=True, default="default")
    credentials = models.ForeignKey(
        CredentialProfile, verbose_name=_("credentials profile"), null=True, blank=True, on_delete=models.PROTECT
    )
    # --- observed (collectors own these)
    reachable = models.BooleanField(_("reachable"), null=True, editable=False)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    last_polled = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_discovery = models.DateTimeField(_("last discovery"), null=True, blank=True, editable=False)
    uptime_seconds = models.FloatField(_("uptime (s)"), null=True, blank=True, editable=False)
    sys_name = models.CharField(_("sysName"), max_length=255, blank=True, editable=False)
    sys_descr = models.TextField(_("sysDescr"), blank=True, editable=False)
    sys_object_id = models.CharField(_("sysObjectID"), max_length=128, blank=True, editable=False)
    sys_location = models.CharField(_("sysLocation"), max_length=255, blank=True, editable=False)
    vendor = models.CharField(_("vendor (observed)"), max_length=50, blank=True, editable=False)
    model = models.CharField(_("model (observed)"), max_length=100, blank=True, editable=False)
    serial = models.CharField(_("serial number"), max_length=100, blank=True, editable=False, db_index=True)
    os_version = models.CharField(_("OS version"), max_length=200, blank=True, editable=False)
    poll_error_kind = models.CharField(_("poll error kind"), max_length=20, blank=True, editable=False)
    poll_error = models.TextField(_("poll error"), blank=True, editable=False)
    isolated = models.BooleanField(_("isolated (upstream down)"), default=False, editable=False)
    isolated_by = models.ForeignKey(
        "self",
        verbose_name=_("isolated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="isolating",
        editable=False,
    )
    observed_sources = models.JSONField(_("observed field sources"), default=dict, blank=True, editable=False)
    ssh_host_key = models.TextField(_("SSH host key"), blank=True, editable=False)

    # Volatile observed fields change every poll; they are not worth a ChangeRecord (StatusEvents carry history).
    changelog_exclude = ("last_seen", "last_polled", "last_discovery", "uptime_seconds", "observed_sources")

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["name"]
        indexes = [models.Index(fields=["reachable", "isolated"]), models.Index(fields=["management_ip"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.status == DeviceStatus.ACTIVE and not self.management_ip:
            raise ValidationError({"management_ip": _("An active device needs a management IP to be polled.")})
