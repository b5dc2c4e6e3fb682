"""Huawei VRP `display current-configuration` text for one lab device, driven by its compliance profile."""

from __future__ import annotations

from lab.configs import (
    BANNER,
    LOGHOST,
    MGMT_NET,
    NTP_SERVER,
    TACACS_SERVER,
    chance,
    fake_secret,
)
from lab.topology import LabDevice, Topology


def _services(d: LabDevice, p: dict[str, bool]) -> list[str]:
    lines = []
    # Telnet is off by default from V200R010 on: a compliant device may say so or just omit the line.
    if not p["ssh_not_telnet"]:
        lines += ["#", " telnet server enable"]
    elif chance(d, "explicit-telnet") < 0.5:
        lines += ["#", " undo telnet server enable"]
    lines += ["#", " http server enable" if not p["no_http_management"] else " undo http server enable"]
    lines.append(" http secure-server enable")
    if not p["insecure_services_off"]:
        lines += ["#", " ftp server enable"]
    lines += ["#", " stelnet server enable"]
    if p["ssh_strong_crypto"]:
        lines.append(" ssh server cipher aes256_ctr aes128_ctr")
        lines.append(" ssh server hmac sha2_256")
    else:
        lines.append(" ssh server compatible-ssh1x enable")
        lines.append(" ssh server cipher aes256_ctr aes128_ctr des_cbc 3des_cbc")
    if p["acl_on_management"]:
        lines.append(" ssh server acl 2001")
    lines += [f" ssh user {d.ssh_username}", f" ssh user {d.ssh_username} authentication-type password"]
    lines.append(f" ssh user {d.ssh_username} service-type stelnet")
    return lines


def _aaa(d: LabDevice, p: dict[str, bool]) -> list[str]:
    lines = [
        "#",
        "aaa",
        " authentication-scheme default",
        " authorization-scheme default",
        " accounting-scheme default",
    ]
    if p["login_lockout"]:
        lines.append(" local-aaa-user wrong-password retry-interval 5 retry-time 5 block-time 30")
    if p["command_accounting"]:
        lines += [" recording-scheme yw-rec", "  recording-mode hwtacacs yw-tac", " cmd recording-scheme yw-rec"]
    kind = "irreversible-cipher" if p["password_irreversible"] else "cipher"
    secret = fake_secret("vrp_irreversible" if p["password_irreversible"] else "vrp_cipher", d, "local-user")
    service = "ssh" if p["ssh_not_telnet"] else "telnet ssh"
    lines += [
        f" local-user {d.ssh_username} password {kind} {secret}",
        f" local-user {d.ssh_username} privilege level 15",
        f" local-user {d.ssh_username} service-type {service}",
    ]
    if not p["no_default_accounts"]:
        lines += [
            f" local-user admin password cipher {fake_secret('vrp_cipher', d, 'admin')}",
            " local-user admin privilege level 15",
            " local-user admin service-type telnet ssh http",
        ]
    lines += [" domain default", "  authentication-scheme default", "  accounting-scheme default"]
    if p["command_accounting"]:
        lines += [
            "#",
            "hwtacacs-server template yw-tac",
            f" hwtacacs-server authentication {TACACS_SERVER}",
            f" hwtacacs-server authorization {TACACS_SERVER}",
            f" hwtacacs-server accounting {TACACS_SERVER}",
            f" hwtacacs-server shared-key cipher {fake_secret('vrp_cipher', d, 'tacacs')}",
        ]
    return lines


def _interfaces(d: LabDevice) -> list[str]:
    lines: list[str] = []
    for i in d.interfaces:
        lines += ["#", f"interface {i.name}"]
        if i.alias:
            lines.append(f" description {i.alias}")
        if i.name.startswith("Vlanif1") or (
            i.name.startswith("LoopBack") and not any(x.name.startswith("Vlanif") for x in d.interfaces)
        ):
            lines.append(f" ip address {d.host} 255.255.255.255")
        if not i.admin_up:
            lines.append(" shutdown")
    return lines


def _acls(p: dict[str, bool]) -> list[str]:
    if not p["acl_on_management"]:
        return []
    lines = []
    for number in (2000, 2001):
        lines += ["#", f"acl number {number}", f" rule 5 permit source {MGMT_NET[0]} {MGMT_NET[1]}", " rule 100 deny"]
    return lines


def _snmp(d: LabDevice, p: dict[str, bool]) -> list[str]:
    acl = " acl 2000" if p["acl_on_management"] else ""
    lines = ["#", "snmp-agent", f"snmp-agent local-engineid 800007DB03{d.chassis_mac.replace(':', '').upper()}"]
    if d.snmp_community is not None:
        lines.append(f"snmp-agent community read {d.snmp_community}{acl}")
        lines.append("snmp-agent sys-info version v2c v3")
    else:
        lines.append("snmp-agent sys-info version v3")
    lines.append(f"snmp-agent sys-info location {d.sys_location}")
    if d.snmp_v3 is not None:
        user = d.snmp_v3[0]
        lines += [
            f"snmp-agent group v3 ywgroup privacy read-view iso-view{acl}",
            f"snmp-agent usm-user v3 {user} group ywgroup",
            f"snmp-agent usm-user v3 {user} authentication-mode sha cipher {fake_secret('vrp_cipher', d, 'v3auth')}",
            f"snmp-agent usm-user v3 {user} privacy-mode aes128 cipher {fake_secret('vrp_cipher', d, 'v3priv')}",
        ]
    lines.append("snmp-agent mib-view included iso-view iso")
    return lines


def _user_interfaces(d: LabDevice, p: dict[str, bool]) -> list[str]:
    auth = "aaa" if p["aaa_login"] else "password"
    con = ["#", "user-interface con 0", f" authentication-mode {auth}"]
    vty = ["user-interface vty 0 4"]
    if p["acl_on_management"]:
        vty.append(" acl 2001 inbound")
    vty += [f" authentication-mode {auth}", " user privilege level 15"]
    if not p["aaa_login"]:
        vty.append(f" set authentication password cipher {fake_secret('vrp_cipher', d, 'vty')}")
    if p["idle_timeout"]:
        # The default is 10 minutes: half of the compliant devices leave it implicit.
        if chance(d, "explicit-idle") < 0.5:
            con.append(" idle-timeout 5 0")
            vty.append(" idle-timeout 5 0")
    else:
        con.append(" idle-timeout 0 0")
        vty.append(" idle-timeout 30 0")
    vty.append(" protocol inbound ssh" if p["ssh_not_telnet"] else " protocol inbound all")
    return con + vty


def vrp_config(d: LabDevice, topology: Topology, p: dict[str, bool]) -> str:
    lines = [
        f"!Software Version {d.os_version}",
        f"!Last configuration was updated at 2026-11-20 10:21:33+08:00 by {d.ssh_username}",
        f"!Last configuration was saved at 2026-11-20 10:22:05+08:00 by {d.ssh_username}",
        "#",
        "clock timezone BJ add 08:00:00",
        "#",
        f"sysname {d.name}",
        "#",
        "vlan batch 10 20 100",
    ]
    if p["remote_syslog"]:
        lines += ["#", f"info-center loghost {LOGHOST}", "info-center source default channel 2 log level informational"]
    lines += _services(d, p) + _aaa(d, p) + _interfaces(d) + _acls(p) + _snmp(d, p)
    if p["ntp"]:
        lines += ["#", f"ntp-service unicast-server {NTP_SERVER}"]
    if p["login_banner"]:
        lines += ["#", f'header login information "{BANNER}"']
    lines += _user_interfaces(d, p)
    lines += ["#", "return"]
    return "\n".join(lines) + "\n"
