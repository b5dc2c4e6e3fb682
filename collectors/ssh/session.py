"""A live CLI session over netmiko (paramiko), with host-key pinning and failures sorted into ErrorKinds.

Why the pieces are here:
- We open the TCP socket ourselves and hand it to netmiko (`sock=`): a refused port and a silent one are then
  told apart (netmiko reports both as a "timeout").
- netmiko's paramiko client gets the remembered host key before connecting, so a changed key fails in the key
  exchange, before our password is sent; an unknown key is remembered (trust on first contact).
- Closing: netmiko's `disconnect()` sends "quit" and then reads for ~2 s. A read-only session has nothing to
  save, so we close the SSH transport directly (the device sees a normal channel close) and drop netmiko's
  per-connection log filter, which `disconnect()` would otherwise have removed.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import re
import socket
from dataclasses import dataclass
from typing import Any

import paramiko
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from collectors.records import ErrorKind
from collectors.ssh.hostkeys import HostKeyStore, host_key_name

netmiko_log = logging.getLogger("netmiko")


class SessionError(Exception):
    """A failure with its ErrorKind. The message never contains the password."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Timeouts:
    connect_seconds: float = 5.0  # TCP connect + SSH banner + auth
    login_seconds: float = 8.0  # each read while netmiko finds the prompt and turns paging off
    command_seconds: float = 20.0  # one command's output (a big running config on a slow box)


class _RememberNewKey(paramiko.MissingHostKeyPolicy):
    def __init__(self, store: HostKeyStore) -> None:
        self.store = store

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        self.store.remember(hostname, f"{key.get_name()} {key.get_base64()}")


