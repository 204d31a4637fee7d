"""`whistledesk import_disclosures FILE.csv`: add disclosures to the register, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.cases.importing import COLUMNS, ImportRejected, import_disclosures_csv
from whistledesk.organisation import tenancy

# Enough to fix a file by; the count of the rest is still given.
SHOW_AT_MOST = 500


class Command(BaseCommand):
    help = (
        f"Import disclosures from a UTF-8 CSV file with the header {','.join(COLUMNS)}. "
        "A file with any bad row imports nothing and lists each problem by file line. "
        "References already in the register are skipped when identical and refused when "
        "different; an empty reference gets a new one (so such rows are added again if the "
        "file is imported twice). With several organisations, name the one whose register "
        "the rows go into with --organisation SLUG."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument(
            "--check", action="store_true", help="check the file only; store nothing"
        )
        tenancy.add_organisation_argument(parser)

    def _progress(self, stage: str, done: int, total: int) -> None:
        if stage == "bulk":
            self.stderr.write(
                f"bulk mode: {total:,} new rows, no fewer than the register holds; its indexes "
                "are rebuilt at the end, and on PostgreSQL the register is locked for staff "
                "until the import finishes"
            )
        elif stage == "indexing":
            self.stderr.write("rebuilding the register's indexes")
        else:
            self.stderr.write(f"{stage} {done:,} of {total:,} rows")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        organisation = tenancy.organisation_from_options(options)
        try:
            with tenancy.activate(organisation):
                result = import_disclosures_csv(
                    actor="import_disclosures",
                    stream=path,
                    organisation=organisation,
                    progress=self._progress,
                    dry_run=options["check"],
                )
        except ImportRejected as exc:
            for error in exc.errors[:SHOW_AT_MOST]:
                self.stderr.write(f"{path}: {error}")
            if len(exc.errors) > SHOW_AT_MOST:
                self.stderr.write(f"... and {len(exc.errors) - SHOW_AT_MOST:,} more problems")
            raise CommandError(
                f"{path}: nothing imported ({len(exc.errors):,} problem(s))."
            ) from None
        done = "would add" if options["check"] else "added"
        message = (
            f"{path}: {done} {result.created:,} disclosure(s); "
            f"{result.skipped_identical:,} already in the register (identical, skipped)"
        )
        if result.generated_references:
            message += f"; {result.generated_references:,} given a new reference"
        self.stdout.write(f"{message} (organisation {organisation.slug}).")
