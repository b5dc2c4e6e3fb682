"""`manage.py demo`: the main job on a fresh machine, with embedded defaults.

Migrates the database, loads the Kaifu district areas and a demo set of departments and business systems,
brings up the simulated extranet (the lab) with its intended inventory, creates demo accounts, polls the lab
on a loop in a child process and serves the web UI and /metrics on 127.0.0.1:8000. Ctrl-C stops everything.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from inventory.demo import load_demo_organisations
from yunwang.commands import ExamplesCommand

DATA = Path(settings.BASE_DIR) / "inventory" / "data"


DEMO_SSH_INTERVAL_S = 900


class Command(ExamplesCommand):
    help = (
        "Set up and run the demo: Kaifu district lab, polling loop, web UI on http://127.0.0.1:8000.\n\n"
        "Examples:\n"
        "  manage.py demo                          # what `make demo` runs; Ctrl-C stops poller and lab\n"
        "  manage.py demo --interval 120 --addr 127.0.0.1:8080\n"
        "  manage.py demo --no-serve               # set up, one discovery + SSH collection, then exit"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="where to serve the web UI (default %(default)s)")
        parser.add_argument("--interval", type=int, default=60, help="poll interval in seconds (default %(default)s)")
        parser.add_argument("--no-serve", action="store_true", help="set up and poll once, then exit (for CI)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.step("Migrating the database")
        call_command("migrate", verbosity=0)
        self.step("Loading the Kaifu district division codes (430105)")
        call_command("import_areas", str(DATA / "areas" / "430105.csv"))
        self.step("Starting the simulated extranet (lab profile kaifu) and loading its intended inventory")
        call_command("lab", "up", "--profile", "kaifu", "--load-inventory")
        self.step("Loading demo departments and business systems")
        departments, systems = load_demo_organisations()
        self.stdout.write(f"    {departments} departments, {systems} business systems")
        self.step("Creating demo accounts")
        call_command("create_demo_users")
        if options["no_serve"]:
            self.step("One full discovery, then one SSH collection (configs, MLPS compliance, VPN sessions)")
            call_command("poll", "--once")
            call_command("poll", "--once", "--ssh")
            call_command("lab", "down")
            return
        # The loop's first cycle is a full discovery followed by the SSH collection: pages fill in within a minute.
        # The web side learns the demo's intervals too: /metrics exports them and the stale-collector alert
        # compares the last finished cycle against them.
        settings.YUNWANG_POLL_INTERVAL_SECONDS = options["interval"]
        settings.YUNWANG_SSH_INTERVAL_SECONDS = DEMO_SSH_INTERVAL_S
        poller = subprocess.Popen(
            [sys.executable, "manage.py", "poll", "--loop", "--interval", str(options["interval"]),
             "--ssh-interval", str(DEMO_SSH_INTERVAL_S)],
            cwd=settings.BASE_DIR,
        )  # fmt: skip
        self.step(
            f"Polling every {options['interval']} s (pid {poller.pid}; first cycle: full discovery + SSH); "
            f"serving http://{options['addr']}/ — sign in with an account above"
        )
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            poller.terminate()
            poller.wait(timeout=10)
            call_command("lab", "down")

    def step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {text}"))
