"""Real Prometheus and Alertmanager processes on loopback for the end-to-end tests.

Each runs from the Debian binaries with a config written from the shipped files: the shipped rules with every
`for:` shortened (so a test takes seconds, not minutes), and the shipped Alertmanager config with short group
timers and the ledger webhook pointed at the test server. Only 127.0.0.1 is ever bound or contacted.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.dashboards.tools import PROMETHEUS_DIR, tool


@dataclass(frozen=True)
class Server:
    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def get(self, path: str, **params: str) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}{path}{query}", timeout=5) as response:  # noqa: S310 (loopback)
            return json.loads(response.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(server: Server, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{server.url}/-/ready", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    server.stop()
    pytest.fail(f"{server.url} did not become ready:\n{server.log.read_text(errors='replace')[-3000:]}")


def _start(args: list[str], port: int, log: Path) -> Server:
    with log.open("wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    _wait_ready(server)
    return server


UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _scaled(match: re.Match[str]) -> str:
    """A `for:` of N minutes becomes N seconds: 60 times faster, and the order between alerts is kept (an
    inhibiting alert must still fire before the ones it inhibits)."""
    seconds = int(match.group(2)) * UNIT_SECONDS[match.group(3)]
    return f"{match.group(1)} {max(1, seconds // 60)}s"


def fast_rules(dst: Path) -> Path:
    """The shipped rules with every `for:` sixty times shorter."""
    text = (PROMETHEUS_DIR / "rules.yml").read_text(encoding="utf-8")
    dst.write_text(re.sub(r"(?m)^(\s+for:) (\d+)([smhd])$", _scaled, text), encoding="utf-8")
    return dst


def start_prometheus(workdir: Path, target: str, rules: Path, alertmanager: str | None = None) -> Server:
    port = free_port()
    config: dict[str, Any] = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s", "scrape_timeout": "1s"},
        "rule_files": [str(rules)],
        "scrape_configs": [{"job_name": "yunwang", "static_configs": [{"targets": [target]}]}],
    }
    if alertmanager:
        config["alerting"] = {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]}
    path = workdir / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    args = [
        tool("prometheus"),
        f"--config.file={path}",
        f"--storage.tsdb.path={workdir / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--rules.alert.resend-delay=1s",
        "--log.level=warn",
    ]
    return _start(args, port, workdir / "prometheus.log")


def fast_alertmanager_config(dst: Path, webhook_url: str, token_file: Path) -> Path:
    """The shipped Alertmanager config, timers in seconds and the ledger webhook pointed at the test server."""
    config = yaml.safe_load((PROMETHEUS_DIR / "alertmanager.yml").read_text(encoding="utf-8"))
    routes = [config["route"], *config["route"]["routes"]]
    for route in routes:
        for key, value in (("group_wait", "0s"), ("group_interval", "1s"), ("repeat_interval", "1h")):
            if key in route or route is config["route"]:
                route[key] = value
    for receiver in config["receivers"]:
        if receiver["name"] == "yunwang-ledger":
            hook = receiver["webhook_configs"][0]
            hook["url"] = webhook_url
            hook["http_config"]["authorization"]["credentials_file"] = str(token_file)
        else:  # the example on-call receivers: nobody listens there in a test, so send nothing
            receiver.pop("webhook_configs")
    dst.write_text(yaml.safe_dump(config, allow_unicode=True))
    return dst


def start_alertmanager(workdir: Path, config: Path) -> Server:
    port = free_port()
    args = [
        tool("prometheus-alertmanager"),
        f"--config.file={config}",
        f"--storage.path={workdir / 'am-data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",  # no HA gossip: it would bind 0.0.0.0:9094
        "--log.level=warn",
    ]
    return _start(args, port, workdir / "alertmanager.log")


def active_alerts(prometheus: Server, name: str) -> list[dict[str, Any]]:
    """Firing alerts of that name in Prometheus (/api/v1/alerts lists pending and firing ones)."""
    alerts = prometheus.get("/api/v1/alerts")["data"]["alerts"]
    return [a for a in alerts if a["labels"]["alertname"] == name and a["state"] == "firing"]


def wait_for(predicate: Any, what: str, timeout: float = 30.0, logs: tuple[Server, ...] = ()) -> Any:
    """Poll `predicate` until it returns something truthy; fail with `what` and the servers' logs otherwise."""
    started = time.monotonic()
    deadline = started + timeout
    while True:
        value = predicate()
        if value:
            print(f"{time.monotonic() - started:5.1f} s  {what}")  # noqa: T201 (shown with -s: where the time goes)
            return value
        if time.monotonic() > deadline:
            tails = "\n".join(s.log.read_text(errors="replace")[-1500:] for s in logs)
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{tails}")
        time.sleep(0.25)
