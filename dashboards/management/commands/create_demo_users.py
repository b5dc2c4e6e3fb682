"""`manage.py create_demo_users`: a demo operator, planner and admin, with their passwords printed."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandParser
from django.db import transaction

from dashboards.roles import ADMIN, OPERATOR, PLANNER, sync_groups
from yunwang.commands import ExamplesCommand

DEMO_USERS = (("operator", OPERATOR), ("planner", PLANNER), ("admin", ADMIN))


class Command(ExamplesCommand):
    help = (
        "Create (or reset) the demo accounts operator, planner and admin, each in its role group, and print their "
        "passwords.\n\nExamples:\n  manage.py create_demo_users\n  manage.py create_demo_users --password s3cret-demo"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="use this password for all three (default: a new random one each)")
        parser.add_argument("--prefix", default="", help="prefix for the usernames, e.g. 'demo-'")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        sync_groups()
        user_model = get_user_model()
        lines = []
        for name, role in DEMO_USERS:
            username = f"{options['prefix']}{name}"
            password = options["password"] or secrets.token_urlsafe(9)
            user, _ = user_model.objects.get_or_create(username=username)
            user.set_password(password)
            # Staff: operators and planners browse the inventory read-only in the admin; admins change it.
            user.is_staff = True
            user.is_superuser = role == ADMIN
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            lines.append(f"  {role:<9} {username:<16} {password}")
        self.stdout.write("Demo accounts (role, username, password):")
        self.stdout.write("\n".join(lines))
