"""manage.py lab: run the simulated extranet (SNMP + SSH on 127.x.y.z) and inject faults."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lab import runner
from lab.faults import FaultError, fail, heal
from lab.state import default_state_dir, load_topology, read_faults
from lab.topology import DEFAULT_SEED, Topology

EXAMPLES = """examples:
  manage.py lab up --profile kaifu --load-inventory   # start the Kaifu district lab and load its inventory
  manage.py lab status
  manage.py lab fail device KF-AGG-03                 # the device stops answering
  manage.py lab fail link KF-AGG-01:4                 # both ends down, LLDP entries gone
  manage.py lab fail slow KF-ACC-0101 --ms 1500
  manage.py lab fail malformed KF-ACC-0102
  manage.py lab fail reboot KF-CORE-02                # uptime restarts
  manage.py lab fail credentials KF-AGG-02            # community / v3 keys / SSH password change
  manage.py lab heal all                              # or: heal KF-AGG-03, heal KF-AGG-01:4
  manage.py lab down
"""


class Command(BaseCommand):
    help = "Run the simulated e-government extranet lab: up, status, fail, heal, down."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = EXAMPLES
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--state-dir", type=Path, default=None, help="lab state dir (default $YUNWANG_LAB_DIR or var/lab)"
        )
        sub = parser.add_subparsers(dest="action", required=True)
        p_up = sub.add_parser("up", help="start the lab (stops a previous one in the same state dir)")
        p_up.add_argument("--profile", default="kaifu", help="kaifu, linyi or scale:N (default kaifu)")
        p_up.add_argument("--seed", type=int, default=DEFAULT_SEED)
        p_up.add_argument("--load-inventory", action="store_true", help="also load the matching intended inventory")
        p_up.add_argument("--no-ssh", action="store_true", help="serve SNMP only")
        sub.add_parser("status", help="profile, daemons and faults in force")
        sub.add_parser("down", help="stop every lab process")
        p_fail = sub.add_parser("fail", help="inject a fault")
        p_fail.add_argument("kind", choices=["device", "link", "slow", "malformed", "reboot", "credentials"])
        p_fail.add_argument("target", help="device name, or DEVICE:IFINDEX for a link")
        p_fail.add_argument("--ms", type=int, default=None, help="added latency for `slow`")
        p_heal = sub.add_parser("heal", help="heal faults: all (default), a device, or DEVICE:IFINDEX")
        p_heal.add_argument("target", nargs="?", default="all")

    def handle(self, *args: Any, **opts: Any) -> None:
        state_dir: Path = opts["state_dir"] or default_state_dir()
        action = opts["action"]
        if action == "up":
            self._up(state_dir, opts)
        elif action == "down":
            stopped = runner.down(state_dir)
            self.stdout.write(f"lab down ({', '.join(stopped) if stopped else 'nothing was running'})")
        elif action == "status":
            self._status(state_dir)
        else:
            self._fault(state_dir, action, opts)

    def _up(self, state_dir: Path, opts: dict[str, Any]) -> None:
        try:
            result = runner.up(state_dir, opts["profile"], opts["seed"], ssh=not opts["no_ssh"])
        except (ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"lab up: profile {result.profile} seed {result.seed}, {result.devices} devices, "
            f"daemons {', '.join(result.daemons)}, ready in {result.seconds:.1f} s (state dir {state_dir})"
        )
        if opts["load_inventory"]:
            from lab.inventory import load_topology as load_inventory

            topo = self._topology(state_dir)
            counts = load_inventory(topo)
            self.stdout.write("inventory loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    def _topology(self, state_dir: Path) -> Topology:
        topo = load_topology(state_dir)
        if topo is None:
            raise CommandError(f"no lab in {state_dir}: run `manage.py lab up` first")
        return topo

    def _status(self, state_dir: Path) -> None:
        st = runner.status(state_dir)
        if st.state is None:
            self.stdout.write(f"no lab in {state_dir}")
            return
        topo = self._topology(state_dir)
        daemons = ", ".join(f"{n} {'pid ' + str(p) if p else 'stopped'}" for n, p in st.running.items())
        self.stdout.write(f"profile {st.state.profile} seed {st.state.seed}: {len(topo.devices)} devices; {daemons}")
        faults = read_faults(state_dir).to_json()
        active = {k: v for k, v in faults.items() if v}
        self.stdout.write("faults: " + (", ".join(f"{k}={v}" for k, v in active.items()) if active else "none"))

    def _fault(self, state_dir: Path, action: str, opts: dict[str, Any]) -> None:
        topo = self._topology(state_dir)
        try:
            if action == "fail":
                fail(state_dir, topo, opts["kind"], opts["target"], opts["ms"])
                self.stdout.write(f"fault injected: {opts['kind']} {opts['target']}")
            else:
                heal(state_dir, topo, opts["target"])
                self.stdout.write(f"healed: {opts['target']}")
        except FaultError as exc:
            raise CommandError(str(exc)) from exc
