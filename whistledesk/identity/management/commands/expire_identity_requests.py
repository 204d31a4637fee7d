"""Mark identity requests that waited past their time as expired (audited). Run daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from whistledesk.identity.services import identity_requests_expire


class Command(BaseCommand):
    help = "Expire identity access requests that no custodian decided in time."

    def handle(self, *args: Any, **options: Any) -> None:
        count = identity_requests_expire(actor="expire_identity_requests")
        self.stdout.write(f"{count} identity request(s) expired.")
