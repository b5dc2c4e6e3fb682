"""Which wire library serves which mode: pysnmp for discovery, gufo-snmp for the hot status poll."""

from __future__ import annotations

from typing import Literal

from collectors.contract import Mode
from collectors.records import Target
from collectors.snmp.gufo_transport import GufoTransport
from collectors.snmp.pysnmp_transport import PysnmpFactory
from collectors.snmp.values import SnmpTransport

Backend = Literal["pysnmp", "gufo"]


class DefaultFactory:
    """`factory(target, mode)` for `SnmpDriver`. Create inside the event loop that will use it; `close()` after."""

    def __init__(self, *, full: Backend = "pysnmp", status: Backend = "gufo") -> None:
        self.backends: dict[str, Backend] = {"full": full, "status": status}
        self._pysnmp = PysnmpFactory()

    def __call__(self, target: Target, mode: Mode) -> SnmpTransport:
        if self.backends[mode] == "gufo":
            return GufoTransport(target)
        return self._pysnmp(target, mode)

    def close(self) -> None:
        self._pysnmp.close()
