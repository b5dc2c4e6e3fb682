"""SSH host keys: trust on first contact, then a changed key is an error (kind host_key), never a silent accept.

`HostKeyStore` is the seam: a file store now (OpenSSH known_hosts lines), a database store later. Hosts are
named the OpenSSH way: "127.0.0.5" on port 22, "[127.0.0.5]:2222" otherwise. Keys are "<type> <base64>".
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol


class HostKeyStore(Protocol):
    def get(self, host: str) -> str | None:
        """The remembered key ("ssh-ed25519 AAAA...") for `host`, or None before first contact."""
        ...

    def remember(self, host: str, key: str) -> None:
        """Record the key seen on first contact."""
        ...


def host_key_name(host: str, port: int) -> str:
    return host if port == 22 else f"[{host}]:{port}"


class MemoryHostKeyStore:
    """A store that lives as long as the process (probes without a file, tests)."""

    def __init__(self, keys: dict[str, str] | None = None) -> None:
        self._keys = dict(keys or {})
        self._lock = threading.Lock()

    def get(self, host: str) -> str | None:
        with self._lock:
            return self._keys.get(host)

    def remember(self, host: str, key: str) -> None:
        with self._lock:
            self._keys.setdefault(host, key)


class FileHostKeyStore:
    """known_hosts-format file ("host keytype base64" per line). Thread-safe within one process; appends only,
    so a key once remembered is never overwritten by this code (an operator edits the file to accept a change).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._keys: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._keys is None:
            self._keys = {}
            if self.path.exists():
                for line in self.path.read_text(encoding="utf-8").splitlines():
                    parts = line.split()
                    if len(parts) >= 3 and not line.startswith("#"):
                        self._keys.setdefault(parts[0], f"{parts[1]} {parts[2]}")
        return self._keys

    def get(self, host: str) -> str | None:
        with self._lock:
            return self._load().get(host)

    def remember(self, host: str, key: str) -> None:
        with self._lock:
            keys = self._load()
            if host in keys:
                return
            keys[host] = key
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(f"{host} {key}\n")
