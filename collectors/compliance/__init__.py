"""MLPS 2.0 (等保2.0, GB/T 22239-2019) level-3 checks on collected device configs (Huawei VRP, H3C Comware).

    results = run_checks(config_text, "huawei_vrp", version="V200R019C10SPC500")
    [CheckResult(check_id="ssh_not_telnet", status="pass", title_zh="远程管理使用SSH而非Telnet", ...), ...]

Pure functions: no database, no network. Evidence lines are masked (collectors.masking).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from collectors.compliance import checks as c
from collectors.compliance import checks_network as n
from collectors.compliance.checks import Context, Status, Thresholds
from collectors.compliance.config import parse_config
from collectors.compliance.defaults import Defaults, defaults_for

__all__ = ["CHECKS", "CheckResult", "Defaults", "Status", "Thresholds", "defaults_for", "run_checks"]


@dataclass(frozen=True)
class CheckResult:
    """One check on one config. `evidence` holds masked config lines, or "(default: ...)" when a default decided."""

    check_id: str
    status: Status
    title_zh: str
    title_en: str
    evidence: tuple[str, ...]
    detail: str  # why, in English (the UI shows the titles; the detail is for operators and logs)


# Stable ids (stored per device, used in URLs and metrics), zh-Hans + English titles, check function.
CHECKS: dict[str, tuple[str, str, c.Check]] = {
    "ssh_not_telnet": ("远程管理使用SSH而非Telnet", "Remote management over SSH, not Telnet", c.check_ssh_not_telnet),
    "no_http_management": ("未开启明文HTTP管理", "No plain-HTTP management", c.check_no_plain_http),
    "ssh_strong_crypto": ("禁用SSHv1及弱加密算法", "No SSHv1 and no weak SSH ciphers", c.check_ssh_strong_crypto),
    "aaa_login": ("VTY与Console登录启用AAA认证", "AAA login on VTY and console", c.check_aaa_login),
    "password_irreversible": (
        "口令不可逆加密存储且满足复杂度",
        "Irreversible password storage and complexity",
        c.check_password_storage,
    ),
    "login_lockout": ("登录失败锁定", "Lockout after failed logins", c.check_login_lockout),
    "idle_timeout": ("登录超时自动退出", "Idle session timeout", c.check_idle_timeout),
    "acl_on_management": ("VTY/SSH/SNMP访问控制列表", "ACL on VTY, SSH and SNMP", n.check_mgmt_acl),
    "snmpv3_only": ("仅使用SNMPv3认证加密", "SNMPv3 with auth and privacy only", n.check_snmp_v3_only),
    "remote_syslog": ("日志发送至远程日志服务器", "Remote syslog host", n.check_remote_syslog),
    "ntp": ("NTP时间同步", "NTP time synchronisation", n.check_ntp),
    "command_accounting": ("命令行操作审计", "Command accounting", n.check_command_accounting),
    "insecure_services_off": (
        "关闭FTP/HTTP/Telnet等不安全服务",
        "FTP, HTTP and Telnet services off",
        c.check_insecure_services_off,
    ),
    "no_default_accounts": ("无默认或共享管理账号", "No default or shared admin accounts", c.check_no_default_accounts),
    "unused_ports_shutdown": ("关闭未使用端口", "Unused ports shut down", n.check_unused_ports_shut),
    "login_banner": ("配置登录提示信息", "Login banner present", n.check_login_banner),
}


def _version_from_config(config: str) -> str | None:
    match = re.search(r"^\s*!Software Version (\S+)|^\s*version (\d+\.\d+\.\d+)", config, re.MULTILINE)
    return (match.group(1) or match.group(2)) if match else None


def run_checks(
    config: str, platform: str, version: str | None = None, thresholds: Thresholds | None = None
) -> list[CheckResult]:
    """All 16 checks, in CHECKS order. An unsupported platform gives 16 not_applicable results."""
    defaults = defaults_for(platform, version or _version_from_config(config))
    if defaults is None:
        return [
            CheckResult(check_id, "not_applicable", zh, en, (), f"no MLPS rules for platform {platform!r}")
            for check_id, (zh, en, _) in CHECKS.items()
        ]
    ctx = Context(parse_config(config), defaults, thresholds or Thresholds(), vrp=platform == "huawei_vrp")
    results = []
    for check_id, (zh, en, check) in CHECKS.items():
        outcome = check(ctx)
        results.append(CheckResult(check_id, outcome.status, zh, en, outcome.evidence, outcome.detail))
    return results


def thresholds_from_settings() -> Thresholds:
    """Thresholds from Django settings YUNWANG_MLPS_* (call only where settings are configured)."""
    from django.conf import settings

    return Thresholds(
        max_idle_minutes=settings.YUNWANG_MLPS_MAX_IDLE_MINUTES,
        max_login_attempts=settings.YUNWANG_MLPS_MAX_LOGIN_ATTEMPTS,
        min_lock_minutes=settings.YUNWANG_MLPS_MIN_LOCK_MINUTES,
    )
