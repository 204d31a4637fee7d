"""`whistledesk audit_anchor [--json]`: print the head of the audit chain for publishing.

Print it in the annual report, send it to the board, keep it anywhere the database's
administrators cannot reach: `verify_audit --anchor SEQ:HASH` later proves that history up
to that point has not been rewritten.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from whistledesk.audit.selectors import audit_head


class Command(BaseCommand):
    help = "Print the audit chain's head (seq, hash, time) as an anchor to publish."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, **options: Any) -> None:
        head = audit_head()
        when = head.occurred_at.isoformat() if head.occurred_at else None
        if options["json"]:
            self.stdout.write(
                json.dumps({"seq": head.seq, "hash": head.hash, "occurred_at": when}, indent=2)
            )
            return
        self.stdout.write(f"{head.seq}:{head.hash}")
        self.stdout.write(f"occurred at {when or '(empty log)'}")
