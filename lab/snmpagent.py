"""The lab's SNMP agent process: snmpsim's command responder, with the lab's faults applied on the wire.

Run as ``python -m lab.snmpagent --state-dir DIR`` (``manage.py lab up`` does it). It serves the data that
`lab.snmpserve.write_data` laid out and adds, per device address, what snmpsim itself cannot do:
- a device that is down or whose credentials changed drops requests (real agents ignore bad communities);
  an SNMPv3 device with changed credentials gets other USM keys, so requests fail authentication;
- a slow device answers N ms late (the event loop is not blocked: other devices answer meanwhile);
- a malformed device sends a truncated BER message;
- a community sent to another device's address is ignored, as is SNMPv1/v2c sent to an SNMPv3-only device.
Faults are re-read from ``faults.json`` as they change; nothing restarts.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lab.snmplive import Live, set_live
from lab.snmpserve import endpoint_order, engine_id, snmp_dir
from lab.state import Faults

MALFORMED_CUT = 7  # bytes cut off the end of each answer


def _local_host(protocol: Any) -> str | None:
    host = getattr(protocol, "_yw_host", None)
    if host is None and protocol.transport is not None:
        host = protocol.transport.get_extra_info("sockname")[0]
        protocol._yw_host = host
    return host


def patch_transport(live: Live, sync: Callable[[Faults], None]) -> None:
    """Wrap pysnmp's asyncio UDP transport: drop, delay or corrupt per the faults of the local address's device."""
    from pysnmp.carrier.asyncio.dgram import base

    recv, send = base.DgramAsyncioProtocol.datagram_received, base.DgramAsyncioProtocol.send_message

    def datagram_received(self: Any, datagram: bytes, address: Any) -> None:
        device = live.by_host.get(_local_host(self) or "")
        faults = live.faults()
        sync(faults)
        if device is not None:
            if device.name in faults.down_devices:
                return
            if device.name in faults.bad_credentials and device.snmp_v3 is None:
                return
            delay_ms = faults.slow_devices.get(device.name)
            if delay_ms:
                self.loop.call_later(delay_ms / 1000, recv, self, datagram, address)
                return
        recv(self, datagram, address)

    def send_message(self: Any, message: bytes, address: Any) -> None:
        device = live.by_host.get(_local_host(self) or "")
        if device is not None and device.name in live.faults().malformed_devices:
            message = bytes(message)[:-MALFORMED_CUT]
        send(self, message, address)

    base.DgramAsyncioProtocol.datagram_received = datagram_received  # type: ignore[method-assign]
    base.DgramAsyncioProtocol.send_message = send_message  # type: ignore[method-assign]


def patch_context_check(live: Live) -> None:
    """Answer a request only with the data of the device whose address it was sent to.

    (snmpsim's own per-address hook, ``handleMgmtOperation``, is no longer called by pysnmp >= 7.1.26, which
    calls ``handle_management_operation``; this wraps the latter.)
    """
    from pyasn1.type import univ
    from snmpsim.commands import responder

    device_of_domain = dict(enumerate(endpoint_order(live.topology)))
    v2c_security_name = {
        d.name: hashlib.md5(d.snmp_community.encode()).hexdigest().encode()
        for d in live.topology.devices
        if d.snmp_community
    }

    def allowed(snmp_engine: Any) -> bool:
        exec_ctx = snmp_engine.observer.get_execution_context("rfc3412.receiveMessage:request")
        device = device_of_domain.get(tuple(exec_ctx["transportDomain"])[-1])
        if device is None:
            return False
        if device.snmp_v3 is not None:
            return int(exec_ctx["securityModel"]) == 3
        return univ.OctetString(exec_ctx["securityName"]).asOctets() == v2c_security_name[device.name]

    for cls in (
        responder.GetCommandResponder,
        responder.NextCommandResponder,
        responder.BulkCommandResponder,
        responder.SetCommandResponder,
    ):

        def handle(
            self: Any,
            snmp_engine: Any,
            state_ref: Any,
            context_name: Any,
            pdu: Any,
            _base: Any = cls.handle_management_operation,
        ) -> None:
            if not allowed(snmp_engine):
                self.release_state_information(state_ref)  # ignored, as an agent ignores a wrong community
                return
            _base(self, snmp_engine, state_ref, context_name, pdu)

        cls.handle_management_operation = handle


def patch_engines(live: Live) -> Callable[[Faults], None]:
    """Keep the SNMPv3 engines at hand and swap a device's USM keys while its credentials are 'changed'."""
    from pysnmp.entity import config, engine

    engines: dict[str, Any] = {}
    v3_by_engine_id = {engine_id(d): d for d in live.topology.devices if d.snmp_v3 is not None}

    class LabEngine(engine.SnmpEngine):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            device = v3_by_engine_id.get(bytes(self.snmpEngineID).hex())
            if device is not None:
                engines[device.name] = self

    engine.SnmpEngine = LabEngine  # type: ignore[misc]
    applied: set[str] = set()
    protos = {"SHA": config.USM_AUTH_HMAC96_SHA, "MD5": config.USM_AUTH_HMAC96_MD5}
    privs = {"AES": config.USM_PRIV_CFB128_AES, "DES": config.USM_PRIV_CBC56_DES}

    def sync(faults: Faults) -> None:
        for name, snmp_engine in engines.items():
            bad = name in faults.bad_credentials
            if bad == (name in applied):
                continue
            user, auth_proto, auth_key, priv_proto, priv_key = live.by_name[name].snmp_v3  # type: ignore[misc]
            suffix = "-rotated" if bad else ""
            config.delete_v3_user(snmp_engine, user)
            config.add_v3_user(
                snmp_engine, user, protos[auth_proto], auth_key + suffix, privs[priv_proto], priv_key + suffix
            )
            (applied.add if bad else applied.discard)(name)

    return sync


