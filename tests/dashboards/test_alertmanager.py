"""The example Alertmanager config: amtool accepts it, routes as documented, inhibits link alerts by device."""

from __future__ import annotations

import pytest
import yaml

from tests.dashboards.tools import PROMETHEUS_DIR, run, tool

CONFIG = PROMETHEUS_DIR / "alertmanager.yml"


def routes_for(*labels: str) -> list[str]:
    result = run([tool("amtool"), "config", "routes", "test", f"--config.file={CONFIG}", *labels])
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split(",")


def test_amtool_check_config() -> None:
    result = run([tool("amtool"), "check-config", str(CONFIG)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


@pytest.mark.parametrize(
    ("labels", "receivers"),
    [
        (["alertname=LinkDown", "severity=critical", "county=430105000000"], ["yunwang-ledger", "kaifu-oncall"]),
        (["alertname=LinkDown", "severity=critical", "county=371302000000"], ["yunwang-ledger", "noc-oncall"]),
        (["alertname=DeviceIsolated", "severity=info", "upstream=agg1"], ["yunwang-ledger", "noc-info"]),
        (["alertname=LinkFlapping", "severity=warning"], ["yunwang-ledger", "noc-mail"]),
    ],
)
def test_routing(labels: list[str], receivers: list[str]) -> None:
    assert routes_for(*labels) == receivers


def test_unreachable_device_inhibits_its_link_alerts() -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    rules = {tuple(r["source_matchers"]): r for r in config["inhibit_rules"]}
    by_device = rules[('alertname="DeviceUnreachable"',)]
    assert by_device["equal"] == ["device"]
    assert "LinkDown" in by_device["target_matchers"][0]
    isolated = next(r for r in config["route"]["routes"] if r["receiver"] == "noc-info")
    assert isolated["group_by"] == ["upstream"]


def test_ledger_webhook_is_authenticated_and_records_resolved() -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    ledger = next(r for r in config["receivers"] if r["name"] == "yunwang-ledger")["webhook_configs"][0]
    assert ledger["url"].endswith("/api/alerts/webhook")
    assert ledger["send_resolved"] is True
    assert ledger["http_config"]["authorization"]["type"] == "Bearer"
