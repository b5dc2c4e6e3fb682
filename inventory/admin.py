"""Django admin for every inventory model, with the searches and filters an operator reaches for."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inventory import models as m
from inventory.secrets import MASK

admin.site.site_header = _("yunwang — e-government extranet inventory")
admin.site.site_title = _("yunwang")


class ReadOnlyAdmin(admin.ModelAdmin):
    """History tables: written by the system, read by people."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


GEOJSON_TYPES = ("Feature", "FeatureCollection", "Polygon", "MultiPolygon")
MAX_BOUNDARY_BYTES = 5_000_000


class AreaForm(forms.ModelForm):  # type: ignore[type-arg]
    """The boundary can be pasted (the JSON field) or uploaded as a .geojson/.json file, which wins."""

    boundary_file = forms.FileField(
        label=_("upload boundary (GeoJSON file)"),
        required=False,
        help_text=_("A Feature, FeatureCollection, Polygon or MultiPolygon; replaces the boundary above."),
    )

    class Meta:
        model = m.Area
        fields = ("code", "name", "parent", "exclusion", "exclusion_reason", "centroid_lat", "centroid_lon", "boundary")

    def clean_boundary_file(self) -> Any:
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > MAX_BOUNDARY_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: simplify the boundary first."))
        try:
            geojson = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise forms.ValidationError(_("Not a GeoJSON file: %(error)s") % {"error": exc}) from exc
        if not isinstance(geojson, dict) or geojson.get("type") not in GEOJSON_TYPES:
            types = ", ".join(GEOJSON_TYPES)
            raise forms.ValidationError(_("GeoJSON type must be one of: %(types)s") % {"types": types})
        return geojson

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("boundary_file") is not None:
            cleaned["boundary"] = cleaned["boundary_file"]
        return cleaned