def patch_variations() -> None:
    """Register the `yw` variation module in-process (snmpsim otherwise exec()s modules from a directory)."""
    from snmpsim import variation

    from lab import snmpvariation

    load = variation.load_variation_modules

    def load_with_yw(search_path: Any, options: Any) -> Any:
        modules = load([], options) or {}
        ctx = {
            "init": snmpvariation.init,
            "variate": snmpvariation.variate,
            "shutdown": snmpvariation.shutdown,
            "path": snmpvariation.__file__,
            "alias": "yw",
            "args": "",
            "moduleContext": {},
        }
        modules["yw"] = (ctx, {}, {})
        return modules

    variation.load_variation_modules = load_with_yw


def patch_ready_signal() -> None:
    """Print ``lab-snmp-ready N`` once every device's socket is bound (`lab up` waits for it); exit if one fails."""
    from pysnmp.carrier.asyncio.dgram import base
    from pysnmp.carrier.asyncio.dispatch import AsyncioDispatcher

    binds: list[Any] = []
    open_server = base.DgramAsyncioProtocol.open_server_mode
    run = AsyncioDispatcher.run_dispatcher

    def open_server_mode(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = open_server(self, *args, **kwargs)
        binds.append(self._lport)
        return result

    async def announce() -> None:
        import asyncio

        try:
            await asyncio.gather(*binds)
        except OSError as exc:
            print(
                f"lab-snmp-failed: cannot bind a device address: {exc}. Another lab or test run serves these "
                "addresses: stop it (manage.py lab down) or set YUNWANG_LAB_ADDRESS_BASE to move this lab.",
                flush=True,
            )
            os._exit(3)
        print(f"lab-snmp-ready {len(binds)}", flush=True)

    def run_dispatcher(self: Any, timeout: float = 0.0) -> Any:
        self.loop.create_task(announce())
        return run(self, timeout)

    base.DgramAsyncioProtocol.open_server_mode = open_server_mode  # type: ignore[method-assign]
    AsyncioDispatcher.run_dispatcher = run_dispatcher  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The lab's SNMP agent (snmpsim with lab faults).")
    parser.add_argument("--state-dir", required=True, type=Path)
    parser.add_argument("--log-level", default="error", help="snmpsim log level (info logs secrets: keep 'error')")
    opts = parser.parse_args(argv)
    state_dir = opts.state_dir.resolve()
    live = Live(state_dir)
    set_live(live)
    os.environ.setdefault("SNMPSIM_ALLOW_ROOT", "true")
    patch_transport(live, patch_engines(live))
    patch_context_check(live)
    patch_variations()
    patch_ready_signal()
    from snmpsim.commands import responder

    root = snmp_dir(state_dir)
    sys.argv = [
        "snmpsim-command-responder",
        f"--args-from-file={root / 'engines.args'}",
        f"--cache-dir={root / 'cache'}",
        f"--log-level={opts.log_level}",
    ]
    return int(responder.main() or 0)


if __name__ == "__main__":
    sys.exit(main())
