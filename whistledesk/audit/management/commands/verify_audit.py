"""`whistledesk verify_audit [--organisation SLUG] [--anchor SEQ:HASH ...]`: exit 0 if the
chains are intact.

Each organisation has its own chain (ADR 0017). With `--organisation` only that one is
walked; without, every organisation's is walked one by one, each named on its own line (and
the installation's own chain of events that concern no organisation, if there is one). An
anchor belongs to one organisation's chain: with several organisations, name it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.audit.verify import Anchor, VerifyResult, chains, verify_chain
from whistledesk.organisation import tenancy


class Command(BaseCommand):
    help = (
        "Walk each organisation's audit hash chain and report the first broken link (edited, "
        "deleted or reordered event, truncated tail). With --anchor, also confirm the chain "
        "still passes through previously published SEQ:HASH anchors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        tenancy.add_organisation_argument(parser)
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="A head printed earlier by `audit_anchor`; may be given several times.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchors = [Anchor.parse(text) for text in options["anchor"]]
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options.get("organisation") or anchors:
            org = tenancy.organisation_from_options(options)
            walked: list[tuple[str, VerifyResult]] = [
                (org.slug, verify_chain(organisation=org, anchors=anchors))
            ]
        else:
            walked = [(name, verify_chain(organisation=org)) for org, name in chains()]
        broken = [f"{name}: {result.summary()}" for name, result in walked if not result.ok]
        for name, result in walked:
            if result.ok:
                self.stdout.write(f"{name}: {result.summary()}")
        if not walked:
            self.stdout.write("0 events verified (no organisation is configured)")
        if broken:
            # CommandError: the message on stderr and exit status 1, no traceback.
            raise CommandError("\n".join(broken))
