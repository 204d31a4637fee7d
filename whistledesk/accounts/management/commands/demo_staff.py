"""Create the demo staff account for `make run` (local mode only) and print its login."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-whistledesk"  # noqa: S105 - a published demo login, local mode only


class Command(BaseCommand):
    help = "Create the demo staff account (all roles) and print its login. Local mode only."

    def handle(self, *args: Any, **options: Any) -> None:
        # Local mode, not DEBUG: `make run` keeps DEBUG off (its debug pages list every URL).
        if not getattr(settings, "WHISTLEDESK_LOCAL_MODE", False):
            raise CommandError(
                "demo_staff is for local mode only "
                "(DJANGO_SETTINGS_MODULE=whistledesk.config.settings.local)."
            )
        if not User.objects.filter(username=DEMO_USERNAME).exists():
            user_create(
                actor="demo_staff",
                username=DEMO_USERNAME,
                password=DEMO_PASSWORD,
                roles=list(Role),
                is_superuser=True,
            )
        self.stdout.write(
            f"Demo staff login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}"
        )
