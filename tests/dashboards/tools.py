"""Paths to the Prometheus tools the tests run. A missing tool fails the test loudly (never a skip)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "dashboards" / "prometheus"
GRAFANA_DIR = REPO / "dashboards" / "grafana"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: `make test` installs the Debian packages prometheus and "
                    "prometheus-alertmanager", pytrace=False)  # fmt: skip
    return path


def run(args: list[str], stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=60, cwd=cwd, check=False)