@admin.register(m.Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaForm
    list_display = ("code", "name", "level", "kind", "parent", "exclusion")
    list_filter = ("level", "kind", "exclusion")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    readonly_fields = ("level", "kind")
    GEOMETRY = ("centroid_lat", "centroid_lon", "boundary", "boundary_file")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Planners change an area's geometry only (for the coverage map), never its code, name, parent or
        exclusion (those change the coverage figures)."""
        from dashboards.roles import ADMIN, has_role

        if has_role(request.user, ADMIN):
            return self.readonly_fields
        editable = set(self.GEOMETRY)
        return [f.name for f in m.Area._meta.fields if f.name not in editable]


@admin.register(m.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "must_connect")
    list_filter = ("must_connect",)
    search_fields = ("name", "short_name")


@admin.register(m.Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "kind", "access_mode", "zone", "status", "department")
    list_filter = ("kind", "access_mode", "zone", "status", "area__level")
    search_fields = ("name", "area__code", "area__name")
    raw_id_fields = ("area",)
    list_select_related = ("area", "department")


@admin.register(m.BusinessSystem)
class BusinessSystemAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "classification", "cloud_status", "exemption_reason", "mlps_level")
    list_filter = ("cloud_status", "classification", "exemption_reason", "mlps_level", "is_new", "department")
    search_fields = ("name", "department__name", "exemption_note")
    list_select_related = ("department",)


@admin.register(m.VpnAccount)
class VpnAccountAdmin(admin.ModelAdmin):
    list_display = ("account", "site", "gateway", "enabled", "online", "last_seen_online")
    list_filter = ("enabled", "online")
    search_fields = ("account", "site__name")
    raw_id_fields = ("site", "gateway")
    readonly_fields = ("online", "last_seen_online")


@admin.register(m.Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "enterprise_number")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(m.DeviceType)
class DeviceTypeAdmin(admin.ModelAdmin):
    list_display = ("model", "manufacturer", "sys_object_id")
    list_filter = ("manufacturer",)
    search_fields = ("model", "sys_object_id")


@admin.register(m.Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "netmiko_device_type", "napalm_driver")
    search_fields = ("name", "slug")


@admin.register(m.DeviceRole)
class DeviceRoleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)


SECRET_FIELDS = ("snmp_community", "snmp_v3_auth_key", "snmp_v3_priv_key", "ssh_password")
WRITE_ONLY_HELP = _("Write-only. Leave blank to keep the stored value. file:/path reads a secrets file.")


class CredentialProfileForm(forms.ModelForm):
    """Secrets are write-only: the form never renders them; leaving a field blank keeps the stored value."""

    class Meta:
        model = m.CredentialProfile
        fields = (
            "name", "snmp_version", "snmp_community", "snmp_v3_user", "snmp_v3_auth_proto", "snmp_v3_auth_key",
            "snmp_v3_priv_proto", "snmp_v3_priv_key", "ssh_username", "ssh_password", "ssh_port",
        )  # fmt: skip
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            self.fields[name].required = False
            self.fields[name].help_text = WRITE_ONLY_HELP
            self.initial[name] = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in SECRET_FIELDS:
            if not str(self.data.get(self.add_prefix(name), "")) and self.instance.pk:
                data[name] = getattr(self.instance, name)  # blank: keep
        return data


@admin.register(m.CredentialProfile)
class CredentialProfileAdmin(admin.ModelAdmin):
    form = CredentialProfileForm
    list_display = ("name", "snmp_version", "snmp_v3_user", "ssh_username", "secrets_set")
    search_fields = ("name", "snmp_v3_user", "ssh_username")

    @admin.display(description=_("secrets"))
    def secrets_set(self, obj: m.CredentialProfile) -> str:
        return ", ".join(f"{name}={MASK}" for name in SECRET_FIELDS if getattr(obj, name)) or "—"


class InterfaceInline(admin.TabularInline):
    model = m.Interface
    extra = 0
    fields = ("if_index", "name", "alias", "speed_bps", "admin_status", "oper_status", "monitored")
    readonly_fields = ("if_index", "name", "alias", "speed_bps", "admin_status", "oper_status")
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("name", "management_ip", "role", "site", "status", "reachable", "isolated", "vendor", "last_seen")
    list_filter = ("status", "reachable", "isolated", "role", "vendor", "platform", "poller_group", "poll_error_kind")
    search_fields = ("name", "management_ip", "serial", "sys_name", "site__name", "site__area__code")
    raw_id_fields = ("site",)
    list_select_related = ("role", "site")
    readonly_fields = tuple(f.name for f in m.Device._meta.fields if not f.editable and f.name != "id")
    inlines = [InterfaceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[m.Device]:
        return super().get_queryset(request).select_related("role", "site")


@admin.register(m.Interface)
class InterfaceAdmin(admin.ModelAdmin):
    list_display = ("device", "if_index", "name", "alias", "speed_bps", "admin_status", "oper_status", "monitored")
    list_filter = ("monitored", "oper_status", "admin_status")
    search_fields = ("device__name", "name", "alias", "mac")
    raw_id_fields = ("device",)
    list_select_related = ("device",)


@admin.register(m.Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "origin", "monitored", "oper_up", "lldp_confirmed", "last_change")
    list_filter = ("kind", "origin", "monitored", "oper_up", "lldp_confirmed")
    search_fields = ("a_interface__device__name", "b_interface__device__name")
    raw_id_fields = ("a_interface", "b_interface")


@admin.register(m.Prefix)
class PrefixAdmin(admin.ModelAdmin):
    list_display = ("prefix", "zone", "area", "description")
    search_fields = ("prefix", "description")
    raw_id_fields = ("area",)


@admin.register(m.IPAddress)
class IPAddressAdmin(admin.ModelAdmin):
    list_display = ("__str__", "interface", "description")
    search_fields = ("address", "description")
    raw_id_fields = ("interface",)


@admin.register(m.ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ("time", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("actor", "object_repr", "object_id")
    date_hierarchy = "time"


@admin.register(m.StatusEvent)
class StatusEventAdmin(ReadOnlyAdmin):
    list_display = ("time", "kind", "device", "interface", "link", "reason", "cause")
    list_filter = ("kind",)
    search_fields = ("device__name", "reason")
    date_hierarchy = "time"
    list_select_related = ("device", "interface", "link", "cause")


@admin.register(m.ConfigBackup)
class ConfigBackupAdmin(ReadOnlyAdmin):
    list_display = ("device", "collected_at", "sha256")
    search_fields = ("device__name", "sha256")


@admin.register(m.Discovery)
class DiscoveryAdmin(admin.ModelAdmin):
    list_display = ("remote_sys_name", "remote_chassis_id", "remote_port", "seen_by", "local_port", "last_seen")
    list_filter = ("reviewed",)
    search_fields = ("remote_sys_name", "remote_chassis_id", "seen_by__name")
    readonly_fields = ("seen_by", "local_port", "remote_sys_name", "remote_chassis_id", "remote_port")


@admin.register(m.ComplianceResult)
class ComplianceResultAdmin(ReadOnlyAdmin):
    list_display = ("device", "check_id", "status", "checked_at")
    list_filter = ("status", "check_id")
    search_fields = ("device__name", "check_id")


@admin.register(m.PollCycle)
class PollCycleAdmin(ReadOnlyAdmin):
    list_display = ("kind", "poller_group", "started_at", "duration_seconds", "polled", "failed", "changes", "skipped")
    list_filter = ("kind", "poller_group", "skipped")


@admin.register(m.AlarmEvent)
class AlarmEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "alertname", "status", "severity", "county", "device_name")
    list_filter = ("status", "severity", "alertname")
    search_fields = ("alertname", "device_name", "fingerprint")


@admin.register(m.InterfaceCounters)
class InterfaceCountersAdmin(ReadOnlyAdmin):
    list_display = ("interface", "in_octets", "out_octets", "in_errors", "out_errors", "collected_at")
