"""Interfaces, links between them, and the IP address subset."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inventory.changelog import Tracked


class Interface(Tracked):
    """One port of a device, as observed over SNMP/SSH (IF-MIB integers for type and statuses)."""

    device = models.ForeignKey(
        "inventory.Device", verbose_name=_("device"), on_delete=models.CASCADE, related_name="interfaces"
    )
    if_index = models.PositiveIntegerField(_("ifIndex"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("ifDescr"), max_length=255, blank=True)
    alias = models.CharField(_("alias (ifAlias)"), max_length=255, blank=True)
    type = models.PositiveIntegerField(_("ifType"), null=True, blank=True)
    mtu = models.PositiveIntegerField(_("MTU"), null=True, blank=True)
    speed_bps = models.BigIntegerField(_("speed (bit/s)"), null=True, blank=True)
    mac = models.CharField(_("MAC"), max_length=17, blank=True)
    admin_status = models.PositiveSmallIntegerField(_("admin status"), null=True, blank=True)
    oper_status = models.PositiveSmallIntegerField(_("oper status"), null=True, blank=True)
    last_change_seconds = models.FloatField(_("last change (uptime s)"), null=True, blank=True)
    monitored = models.BooleanField(_("monitored"), default=False, help_text=_("Links and uplinks: alert and graph."))

    class Meta:
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        ordering = ["device_id", "if_index", "name"]
        constraints = [
            models.UniqueConstraint(fields=["device", "name"], name="interface_unique_name"),
            models.UniqueConstraint(
                fields=["device", "if_index"], condition=Q(if_index__isnull=False), name="interface_unique_ifindex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device_id}:{self.name}"

    @property
    def is_up(self) -> bool | None:
        return None if self.oper_status is None else self.oper_status == 1


class InterfaceCounters(models.Model):
    """Latest counters of a monitored interface, kept apart so a steady status poll writes no Interface rows."""

    interface = models.OneToOneField(Interface, on_delete=models.CASCADE, primary_key=True, related_name="counters")
    in_octets = models.BigIntegerField(null=True, blank=True)
    out_octets = models.BigIntegerField(null=True, blank=True)
    in_errors = models.BigIntegerField(null=True, blank=True)
    out_errors = models.BigIntegerField(null=True, blank=True)
    collected_at = models.DateTimeField()

    class Meta:
        verbose_name = _("interface counters")
        verbose_name_plural = _("interface counters")

    def __str__(self) -> str:
        return f"counters {self.interface_id}"


class LinkKind(models.TextChoices):
    CORE_INTERCONNECT = "core_interconnect", _("core interconnect")
    UPLINK = "uplink", _("uplink")
    ACCESS = "access", _("access")
    OTHER = "other", _("other")


class LinkOrigin(models.TextChoices):
    PLANNED = "planned", _("planned")
    DISCOVERED = "discovered", _("discovered")


class Link(Tracked):
    """A cable/circuit between two interfaces. `a` is the upstream end by convention (towards the core)."""

    a_interface = models.OneToOneField(
        Interface, verbose_name=_("A end (upstream)"), on_delete=models.CASCADE, related_name="link_as_a"
    )
    b_interface = models.OneToOneField(
        Interface, verbose_name=_("B end (downstream)"), on_delete=models.CASCADE, related_name="link_as_b"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices, default=LinkKind.UPLINK)
    origin = models.CharField(_("origin"), max_length=12, choices=LinkOrigin.choices, default=LinkOrigin.PLANNED)
    monitored = models.BooleanField(_("monitored"), default=True)
    # observed
    oper_up = models.BooleanField(_("up"), null=True, editable=False)
    last_change = models.DateTimeField(_("last status change"), null=True, blank=True, editable=False)
    lldp_confirmed = models.BooleanField(_("confirmed by LLDP"), null=True, editable=False)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(condition=~Q(a_interface=models.F("b_interface")), name="link_distinct_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.a_interface} ↔ {self.b_interface}"

    def clean(self) -> None:
        # The database enforces the same rules (constraints, and migration 0003's triggers for an interface at
        # opposite ends of two links); this gives forms and the API a field-keyed message instead of an IntegrityError.
        if self.a_interface_id and self.a_interface_id == self.b_interface_id:
            raise ValidationError({"b_interface": _("A link joins two different interfaces.")})
        for field in ("a_interface", "b_interface"):
            iface = getattr(self, f"{field}_id")
            clash = Link.objects.filter(Q(a_interface_id=iface) | Q(b_interface_id=iface)).exclude(pk=self.pk)
            if iface and clash.exists():
                raise ValidationError({field: _("This interface is already in another link.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A monitored link monitors both its ends (status and counters are polled and exported for them),
        however the link was made: admin, API, import or code."""
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if self.monitored:
                ends = Interface.objects.filter(pk__in=(self.a_interface_id, self.b_interface_id), monitored=False)
                for end in ends:
                    end.monitored = True
                    end.save(update_fields=["monitored"])


class Prefix(Tracked):
    """An IP prefix of the address plan (subset of NetBox's)."""

    prefix = models.CharField(_("prefix"), max_length=43, unique=True)
    zone = models.CharField(_("network zone"), max_length=10, blank=True)
    area = models.ForeignKey("inventory.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("prefix")
        verbose_name_plural = _("prefixes")
        ordering = ["prefix"]

    def __str__(self) -> str:
        return self.prefix

    def clean(self) -> None:
        try:
            self.prefix = str(ipaddress.ip_network(self.prefix, strict=True))
        except ValueError as exc:
            raise ValidationError({"prefix": str(exc)}) from exc


class IPAddress(Tracked):
    """An address on an interface (subset of NetBox's)."""

    address = models.GenericIPAddressField(_("address"))
    prefix_length = models.PositiveSmallIntegerField(_("prefix length"))
    interface = models.ForeignKey(
        Interface, verbose_name=_("interface"), null=True, blank=True, on_delete=models.SET_NULL, related_name="ips"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("IP address")
        verbose_name_plural = _("IP addresses")
        ordering = ["address"]
        constraints = [models.UniqueConstraint(fields=["address", "interface"], name="ip_unique_on_interface")]

    def __str__(self) -> str:
        return f"{self.address}/{self.prefix_length}"

    def clean(self) -> None:
        limit = 32 if ":" not in str(self.address) else 128
        if self.prefix_length is not None and self.prefix_length > limit:
            raise ValidationError({"prefix_length": _("Prefix length too long for this address family.")})
