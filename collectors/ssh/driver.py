"""The SSH driver: `await SshDriver(...).collect(target, mode="full")` -> DeviceRecord (source "ssh").

netmiko is blocking, so each collection runs in a bounded thread pool: many devices run at once, never more
than `max_workers`. One login per device per collection; every getter shares that session. Failures come
back as records with `error` set (kinds: auth, refused, timeout, host_key, prompt, malformed, unsupported).
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from collectors.records import DeviceRecord, ErrorKind, SystemInfo, Target, failed, now
from collectors.ssh.hostkeys import HostKeyStore, MemoryHostKeyStore
from collectors.ssh.platforms import CliDevice, CliSession, driver_for
from collectors.ssh.session import SessionError, Timeouts, open_session
from collectors.ssh.textparse import ParseError

MODES = ("full", "status", "vpn")
DEFAULT_TIMEOUTS = Timeouts()

# (device_type, target) -> a logged-in session. Tests pass a fixture replayer; production uses netmiko.
SessionFactory = Callable[[str, Target], CliSession]


class SshDriver:
    """Collects devices over SSH. Thread-safe; share one per process (it owns the thread pool)."""

    def __init__(
        self,
        host_keys: HostKeyStore | None = None,
        *,
        max_workers: int = 32,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
        session_factory: SessionFactory | None = None,
    ) -> None:
        self.host_keys = host_keys if host_keys is not None else MemoryHostKeyStore()
        self.timeouts = timeouts
        self.max_workers = max_workers
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ssh-collect")
        self._session_factory = session_factory or self._netmiko_session

    async def collect(self, target: Target, *, mode: str = "full") -> DeviceRecord:
        """Collect one device without blocking the event loop. Never raises for device-side failures."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.collect_blocking, target, mode)

    async def collect_many(self, targets: Iterable[Target], *, mode: str = "full") -> list[DeviceRecord]:
        return list(await asyncio.gather(*(self.collect(t, mode=mode) for t in targets)))

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    def _netmiko_session(self, device_type: str, target: Target) -> CliSession:
        assert target.ssh is not None
        creds = target.ssh
        return open_session(
            device_type, target.host, creds.port, creds.username, creds.password, self.host_keys, self.timeouts
        )

    def collect_blocking(self, target: Target, mode: str = "full") -> DeviceRecord:
        """The same as `collect`, in the calling thread."""
        started = time.monotonic()
        record = self._collect(target, mode)
        return dataclasses.replace(record, duration_seconds=round(time.monotonic() - started, 3))

    def _collect(self, target: Target, mode: str) -> DeviceRecord:
        if mode not in MODES:
            return failed(target.host, "ssh", ErrorKind.INTERNAL, f"unknown mode {mode!r}; one of {MODES}")
        if target.ssh is None:
            return failed(target.host, "ssh", ErrorKind.UNSUPPORTED, "no SSH credentials for this target")
        cls = driver_for(target.platform)
        if cls is None:
            return failed(target.host, "ssh", ErrorKind.UNSUPPORTED, f"no SSH driver for platform {target.platform!r}")
        try:
            session = self._session_factory(cls.device_type, target)
        except SessionError as exc:
            return failed(target.host, "ssh", exc.kind, exc.message)
        try:
            return gather(cls(session, light=mode != "full"), target.host, mode)
        except SessionError as exc:
            return failed(target.host, "ssh", exc.kind, exc.message)
        except ParseError as exc:
            return failed(target.host, "ssh", ErrorKind.MALFORMED, str(exc))
        except Exception as exc:  # a bug of ours: keep the cycle going, say where
            return failed(target.host, "ssh", ErrorKind.INTERNAL, f"{type(exc).__name__} in SSH getters")
        finally:
            session.close()


def gather(device: CliDevice, host: str, mode: str = "full") -> DeviceRecord:
    """Run the getters a mode needs on one open session and build the record. Raises SessionError/ParseError."""
    if mode == "vpn":
        return DeviceRecord(
            host=host, source="ssh", collected_at=now(), vpn_sessions=device.get_vpn_sessions(), complete=False
        )
    facts = device.get_facts()
    interfaces = device.get_interfaces()
    full = mode == "full"
    if not full:  # the status contract: only uptime and port status; ports keep their name (SSH's only key)
        return DeviceRecord(
            host=host,
            source="ssh",
            collected_at=now(),
            system=SystemInfo(sys_uptime_seconds=facts.uptime_seconds),
            interfaces=tuple(
                dataclasses.replace(i, descr=None, alias=None, type=None, mtu=None, mac=None) for i in interfaces
            ),  # fmt: skip
            complete=False,
        )
    system = SystemInfo(sys_name=facts.hostname, sys_descr=facts.sys_descr, sys_uptime_seconds=facts.uptime_seconds)
    return DeviceRecord(
        host=host,
        source="ssh",
        collected_at=now(),
        system=system,
        vendor=facts.vendor,
        model=facts.model,
        serial=facts.serial,
        os_version=facts.os_version,
        interfaces=interfaces,
        neighbors=device.get_lldp_neighbors() if full else (),
        config=device.get_config() if full else None,
        vpn_sessions=device.get_vpn_sessions() if full and device.is_vpn_gateway() else None,
        complete=full,
    )
