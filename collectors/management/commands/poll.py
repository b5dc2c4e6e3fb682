"""`manage.py poll`: poll the inventory's devices once or on a schedule, and write what changed."""

from __future__ import annotations

from argparse import ArgumentParser, RawDescriptionHelpFormatter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from collectors import distributed
from collectors.runner import SshSchedule, run_cycle, run_loop
from collectors.ssh_runner import run_ssh_cycle
from collectors.targets import pollable
from inventory.models import Device
from inventory.models.areas import CODE_RE


class Command(BaseCommand):
    help = "Poll devices over SNMP: discover, track status, reconcile into the inventory."
    epilog = """examples:
  manage.py poll --once                       full discovery of every active device, then exit
  manage.py poll --once --mode status         one light status/counters poll
  manage.py poll --once --device KF-CORE-01   one device
  manage.py poll --once --ssh                 only SSH (facts, configs, compliance, VPN)
  manage.py poll --loop --interval 300 --discovery-every 12 --ssh-interval 3600 --area 430105000000
"""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        parser.epilog = self.epilog
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--once", action="store_true", help="run one cycle and exit (the default)")
        when.add_argument("--loop", action="store_true", help="run cycles every --interval seconds until stopped")
        parser.add_argument("--interval", type=float, default=settings.YUNWANG_POLL_INTERVAL_SECONDS)
        parser.add_argument(
            "--discovery-every",
            type=int,
            default=settings.YUNWANG_DISCOVERY_EVERY_CYCLES,
            help="full discovery every N cycles (the first cycle always discovers)",
        )
        parser.add_argument("--mode", choices=["full", "status"], default="full", help="with --once: what to run")
        parser.add_argument("--area", help="12-digit division code: only devices in this area's subtree")
        parser.add_argument("--device", help="only the device with this inventory name")
        parser.add_argument("--poller-group", help="only devices of this poller group")
        parser.add_argument("--concurrency", type=int, default=settings.YUNWANG_POLL_CONCURRENCY)
        parser.add_argument("--timeout", type=float, default=None, help="per-request timeout, seconds")
        parser.add_argument("--retries", type=int, default=None)
        parser.add_argument("--cycles", type=int, default=None, help="with --loop: stop after N cycles")
        parser.add_argument("--ssh", action="store_true", help="with --once: only the SSH collection")
        parser.add_argument(
            "--ssh-interval",
            type=float,
            default=settings.YUNWANG_SSH_INTERVAL_SECONDS,
            help="with --loop: SSH collection every S seconds, after the SNMP cycle that falls due (0: never)",
        )
        distributed.add_arguments(parser)  # --distributed, --group-timeout, --chunk-size

    def handle(self, *args: Any, **opts: Any) -> None:
        area, name, group = opts["area"], opts["device"], opts["poller_group"]
        if area and not CODE_RE.match(area):
            raise CommandError("--area takes a 12-digit division code, e.g. 430105000000")
        if opts["concurrency"] < 1 or opts["interval"] <= 0:
            raise CommandError("--concurrency and --interval must be positive")

        def select() -> QuerySet[Device]:
            return pollable(area=area, device=name, poller_group=group)

        if name and not select().exists():
            raise CommandError(f"no pollable device named {name!r} (active or maintenance, with a management IP)")
        if opts["distributed"]:
            return distributed.run_from_command(select, opts, self.stdout.write)
        cycle_kwargs = {
            "concurrency": opts["concurrency"],
            "timeout_seconds": opts["timeout"],
            "retries": opts["retries"],
        }
        if not opts["loop"] and opts["ssh"]:  # --ssh --once: only the SSH collection
            self.stdout.write(run_ssh_cycle(select(), poller_group=group or "default").line())
            return
        if not opts["loop"]:
            summary = run_cycle(select(), opts["mode"], poller_group=group or "default", **cycle_kwargs)
            self.stdout.write(summary.line())
            return
        ssh_due = SshSchedule(opts["ssh_interval"], lambda: run_ssh_cycle(select(), poller_group=group or "default"))
        try:
            run_loop(
                select,
                interval_seconds=opts["interval"],
                discovery_every=opts["discovery_every"],
                max_cycles=opts["cycles"],
                write=self.stdout.write,
                poller_group=group or "default",
                cycle_kwargs=cycle_kwargs,
                extra=lambda: ssh_due.run_if_due(self.stdout.write),
            )
        except KeyboardInterrupt:
            self.stdout.write("stopped")
