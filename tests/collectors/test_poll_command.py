"""`manage.py poll` end to end with the real SNMP driver, against a loopback port where no agent listens."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inventory.models import CredentialProfile, Device, PollCycle, StatusEvent
from tests.collectors import poll_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_device() -> Device:
    profile = CredentialProfile.objects.create(name="v2c", snmp_version="2c", snmp_community="s3cret-community")
    # Port 9 (discard) on loopback: nothing answers SNMP there.
    return f.device("KF-GONE-01", host="127.0.0.1", credentials=profile, snmp_port=9)


def test_poll_once_marks_a_silent_device_unreachable(silent_device: Device) -> None:
    out = StringIO()
    call_command("poll", "--once", "--device", "KF-GONE-01", "--timeout", "0.2", "--retries", "0", stdout=out)
    silent_device.refresh_from_db()
    assert silent_device.reachable is False and silent_device.poll_error_kind in {"timeout", "refused"}
    assert "polled 1/1, failed 1" in out.getvalue()
    assert "s3cret-community" not in out.getvalue() + silent_device.poll_error
    assert StatusEvent.objects.get().kind == "device_down"
    assert PollCycle.objects.get().failed_by_reason == {silent_device.poll_error_kind: 1}


def test_poll_skips_devices_that_are_not_in_service(silent_device: Device) -> None:
    f.device("KF-PLANNED-01", host="127.0.0.2", status="planned")
    out = StringIO()
    call_command("poll", "--once", "--mode", "status", "--timeout", "0.2", "--retries", "0", stdout=out)
    assert "status: polled 1/1" in out.getvalue()
    assert Device.objects.get(name="KF-PLANNED-01").reachable is None


def test_poll_rejects_bad_arguments() -> None:
    with pytest.raises(CommandError, match="12-digit"):
        call_command("poll", "--once", "--area", "4301")
    with pytest.raises(CommandError, match="no pollable device"):
        call_command("poll", "--once", "--device", "nope")
