"""Import disclosures from a CSV file into the register: all or nothing.

Columns (header row required, any order, names case-insensitive):
    reference,received_on,channel,service,outcome,qualifying,anonymous,summary

- reference: empty = generate one. A reference already in the register is skipped when
  every column matches what is stored (so re-importing a file adds nothing) and refused
  as an error when anything differs: the importer never overwrites casework. Rows without
  a reference cannot be recognised again: importing such a file twice adds them twice.
- received_on: ISO date (YYYY-MM-DD), not in the future.
- channel: one of the Channel values (letter, email, ...), any case.
- service: a configured service label (required); outcome: a configured outcome label,
  empty = not yet decided. Labels match exactly, or ignoring case when that is unambiguous.
- qualifying, anonymous: yes or no (true/false also accepted), any case.
- summary: at most 500 characters; staff-written and non-identifying.

The file is checked in memory first; only a file without a single problem is stored, in
one transaction with one audit event (row count and the file's SHA-256). Imported rows
with an outcome are closed; the others are received (new). Error messages name the file
line (header = line 1; a quoted field holding a line break spans several lines), the
column and the problem, and never repeat a summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, TextIO

from django.db import IntegrityError, transaction

from whistledesk.audit.services import audit_record
from whistledesk.cases.importing.rows import (
    COLUMNS,
    Checker,
    ImportRejected,
    ImportResult,
    Progress,
    Row,
    RowError,
    parse,
    read_text,
)
from whistledesk.cases.importing.store import (
    assign_references,
    insert_rows,
    partition_existing,
    stored_references,
)
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.selectors import NotConfigured, organisation_get

__all__ = [
    "COLUMNS",
    "ImportRejected",
    "ImportResult",
    "Progress",
    "RowError",
    "import_disclosures_csv",
]


def import_disclosures_csv(
    *,
    actor: Any,
    stream: TextIO | BinaryIO | str | Path,
    organisation: Organisation | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check and store every disclosure in a CSV file, or none. Raises ImportRejected.

    `stream` is an open file (text or binary) or a path. With `dry_run`, everything is
    checked (the register included) and nothing is stored.
    """
    if organisation is None:
        try:
            organisation = organisation_get()
        except NotConfigured as exc:
            raise ImportRejected([RowError(0, "", str(exc))]) from None
    text, digest = read_text(stream)
    rows = parse(text, Checker(organisation), progress)
    result = ImportResult(rows=len(rows), sha256=digest)
    new: list[Row] = []
    try:
        with transaction.atomic():
            # Checked inside the transaction so a concurrent import cannot slip in between.
            new, result.skipped_identical, errors = partition_existing(rows)
            if errors:
                raise ImportRejected(errors)
            result.generated_references = assign_references(new)
            result.created = len(new)
            if dry_run:
                transaction.set_rollback(True)
                return result
            insert_rows(new, organisation=organisation, progress=progress)
            result.references = [r.reference for r in new]
            audit_record(
                actor=actor,
                action="disclosures.imported",
                object_type="import",
                object_id=digest[:16],
                details={
                    "created": result.created,
                    "skipped_identical": result.skipped_identical,
                    "generated_references": result.generated_references,
                    "sha256": digest,
                },
            )
    except IntegrityError:
        # PostgreSQL only (SQLite queues writers): another writer stored one of these
        # references after the check above. Anything else is a bug and must surface.
        if not stored_references([r.reference for r in new]):
            raise
        raise ImportRejected(
            [
                RowError(
                    0,
                    "reference",
                    "a reference in the file was added to the register while importing; "
                    "nothing was imported, run the import again",
                )
            ]
        ) from None
    return result
