"""One asyncssh process serving every lab device's CLI on its own 127.x.y.z address.

    python -m lab.ssh.server --state-dir var/lab            # every device on its ssh_port (22)
    python -m lab.ssh.server --state-dir DIR --port 2222     # every device on port 2222 instead (tests)

The topology comes from DIR/topology.json (profile + seed); faults from DIR/faults.json, re-read when the file
changes (within 50 ms): a down device stops listening (connection refused) and drops its sessions; a
rebooted device drops its sessions; bad_credentials rejects every password; slow delays every answer.
Host keys (Ed25519, one per device) are generated once into DIR/ssh/<name>.key and reused on restart; deleting
a key file gives that device a new host key within 50 ms (a replaced device, for host-key-change tests).

netmiko's needs drive the session loop: our own echo (asyncssh's line editor garbles prompts under load), CRLF
line endings, the prompt after every answer with no newline after it, answers strictly in input order.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
import os
import resource
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncssh

from lab.configs import BANNER, compliance_profile
from lab.ssh.cli import CliSession
from lab.ssh.comware import ComwareSession
from lab.ssh.ios import IosSession
from lab.ssh.model import DeviceView
from lab.ssh.others import ApplianceSession, RuijieSession
from lab.ssh.view import LabContext
from lab.ssh.vrp import VrpSession
from lab.state import Faults, read_faults, read_state
from lab.topology import LabDevice, build_topology

log = logging.getLogger("lab.ssh")
FAULT_POLL_S = 0.05  # faults apply by the next request, like the SNMP agent


def make_session(device: LabDevice, view: Callable[[], DeviceView]) -> CliSession:
    """The CLI session of the device's platform, with the login banner its configuration sets."""
    session: CliSession
    if device.platform == "huawei_vrp":
        session = VrpSession(view, device.name)
    elif device.platform == "h3c_comware":
        session = ComwareSession(view, device.name)
    elif device.platform == "cisco_ios":
        session = IosSession(view, device.name, device.ssh_password)
    elif device.platform == "ruijie_rgos":
        session = RuijieSession(view, device.name, device.ssh_password)
    else:
        session = ApplianceSession(view, device.name, device.ssh_password)
    session.banner = login_banner(device)
    return session


def login_banner(device: LabDevice) -> str:
    """What a login prints before the first prompt: the configured banner, and VRP's VTY notice."""
    lines = [BANNER, ""] if compliance_profile(device)["login_banner"] else []
    if device.platform == "huawei_vrp":
        now = time.strftime("%Y-%m-%d %H:%M:%S+08:00", time.gmtime(time.time() + 8 * 3600))
        lines += [
            "Info: The max number of VTY users is 10, and the number",
            "      of current VTY users on line is 1.",
            f"      The current login time is {now}.",
        ]
    return "\n".join(lines)


class FaultWatcher:
    """Faults from DIR/faults.json, re-read only when the file changed."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "faults.json"
        self.state_dir = state_dir
        self._stamp: tuple[int, int] | None = None
        self.current = Faults()

    def refresh(self) -> bool:
        """Re-read when changed; True when the faults changed."""
        try:
            st = self.path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            self.current = read_faults(self.state_dir)
        except (ValueError, KeyError) as exc:  # a hand-edited file: keep the last good faults
            log.warning("ignoring unreadable faults.json: %s", type(exc).__name__)
            return False
        return True


def host_key(state_dir: Path, device: LabDevice) -> asyncssh.SSHKey:
    path = state_dir / "ssh" / f"{device.name}.key"
    if path.exists():
        return asyncssh.read_private_key(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519")
    tmp = path.with_suffix(".tmp")
    key.write_private_key(str(tmp))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return key


class DeviceSSHServer(asyncssh.SSHServer):
    """Password authentication against the device's lab credentials (all rejected under bad_credentials)."""

    def __init__(self, lab: LabSSH, device: LabDevice) -> None:
        self.lab = lab
        self.device = device
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.lab.connections.setdefault(self.device.name, set()).add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.conn is not None:
            self.lab.connections.get(self.device.name, set()).discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        await self.lab.delay(self.device.name)
        if self.device.name in self.lab.faults.current.bad_credentials:
            return False
        ok_user = hmac.compare_digest(username.encode(), self.device.ssh_username.encode())
        return hmac.compare_digest(password.encode(), self.device.ssh_password.encode()) and ok_user


