"""Who is connected and what they run: departments, access units (sites), business systems, VPN accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.changelog import Tracked


class Department(Tracked):
    """A government department (委办局). `must_connect` puts it on the list the connection rate is measured against."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    must_connect = models.BooleanField(_("must connect"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SiteKind(models.TextChoices):
    DEPARTMENT_OFFICE = "department_office", _("department office")
    TOWNSHIP_GOVERNMENT = "township_government", _("township / street government")
    VILLAGE_COMMITTEE = "village_committee", _("village committee")
    COMMUNITY_COMMITTEE = "community_committee", _("community committee")
    SERVICE_CENTRE = "service_centre", _("public service centre")
    DATA_CENTRE = "data_centre", _("data centre")
    NETWORK_CENTRE = "network_centre", _("network control centre")
    OTHER = "other", _("other")


class AccessMode(models.TextChoices):
    DEDICATED = "dedicated", _("dedicated line (专线)")
    VPN = "vpn", _("VPN")


class Zone(models.TextChoices):
    PUBLIC = "public", _("shared network area (公用网络区)")
    PRIVATE = "private", _("dedicated network area (专用网络区)")
    INTERNET = "internet", _("Internet access area (互联网接入区)")


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONNECTED = "connected", _("connected")
    DECOMMISSIONED = "decommissioned", _("decommissioned")


class Site(Tracked):
    """An access unit (接入单位) / access point: an organisation's connection to the extranet, in one area."""

    name = models.CharField(_("name"), max_length=150)
    area = models.ForeignKey("inventory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="sites")
    kind = models.CharField(_("kind"), max_length=30, choices=SiteKind.choices, default=SiteKind.OTHER)
    access_mode = models.CharField(
        _("access mode"), max_length=10, choices=AccessMode.choices, default=AccessMode.DEDICATED
    )
    zone = models.CharField(_("network zone"), max_length=10, choices=Zone.choices, default=Zone.PUBLIC)
    status = models.CharField(_("status"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.CONNECTED)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sites"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("site (access unit)")
        verbose_name_plural = _("sites (access units)")
        ordering = ["area_id", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="site_unique_name_in_area")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": _("Latitude must be between -90 and 90.")})


class Classification(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")
    CLASSIFIED = "classified", _("classified (涉密)")


class CloudStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    PLANNED = "planned", _("planned")
    MIGRATING = "migrating", _("migrating")
    MIGRATED = "migrated", _("migrated")
    EXEMPT = "exempt", _("exempt")


class ExemptionReason(models.TextChoices):
    NONE = "", _("—")
    CLASSIFIED = "classified", _("classified system")
    VERTICAL = "vertical", _("vertically managed, own data centre")
    RETAINED_DC = "retained_dc", _("approved retained data centre")


class BusinessSystem(Tracked):
    """A department's business system (业务系统) and where it stands on the way to the government cloud."""

    name = models.CharField(_("name"), max_length=150)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="systems"
    )
    classification = models.CharField(
        _("classification"), max_length=12, choices=Classification.choices, default=Classification.INTERNAL
    )
    cloud_status = models.CharField(
        _("cloud status"), max_length=12, choices=CloudStatus.choices, default=CloudStatus.NOT_STARTED
    )
    exemption_reason = models.CharField(
        _("exemption reason"), max_length=12, choices=ExemptionReason.choices, blank=True
    )
    exemption_note = models.TextField(_("exemption record (approval, document no.)"), blank=True)
    mlps_level = models.PositiveSmallIntegerField(_("MLPS level"), null=True, blank=True)
    migrated_on = models.DateField(_("migrated on"), null=True, blank=True)
    is_new = models.BooleanField(_("new system (built after the cloud policy)"), default=False)
    vcpu_allocated = models.PositiveIntegerField(_("vCPU allocated"), null=True, blank=True)
    vcpu_used = models.PositiveIntegerField(_("vCPU used"), null=True, blank=True)
    ram_gb_allocated = models.PositiveIntegerField(_("RAM allocated (GB)"), null=True, blank=True)
    ram_gb_used = models.PositiveIntegerField(_("RAM used (GB)"), null=True, blank=True)
    storage_gb_allocated = models.PositiveIntegerField(_("storage allocated (GB)"), null=True, blank=True)
    storage_gb_used = models.PositiveIntegerField(_("storage used (GB)"), null=True, blank=True)

    class Meta:
        verbose_name = _("business system")
        verbose_name_plural = _("business systems")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="system_unique_name_in_department"),
            # Exempt <=> an exemption reason is on record: the exemption list stays explicit and auditable.
            models.CheckConstraint(
                condition=(models.Q(cloud_status="exempt") & ~models.Q(exemption_reason=""))
                | (~models.Q(cloud_status="exempt") & models.Q(exemption_reason="")),
                name="system_exempt_iff_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(mlps_level__isnull=True) | models.Q(mlps_level__gte=1, mlps_level__lte=5),
                name="system_mlps_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.cloud_status == CloudStatus.EXEMPT and not self.exemption_reason:
            errors["exemption_reason"] = str(_("An exempt system needs an exemption reason on record."))
        if self.cloud_status != CloudStatus.EXEMPT and self.exemption_reason:
            errors["exemption_reason"] = str(_("Only an exempt system has an exemption reason."))
        if self.classification == Classification.CLASSIFIED and self.cloud_status != CloudStatus.EXEMPT:
            errors["cloud_status"] = str(_("A classified system does not go to the cloud: mark it exempt."))
        if self.migrated_on and self.cloud_status != CloudStatus.MIGRATED:
            errors["migrated_on"] = str(_("Only a migrated system has a migration date."))
        if errors:
            raise ValidationError(errors)


class VpnAccount(Tracked):
    """A VPN account on the secure access platform (安全接入平台), how remote villages often join."""

    account = models.CharField(_("account"), max_length=100, unique=True)
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="vpn_accounts")
    gateway = models.ForeignKey(
        "inventory.Device",
        verbose_name=_("VPN gateway"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vpn_accounts",
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    online = models.BooleanField(_("online now"), default=False)
    last_seen_online = models.DateTimeField(_("last seen online"), null=True, blank=True)

    changelog_exclude = ("online", "last_seen_online")  # observed every poll; StatusEvents carry the history

    class Meta:
        verbose_name = _("VPN account")
        verbose_name_plural = _("VPN accounts")
        ordering = ["account"]

    def __str__(self) -> str:
        return self.account
