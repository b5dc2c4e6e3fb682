"""Grafana dashboards: structure, every yunwang metric they query is exported, and their PromQL parses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dashboards.metrics import SPECS
from tests.dashboards.promql import metric_names, promtool_parse_errors, without_grafana_vars
from tests.dashboards.tools import GRAFANA_DIR

DASHBOARDS = {
    "network-overview.json": "yunwang-overview",
    "device-detail.json": "yunwang-device",
    "coverage.json": "yunwang-coverage",
    "cloud-migration.json": "yunwang-migration",
}
PANEL_TYPES = {"stat", "timeseries", "table", "bargauge", "gauge", "piechart", "state-timeline"}


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GRAFANA_DIR / name).read_text(encoding="utf-8"))
    return data


def exprs(dashboard: dict[str, Any]) -> dict[str, str]:
    found = {}
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            found[f"{panel['title']} [{target['refId']}]"] = target["expr"]
    return found


def variable_queries(dashboard: dict[str, Any]) -> list[str]:
    return [v["definition"] for v in dashboard["templating"]["list"] if v["type"] == "query"]


def test_the_four_dashboards_are_there() -> None:
    assert {p.name for p in Path(GRAFANA_DIR).glob("*.json")} == set(DASHBOARDS)


@pytest.mark.parametrize(("name", "uid"), DASHBOARDS.items())
def test_structure(name: str, uid: str) -> None:
    board = load(name)
    assert board["uid"] == uid
    assert board["title"] and "yunwang" in board["tags"]
    assert board["schemaVersion"] >= 36
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids)) >= 5
    for panel in board["panels"]:
        assert panel["type"] in PANEL_TYPES, panel["title"]
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        pos = panel["gridPos"]
        assert pos["w"] > 0 and pos["h"] > 0 and pos["x"] + pos["w"] <= 24, panel["title"]
        assert panel["targets"], panel["title"]
        assert len({t["refId"] for t in panel["targets"]}) == len(panel["targets"])
    used_vars = {v for v in variables if v != "datasource"}
    text = json.dumps(board["panels"]) + "".join(variable_queries(board))
    assert all(f"${v}" in text for v in used_vars), "a variable no panel uses"


@pytest.mark.parametrize("name", DASHBOARDS)
def test_every_metric_is_exported(name: str) -> None:
    board = load(name)
    used = set().union(*(metric_names(e) for e in [*exprs(board).values(), *variable_queries(board)]))
    assert used, "no yunwang metric queried"
    assert used <= set(SPECS), used - set(SPECS)


@pytest.mark.parametrize("name", DASHBOARDS)
def test_promql_parses(name: str) -> None:
    queries = {title: without_grafana_vars(expr) for title, expr in exprs(load(name)).items()}
    assert promtool_parse_errors(queries) == ""


def test_all_exported_families_are_used_somewhere() -> None:
    from tests.dashboards.test_rules import rules

    used: set[str] = set()
    for name in DASHBOARDS:
        board = load(name)
        used |= set().union(*(metric_names(e) for e in [*exprs(board).values(), *variable_queries(board)]))
    used |= set().union(*(metric_names(str(r["expr"])) for r in rules()))
    unused = set(SPECS) - used
    assert unused <= {"yunwang_device_last_poll_timestamp_seconds"}, unused
