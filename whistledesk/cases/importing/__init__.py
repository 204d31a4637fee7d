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

Only a file without a single problem is stored, in one transaction with one audit event
(row count and the file's SHA-256). Imported rows with an outcome are closed; the others
are received (new). Error messages name the file line (header = line 1; a quoted field
holding a line break spans several lines), the column and the problem, and never repeat a
summary.

Memory stays flat however long the file (bench/import.py): inside the one transaction,
a first pass streams the file and checks every row, keeping only each reference and its
line, in a temporary table; the database then finds repeated references. A second pass
re-reads the file and stores it in batches (COPY on PostgreSQL, executemany on SQLite),
comparing each batch with the register. The second pass hashes the file again and refuses
it if it changed in between; any problem found then rolls everything back.

An import that is most of the register (at least 50,000 new rows, and no fewer than the
register holds) runs in bulk mode (bulk.py): the register's secondary indexes are dropped
inside the transaction and rebuilt before it commits. On PostgreSQL the register is then
locked for other sessions until the import ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, TextIO

from django.db import IntegrityError, transaction

from whistledesk.audit.services import audit_record
from whistledesk.cases.importing.bulk import bulk_mode_applies, suspend_indexes
from whistledesk.cases.importing.rows import (
    COLUMNS,
    PROGRESS_EVERY,
    Checker,
    ImportRejected,
    ImportResult,
    Progress,
    Row,
    RowError,
    is_blank,
    records,
    too_many_errors,
)
from whistledesk.cases.importing.source import ImportSource
from whistledesk.cases.importing.store import (
    BATCH_SIZE,
    Inserter,
    ReferenceTable,
    assign_references,
    partition_existing,
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
    source = ImportSource.of(stream)
    try:
        with transaction.atomic():
            # Checked inside the transaction so a concurrent import cannot slip in between.
            table = ReferenceTable(organisation)
            result = _check(source, Checker(organisation), table, progress)
            _store(source, organisation, table, result, progress, dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)
                return result
            table.drop()
            audit_record(
                actor=actor,
                action="disclosures.imported",
                object_type="import",
                object_id=result.sha256[:16],
                details={
                    "created": result.created,
                    "skipped_identical": result.skipped_identical,
                    "generated_references": result.generated_references,
                    "sha256": result.sha256,
                },
            )
    except IntegrityError as exc:
        # PostgreSQL only (SQLite queues writers): another writer stored one of this file's
        # references after the check. Anything else is a bug and must surface.
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or ""
        if "reference" not in constraint:
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
    finally:
        source.close()
    return result


def _check(
    source: ImportSource, checker: Checker, table: ReferenceTable, progress: Progress | None
) -> ImportResult:
    """First pass: every row checked, references noted in `table`; nothing else kept."""
    total = source.count_lines() - 1 if progress else 0
    count = 0
    with source.lines() as lines:
        in_order, width, numbered = records(lines)
        for n, (line, fields) in enumerate(numbered, start=1):
            if is_blank(fields):
                continue  # blank lines, e.g. at the end of the file
            if len(fields) != width:
                checker.error(line, "", f"has {len(fields)} fields; the header has {width}")
            else:
                row = checker.row(line, in_order(fields))
                if checker.reference:
                    table.add(checker.reference, line)
                if row is not None:
                    count += 1
            if too_many_errors(checker, line):
                break
            if progress and total > PROGRESS_EVERY and n % PROGRESS_EVERY == 0:
                progress("checked", n, max(n, total))
    table.index()
    errors = checker.errors
    if len(errors) < 10_000:
        duplicates = table.duplicates(10_000 - len(errors))
        if duplicates:
            # In line order; on its line, the repeated reference comes first (its column).
            errors = sorted([*duplicates, *errors], key=lambda e: (e.line, e.column != "reference"))
    if errors:
        raise ImportRejected(errors)
    if not count:
        raise ImportRejected([RowError(2, "", "the file has a header but no disclosures")])
    # Set once the whole file has been read (a pass that stopped early raised above).
    return ImportResult(rows=count, sha256=source.sha256)


def _store(
    source: ImportSource,
    organisation: Organisation,
    table: ReferenceTable,
    result: ImportResult,
    progress: Progress | None,
    *,
    dry_run: bool,
) -> None:
    """Second pass: compare with the register and insert, batch by batch."""
    checker = Checker(organisation)
    already = table.count_stored()
    any_stored = already > 0
    total = result.rows - already
    inserter = None if dry_run else Inserter(organisation)
    suspended = None
    if inserter is not None and bulk_mode_applies(new_rows=total):
        if progress:
            progress("bulk", total, total)
        suspended = suspend_indexes()
        result.bulk = True
    conflicts: list[RowError] = []
    batch: list[Row] = []
    try:
        with source.lines() as lines:
            in_order, width, numbered = records(lines)

            def store(batch: list[Row]) -> None:
                new = batch
                if any_stored:
                    new, identical, errors = partition_existing(batch, organisation)
                    result.skipped_identical += identical
                    conflicts.extend(errors)
                if conflicts:
                    return  # keep comparing, to report every conflict; store no more
                result.generated_references += assign_references(new, table)
                before = result.created
                result.created += len(new)
                if inserter is not None:
                    inserter.insert(new)
                if progress and total > PROGRESS_EVERY:
                    step = PROGRESS_EVERY
                    for done in range((before // step + 1) * step, result.created + 1, step):
                        progress("stored", done, total)
                    if result.created == total and total % step:
                        progress("stored", total, total)

            for line, fields in numbered:
                if is_blank(fields) or len(fields) != width:
                    continue
                row = checker.row(line, in_order(fields))
                if row is None:
                    break  # the file changed since the first pass: refused below
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    store(batch)
                    batch = []
            store(batch)
    finally:
        if inserter is not None:
            inserter.close()
    if source.sha256 != result.sha256 or checker.errors:
        raise ImportRejected(
            [
                RowError(
                    0,
                    "",
                    "the file changed while it was being imported; nothing was imported, "
                    "run the import again",
                )
            ]
        )
    if conflicts:
        raise ImportRejected(conflicts)
    if suspended is not None:
        if progress:
            progress("indexing", total, total)
        suspended.restore()
