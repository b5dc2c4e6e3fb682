"""What happened: change log, status history, config backups, discoveries, compliance, poll cycles, alarms."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """Who changed what and when, for people and collectors alike. Secrets are masked in `changes`."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.CharField(_("actor"), max_length=100, db_index=True)
    action = models.CharField(_("action"), max_length=10)  # create / update / delete
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes (field: [before, after])"), default=dict)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.object_repr}"


class EventKind(models.TextChoices):
    DEVICE_UP = "device_up", _("device reachable")
    DEVICE_DOWN = "device_down", _("device unreachable")
    DEVICE_ISOLATED = "device_isolated", _("device isolated (upstream down)")
    DEVICE_REBOOTED = "device_rebooted", _("device rebooted")
    INTERFACE_UP = "interface_up", _("interface up")
    INTERFACE_DOWN = "interface_down", _("interface down")
    LINK_UP = "link_up", _("link up")
    LINK_DOWN = "link_down", _("link down")
    VPN_UP = "vpn_up", _("VPN tunnel up")
    VPN_DOWN = "vpn_down", _("VPN tunnel down")


class StatusEvent(models.Model):
    """An up/down transition: the history behind availability figures and device timelines."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    device = models.ForeignKey("inventory.Device", on_delete=models.CASCADE, related_name="events")
    interface = models.ForeignKey("inventory.Interface", null=True, blank=True, on_delete=models.SET_NULL)
    link = models.ForeignKey("inventory.Link", null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    vpn_account = models.ForeignKey("inventory.VpnAccount", null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    cause = models.ForeignKey(
        "inventory.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="caused_events"
    )

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["device", "time"]), models.Index(fields=["link", "time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.kind} {self.device_id}"


class ConfigBackup(models.Model):
    """A running configuration, stored when it changed. Stored masked: secrets never reach the database."""

    device = models.ForeignKey("inventory.Device", on_delete=models.CASCADE, related_name="config_backups")
    collected_at = models.DateTimeField(_("collected at"), default=timezone.now)
    sha256 = models.CharField(_("SHA-256 of the raw config"), max_length=64)
    text = models.TextField(_("configuration (masked)"))
    diff = models.TextField(_("diff to previous (masked)"), blank=True)

    class Meta:
        verbose_name = _("config backup")
        verbose_name_plural = _("config backups")
        ordering = ["device_id", "-collected_at"]

    def __str__(self) -> str:
        return f"{self.device_id} @ {self.collected_at:%Y-%m-%d %H:%M}"


class Discovery(models.Model):
    """A neighbour seen over LLDP that is not in the inventory: for people to review, never an automatic row."""

    seen_by = models.ForeignKey("inventory.Device", on_delete=models.CASCADE, related_name="discoveries")
    local_port = models.CharField(_("local port"), max_length=100, blank=True)
    remote_sys_name = models.CharField(_("remote system name"), max_length=255, blank=True)
    remote_chassis_id = models.CharField(_("remote chassis id"), max_length=100, blank=True)
    remote_port = models.CharField(_("remote port"), max_length=100, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    reviewed = models.BooleanField(_("reviewed"), default=False)

    class Meta:
        verbose_name = _("discovery")
        verbose_name_plural = _("discoveries")
        constraints = [
            models.UniqueConstraint(
                fields=["seen_by", "local_port", "remote_chassis_id", "remote_port"], name="discovery_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.remote_sys_name or self.remote_chassis_id} via {self.seen_by_id}:{self.local_port}"


class CheckStatus(models.TextChoices):
    PASS = "pass", _("pass")
    FAIL = "fail", _("fail")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class ComplianceResult(models.Model):
    """One MLPS 2.0 check on one device's config at one time (kept, so a regression is visible)."""

    device = models.ForeignKey("inventory.Device", on_delete=models.CASCADE, related_name="compliance_results")
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)
    check_id = models.CharField(_("check"), max_length=50)
    status = models.CharField(_("result"), max_length=16, choices=CheckStatus.choices)
    evidence = models.TextField(_("evidence (masked)"), blank=True)
    # True on the device's latest set of results (a new set clears the previous one's flag): the current state is
    # what the status pages and /metrics read, without scanning the history.
    current = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("compliance result")
        verbose_name_plural = _("compliance results")
        ordering = ["device_id", "-checked_at", "check_id"]
        indexes = [
            models.Index(fields=["device", "check_id", "checked_at"]),
            models.Index(fields=["device"], condition=models.Q(current=True), name="compliance_current"),
        ]

    def __str__(self) -> str:
        return f"{self.device_id} {self.check_id} {self.status}"


class PollCycle(models.Model):
    """One poll cycle's summary: feeds collector-health metrics and the stale-collector alert."""

    kind = models.CharField(_("kind"), max_length=12)  # status / discovery / ssh
    poller_group = models.CharField(_("poller group"), max_length=50, default="default")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    polled = models.PositiveIntegerField(_("devices polled"), default=0)
    failed = models.PositiveIntegerField(_("devices failed"), default=0)
    failed_by_reason = models.JSONField(_("failed by reason"), default=dict, blank=True)
    changes = models.PositiveIntegerField(_("changes written"), default=0)
    skipped = models.BooleanField(_("skipped (previous cycle overran)"), default=False)

    class Meta:
        verbose_name = _("poll cycle")
        verbose_name_plural = _("poll cycles")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M:%S}"


class AlarmEvent(models.Model):
    """An Alertmanager notification (firing/resolved) recorded through the webhook: the alarm ledger."""

    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    alertname = models.CharField(_("alert"), max_length=100)
    status = models.CharField(_("status"), max_length=10)  # firing / resolved
    severity = models.CharField(_("severity"), max_length=20, blank=True)
    county = models.CharField(_("county code"), max_length=12, blank=True)
    device_name = models.CharField(_("device"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    labels = models.JSONField(_("labels"), default=dict)
    annotations = models.JSONField(_("annotations"), default=dict)

    class Meta:
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.alertname} {self.status}"
