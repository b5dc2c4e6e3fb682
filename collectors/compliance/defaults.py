"""What a saved configuration does not say: per-platform, per-version defaults.

`display current-configuration` omits settings left at their default, so "no telnet line" means "Telnet as
the default has it", which differs by platform and release. Each value below names its source. Where the
vendor documentation we could check did not settle a default, we assume the *less secure* value (marked
"assumed"), so a compliance pass never rests on a guess: the operator makes it explicit in the config.

Sources:
- H3C/HPE Comware 7 Fundamentals Configuration Guides (e.g. HPE 5940 / 12900E, "Configuring the device as a
  Telnet server"): "By default, the Telnet server is disabled"; "In non-FIPS mode, password authentication is
  enabled for VTY lines by default"; console/AUX lines use no authentication by default; SSH server, SNMP
  agent, FTP server, NTP service and password-control are disabled until enabled; idle-timeout 10 minutes.
- H3C/HPE Comware 5 (A5800 Fundamentals): "By default, the device is enabled with the Telnet server".
- Huawei VRP (Quidway/S-series login guides): "The default timeout time of a user interface is 10 minutes".
  VRP V200R010 and later ship Telnet, STelnet, FTP and SNMP agent disabled; earlier releases enable Telnet.
  local-aaa-user wrong-password default: 3 attempts, 5 minutes block (V200R0xx AAA command reference).
  HTTP: the S-series V200R010 Web-based Configuration Guide has the web system reached over HTTPS, with a
  default web user for the first login; whether plain HTTP also answers by default varies by model and release,
  so plain HTTP is assumed on until `undo http server enable` says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Defaults:
    telnet_server: bool
    ssh_server: bool
    http_server: bool  # plain HTTP management
    https_server: bool
    ftp_server: bool
    snmp_agent: bool
    ssh1_compatible: bool
    snmp_v12c: bool  # with the agent on and no "sys-info version" line, are v1/v2c answered?
    vty_auth: str  # "none" | "password" | "aaa"
    console_auth: str
    idle_timeout_minutes: float
    lockout: tuple[int, float] | None  # (attempts, lock minutes) active by default, or None
    password_complexity: bool
    irreversible_passwords: bool  # does "password <plain>" get stored irreversibly by default?
    ntp_needs_enable: bool  # Comware 7: unicast-server alone does nothing without "ntp-service enable"
    source: str


VRP_V200R010 = Defaults(
    telnet_server=False,
    ssh_server=False,
    http_server=True,  # assumed
    https_server=True,  # assumed
    ftp_server=False,
    snmp_agent=False,
    ssh1_compatible=False,
    snmp_v12c=False,
    vty_auth="none",
    console_auth="password",
    idle_timeout_minutes=10,
    lockout=(3, 5),
    password_complexity=True,
    irreversible_passwords=True,
    ntp_needs_enable=False,
    source="Huawei VRP V200R010+ defaults (docs/ssh.md, collectors/compliance/defaults.py)",
)
VRP_OLD = Defaults(
    **{
        **VRP_V200R010.__dict__,
        "telnet_server": True,
        "ssh1_compatible": True,  # assumed
        "snmp_v12c": True,  # assumed
        "irreversible_passwords": False,
        "source": "Huawei VRP before V200R010 (Telnet on by default)",
    }
)
COMWARE_7 = Defaults(
    telnet_server=False,
    ssh_server=False,
    http_server=False,
    https_server=False,
    ftp_server=False,
    snmp_agent=False,
    ssh1_compatible=False,
    snmp_v12c=False,
    vty_auth="password",
    console_auth="none",
    idle_timeout_minutes=10,
    lockout=None,  # password-control is off by default
    password_complexity=False,
    irreversible_passwords=True,
    ntp_needs_enable=True,
    source="H3C Comware 7 defaults (Fundamentals Configuration Guide)",
)
COMWARE_5 = Defaults(
    **{
        **COMWARE_7.__dict__,
        "telnet_server": True,
        "http_server": True,  # assumed
        "ssh1_compatible": True,  # assumed
        "snmp_v12c": True,  # assumed
        "irreversible_passwords": False,
        "ntp_needs_enable": False,
        "source": "H3C Comware 5 defaults (Telnet server on by default)",
    }
)


def defaults_for(platform: str, version: str | None) -> Defaults | None:
    """Defaults for a platform slug ("huawei_vrp", "h3c_comware") and its OS version string, or None."""
    if platform == "huawei_vrp":
        release = re.search(r"V(\d{3})R(\d{3})", version or "")
        if release and (int(release.group(1)), int(release.group(2))) < (200, 10):
            return VRP_OLD
        return VRP_V200R010  # unknown version: the current releases
    if platform in {"h3c_comware", "hp_comware"}:
        major = re.match(r"\s*(\d+)\.", version or "")
        if major and int(major.group(1)) < 7:
            return COMWARE_5
        return COMWARE_7
    return None
