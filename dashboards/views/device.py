"""The device page: observed facts, interfaces, links and LLDP neighbours, events, configs, compliance."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from dashboards.roles import CONFIG_ROLES, STATUS_ROLES, has_role, role_required
from dashboards.views.board import STATE_LABELS, STATES, stale_cutoff, state_rank
from dashboards.views.common import page
from inventory.models import CheckStatus, ComplianceResult, ConfigBackup, Device, Interface, Link

EVENTS_SHOWN = 50
CONFIGS_SHOWN = 10


@dataclass(frozen=True)
class LinkView:
    """A link seen from this device: our end, the far end, and how we know about it."""

    link: Link
    local: Interface
    remote: Interface

    @property
    def upstream(self) -> bool:
        # By convention the A end is the upstream one; if we are B, the far end is our upstream.
        return self.link.b_interface_id == self.local.pk


@dataclass(frozen=True)
class DiffLine:
    text: str
    kind: str  # add / del / hunk / ctx


def diff_lines(diff: str) -> list[DiffLine]:
    lines = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            kind = "meta"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "ctx"
        lines.append(DiffLine(line, kind))
    return lines


def _links(device: Device) -> list[LinkView]:
    links = Link.objects.filter(Q(a_interface__device=device) | Q(b_interface__device=device)).select_related(
        "a_interface__device", "b_interface__device"
    )
    views = []
    for link in links:
        ours_a = link.a_interface.device_id == device.pk
        local, remote = (link.a_interface, link.b_interface) if ours_a else (link.b_interface, link.a_interface)
        views.append(LinkView(link, local, remote))
    return sorted(views, key=lambda v: (v.local.if_index or 0, v.local.name))


def _latest_compliance(device: Device) -> list[ComplianceResult]:
    results = list(device.compliance_results.filter(current=True))
    order = {CheckStatus.FAIL: 0, CheckStatus.PASS: 1, CheckStatus.NOT_APPLICABLE: 2}
    return sorted(results, key=lambda r: (order.get(r.status, 3), r.check_id))  # type: ignore[call-overload]


def format_duration(seconds: float | None) -> str:
    """Uptime as "12d 03:04:05" (None when the device never told us)."""
    if seconds is None:
        return "—"
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{days}d {hours:02d}:{minutes:02d}:{secs:02d}"


@require_GET
@role_required(*STATUS_ROLES)
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(
        Device.objects.annotate(state_rank=state_rank(stale_cutoff())).select_related(
            "site__area", "site__department", "role", "device_type__manufacturer", "platform", "isolated_by"
        ),
        pk=pk,
    )
    may_see_configs = has_role(request.user, *CONFIG_ROLES)
    state = STATES[device.state_rank] if device.state_rank < len(STATES) else "never"  # type: ignore[attr-defined]
    context = {
        "device": device,
        "state": state,
        "state_label": STATE_LABELS[state],
        "interfaces": list(device.interfaces.all()),
        "links": _links(device),
        "discoveries": list(device.discoveries.order_by("local_port", "remote_sys_name")),
        "events": list(device.events.select_related("interface", "link", "cause")[:EVENTS_SHOWN]),
        "isolating": list(device.isolating.order_by("name").values("pk", "name")[:50]),
        "may_see_configs": may_see_configs,
        "uptime": format_duration(device.uptime_seconds),
    }
    if may_see_configs:
        backups = list(device.config_backups.defer("text")[:CONFIGS_SHOWN])
        context["backups"] = [(b, diff_lines(b.diff)) for b in backups]
        context["compliance"] = _latest_compliance(device)
    return page(request, "dashboards/device.html", context, section="status")


@require_GET
@role_required(*CONFIG_ROLES)
def config_backup(request: HttpRequest, pk: int, backup_pk: int) -> HttpResponse:
    """One stored configuration in full (stored masked by the collector; shown as stored)."""
    backup = get_object_or_404(ConfigBackup.objects.select_related("device"), pk=backup_pk, device_id=pk)
    return page(request, "dashboards/config.html", {"backup": backup, "device": backup.device}, section="status")
