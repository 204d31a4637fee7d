"""`whistledesk backup FILE --key-file KEY`: write an encrypted, integrity-checked archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.backup.archive import key_generate, key_load
from whistledesk.backup.services import backup_create
from whistledesk.core.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Back up the database and files to one encrypted archive. Keep the key file apart "
        "from the backups: without it they cannot be read, by anyone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The archive to write (must not exist).")
        parser.add_argument("--key-file", type=Path, required=True, help="The backup key.")
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Create the key file first (refuses to overwrite an existing one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key_path: Path = options["key_file"]
        try:
            if options["new_key"]:
                key_generate(key_path)
                self.stdout.write(f"New backup key written to {key_path}. Keep it safe.")
            info = backup_create(actor="system", out_path=options["file"], key=key_load(key_path))
        except FileExistsError:
            raise CommandError(f"{key_path} already exists; not overwriting a key") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Backed up {info.objects} records and {info.files} files to {info.path}; "
            f"audit head {info.audit_head}"
        )
