"""`whistledesk load_prescribed_persons [--file F]`: load or update the directory of
prescribed persons from its data file (the one shipped in the repository by default)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.signposting.directory_file import DEFAULT_FILE, DirectoryFileError, read_directory
from whistledesk.signposting.services import directory_load


class Command(BaseCommand):
    help = (
        "Load or update the directory of prescribed persons from a TOML file (matched by each "
        "body's key). Loading the same file again changes nothing. A body no longer in the "
        "file is deleted, or marked withdrawn when a case names it. A file with any problem "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", default=str(DEFAULT_FILE), help=f"the directory file (default {DEFAULT_FILE})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            directory = read_directory(path)
        except DirectoryFileError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(
                f"{path} was not loaded ({len(exc.problems)} problem(s)); nothing was changed."
            ) from None
        r = directory_load(actor="load_prescribed_persons", directory=directory)
        if not r.changed:
            self.stdout.write(
                f"{len(directory.bodies)} bodies, already up to date: nothing changed."
            )
            return
        self.stdout.write(
            f"Loaded {len(directory.bodies)} bodies (checked "
            f"{directory.last_checked:%d %B %Y}): {r.created} new, {r.updated} changed, "
            f"{r.unchanged} unchanged, {r.restored} back in the directory; "
            f"{r.withdrawn} withdrawn (named by a case), {r.deleted} removed."
        )
