"""Celery tasks (eager without a broker, as in tests and single-host installs): one cycle per poller group."""

from __future__ import annotations

import pytest
from django.test import override_settings

from collectors.tasks import dispatch, poll_group, queue_for
from inventory.models import CredentialProfile, PollCycle
from tests.collectors import poll_factories as f

pytestmark = pytest.mark.django_db


@override_settings(YUNWANG_SNMP_TIMEOUT_SECONDS=0.2, YUNWANG_SNMP_RETRIES=0)
def test_dispatch_sends_one_cycle_per_poller_group() -> None:
    profile = CredentialProfile.objects.create(name="v2c", snmp_version="2c", snmp_community="c")
    f.device("KF-A", host="127.0.0.1", credentials=profile, snmp_port=9, poller_group="430105")
    f.device("KF-B", host="127.0.0.2", credentials=profile, snmp_port=9, poller_group="430102")
    queues = dispatch.delay("status").get()
    assert queues == ["poll.430102", "poll.430105"]
    cycles = PollCycle.objects.order_by("poller_group")
    assert [(c.poller_group, c.polled, c.failed) for c in cycles] == [("430102", 1, 1), ("430105", 1, 1)]
    result = poll_group.delay("430105", "status").get()
    assert result["failed"] == 1 and "polled 1/1" in result["line"]
    assert queue_for("") == "poll.default"
