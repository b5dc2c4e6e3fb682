"""MLPS checks on management-plane protection, logging, time and ports (the rest of the 16)."""

from __future__ import annotations

import re

from collectors.compliance.checks import Context, Outcome, _default, _out, snmp_on, ssh_on, vty_sections


def _snmp_acl(ctx: Context) -> list[str]:
    return ctx.config.find(r"^snmp-agent (acl|community .* acl|group .* acl|usm-user .* acl)\b")


def check_mgmt_acl(ctx: Context) -> Outcome:
    vty_acl = [f"{s.header}: {line}" for s in vty_sections(ctx) for line in s.find(r"^acl (\S+) inbound")]
    ssh_acl = ctx.config.find(r"^(ssh server|stelnet server) acl ")
    snmp, snmp_line = snmp_on(ctx)
    snmp_acl = _snmp_acl(ctx)
    evidence = [*vty_acl, *ssh_acl, *snmp_acl, f"SNMP agent: {snmp_line}"]
    missing = []
    if not vty_acl and not (ssh_acl and ssh_on(ctx)[0]):
        missing.append("VTY/SSH")
    if snmp and not snmp_acl:
        missing.append("SNMP")
    if missing:
        return _out("fail", "no ACL restricting " + " and ".join(missing), *evidence)
    return _out("pass", "management access is ACL-restricted", *evidence)


def check_snmp_v3_only(ctx: Context) -> Outcome:
    snmp, snmp_line = snmp_on(ctx)
    if not snmp:
        return _out("not_applicable", "SNMP agent is off", snmp_line)
    communities = ctx.config.find(r"^snmp-agent community ")
    version = ctx.config.first(r"^snmp-agent sys-info version (.+)")
    groups = ctx.config.find(r"^snmp-agent group v3 ")
    users = ctx.config.find(r"^snmp-agent usm-user v3 ")
    evidence = [*(filter(None, [version.string if version else None])), *communities, *groups, *users]
    problems = []
    versions = version.group(1).split() if version else None
    if (versions and set(versions) & {"v1", "v2c", "all"}) or (versions is None and ctx.defaults.snmp_v12c):
        problems.append("v1/v2c enabled" + ("" if versions else f" {_default('v1/v2c on')}"))
    if communities:
        problems.append("community strings configured")
    if [line for line in communities if " write " in f" {line} "]:
        problems.append("write community")
    if any(not re.search(r"\bprivacy\b", g) for g in groups):
        problems.append("v3 group without privacy")
    # VRP spreads one user over several lines ("... group G", "... authentication-mode ...", "... privacy-mode ...")
    names = {m.group(1) for u in users if (m := re.match(r"snmp-agent usm-user v3 (\S+)", u))}
    if any(not [u for u in users if u.split()[3] == name and "privacy-mode" in u] for name in names):
        problems.append("v3 user without privacy key")
    if problems:
        return _out("fail", "; ".join(problems), *evidence)
    return _out("pass", "SNMPv3 with authentication and privacy only", *evidence or [snmp_line])


def check_remote_syslog(ctx: Context) -> Outcome:
    hosts = ctx.config.find(r"^info-center loghost (?!source)\S+")
    disabled = ctx.config.find(r"^undo info-center enable")
    if disabled:
        return _out("fail", "information center disabled", *disabled)
    if not hosts:
        return _out("fail", "no remote syslog host (info-center loghost)", _default("no loghost"))
    return _out("pass", "logs sent to a remote syslog host", *hosts)


def check_ntp(ctx: Context) -> Outcome:
    servers = ctx.config.find(r"^(ntp-service unicast-server|sntp unicast-server|ntp server) ")
    enabled = ctx.config.find(r"^(ntp-service enable|clock protocol ntp)")
    if not servers:
        return _out("fail", "no NTP server configured", _default("no NTP server"))
    if ctx.defaults.ntp_needs_enable and not enabled:
        return _out("fail", "NTP server configured but the NTP service is off", *servers, _default("ntp-service off"))
    return _out("pass", "time synchronised from NTP", *servers, *enabled)


def check_command_accounting(ctx: Context) -> Outcome:
    if ctx.vrp:
        # "cmd recording-scheme X" (aaa view) sends every command to the recording scheme's HWTACACS server.
        lines = ctx.config.find_anywhere(r"^(command-point recording-scheme|cmd recording-scheme|recording-scheme)")
        ok = any(line.startswith(("command-point ", "cmd recording-scheme ")) for line in lines)
    else:
        lines = ctx.config.find_anywhere(r"^(accounting command|command accounting)")
        ok = bool(lines)
    if not ok:
        return _out("fail", "commands are not accounted to an AAA server", *lines or [_default("no accounting")])
    return _out("pass", "commands accounted through AAA", *lines)


_PHYSICAL = re.compile(
    r"^interface ((X|Ten-|Twenty-?Five|Forty|Hundred|25|40|100|10)?(GigabitEthernet|GE|GigE)|Ethernet|"
    r"FastEthernet|\d+GE)\S*$",
    re.IGNORECASE,
)
_NOT_IN_USE = {"port link-mode bridge", "port link-mode route", "undo shutdown", "negotiation auto"}


def check_unused_ports_shut(ctx: Context) -> Outcome:
    physical = [s for s in ctx.config.sections if _PHYSICAL.match(s.header)]
    if not physical:
        return _out("not_applicable", "no physical interfaces in the config")
    open_unused = [
        s.header
        for s in physical
        if "shutdown" not in s.lines and not [line for line in s.lines if line not in _NOT_IN_USE]
    ]
    if open_unused:
        return _out("fail", f"{len(open_unused)} unconfigured port(s) not shut down", *open_unused)
    shut = [s.header + ": shutdown" for s in physical if "shutdown" in s.lines]
    return _out("pass", "every unconfigured physical port is shut down", *shut or ["all ports configured"])


def check_login_banner(ctx: Context) -> Outcome:
    banners = ctx.config.find(r"^header (login|shell|motd)\b")
    if not banners:
        return _out("fail", "no login banner (header login)", _default("no banner"))
    return _out("pass", "login banner present", *banners)
