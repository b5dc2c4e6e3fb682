"""H3C Comware 7 `display current-configuration` text for one lab device, driven by its compliance profile.

Comware 7 defaults matter to a checker: Telnet, SSH and SNMP are off unless enabled, VTY lines log in with a
password by default, the console logs in with nothing, and the idle timeout is 10 minutes.
"""

from __future__ import annotations

from lab.configs import BANNER, LOGHOST, MGMT_NET, NTP_SERVER, TACACS_SERVER, chance, fake_secret
from lab.topology import LabDevice, Topology


def _head(d: LabDevice, p: dict[str, bool]) -> list[str]:
    release = d.os_version.split()[-1]
    lines = ["#", f" version 7.1.070, Release {release}", "#", f" sysname {d.name}", "#"]
    lines += [" clock timezone Beijing add 08:00:00", "#"]
    if not p["ssh_not_telnet"]:
        lines += [" telnet server enable", "#"]
    if p["remote_syslog"]:
        lines += [f" info-center loghost {LOGHOST}", "#"]
    if not p["no_http_management"]:
        lines += [" ip http enable", " ip https enable", "#"]
    elif chance(d, "explicit-http") < 0.5:
        lines += [" undo ip http enable", " ip https enable", "#"]
    if p["login_lockout"]:
        lines += [" password-control enable", " password-control login-attempt 5 exceed lock-time 30"]
        lines += [" password-control length 10", " password-control composition type-number 3", "#"]
    if p["ntp"]:
        lines += [" ntp-service enable", f" ntp-service unicast-server {NTP_SERVER}", "#"]
    lines += [" lldp global enable", "#", " vlan 1", "#", " vlan 10", "#"]
    return lines


def _ssh(d: LabDevice, p: dict[str, bool]) -> list[str]:
    lines = [" ssh server enable"]
    if p["acl_on_management"]:
        lines.append(" ssh server acl 2001")
    if p["ssh_strong_crypto"]:
        lines.append(" ssh2 algorithm cipher aes256-ctr aes128-ctr")
    else:
        lines += [" ssh server compatible-ssh1x enable", " ssh2 algorithm cipher aes128-ctr 3des-cbc des-cbc"]
    if not p["insecure_services_off"]:
        lines += ["#", " ftp server enable"]
    return lines + ["#"]


def _interfaces(d: LabDevice) -> list[str]:
    lines: list[str] = []
    for i in d.interfaces:
        lines.append(f"interface {i.name}")
        if i.type == 6:
            lines.append(" port link-mode bridge")
        if i.alias:
            lines.append(f" description {i.alias}")
        if i.name == "Vlan-interface1":
            lines.append(f" ip address {d.host} 255.255.255.255")
        if not i.admin_up:
            lines.append(" shutdown")
        lines.append("#")
    return lines


def _snmp(d: LabDevice, p: dict[str, bool]) -> list[str]:
    acl = " acl 2000" if p["acl_on_management"] else ""
    lines = [" snmp-agent", f" snmp-agent local-engineid 800063A203{d.chassis_mac.replace(':', '').upper()}"]
    if d.snmp_community is not None:
        lines.append(f" snmp-agent community read simple {d.snmp_community}{acl}")
        lines.append(" snmp-agent sys-info version v2c v3")
    else:
        lines.append(" snmp-agent sys-info version v3")
    lines.append(f" snmp-agent sys-info location {d.sys_location}")
    if d.snmp_v3 is not None:
        user = d.snmp_v3[0]
        auth, priv = fake_secret("comware_cipher", d, "v3auth"), fake_secret("comware_cipher", d, "v3priv")
        lines.append(f" snmp-agent group v3 ywgroup privacy{acl}")
        lines.append(
            f" snmp-agent usm-user v3 {user} ywgroup cipher authentication-mode sha {auth} privacy-mode aes128 {priv}"
        )
    return lines + ["#"]


def _aaa(d: LabDevice, p: dict[str, bool]) -> list[str]:
    lines: list[str] = []
    if p["command_accounting"]:
        lines += [
            "hwtacacs scheme yw-tac",
            f" primary authentication {TACACS_SERVER}",
            f" primary authorization {TACACS_SERVER}",
            f" primary accounting {TACACS_SERVER}",
            f" key authentication cipher {fake_secret('comware_cipher', d, 'tac-auth')}",
            f" key accounting cipher {fake_secret('comware_cipher', d, 'tac-acct')}",
            "#",
            "domain system",
            " authentication login hwtacacs-scheme yw-tac local",
            " authorization login hwtacacs-scheme yw-tac local",
            " accounting login hwtacacs-scheme yw-tac local",
            " accounting command hwtacacs-scheme yw-tac",
            "#",
        ]
    stored = (
        f"hash {fake_secret('comware_hash', d, 'local-user')}"
        if p["password_irreversible"]
        else f"cipher {fake_secret('comware_cipher', d, 'local-user')}"
    )
    service = "ssh" if p["ssh_not_telnet"] else "ssh telnet terminal"
    lines += [f"local-user {d.ssh_username} class manage", f" password {stored}", f" service-type {service}"]
    lines += [" authorization-attribute user-role network-admin", "#"]
    if not p["no_default_accounts"]:
        lines += ["local-user admin class manage", f" password cipher {fake_secret('comware_cipher', d, 'admin')}"]
        lines += [" service-type telnet http", " authorization-attribute user-role network-admin", "#"]
    return lines


def _acls(p: dict[str, bool]) -> list[str]:
    if not p["acl_on_management"]:
        return []
    lines = []
    for number in (2000, 2001):
        lines += [f"acl basic {number}", f" rule 5 permit source {MGMT_NET[0]} {MGMT_NET[1]}", " rule 100 deny", "#"]
    return lines


def _lines(d: LabDevice, p: dict[str, bool]) -> list[str]:
    # Console: no login by default on Comware 7; VTY: password by default. Compliant devices say "scheme".
    con = ["line aux 0"]
    vty = ["line vty 0 63"]
    if p["aaa_login"]:
        con.append(" authentication-mode scheme")
        vty.append(" authentication-mode scheme")
    elif chance(d, "explicit-password-login") < 0.5:
        vty += [
            " authentication-mode password",
            f" set authentication password cipher {fake_secret('comware_cipher', d, 'vty')}",
        ]
    if p["idle_timeout"]:
        if chance(d, "explicit-idle") < 0.5:
            con.append(" idle-timeout 5 0")
            vty.append(" idle-timeout 5 0")
    else:
        vty.append(" idle-timeout 0 0")
    if p["acl_on_management"]:
        vty.append(" acl 2001 inbound")
    vty.append(" user-role network-operator")
    if p["ssh_not_telnet"]:
        vty.append(" protocol inbound ssh")
    return con + ["#"] + vty + ["#"]


def comware_config(d: LabDevice, topology: Topology, p: dict[str, bool]) -> str:
    lines = _head(d, p) + _interfaces(d) + _ssh(d, p) + _snmp(d, p) + _aaa(d, p) + _acls(p) + _lines(d, p)
    if p["login_banner"]:
        lines += [f" header login %{BANNER}%", "#"]
    lines += ["return"]
    return "\n".join(lines) + "\n"
