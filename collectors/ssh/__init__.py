"""SSH collection: netmiko sessions, TextFSM-parsed NAPALM-shaped getters, host-key pinning. See docs/ssh.md."""

from __future__ import annotations

from collectors.ssh.driver import SshDriver
from collectors.ssh.hostkeys import FileHostKeyStore, HostKeyStore, MemoryHostKeyStore
from collectors.ssh.session import Timeouts

__all__ = ["FileHostKeyStore", "HostKeyStore", "MemoryHostKeyStore", "SshDriver", "Timeouts"]
