"""Cisco IOS / Ruijie RGOS `show running-config` text, and a short configuration for the security appliances
(Hillstone StoneOS, Sangfor), each driven by the device's compliance profile."""

from __future__ import annotations

from lab.configs import BANNER, LOGHOST, MGMT_NET, NTP_SERVER, TACACS_SERVER, chance, fake_secret
from lab.topology import LabDevice, Topology


def _aaa(d: LabDevice, p: dict[str, bool]) -> list[str]:
    lines = ["aaa new-model", "!"] if p["aaa_login"] else ["no aaa new-model", "!"]
    if p["aaa_login"]:
        lines += [
            "aaa authentication login default group tacacs+ local",
            "aaa authorization exec default group tacacs+ local",
        ]
    if p["command_accounting"]:
        lines += ["aaa accounting commands 15 default start-stop group tacacs+"]
    if p["login_lockout"]:
        lines += ["aaa local authentication attempts max-fail 5", "login block-for 1800 attempts 5 within 120"]
    return lines + ["!"]


def _users(d: LabDevice, p: dict[str, bool]) -> list[str]:
    if p["password_irreversible"]:
        lines = [f"username {d.ssh_username} privilege 15 secret 9 {fake_secret('ios_secret9', d, 'local-user')}"]
        lines.append(f"enable secret 9 {fake_secret('ios_secret9', d, 'enable')}")
    else:
        lines = [f"username {d.ssh_username} privilege 15 password 7 {fake_secret('ios_type7', d, 'local-user')}"]
        lines.append(f"enable password 7 {fake_secret('ios_type7', d, 'enable')}")
    if not p["no_default_accounts"]:
        lines.append(f"username admin privilege 15 password 7 {fake_secret('ios_type7', d, 'admin')}")
    return lines + ["!"]


def _services(d: LabDevice, p: dict[str, bool]) -> list[str]:
    lines = ["ip ssh version 2" if p["ssh_strong_crypto"] else "ip ssh version 1"]
    if p["ssh_strong_crypto"]:
        lines.append("ip ssh server algorithm encryption aes256-ctr aes128-ctr")
    lines.append("no ip http server" if p["no_http_management"] else "ip http server")
    lines.append("ip http secure-server")
    if not p["insecure_services_off"]:
        lines.append("ftp-server enable" if d.vendor == "ruijie" else "tftp-server flash:config.text")
    if p["remote_syslog"]:
        lines.append(f"logging host {LOGHOST}")
    if p["command_accounting"]:
        lines += [
            "tacacs server yw-tac",
            f" address ipv4 {TACACS_SERVER}",
            f" key 7 {fake_secret('ios_type7', d, 'tac')}",
        ]
    return lines + ["!"]


def _interfaces(d: LabDevice) -> list[str]:
    lines: list[str] = []
    for i in d.interfaces:
        lines.append(f"interface {i.descr}")
        if i.alias:
            lines.append(f" description {i.alias}")
        if i.type != 6 and i is d.interfaces[0]:
            lines.append(f" ip address {d.host} 255.255.255.255")
        if not i.admin_up:
            lines.append(" shutdown")
        lines.append("!")
    return lines


def _snmp(d: LabDevice, p: dict[str, bool]) -> list[str]:
    acl = " 99" if p["acl_on_management"] else ""
    lines = []
    if p["acl_on_management"]:
        lines += [
            f"access-list 99 permit {MGMT_NET[0]} {MGMT_NET[1]}",
            f"access-list 98 permit {MGMT_NET[0]} {MGMT_NET[1]}",
        ]
    if d.snmp_community is not None:
        lines.append(f"snmp-server community {d.snmp_community} RO{acl}")
    if d.snmp_v3 is not None:
        lines.append(f"snmp-server group ywgroup v3 priv{' access 99' if acl else ''}")
    lines.append(f"snmp-server location {d.sys_location}")
    if p["ntp"]:
        lines.append(f"ntp server {NTP_SERVER}")
    return lines + ["!"]


def _lines(d: LabDevice, p: dict[str, bool]) -> list[str]:
    timeout = (
        ([" exec-timeout 5 0"] if chance(d, "explicit-idle") < 0.5 else [])
        if p["idle_timeout"]
        else [" exec-timeout 0 0"]
    )
    login = [] if p["aaa_login"] else [f" password 7 {fake_secret('ios_type7', d, 'line')}", " login"]
    vty = ["line vty 0 4"] + ([" access-class 98 in"] if p["acl_on_management"] else []) + timeout + login
    vty.append(" transport input ssh" if p["ssh_not_telnet"] else " transport input telnet ssh")
    return ["line con 0"] + timeout + login + vty + ["!"]


def ios_config(d: LabDevice, topology: Topology, p: dict[str, bool]) -> str:
    version = d.os_version.split()[-1].split("(")[0]
    lines = ["!", f"version {version}", "service timestamps log datetime msec"]
    lines.append("service password-encryption" if p["password_irreversible"] else "no service password-encryption")
    lines += ["!", f"hostname {d.name}", "!"]
    lines += _aaa(d, p) + _users(d, p) + _services(d, p) + _interfaces(d) + _snmp(d, p)
    if p["login_banner"]:
        lines += [f"banner motd ^C{BANNER}^C", "!"]
    lines += _lines(d, p) + ["end"]
    return "\n".join(lines) + "\n"


def simple_config(d: LabDevice, topology: Topology, p: dict[str, bool]) -> str:
    """Security appliances: hostname, management services, SNMP, logging; interfaces with their descriptions."""
    lines = [
        f"hostname {d.name}",
        f"admin user {d.ssh_username}",
        f" password {fake_secret('vrp_cipher', d, 'local-user')}",
    ]
    lines.append(" access ssh" if p["ssh_not_telnet"] else " access ssh telnet")
    lines.append("exit")
    for i in d.interfaces:
        lines.append(f"interface {i.name}")
        if i.alias:
            lines.append(f'  description "{i.alias}"')
        if not i.admin_up:
            lines.append("  shutdown")
        lines.append("exit")
    if d.snmp_community is not None:
        lines.append(f"snmp-server community {d.snmp_community} ro")
    if p["remote_syslog"]:
        lines.append(f"logging syslog {LOGHOST} udp 514 type event")
    if p["ntp"]:
        lines.append(f"ntp server {NTP_SERVER}")
    return "\n".join(lines) + "\n"