class LabSSH:
    """Listeners for every device, kept in step with the faults."""

    def __init__(self, state_dir: Path, port: int | None = None) -> None:
        state = read_state(state_dir)
        if state is None:
            raise SystemExit(f"no lab state in {state_dir} (topology.json missing): run `manage.py lab up` first")
        self.state_dir = state_dir
        self.port = port
        self.faults = FaultWatcher(state_dir)
        self.faults.refresh()
        self.ctx = LabContext(build_topology(state.profile, state.seed), state, lambda: self.faults.current)
        self.acceptors: dict[str, asyncssh.SSHAcceptor] = {}
        self.connections: dict[str, set[asyncssh.SSHServerConnection]] = {}
        self.keys = {d.name: host_key(state_dir, d) for d in self.ctx.topology.devices}
        self._reboots = dict(self.faults.current.reboot_epoch)
        self._key_dir_stamp: int | None = (state_dir / "ssh").stat().st_mtime_ns

    async def delay(self, name: str) -> None:
        ms = self.faults.current.slow_devices.get(name)
        if ms:
            await asyncio.sleep(ms / 1000)

    async def start_device(self, device: LabDevice) -> None:
        port = self.port or device.ssh_port
        try:
            self.acceptors[device.name] = await asyncssh.listen(
                device.host,
                port,
                server_factory=lambda: DeviceSSHServer(self, device),
                server_host_keys=[self.keys[device.name]],
                process_factory=lambda process: self.run_session(process, device),
                line_editor=False,
                encoding=None,
                reuse_address=True,
                login_timeout=30,
            )
        except OSError as exc:
            log.error("%s: cannot listen on %s:%d: %s", device.name, device.host, port, exc.strerror)

    def drop_sessions(self, name: str) -> None:
        for conn in list(self.connections.get(name, ())):
            conn.abort()

    async def apply_faults(self) -> None:
        """Listen for healthy devices, stop for down ones, hang up on rebooted ones."""
        faults = self.faults.current
        for device in self.ctx.topology.devices:
            down = device.name in faults.down_devices
            if down and device.name in self.acceptors:
                self.acceptors.pop(device.name).close()
                self.drop_sessions(device.name)
            elif not down and device.name not in self.acceptors:
                await self.start_device(device)
        for name, epoch in faults.reboot_epoch.items():
            if self._reboots.get(name) != epoch:
                self.drop_sessions(name)
        self._reboots = dict(faults.reboot_epoch)

    def rotate_deleted_keys(self) -> None:
        """A device whose key file was deleted gets a new host key (how tests simulate a replaced device)."""
        key_dir = self.state_dir / "ssh"
        stamp = key_dir.stat().st_mtime_ns if key_dir.exists() else None
        if stamp == self._key_dir_stamp:
            return
        for device in self.ctx.topology.devices:
            if not (key_dir / f"{device.name}.key").exists():
                self.keys[device.name] = host_key(self.state_dir, device)
                if device.name in self.acceptors:
                    self.acceptors[device.name].update(server_host_keys=[self.keys[device.name]])
                log.warning("%s: new SSH host key", device.name)
        self._key_dir_stamp = key_dir.stat().st_mtime_ns

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(FAULT_POLL_S)
            if self.faults.refresh():
                await self.apply_faults()
            self.rotate_deleted_keys()

    async def run_session(self, process: asyncssh.SSHServerProcess, device: LabDevice) -> None:
        session = make_session(device, lambda: self.ctx.view(device.name))
        encoding = device.text_encoding

        def write(text: str) -> None:
            process.stdout.write(text.replace("\n", "\r\n").encode(encoding, "replace"))

        try:
            if process.command:
                await self.delay(device.name)
                reply = session.execute(process.command)
                write(reply.text + "\n" if reply.text else "")
                process.exit(0)
                return
            await self.delay(device.name)
            write(("\n" + session.banner if session.banner else "") + "\n" + session.prompt())
            await self.interact(process, session, write, device.name)
        except (BrokenPipeError, ConnectionError):
            pass  # the client went away mid-answer
        process.exit(0)

    async def latency(self, name: str, arrival: float) -> None:
        """A slow device answers `ms` after the input arrived: latency, not a queue (pipelined input stays fast)."""
        ms = self.faults.current.slow_devices.get(name)
        if ms:
            await asyncio.sleep(max(0.0, arrival + ms / 1000 - asyncio.get_running_loop().time()))

    async def interact(
        self, process: asyncssh.SSHServerProcess, session: CliSession, write: Callable[[str], None], name: str
    ) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        reader = asyncio.create_task(_read_timestamped(process, queue))
        typed = LineAssembler()
        try:
            while True:
                arrival, data = await queue.get()
                if not data:
                    return
                for kind, text in typed.feed(data.decode("utf-8", "replace"), lambda: session.echo):
                    if kind == "echo":
                        write(text)
                        continue
                    await self.latency(name, arrival)
                    reply = session.execute(text)
                    prompt = "" if reply.close else session.prompt()
                    write("\n" + (reply.text + "\n" if reply.text else "") + prompt)
                    if reply.close:
                        return
        finally:
            reader.cancel()


