"""Start and stop the lab's daemons: the SNMP agent (snmpsim) and the SSH simulator.

Each daemon runs in its own session/process group with a pid file ``<state dir>/<name>.pid`` holding
``pid`` and the state dir it serves, so `lab down` kills the whole group and `lab up` first removes whatever a
crashed earlier run left behind. Daemons started with ``exit_with_parent`` (the test fixture) also get
PR_SET_PDEATHSIG, so they die with the process that started them even if it is killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lab.snmpserve import write_data
from lab.state import REPO_DIR, Faults, LabState, read_state, write_faults, write_state
from lab.topology import build_topology

DAEMONS = ("snmp", "ssh")
LAB_VENV_PYTHON = REPO_DIR / "var" / "lab-venv" / "bin" / "python"
READY_TIMEOUT_S = 60.0
# Daemons this process started, by pid: kept so they are reaped (no zombie, no "still running" warning) on stop.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def agent_python() -> str:
    """The Python for snmpsim: the lab venv (Debian's python3 with gdbm indexes data ~6x faster) when present."""
    override = os.environ.get("YUNWANG_LAB_PYTHON")
    if override:
        return override
    return str(LAB_VENV_PYTHON) if LAB_VENV_PYTHON.exists() else sys.executable


def _pid_file(state_dir: Path, name: str) -> Path:
    return state_dir / f"{name}.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped) is not running
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def daemon_pid(state_dir: Path, name: str) -> int | None:
    """The pid of the running daemon `name` of this state dir, or None (a stale pid file counts as none)."""
    path = _pid_file(state_dir, name)
    try:
        pid = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    if not _alive(pid):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    # A recycled pid would not be serving this state dir.
    return pid if str(state_dir).encode() in cmdline else None


def stop_daemon(state_dir: Path, name: str, timeout_s: float = 5.0) -> bool:
    """Kill the daemon's whole process group; True if one was running."""
    pid = daemon_pid(state_dir, name)
    _pid_file(state_dir, name).unlink(missing_ok=True)
    if pid is None:
        return False
    try:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                return True
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                if not _alive(pid):
                    return True
                time.sleep(0.02)
        return True
    finally:
        child = _CHILDREN.pop(pid, None)
        if child is not None:
            child.wait()


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def start_daemon(
    state_dir: Path, name: str, argv: list[str], exit_with_parent: bool = False
) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO_DIR), SNMPSIM_ALLOW_ROOT="true", PYTHONUNBUFFERED="1")
    log = open(state_dir / f"{name}.log", "wb")  # noqa: SIM115 - handed to the child
    preexec: Callable[[], None] | None = _die_with_parent if exit_with_parent else None
    with log:
        proc = subprocess.Popen(
            argv,
            cwd=REPO_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=preexec,  # noqa: PLW1509 - only prctl, async-signal-safe enough
        )
    _CHILDREN[proc.pid] = proc
    _pid_file(state_dir, name).write_text(f"{proc.pid} {state_dir}\n")
    return proc


def _wait_ready(state_dir: Path, name: str, proc: subprocess.Popen[bytes], marker: bytes, deadline: float) -> None:
    """Wait for the daemon's ready marker in its log. Liveness comes from our own child handle, not /proc."""
    log = state_dir / f"{name}.log"
    while time.monotonic() < deadline:
        if marker in log.read_bytes():
            return
        code = proc.poll()
        if code is not None:
            tail = log.read_bytes()[-2000:].decode("utf-8", "replace")
            raise RuntimeError(f"lab {name} daemon exited during start-up (exit status {code}); log tail:\n{tail}")
        time.sleep(0.05)
    raise RuntimeError(f"lab {name} daemon not ready in time (see {log})")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a daemon we started ourselves, and every process of its session."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    _CHILDREN.pop(proc.pid, None)


@dataclass(frozen=True)
class UpResult:
    profile: str
    seed: int
    devices: int
    daemons: tuple[str, ...]
    seconds: float


def ssh_server_available() -> bool:
    return (REPO_DIR / "lab" / "ssh" / "server.py").exists()


def up(state_dir: Path, profile: str, seed: int, exit_with_parent: bool = False, ssh: bool = True) -> UpResult:
    """Bring the lab up (stopping whatever ran in this state dir before); returns when every daemon is ready."""
    t0 = time.monotonic()
    state_dir = state_dir.resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(state_dir, 0o700)  # it holds the lab's credentials
    down(state_dir)
    topo = build_topology(profile, seed)
    write_state(state_dir, LabState(profile, seed, time.time()))
    write_faults(state_dir, Faults())
    write_data(state_dir, topo)
    # snmpsim indexes every data file at start: ~10 ms a device on an idle machine, far more on a busy one.
    deadline = time.monotonic() + READY_TIMEOUT_S + 0.2 * len(topo.devices)
    snmp_argv = [agent_python(), "-m", "lab.snmpagent", "--state-dir", str(state_dir)]
    started = {"snmp": start_daemon(state_dir, "snmp", snmp_argv, exit_with_parent)}
    if ssh and ssh_server_available():
        ssh_argv = [sys.executable, "-m", "lab.ssh.server", "--state-dir", str(state_dir)]
        started["ssh"] = start_daemon(state_dir, "ssh", ssh_argv, exit_with_parent)
    try:
        _wait_ready(state_dir, "snmp", started["snmp"], b"lab-snmp-ready", deadline)
        if "ssh" in started:
            _wait_ready(state_dir, "ssh", started["ssh"], b"ready ", deadline)
    except RuntimeError:
        for name, proc in started.items():
            _kill_group(proc)
            _pid_file(state_dir, name).unlink(missing_ok=True)
        raise
    return UpResult(profile, seed, len(topo.devices), tuple(started), time.monotonic() - t0)


def down(state_dir: Path) -> list[str]:
    """Stop the lab's daemons; returns the names of those that were running."""
    state_dir = state_dir.resolve()
    return [name for name in DAEMONS if stop_daemon(state_dir, name)]


@dataclass(frozen=True)
class Status:
    state: LabState | None
    running: dict[str, int | None]


def status(state_dir: Path) -> Status:
    state_dir = state_dir.resolve()
    return Status(read_state(state_dir), {name: daemon_pid(state_dir, name) for name in DAEMONS})
