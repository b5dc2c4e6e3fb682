"""A compliance history over `pages_data.build_network`: three result sets per device, a day apart.

Devices are numbered by name (i = 0, 1, ...). Statuses per check at the three sets t0, t1, t2 (t2 is current):

- ssh_not_telnet: fail, fail, fail for even i (failing since t0: never passed), else pass;
- ntp: pass, fail, fail when i % 3 == 0 (failing since t1), else pass;
- login_banner: fail, pass, fail when i % 4 == 1 (failing since t2: a pass broke the run), else pass;
- idle_timeout: fail, n/a, fail when i % 5 == 2 (failing since t2: not applicable breaks the run too), else pass;
- snmpv3_only: not applicable; every other check: pass.

Device 0 is decommissioned (it fails ssh_not_telnet but must not be counted).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from collectors.compliance import CHECKS
from inventory.models import ComplianceResult, Device, DeviceStatus
from tests.dashboards.pages_data import Network, build_network

FAIL, PASS, NA = "fail", "pass", "not_applicable"


def status_of(i: int, check: str, step: int) -> str:
    """The stored status of device i's check at set `step` (0, 1, 2)."""
    patterns = {
        "ssh_not_telnet": ((FAIL, FAIL, FAIL), i % 2 == 0),
        "ntp": ((PASS, FAIL, FAIL), i % 3 == 0),
        "login_banner": ((FAIL, PASS, FAIL), i % 4 == 1),
        "idle_timeout": ((FAIL, NA, FAIL), i % 5 == 2),
    }
    if check == "snmpv3_only":
        return NA
    pattern, applies = patterns.get(check, ((PASS, PASS, PASS), False))
    return pattern[step] if applies else PASS


SINCE_STEP = {"ssh_not_telnet": 0, "ntp": 1, "login_banner": 2, "idle_timeout": 2}


def evidence_of(name: str, check: str) -> str:
    return f"{check}: line 1 of {name}\n{check}: line 2"


@dataclass(frozen=True)
class ComplianceNetwork:
    net: Network
    devices: list[Device]  # by name; index = i above
    times: tuple[datetime.datetime, datetime.datetime, datetime.datetime]
    decommissioned: Device

    @property
    def in_service(self) -> list[tuple[int, Device]]:
        return [(i, d) for i, d in enumerate(self.devices) if d.pk != self.decommissioned.pk]

    def expected_counts(self, area_prefix: str = "") -> dict[str, Counter[str]]:
        """check → Counter(status) over the current results of devices in service (in the area's subtree)."""
        counts: dict[str, Counter[str]] = {check: Counter() for check in CHECKS}
        for i, device in self.in_service:
            if device.site.area_id.startswith(area_prefix):
                for check in CHECKS:
                    counts[check][status_of(i, check, 2)] += 1
        return counts

    def expected_failing(self, area_prefix: str = "") -> dict[tuple[str, str], datetime.datetime]:
        """(device name, check) → failing since, for the current failures of devices in service."""
        return {
            (device.name, check): self.times[SINCE_STEP[check]]
            for i, device in self.in_service
            if device.site.area_id.startswith(area_prefix)
            for check in CHECKS
            if status_of(i, check, 2) == FAIL
        }


def build_compliance(devices: int = 20) -> ComplianceNetwork:
    net = build_network(devices)
    ordered, times = add_compliance_history()
    return ComplianceNetwork(net, ordered, times, ordered[0])


def add_compliance_history() -> tuple[list[Device], tuple[datetime.datetime, datetime.datetime, datetime.datetime]]:
    """The three result sets of the module docstring for every device (by name); device 0 decommissioned."""
    ComplianceResult.objects.all().delete()  # build_network's two sample rows: this history replaces them
    now = timezone.now().replace(microsecond=0)
    times = (now - datetime.timedelta(days=3), now - datetime.timedelta(days=2), now - datetime.timedelta(days=1))
    ordered = list(Device.objects.select_related("site").order_by("name"))
    rows = [
        ComplianceResult(
            device=device,
            check_id=check,
            status=status_of(i, check, step),
            evidence=evidence_of(device.name, check) if status_of(i, check, step) == FAIL else "",
            checked_at=when,
            current=step == 2,
        )
        for i, device in enumerate(ordered)
        for step, when in enumerate(times)
        for check in CHECKS
    ]
    ComplianceResult.objects.bulk_create(rows, batch_size=2000)
    Device.objects.filter(pk=ordered[0].pk).update(status=DeviceStatus.DECOMMISSIONED)
    return ordered, times
