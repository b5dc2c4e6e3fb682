"""MLPS 2.0 level-3 checks on compliant and violating configs of both dialects, defaults included."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.compliance import CHECKS, CheckResult, Thresholds, run_checks

CONFIGS = Path(__file__).parent / "fixtures" / "configs"


def _results(name: str, platform: str, **kwargs: object) -> dict[str, CheckResult]:
    text = (CONFIGS / f"{name}.cfg").read_text(encoding="utf-8")
    return {r.check_id: r for r in run_checks(text, platform, **kwargs)}  # type: ignore[arg-type]


def test_there_are_sixteen_checks_with_stable_ids_and_both_titles() -> None:
    assert len(CHECKS) == 16
    results = run_checks("", "huawei_vrp")
    assert [r.check_id for r in results] == list(CHECKS)
    assert all(r.title_zh and r.title_en and r.title_zh != r.title_en for r in results)


@pytest.mark.parametrize(("name", "platform"), [("vrp_compliant", "huawei_vrp"), ("comware_compliant", "h3c_comware")])
def test_compliant_config_passes_every_check(name: str, platform: str) -> None:
    results = _results(name, platform)
    failing = {k: (r.detail, r.evidence) for k, r in results.items() if r.status != "pass"}
    assert failing == {}


@pytest.mark.parametrize(("name", "platform"), [("vrp_violating", "huawei_vrp"), ("comware_violating", "h3c_comware")])
def test_violating_config_fails_every_check(name: str, platform: str) -> None:
    results = _results(name, platform)
    assert {k for k, r in results.items() if r.status != "fail"} == set()
    assert all(r.evidence for r in results.values())


def test_comware_without_telnet_line_passes_through_defaults() -> None:
    # Comware 7: Telnet server off by default, so a compliant config never mentions it.
    text = (CONFIGS / "comware_compliant.cfg").read_text(encoding="utf-8")
    assert "telnet" not in text
    result = _results("comware_compliant", "h3c_comware")["ssh_not_telnet"]
    assert result.status == "pass"
    assert any("default" in line for line in result.evidence)


def test_vrp_telnet_server_enable_fails() -> None:
    result = _results("vrp_violating", "huawei_vrp")["ssh_not_telnet"]
    assert result.status == "fail" and "telnet server enable" in result.evidence


def test_comware_defaults_decide_an_empty_config() -> None:
    results = _results("comware_minimal", "h3c_comware")
    # Comware 7 defaults: VTY password login, console without login, SNMP off, Telnet/HTTP/FTP off, idle 10 min
    assert results["aaa_login"].status == "fail"
    assert "vty (default: password)" in results["aaa_login"].evidence
    assert "console (default: none)" in results["aaa_login"].evidence
    assert results["snmpv3_only"].status == "not_applicable"
    assert results["insecure_services_off"].status == "pass"
    assert results["idle_timeout"].status == "pass"
    assert results["ssh_not_telnet"].status == "fail"  # SSH is off by default too: no secure management


def test_comware_5_has_telnet_on_by_default() -> None:
    text = (CONFIGS / "comware_minimal.cfg").read_text(encoding="utf-8").replace("7.1.070", "5.20.105")
    results = {r.check_id: r for r in run_checks(text, "h3c_comware")}
    assert results["ssh_not_telnet"].status == "fail" and results["ssh_not_telnet"].detail == "Telnet server is on"


def test_vrp_version_selects_defaults() -> None:
    minimal = "sysname X\n#\nstelnet server enable\n"
    new = {r.check_id: r for r in run_checks(minimal, "huawei_vrp", version="V200R019C10SPC500")}
    old = {r.check_id: r for r in run_checks(minimal, "huawei_vrp", version="V200R003C00SPC300")}
    assert new["ssh_not_telnet"].status == "pass"
    assert old["ssh_not_telnet"].status == "fail"


def test_thresholds_are_parameters() -> None:
    strict = Thresholds(max_idle_minutes=5, max_login_attempts=3, min_lock_minutes=30)
    results = _results("vrp_compliant", "huawei_vrp", thresholds=strict)
    assert results["idle_timeout"].status == "fail"  # vty idle 10 > 5
    assert results["login_lockout"].status == "fail"  # 5 attempts > 3, 15 min < 30
    assert _results("vrp_compliant", "huawei_vrp")["login_lockout"].status == "pass"


def test_evidence_is_masked() -> None:
    for name, platform in [("vrp_violating", "huawei_vrp"), ("comware_violating", "h3c_comware")]:
        evidence = "\n".join(
            line for r in run_checks((CONFIGS / f"{name}.cfg").read_text(), platform) for line in r.evidence
        )
        for secret in ("VrpReadCommCipher0201", "VrpWriteCommPlain0202", "VrpTrapComm0203", "CwReadComm0401"):
            assert secret not in evidence
        assert "******" in evidence


def test_unsupported_platform_is_not_applicable() -> None:
    results = run_checks("hostname X\n", "cisco_ios")
    assert len(results) == 16 and {r.status for r in results} == {"not_applicable"}
