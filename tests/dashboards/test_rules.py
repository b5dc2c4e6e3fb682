"""The shipped alert rules: promtool check + unit tests, and every metric they use is one the collector exports."""

from __future__ import annotations

import yaml

from dashboards.metrics import SPECS
from tests.dashboards.promql import metric_names, promtool_parse_errors
from tests.dashboards.tools import PROMETHEUS_DIR, run, tool

RULES = PROMETHEUS_DIR / "rules.yml"
EXPECTED_ALERTS = {
    "DeviceUnreachable", "DeviceIsolated", "DeviceRebooted", "LinkDown", "LinkFlapping", "CollectorStale",
    "CollectorBlind", "ExporterDown", "CoverageBelowTarget", "ComplianceRegression",
}  # fmt: skip


def rules() -> list[dict[str, object]]:
    doc = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in doc["groups"] for rule in group["rules"]]


def test_promtool_check_rules() -> None:
    result = run([tool("promtool"), "check", "rules", str(RULES)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_rule_unit_tests() -> None:
    result = run([tool("promtool"), "test", "rules", "rules_test.yml"], cwd=PROMETHEUS_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_is_there_and_unit_tested() -> None:
    names = {str(rule["alert"]) for rule in rules()}
    assert names == EXPECTED_ALERTS
    tested = yaml.safe_load((PROMETHEUS_DIR / "rules_test.yml").read_text(encoding="utf-8"))
    firing = {
        case["alertname"] for test in tested["tests"] for case in test["alert_rule_test"] if case.get("exp_alerts")
    }
    assert firing == EXPECTED_ALERTS  # each alert has at least one test where it fires


def test_every_alert_routes_by_severity() -> None:
    for rule in rules():
        labels = rule.get("labels")
        assert isinstance(labels, dict) and labels.get("severity"), rule["alert"]


def test_rules_use_only_exported_metrics() -> None:
    used = set().union(*(metric_names(str(rule["expr"])) for rule in rules()))
    assert used, "no yunwang metric found in the rules"
    assert used <= set(SPECS), used - set(SPECS)


def test_rule_expressions_parse_one_by_one() -> None:
    exprs = {f"{rule['alert']}#{i}": str(rule["expr"]) for i, rule in enumerate(rules())}
    assert promtool_parse_errors(exprs) == ""
    assert promtool_parse_errors({"broken": "sum(yunwang_device_up"}) != ""


def test_example_prometheus_config_loads_the_rules() -> None:
    result = run([tool("promtool"), "check", "config", str(PROMETHEUS_DIR / "prometheus.example.yml")])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rules.yml" in result.stdout and "SUCCESS: 11 rules found" in result.stdout
