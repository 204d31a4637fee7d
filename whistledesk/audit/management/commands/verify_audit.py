"""`whistledesk verify_audit [--anchor SEQ:HASH ...]`: exit 0 if the chain is intact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.audit.verify import Anchor, verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain and report the first broken link (edited, deleted "
        "or reordered event, truncated tail). With --anchor, also confirm the chain still "
        "passes through previously published SEQ:HASH anchors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
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
        result = verify_chain(anchors=anchors)
        if not result.ok:
            # CommandError: a one-line message on stderr and exit status 1, no traceback.
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