def _pinned_client(store: HostKeyStore, name: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    known = store.get(name)
    if known:
        key_type, _, blob = known.partition(" ")
        client.get_host_keys().add(name, key_type, paramiko.PKey.from_type_string(key_type, base64.b64decode(blob)))
    client.set_missing_host_key_policy(_RememberNewKey(store))
    return client


def _connect_socket(host: str, port: int, timeout: float) -> socket.socket:
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except ConnectionRefusedError as exc:
        raise SessionError(ErrorKind.REFUSED, f"{host}:{port} refused the SSH connection") from exc
    except TimeoutError as exc:
        raise SessionError(ErrorKind.TIMEOUT, f"{host}:{port}: no answer within {timeout:g} s") from exc
    except OSError as exc:
        raise SessionError(ErrorKind.TIMEOUT, f"{host}:{port} unreachable: {exc.strerror or exc}") from exc


class NetmikoSession:
    """Implements `platforms.CliSession` over one netmiko connection."""

    def __init__(self, conn: Any, password: str, timeouts: Timeouts) -> None:
        self._conn = conn
        self._password = password
        self._timeouts = timeouts
        self._prompt = ""

    def ready(self) -> None:
        """Called once netmiko has found the prompt: the prompt at the end of the data ends each answer."""
        self._prompt = rf"{re.escape(str(self._conn.base_prompt))}[>\]#]\s*$"

    @property
    def prompt(self) -> str:
        return str(self._conn.base_prompt)

    def send_command(self, command: str) -> str:
        """The command's output, without echo and prompt.

        Not netmiko's send_command: that re-finds the prompt before every command with a timing-based read,
        and under load the late answer to that probe stays in the buffer and ends the *next* read early, so
        each command returns the previous one's output. We read until our own echo (dropping anything stale
        before it), then until the prompt at the end of the data.
        """
        conn = self._conn
        timeout = self._timeouts.command_seconds
        try:
            conn.write_channel(command + conn.RETURN)
            conn.read_until_pattern(pattern=re.escape(command), read_timeout=timeout)
            body = str(conn.read_until_pattern(pattern=self._prompt, read_timeout=timeout))
        except ReadTimeout as exc:
            raise SessionError(ErrorKind.PROMPT, f"no prompt after {command!r}: unexpected CLI prompt") from exc
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise SessionError(ErrorKind.TIMEOUT, f"session lost during {command!r}: {type(exc).__name__}") from exc
        text = _decode(body).replace("\r\n", "\n")
        text = text.split("\n", 1)[1] if "\n" in text else ""  # the rest of the echo line
        return text.rsplit("\n", 1)[0] if "\n" in text else ""  # the prompt line

    def close(self) -> None:
        # A half-dead transport may raise on close; there is nothing left to do then.
        with contextlib.suppress(Exception):
            self._conn.paramiko_cleanup()
        netmiko_log.removeFilter(self._conn._secrets_filter)


def open_session(
    device_type: str,
    host: str,
    port: int,
    username: str,
    password: str,
    store: HostKeyStore,
    timeouts: Timeouts | None = None,
) -> NetmikoSession:
    """Log in and prepare the CLI (paging off). Raises SessionError with a kind; never leaks the password."""
    timeouts = timeouts or Timeouts()
    sock = _connect_socket(host, port, timeouts.connect_seconds)
    name = host_key_name(host, port)
    conn = ConnectHandler(
        device_type=device_type,
        host=host,
        port=port,
        username=username,
        password=password,
        sock=sock,
        auto_connect=False,
        use_keys=False,
        allow_agent=False,
        conn_timeout=timeouts.connect_seconds,
        auth_timeout=timeouts.connect_seconds,
        banner_timeout=timeouts.connect_seconds,
        # netmiko's own login reads wait 10-20 s for a prompt; an unexpected prompt should fail faster.
        read_timeout_override=timeouts.login_seconds,
        fast_cli=True,
        # Devices write UTF-8 or GBK (interface descriptions in Chinese). Latin-1 maps every byte to one
        # character, so nothing is lost on the way; each answer is decoded properly in `_decode`.
        encoding="latin-1",
    )
    # Instance-level override: netmiko builds its paramiko client here; ours carries the pinned key.
    conn._build_ssh_client = lambda: _pinned_client(store, name)  # type: ignore[method-assign]
    session = NetmikoSession(conn, password, timeouts)
    try:
        conn._open()
        _check_prompt(conn, device_type)
        session.ready()
    except Exception as exc:
        session.close()
        sock.close()
        raise _classify(exc, host, port, password) from None
    conn.read_timeout_override = None  # from here on, each command passes its own read_timeout
    return session


def _decode(latin1: str) -> str:
    """Undo the Latin-1 transport decoding: UTF-8 when the bytes are valid UTF-8, else GBK (GB18030)."""
    raw = latin1.encode("latin-1", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


# netmiko accepts any prompt containing its terminator ("[root@linux ~]$" passes as a VRP prompt) and keeps
# the name part in `base_prompt` ("<KF-CORE-01>" -> "KF-CORE-01", "KF-EDGE-01#" -> "KF-EDGE-01"). A device name
# has no spaces or prompt punctuation; anything else is not the CLI we expected. We check what netmiko already
# read instead of asking again: an extra timing-based prompt read leaves a late prompt in the buffer under
# load, and every later command then returns the previous one's output.
_DEVICE_NAME = re.compile(r"[^\s<>\[\]$#]+")


def _check_prompt(conn: Any, device_type: str) -> None:
    name = str(conn.base_prompt)
    if not _DEVICE_NAME.fullmatch(name):
        raise ValueError(f"prompt {name[-40:]!r} is not a {device_type} prompt")


def _classify(exc: Exception, host: str, port: int, password: str) -> SessionError:
    where = f"{host}:{port}"
    context = exc.__context__
    if isinstance(exc, paramiko.BadHostKeyException) or isinstance(context, paramiko.BadHostKeyException):
        bad = exc if isinstance(exc, paramiko.BadHostKeyException) else context
        assert isinstance(bad, paramiko.BadHostKeyException)
        got = f"{bad.key.get_name()} {bad.key.fingerprint}"
        return SessionError(ErrorKind.HOST_KEY, f"{where}: SSH host key changed since first contact (now {got})")
    if isinstance(exc, NetmikoAuthenticationException):
        return SessionError(ErrorKind.AUTH, f"{where}: authentication failed (wrong username or password)")
    if isinstance(exc, ReadTimeout | ValueError):
        # set_base_prompt raises ValueError, pattern waits raise ReadTimeout: not the CLI we expected.
        detail = str(exc)[:80] if isinstance(exc, ValueError) else type(exc).__name__
        return SessionError(ErrorKind.PROMPT, f"{where}: unexpected CLI prompt or dialect ({detail})")
    if isinstance(exc, NetmikoTimeoutException | TimeoutError | OSError | EOFError | paramiko.SSHException):
        text = str(exc).replace(password, "******") if password else str(exc)
        first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
        return SessionError(ErrorKind.TIMEOUT, f"{where}: SSH session failed: {first[:200]}")
    return SessionError(ErrorKind.INTERNAL, f"{where}: {type(exc).__name__} while opening the SSH session")
