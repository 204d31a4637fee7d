"""`whistledesk restore FILE --key-file KEY`: bring an archive back on a clean install."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.backup.archive import key_load
from whistledesk.backup.services import backup_restore
from whistledesk.core.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Replace ALL data in this installation with a backup's, after checking the archive's "
        "integrity. Run `whistledesk migrate` first on a clean install of the same version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--key-file", type=Path, required=True)
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"] and options.get("interactive", True):
            # Run from a script or a timer there is nobody to answer: say what to do.
            no_terminal = (
                "Nothing was changed. There was no answer to the confirmation question (no "
                "terminal?): add --yes to replace every record in this installation with the "
                "backup's."
            )
            try:
                answer = input("This replaces every record in this installation. Type 'restore': ")
            except EOFError:
                raise CommandError(no_terminal) from None
            if answer.strip() != "restore":
                raise CommandError("Nothing was changed.")
        try:
            info = backup_restore(
                actor="system", in_path=options["file"], key=key_load(options["key_file"])
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Restored {info.objects} records and {info.files} files. {info.audit}")
