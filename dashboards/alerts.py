"""The alarm ledger: Alertmanager's webhook → AlarmEvent rows, and link availability per county from them.

Alertmanager posts its notification JSON (version 4) to POST /api/alerts/webhook with
`Authorization: Bearer <YUNWANG_ALERT_WEBHOOK_TOKEN>`. Without the setting the endpoint answers 503 (not configured),
without the right token 401. Repeated notifications of the same alert state are recorded once.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dashboards.metrics_queries import Counties
from dashboards.metrics_views import bearer_token_matches, unauthorized
from inventory.models import AlarmEvent, Link

STATUSES = ("firing", "resolved")
LINK_DOWN = "LinkDown"


@dataclass(frozen=True)
class Alarm:
    """One alert out of a notification, as the ledger stores it."""

    fingerprint: str
    alertname: str
    status: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


def _time(value: Any) -> datetime.datetime | None:
    """RFC 3339 → aware datetime; Go's zero time ("0001-01-01T00:00:00Z", no end yet) → None."""
    if not isinstance(value, str) or not value or value.startswith("0001-01-01"):
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a timestamp: {value[:40]!r}")
    return parsed


def _strings(value: Any, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError(f"{what} must be an object of strings")
    return dict(value)


def parse_notification(payload: Any) -> list[Alarm]:
    """The alerts of one Alertmanager webhook notification. Raises ValueError on a malformed payload."""
    if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
        raise ValueError("expected an Alertmanager notification with an 'alerts' list")
    alarms = []
    for item in payload["alerts"]:
        if not isinstance(item, dict) or item.get("status") not in STATUSES:
            raise ValueError("each alert needs a status of 'firing' or 'resolved'")
        labels = _strings(item.get("labels"), "labels")
        fingerprint = item.get("fingerprint")
        if not isinstance(fingerprint, str) or not fingerprint:
            # Older Alertmanagers omit it: the identity of an alert is its label set.
            fingerprint = hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]
        alarms.append(
            Alarm(
                fingerprint=fingerprint[:64],
                alertname=labels.get("alertname", "")[:100],
                status=item["status"],
                starts_at=_time(item.get("startsAt")),
                ends_at=_time(item.get("endsAt")) if item["status"] == "resolved" else None,
                labels=labels,
                annotations=_strings(item.get("annotations"), "annotations"),
            )
        )
    return alarms


def record_alarms(alarms: Iterable[Alarm]) -> int:
    """Append the alarms not already in the ledger (same fingerprint, status and start). Returns how many."""
    alarms = list(alarms)
    known = set(
        AlarmEvent.objects.filter(fingerprint__in={a.fingerprint for a in alarms}).values_list(
            "fingerprint", "status", "starts_at"
        )
    )
    new: list[AlarmEvent] = []
    for alarm in alarms:
        key = (alarm.fingerprint, alarm.status, alarm.starts_at)
        if key in known:
            continue
        known.add(key)
        new.append(
            AlarmEvent(
                fingerprint=alarm.fingerprint,
                alertname=alarm.alertname,
                status=alarm.status,
                severity=alarm.labels.get("severity", "")[:20],
                county=alarm.labels.get("county", "")[:12],
                device_name=alarm.labels.get("device", "")[:100],
                starts_at=alarm.starts_at,
                ends_at=alarm.ends_at,
                labels=alarm.labels,
                annotations=alarm.annotations,
            )
        )
    AlarmEvent.objects.bulk_create(new)
    return len(new)


@csrf_exempt  # a machine client authenticated by its bearer token, not a browser session
@require_POST
def alert_webhook(request: HttpRequest) -> HttpResponse:
    token = settings.YUNWANG_ALERT_WEBHOOK_TOKEN
    if not token:
        return JsonResponse({"error": "YUNWANG_ALERT_WEBHOOK_TOKEN is not set"}, status=503)
    if not bearer_token_matches(request, token):
        return unauthorized()
    try:
        alarms = parse_notification(json.loads(request.body))
    except (ValueError, UnicodeDecodeError) as exc:
        return JsonResponse({"error": str(exc)[:200]}, status=400)
    return JsonResponse({"recorded": record_alarms(alarms)})


@dataclass(frozen=True)
class CountyAvailability:
    """Link availability of one county over a period, from the LinkDown alarms in the ledger."""

    county: str
    links: int
    down_seconds: float
    availability: float | None  # None: no monitored links in the county
    alarms: int = 0  # LinkDown alarms that overlap the period


def _down_intervals(start: datetime.datetime, end: datetime.datetime) -> dict[str, list[tuple[float, float]]]:
    """Per county, the LinkDown intervals clipped to [start, end] (an alarm not yet resolved runs to `end`)."""
    # Not filtered on ends_at: a firing row has none, and its resolved row decides whether it overlaps the period.
    rows = AlarmEvent.objects.filter(alertname=LINK_DOWN, starts_at__lt=end).values_list(
        "fingerprint", "starts_at", "county", "status", "ends_at"
    )
    opened: dict[tuple[str, datetime.datetime], str] = {}
    closed: dict[tuple[str, datetime.datetime], datetime.datetime] = {}
    for fingerprint, starts_at, county, status, ends_at in rows.iterator(chunk_size=2000):
        if starts_at is None:  # excluded by the filter; says so to the type checker
            continue
        key = (fingerprint, starts_at)
        opened.setdefault(key, county)
        if status == "resolved" and ends_at is not None:
            closed[key] = ends_at
    by_county: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for key, county in opened.items():
        lo, hi = max(key[1], start), min(closed.get(key, end), end)
        if hi > lo:
            by_county[county].append((lo.timestamp(), hi.timestamp()))
    return by_county


def link_availability_by_county(
    start: datetime.datetime, end: datetime.datetime | None = None
) -> dict[str, CountyAvailability]:
    """(period × links − down time) ÷ (period × links) per county, for monitored links, from the alarm ledger."""
    end = end or timezone.now()
    period = (end - start).total_seconds()
    if period <= 0:
        raise ValueError("the period must end after it starts")
    county = Counties()
    links: dict[str, int] = defaultdict(int)
    for b_area, a_area in Link.objects.filter(monitored=True).values_list(
        "b_interface__device__site__area_id", "a_interface__device__site__area_id"
    ):
        links[county(b_area) or county(a_area)] += 1
    intervals = _down_intervals(start, end)
    down = {c: sum(hi - lo for lo, hi in spans) for c, spans in intervals.items()}
    result = {}
    for c in sorted(set(links) | set(down)):
        n = links.get(c, 0)
        lost = down.get(c, 0.0)
        avail = max(0.0, 1 - lost / (n * period)) if n else None
        result[c] = CountyAvailability(c, n, lost, avail, len(intervals.get(c, ())))
    return result
