"""Device configurations: deterministic, in dialect, saying what each device's compliance profile says."""

from __future__ import annotations

import re

import pytest

from lab.configs import CHECKS, compliance_profile, config_for
from lab.topology import LabDevice, build_topology
from tests.lab.ssh_helpers import kaifu

# A few checks a reviewer can read off the text directly, per platform: (pattern, present when the check passes).
EVIDENCE: dict[str, dict[str, tuple[str, bool]]] = {
    "huawei_vrp": {
        "ssh_not_telnet": (r"^ telnet server enable$", False),
        "password_irreversible": (r"^ local-user netops password irreversible-cipher \$1c\$", True),
        "login_banner": (r"^header login information ", True),
        "command_accounting": (r"^ cmd recording-scheme ", True),
        "ntp": (r"^ntp-service unicast-server ", True),
        "remote_syslog": (r"^info-center loghost ", True),
        "insecure_services_off": (r"^ ftp server enable$", False),
        "no_default_accounts": (r"^ local-user admin ", False),
        "aaa_login": (r"^ authentication-mode aaa$", True),
    },
    "h3c_comware": {
        "ssh_not_telnet": (r"^ telnet server enable$", False),
        "password_irreversible": (r"^ password hash \$h\$6\$", True),
        "login_lockout": (r"^ password-control login-attempt ", True),
        "command_accounting": (r"^ accounting command hwtacacs-scheme ", True),
        "no_http_management": (r"^ ip http enable$", False),
        "aaa_login": (r"^ authentication-mode scheme$", True),
        "ssh_strong_crypto": (r"^ ssh server compatible-ssh1x enable$", False),
    },
    "cisco_ios": {
        "ssh_not_telnet": (r"^ transport input ssh$", True),
        "password_irreversible": (r"secret 9 \$9\$", True),
        "no_http_management": (r"^ip http server$", False),
    },
}


def _devices(platform: str) -> list[LabDevice]:
    return [d for d in kaifu().devices if d.platform == platform]


@pytest.mark.parametrize("platform", sorted(EVIDENCE))
def test_config_text_matches_the_compliance_profile(platform: str) -> None:
    checked = 0
    for device in _devices(platform):
        profile = compliance_profile(device)
        text = config_for(device, kaifu())
        for check, (pattern, when_pass) in EVIDENCE[platform].items():
            present = re.search(pattern, text, re.MULTILINE) is not None
            assert present == (profile[check] == when_pass), f"{device.name} {check}"
            checked += 1
    assert checked > 0


def test_every_check_has_compliant_and_violating_devices() -> None:
    profiles = [compliance_profile(d) for d in kaifu().devices if d.platform in ("huawei_vrp", "h3c_comware")]
    assert set(profiles[0]) == set(CHECKS) and len(CHECKS) == 16
    for check in CHECKS:
        if check == "unused_ports_shutdown":
            continue  # follows the topology's admin status of unused ports
        outcomes = {p[check] for p in profiles}
        assert outcomes == {True, False}, check


def test_snmp_settings_follow_the_lab_credentials() -> None:
    for device in kaifu().devices:
        text = config_for(device, kaifu())
        if device.snmp_community is not None:
            assert device.snmp_community in text, device.name
            assert not compliance_profile(device)["snmpv3_only"]
        else:
            assert "community" not in text
            assert compliance_profile(device)["snmpv3_only"]
        if device.snmp_v3 is not None:
            assert device.snmp_v3[2] not in text and device.snmp_v3[4] not in text  # keys only as cipher text


def test_configs_never_hold_the_ssh_password_and_are_deterministic() -> None:
    again = build_topology("kaifu")
    other_seed = build_topology("kaifu", seed=7)
    for device in kaifu().devices:
        text = config_for(device, kaifu())
        assert device.ssh_password not in text
        assert text == config_for(again.device(device.name), again)
        if device.name in {d.name for d in other_seed.devices}:
            assert text != config_for(other_seed.device(device.name), other_seed)


def test_unused_ports_check_follows_interface_state() -> None:
    device = next(d for d in kaifu().devices if d.platform == "huawei_vrp" and d.role == "access")
    text = config_for(device, kaifu())
    blocks = text.split("#\ninterface ")[1:]
    open_unused = [
        b
        for b in blocks
        if b.split("\n")[0].startswith(("GigabitEthernet", "XGigabit", "10GE"))
        and " description " not in b
        and " shutdown" not in b
    ]
    assert compliance_profile(device)["unused_ports_shutdown"] == (not open_unused)
