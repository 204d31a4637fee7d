"""Create the demo staff account for `make run` (local mode only) and print its login.

The account belongs to the demo's organisation: the only one, or the one named with
`--organisation SLUG` when there are several (ADR 0017).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.accounts.management.commands.create_manager import staff_address
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.organisation import tenancy

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-whistledesk"  # noqa: S105 - a published demo login, local mode only


class Command(BaseCommand):
    help = (
        "Create the demo staff account (all roles) and print its login. Local mode only. "
        "With several organisations, name one with --organisation SLUG."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        tenancy.add_organisation_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Local mode, not DEBUG: `make run` keeps DEBUG off (its debug pages list every URL).
        if not getattr(settings, "WHISTLEDESK_LOCAL_MODE", False):
            raise CommandError(
                "demo_staff is for local mode only "
                "(DJANGO_SETTINGS_MODULE=whistledesk.config.settings.local)."
            )
        org = tenancy.organisation_from_options(options)
        if not User.objects.filter(organisation=org, username__iexact=DEMO_USERNAME).exists():
            with tenancy.activate(org):
                user_create(
                    actor="demo_staff",
                    username=DEMO_USERNAME,
                    password=DEMO_PASSWORD,
                    roles=list(Role),
                    is_superuser=True,
                    organisation=org,
                )
        self.stdout.write(
            f"Demo staff login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r} "
            f"(at {staff_address(org)})"
        )
