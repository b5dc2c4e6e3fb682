"""The 16 MLPS 2.0 (GB/T 22239-2019) level-3 device checks, for Huawei VRP and H3C Comware configs.

Each check reads the parsed config plus the platform defaults (`defaults.py`) and returns pass / fail /
not_applicable with the config lines it relied on (masked) or the default it assumed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from collectors.compliance.config import Config, Section
from collectors.compliance.defaults import Defaults
from collectors.masking import mask_config

Status = Literal["pass", "fail", "not_applicable"]


@dataclass(frozen=True)
class Thresholds:
    """Defaults match settings YUNWANG_MLPS_* (yunwang/settings.py)."""

    max_idle_minutes: float = 10
    max_login_attempts: int = 5
    min_lock_minutes: float = 10


@dataclass(frozen=True)
class Outcome:
    status: Status
    evidence: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class Context:
    config: Config
    defaults: Defaults
    thresholds: Thresholds
    vrp: bool  # True: Huawei VRP syntax; False: H3C Comware


def _out(status: Status, detail: str, *evidence: str) -> Outcome:
    return Outcome(status, tuple(mask_config(line) for line in evidence), detail)


def _default(value: object) -> str:
    return f"(default: {value})"


def _switch(ctx: Context, pattern: str, default: bool) -> tuple[bool, str]:
    """Effective on/off of a global "X enable" / "undo X enable" feature, with its evidence line."""
    for line in reversed(ctx.config.global_lines):
        if re.fullmatch(rf"undo {pattern}(\s.*)?", line):
            return False, line
        if re.fullmatch(rf"{pattern}(\s.*)?", line):
            return True, line
    return default, _default("on" if default else "off")


def telnet_on(ctx: Context) -> tuple[bool, str]:
    return _switch(ctx, r"telnet server enable", ctx.defaults.telnet_server)


def ssh_on(ctx: Context) -> tuple[bool, str]:
    return _switch(ctx, r"(stelnet|ssh) server enable", ctx.defaults.ssh_server)


def http_on(ctx: Context) -> tuple[bool, str]:
    return _switch(ctx, r"http server enable" if ctx.vrp else r"ip http enable", ctx.defaults.http_server)


def ftp_on(ctx: Context) -> tuple[bool, str]:
    return _switch(ctx, r"ftp server enable", ctx.defaults.ftp_server)


def snmp_on(ctx: Context) -> tuple[bool, str]:
    for line in reversed(ctx.config.global_lines):
        if line in {"undo snmp-agent", "snmp-agent disable"}:
            return False, line
        if line == "snmp-agent" or line.startswith("snmp-agent "):
            return True, line
    return ctx.defaults.snmp_agent, _default("on" if ctx.defaults.snmp_agent else "off")


# --- the line sections (VTY, console) --------------------------------------------------------------------


def vty_sections(ctx: Context) -> list[Section]:
    pattern = r"^user-interface (vty|maximum-vty)" if ctx.vrp else r"^line (vty|class vty)"
    return [s for s in ctx.config.sections_of(pattern) if not s.header.startswith("user-interface maximum")]


def console_sections(ctx: Context) -> list[Section]:
    pattern = r"^user-interface (con|console)" if ctx.vrp else r"^line (con|aux|class console|class aux)"
    return list(ctx.config.sections_of(pattern))


def _auth_mode(section: Section) -> str | None:
    """The configured mode as written ("aaa" on VRP, "scheme" on Comware), or None."""
    match = section.first(r"^authentication-mode (\S+)")
    return match.group(1) if match else None


def check_aaa_login(ctx: Context) -> Outcome:
    evidence: list[str] = []
    weak: list[str] = []
    for kind, sections, default in (
        ("vty", vty_sections(ctx), ctx.defaults.vty_auth),
        ("console", console_sections(ctx), ctx.defaults.console_auth),
    ):
        modes = [(s.header, _auth_mode(s)) for s in sections] or [(kind, None)]
        for header, mode in modes:
            effective = mode or default
            evidence.append(f"{header}: authentication-mode {mode}" if mode else f"{header} {_default(default)}")
            if effective not in {"aaa", "scheme"}:
                weak.append(f"{kind} uses {effective}")
    if weak:
        return _out("fail", "login not through AAA: " + "; ".join(weak), *evidence)
    return _out("pass", "VTY and console log in through AAA", *evidence)


def check_idle_timeout(ctx: Context) -> Outcome:
    limit = ctx.thresholds.max_idle_minutes
    evidence: list[str] = []
    bad: list[str] = []
    sections = vty_sections(ctx) + console_sections(ctx)
    for section in sections:
        match = section.first(r"^idle-timeout (\d+)(?: (\d+))?")
        minutes = (int(match.group(1)) + int(match.group(2) or 0) / 60) if match else ctx.defaults.idle_timeout_minutes
        evidence.append(f"{section.header}: {match.group(0) if match else _default(f'{minutes:g} min')}")
        if minutes == 0 or minutes > limit:
            bad.append(f"{section.header} idle {minutes:g} min" if minutes else f"{section.header} never times out")
    if not sections and ctx.defaults.idle_timeout_minutes > limit:
        bad.append("default idle timeout above the limit")
    if bad:
        return _out("fail", f"idle timeout above {limit:g} min: " + "; ".join(bad), *evidence)
    return _out("pass", f"all lines time out within {limit:g} min", *evidence or [_default("10 min")])


# --- services --------------------------------------------------------------------------------------------


def check_ssh_not_telnet(ctx: Context) -> Outcome:
    telnet, telnet_line = telnet_on(ctx)
    ssh, ssh_line = ssh_on(ctx)
    if telnet:
        return _out("fail", "Telnet server is on", telnet_line, ssh_line)
    if not ssh:
        return _out("fail", "SSH server is off (no secure remote management)", telnet_line, ssh_line)
    return _out("pass", "SSH on, Telnet off", f"telnet server: {telnet_line}", ssh_line)


def check_no_plain_http(ctx: Context) -> Outcome:
    http, line = http_on(ctx)
    if http:
        return _out("fail", "plain HTTP management is on", line)
    return _out("pass", "plain HTTP management is off", line)


def check_insecure_services_off(ctx: Context) -> Outcome:
    states = {"Telnet": telnet_on(ctx), "HTTP": http_on(ctx), "FTP": ftp_on(ctx)}
    tftp = ctx.config.find(r"^tftp[- ]server\b") if not ctx.vrp else ctx.config.find(r"^tftp-server\b")
    evidence = [f"{name}: {line}" for name, (_, line) in states.items()] + tftp
    on = [name for name, (state, _) in states.items() if state] + (["TFTP"] if tftp else [])
    if on:
        return _out("fail", "insecure services on: " + ", ".join(on), *evidence)
    return _out("pass", "FTP, HTTP and Telnet services are off", *evidence)


_WEAK_ALGORITHM = re.compile(r"(\bdes\b|des_cbc|3des|_cbc|-cbc|arcfour|blowfish|\bmd5|sha1\b|dh_group1|group1\b)")


def check_ssh_strong_crypto(ctx: Context) -> Outcome:
    ssh1, ssh1_line = _switch(ctx, r"ssh server compatible-ssh1x( enable)?", ctx.defaults.ssh1_compatible)
    algorithms = ctx.config.find(r"^(ssh server (cipher|hmac|key-exchange)|ssh2 algorithm)")
    weak = [line for line in algorithms if _WEAK_ALGORITHM.search(line.lower())]
    evidence = [f"SSHv1 compatibility: {ssh1_line}", *algorithms]
    if ssh1:
        return _out("fail", "SSHv1 compatibility is on", *evidence)
    if weak:
        return _out("fail", "weak SSH algorithms allowed", *evidence)
    return _out("pass", "no SSHv1, no weak SSH algorithms configured", *evidence)


# --- accounts and passwords ------------------------------------------------------------------------------


def _local_user_passwords(ctx: Context) -> list[str]:
    if ctx.vrp:
        lines = [line for s in ctx.config.sections_of(r"^aaa$") for line in s.lines]
        return [line for line in lines if re.match(r"^local-user \S+ password ", line)]
    return [f"{s.header}: {line}" for s in ctx.config.sections_of(r"^local-user ") for line in s.find(r"^password ")]


def _complexity(ctx: Context) -> tuple[bool, list[str]]:
    if ctx.vrp:
        policy = ctx.config.find_anywhere(r"password (policy|complexity)")
        undone = [line for line in policy if line.startswith("undo ")]
        return (ctx.defaults.password_complexity and not undone) or bool(policy and not undone), policy
    lines = ctx.config.find(r"^(undo )?password-control ")
    enabled = "password-control enable" in lines
    length = next((int(m.group(1)) for m in map(re.compile(r"length (\d+)").search, lines) if m), 0)
    types = next((int(m.group(1)) for m in map(re.compile(r"type-number (\d+)").search, lines) if m), 0)
    return enabled and length >= 8 and types >= 2, lines


def check_password_storage(ctx: Context) -> Outcome:
    passwords = _local_user_passwords(ctx)
    reversible = [line for line in passwords if re.search(r"password (cipher|simple) ", line)]
    if not ctx.defaults.irreversible_passwords:
        reversible += [line for line in passwords if not re.search(r"irreversible-cipher|hash", line)]
    strong, evidence = _complexity(ctx)
    evidence = [*passwords, *evidence] or [_default("no local users")]
    if reversible:
        return _out("fail", "passwords stored reversibly", *evidence)
    if not strong:
        return _out("fail", "password complexity is not enforced", *evidence)
    return _out("pass", "passwords stored irreversibly, complexity enforced", *evidence)


def _lockout(ctx: Context) -> tuple[tuple[int, float] | None, str]:
    if ctx.vrp:
        match = ctx.config.first(r"wrong-password retry-interval \d+ retry-time (\d+) block-time (\d+)")
        if match is None:
            aaa = [line for s in ctx.config.sections_of(r"^aaa$") for line in s.lines]
            match = next(
                (m for m in (re.search(r"retry-time (\d+) block-time (\d+)", line) for line in aaa) if m), None
            )
        if match:
            return (int(match.group(1)), float(match.group(2))), match.string
        if ctx.config.find_anywhere(r"undo local-aaa-user wrong-password"):
            return None, "undo local-aaa-user wrong-password"
        return ctx.defaults.lockout, _default(ctx.defaults.lockout)
    if "password-control enable" not in ctx.config.global_lines:
        return None, _default("password-control off")
    match = ctx.config.first(r"^password-control login-attempt (\d+) exceed (lock-time (\d+)|lock|unlock)")
    if match is None:
        return (3, 1), "password-control enable (default: login-attempt 3 exceed lock-time 1)"
    if match.group(2) == "unlock":
        return None, match.string
    minutes = float(match.group(3)) if match.group(3) else float("inf")  # "exceed lock": until an admin unlocks
    return (int(match.group(1)), minutes), match.string


def check_login_lockout(ctx: Context) -> Outcome:
    lockout, line = _lockout(ctx)
    t = ctx.thresholds
    if lockout is None:
        return _out("fail", "no lockout after failed logins", line)
    attempts, minutes = lockout
    if attempts > t.max_login_attempts or minutes < t.min_lock_minutes:
        detail = (
            f"{attempts} attempts, {minutes:g} min lock (need <= {t.max_login_attempts}, >= {t.min_lock_minutes:g})"
        )
        return _out("fail", detail, line)
    return _out("pass", f"locked after {attempts} failures for {minutes:g} min", line)


_DEFAULT_ACCOUNTS = {"admin", "huawei", "h3c", "root", "test", "guest", "user", "super", "cisco", "manager"}


def check_no_default_accounts(ctx: Context) -> Outcome:
    if ctx.vrp:
        aaa = [line for s in ctx.config.sections_of(r"^aaa$") for line in s.lines]
        users = {m.group(1): line for line in aaa if (m := re.match(r"^local-user (\S+) ", line))}
    else:
        users = {s.header.split()[1]: s.header for s in ctx.config.sections_of(r"^local-user \S+")}
    default = [line for name, line in users.items() if name.lower() in _DEFAULT_ACCOUNTS]
    if default:
        return _out("fail", "default or shared account names in use", *default)
    return _out("pass", f"{len(users)} named local account(s), none default", *sorted(set(users.values())))


Check = Callable[[Context], Outcome]
CheckTable = dict[str, tuple[str, str, Check]]
