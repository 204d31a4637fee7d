"""`whistledesk audit_anchor [--organisation SLUG] [--json]`: print the head of an
organisation's audit chain for publishing.

Each organisation has its own chain (ADR 0017), so an anchor is an organisation's: print it
in that organisation's annual report, send it to its board, keep it anywhere the database's
administrators cannot reach: `verify_audit --organisation SLUG --anchor SEQ:HASH` later
proves that history up to that point has not been rewritten.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from whistledesk.audit.selectors import audit_head
from whistledesk.organisation import tenancy


class Command(BaseCommand):
    help = "Print an organisation's audit chain head (seq, hash, time) as an anchor to publish."

    def add_arguments(self, parser: CommandParser) -> None:
        tenancy.add_organisation_argument(parser)
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, **options: Any) -> None:
        org = tenancy.organisation_from_options(options)
        head = audit_head(organisation=org)
        when = head.occurred_at.isoformat() if head.occurred_at else None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "organisation": org.slug,
                        "seq": head.seq,
                        "hash": head.hash,
                        "occurred_at": when,
                    },
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{head.seq}:{head.hash}")
        self.stdout.write(f"organisation {org.slug}, occurred at {when or '(empty log)'}")
