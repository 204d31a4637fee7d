"""Create an organisation's recovery key: store the public half, print the private half once.

Each organisation has its own (ADR 0017): name it with `--organisation SLUG` when the
installation has several.
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.casefiles.models import RecoveryKey
from whistledesk.core import crypto
from whistledesk.organisation import tenancy

PREFIX = "WDRK1-"

INSTRUCTIONS = """\
This is the organisation's RECOVERY KEY. It opens every case file sealed from now on.
It is shown once and is not kept on this server.

  1. Write it down or print it, twice, and keep the copies offline in separate safes.
  2. Do not email it, paste it into chat, or save it on a networked computer.
  3. You need it only if every member of staff who can open a case has lost access.
     `whistledesk recover_case REFERENCE` reads it from standard input.
"""


class Command(BaseCommand):
    help = "Create the organisation recovery key (public half stored, private half shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the active recovery key. Cases sealed before keep the old one.",
        )
        tenancy.add_organisation_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = tenancy.organisation_from_options(options)
        public, private = crypto.generate_keypair()
        fingerprint = crypto.key_fingerprint(public)
        with transaction.atomic():
            current = (
                RecoveryKey.objects.select_for_update()
                .filter(organisation=organisation, active=True)
                .first()
            )
            if current is not None:
                if not options["rotate"]:
                    raise CommandError(
                        f"{organisation.slug} already has a recovery key (fingerprint "
                        f"{current.fingerprint}). "
                        "Use --rotate to replace it; cases sealed to it keep needing it."
                    )
                current.active = False
                current.retired_at = timezone.now()
                current.save(update_fields=["active", "retired_at"])
            RecoveryKey.objects.create(
                organisation=organisation, public_key=public, fingerprint=fingerprint
            )
            audit_record(
                organisation=organisation,
                actor="create_recovery_key",
                action="recovery_key.rotated" if current else "recovery_key.created",
                object_type="recovery_key",
                object_id=fingerprint,
                details={"replaced": current.fingerprint if current else None},
            )
        self.stdout.write(f"Organisation: {organisation.slug} ({organisation.name})")
        self.stdout.write(INSTRUCTIONS)
        self.stdout.write(f"Fingerprint: {fingerprint}")
        self.stdout.write(f"Recovery key: {encode_private_key(private)}\n")


def encode_private_key(private: bytes) -> str:
    """Base32 in groups of four (no 0/1/8 confusion in the alphabet), with a prefix."""
    text = base64.b32encode(private).decode().rstrip("=")
    return PREFIX + "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def decode_private_key(text: str) -> bytes:
    cleaned = "".join(text.split()).upper().replace("-", "")
    if cleaned.startswith(PREFIX.rstrip("-")):
        cleaned = cleaned[len(PREFIX) - 1 :]
    cleaned += "=" * (-len(cleaned) % 8)
    try:
        key = base64.b32decode(cleaned)
    except ValueError as exc:
        raise CommandError("That is not a recovery key.") from exc
    if len(key) != 32:
        raise CommandError("That is not a recovery key.")
    return key
