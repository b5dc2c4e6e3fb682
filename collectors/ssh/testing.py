"""Replaying recorded CLI output without a network (the NAPALM "mocked_data" idea).

A fixture case is a folder holding one raw output file per command (`display_version.txt` for "display
version"; spaces become underscores) and `expected_result.json`. `FixtureSession` serves those files and
records every command asked, so tests can assert exactly what a driver sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collectors.records import DeviceRecord, to_json


def command_file(command: str) -> str:
    return command.strip().replace(" ", "_") + ".txt"


class FixtureSession:
    """Implements `platforms.CliSession` from a fixture folder. Unknown commands get the VRP/IOS error text."""

    def __init__(self, folder: Path, unknown_reply: str = "Error: Unrecognized command found at '^' position.") -> None:
        self.folder = folder
        self.unknown_reply = unknown_reply
        self.commands: list[str] = []
        self.closed = False

    def send_command(self, command: str) -> str:
        self.commands.append(command)
        path = self.folder / command_file(command)
        if not path.exists():
            return self.unknown_reply
        return path.read_text(encoding="utf-8")

    def close(self) -> None:
        self.closed = True


def record_summary(record: DeviceRecord, commands: list[str]) -> dict[str, Any]:
    """What expected_result.json holds: the probe JSON plus VPN sessions and the commands sent, in order."""
    summary = to_json(record)
    sessions = record.vpn_sessions
    summary["vpn_sessions"] = None if sessions is None else [s.__dict__ for s in sessions]
    summary["commands"] = commands
    return summary


def load_expected(folder: Path) -> dict[str, Any]:
    with open(folder / "expected_result.json", encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


class CliServer:
    """A small SSH CLI on loopback that answers commands from a fixture folder (asyncssh, in its own thread).

    Used by the end-to-end tests: the real netmiko/paramiko path runs against it. `prompt` sets the dialect
    ("<KF-CORE-01>" for VRP/Comware, "KF-EDGE-01#" for IOS); paging and terminal commands answer nothing.
    """

    QUIET = ("screen-length", "terminal", "undo terminal")

    def __init__(self, folder: Path, prompt: str, username: str, password: str, host_key: Any = None) -> None:
        import asyncssh

        self.folder = folder
        self.prompt = prompt
        self.username = username
        self.password = password
        self.host_key = host_key or asyncssh.generate_private_key("ssh-ed25519")
        self.commands: list[str] = []
        self.port = 0
        self._loop: Any = None
        self._server: Any = None

    def start(self, loop: Any) -> int:
        import asyncio

        self._loop = loop
        self.port = asyncio.run_coroutine_threadsafe(self._start(), loop).result(timeout=10)
        return self.port

    def stop(self) -> None:
        import asyncio

        async def _close() -> None:
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(_close(), self._loop).result(timeout=10)

    async def _start(self) -> int:
        import asyncssh

        outer = self

        class _Server(asyncssh.SSHServer):
            def begin_auth(self, username: str) -> bool:
                return True

            def password_auth_supported(self) -> bool:
                return True

            def validate_password(self, username: str, password: str) -> bool:
                return username == outer.username and password == outer.password

        # No asyncssh line editor: we echo like a device does ("cmd\r\n" + output + "\r\n" + prompt), so
        # consecutive prompts never run together on one line.
        self._server = await asyncssh.create_server(
            _Server,
            "127.0.0.1",
            0,
            server_host_keys=[self.host_key],
            process_factory=self._handle,
            line_editor=False,
        )
        return int(self._server.sockets[0].getsockname()[1])

    def reply(self, command: str) -> str:
        self.commands.append(command)
        if command.startswith(self.QUIET):
            return ""
        path = self.folder / command_file(command)
        if path.exists():
            return path.read_text(encoding="utf-8")
        return "Error: Unrecognized command found at '^' position."

    async def _handle(self, process: Any) -> None:
        import asyncssh

        process.stdout.write(f"\r\n{self.prompt}")
        while True:
            try:
                line = await process.stdin.readline()
            except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged):
                continue
            except (asyncssh.DisconnectError, ConnectionError):
                break
            if not line:
                break
            command = line.strip()
            if command in {"quit", "exit", "logout"}:
                break
            output = self.reply(command).rstrip("\n") if command else ""
            text = command + "\n" + (output + "\n" if output else "") + self.prompt
            process.stdout.write(text.replace("\n", "\r\n"))
        process.exit(0)