async def _read_timestamped(process: asyncssh.SSHServerProcess, queue: asyncio.Queue[tuple[float, bytes]]) -> None:
    """Stamp each chunk with its arrival time, so latency is measured from when the client sent it."""
    loop = asyncio.get_running_loop()
    while True:
        try:
            data = await process.stdin.read(4096)
        except (asyncssh.TerminalSizeChanged, asyncssh.BreakReceived, asyncssh.SignalReceived):
            continue  # a window resize or a break is no reason to hang up
        except (asyncssh.Error, OSError):
            data = b""
        queue.put_nowait((loop.time(), data))
        if not data:
            return


class LineAssembler:
    """Typed characters -> ("echo", text) and ("line", line) events, in order; CR, LF and CRLF end a line."""

    def __init__(self) -> None:
        self.line: list[str] = []
        self.previous = ""

    def feed(self, text: str, echo: Callable[[], bool]) -> Iterator[tuple[str, str]]:
        # A generator on purpose: echo() is asked per character, after the previous line ran (password prompts).
        pending: list[str] = []
        for ch in text:
            crlf = ch == "\n" and self.previous == "\r"
            self.previous = ch
            if crlf:
                continue
            if ch in "\r\n":
                yield "echo", "".join(pending)
                pending = []
                yield "line", "".join(self.line)
                self.line = []
            elif ch in "\x7f\x08":
                if self.line:
                    self.line.pop()
                    pending.append("\b \b")
            elif ch >= " ":
                self.line.append(ch)
                pending.append(ch if echo() else "")
        if pending:
            yield "echo", "".join(pending)


async def serve(state_dir: Path, port: int | None) -> None:
    lab = LabSSH(state_dir, port)
    await lab.apply_faults()
    if not lab.acceptors and lab.ctx.topology.devices:
        raise SystemExit("no device could listen; is another SSH server bound to the lab addresses?")
    log.info("serving %d devices over SSH", len(lab.acceptors))
    print(f"ready {len(lab.acceptors)}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    watcher = asyncio.create_task(lab.watch())
    await stop.wait()
    watcher.cancel()
    for acceptor in lab.acceptors.values():
        acceptor.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m lab.ssh.server",
        description="Serve the lab devices' CLIs over SSH.",
        epilog="example: python -m lab.ssh.server --state-dir var/lab",
    )
    parser.add_argument("--state-dir", type=Path, required=True, help="the lab state dir (topology.json, faults.json)")
    parser.add_argument("--port", type=int, default=None, help="serve every device on this port instead of ssh_port")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # one listening socket per device
    try:
        asyncio.run(serve(args.state_dir, args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
