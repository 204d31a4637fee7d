"""Open a case file with the organisation recovery key (read from standard input).

For when nobody on the staff can open a case any more. Prints the documents and the
conversation; with --attachments DIR also writes the files there. Audited.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.casefiles.management.commands.create_recovery_key import decode_private_key
from whistledesk.casefiles.recovery import RecoveryFailed, recover_casefile
from whistledesk.organisation import tenancy


class Command(BaseCommand):
    help = "Open a case file with the recovery key, given on standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the disclosure's reference")
        tenancy.add_organisation_argument(parser)
        parser.add_argument(
            "--attachments", type=Path, help="a new, private directory to write files into"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = tenancy.organisation_from_options(options)
        if sys.stdin.isatty():
            self.stderr.write("Type or paste the recovery key, then press Enter:")
        private = decode_private_key(sys.stdin.readline()[:200])
        try:
            with tenancy.activate(organisation):
                recovered = recover_casefile(
                    reference=options["reference"], private_key=private, organisation=organisation
                )
        except RecoveryFailed as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Case {options['reference']}")
        for doc in recovered.documents:
            self.stdout.write(f"\n== {doc.kind} ({doc.created_at:%Y-%m-%d %H:%M}) ==\n{doc.text}")
        for msg in recovered.messages:
            who = "whistleblower" if msg.from_source else "staff"
            self.stdout.write(f"\n-- message from {who}, {msg.created_at:%Y-%m-%d %H:%M} --")
            self.stdout.write(msg.text)
        for info, _ in recovered.attachments:
            self.stdout.write(f"\nfile #{info.id}: {info.filename} ({info.size} bytes)")
        target = options["attachments"]
        if target is not None and recovered.attachments:
            target.mkdir(mode=0o700, parents=False, exist_ok=False)
            for info, data in recovered.attachments:
                (target / f"{info.id}-{Path(info.filename).name}").write_bytes(data)
            self.stdout.write(f"\nFiles written to {target}")
