"""Helpers for the meta-tests: the yunwang metric names a PromQL expression uses, and a promtool parse check."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml

from tests.dashboards.tools import run, tool

METRIC_RE = re.compile(r"\byunwang_[a-z0-9_]+\b")
# Grafana's built-in and dashboard variables, replaced by something PromQL accepts, so the query parses.
GRAFANA_VARS = [
    (re.compile(r"\$__(rate_interval|interval|range)\b"), "5m"),
    (re.compile(r"\$\{(\w+)(:\w+)?\}|\$(\w+)"), "x"),
]


def metric_names(expr: str) -> set[str]:
    return set(METRIC_RE.findall(expr))


def without_grafana_vars(expr: str) -> str:
    for pattern, replacement in GRAFANA_VARS:
        expr = pattern.sub(replacement, expr)
    return expr


def promtool_parse_errors(exprs: dict[str, str]) -> str:
    """Wrap each expression in a recording rule and run `promtool check rules`: '' when all parse."""
    rules = [{"record": f"check:expr_{i}:parse", "expr": expr} for i, expr in enumerate(exprs.values())]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "exprs.yml"
        path.write_text(yaml.safe_dump({"groups": [{"name": "parse", "rules": rules}]}, allow_unicode=True))
        result = run([tool("promtool"), "check", "rules", str(path)])
    if result.returncode == 0:
        return ""
    names = list(exprs)
    return re.sub(r"expr_(\d+)", lambda m: names[int(m.group(1))], result.stdout + result.stderr)
