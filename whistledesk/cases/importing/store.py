"""Storing checked rows: skip identical re-imports, refuse changed ones, insert the rest fast.

Nothing here holds the whole file: rows come in batches and the file's references live in
a temporary table (`ReferenceTable`).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from django.db import connection
from django.utils import timezone

from whistledesk.cases.importing.rows import Row, RowError
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.references import new_reference
from whistledesk.organisation.models import Organisation

BATCH_SIZE = 5_000
# Small enough for every database's limit on query parameters.
LOOKUP_CHUNK = 500
_COMPARED = (
    "received_on",
    "channel",
    "service_id",
    "outcome_id",
    "qualifying",
    "anonymous",
    "summary",
)


class ReferenceTable:
    """The file's references and their lines, in a temporary table of this connection.

    Keeps the importer's memory flat: duplicate references in the file, references already
    in the register and clashes of generated references are all found by the database.
    Created inside the import's transaction, so a rollback removes it; `drop()` on success.
    "The register" is the importing organisation's: references are unique within it only.
    """

    NAME = "wd_import_refs"

    def __init__(self, organisation: Organisation) -> None:
        self.organisation_id = organisation.pk
        self.sqlite = connection.vendor == "sqlite"
        self._pending: list[tuple[str, int]] = []
        with connection.cursor() as cursor:
            # Normally gone with the last import's transaction; never reuse a stale one.
            schema = "temp" if self.sqlite else "pg_temp"  # never a table of the same name
            cursor.execute(f"DROP TABLE IF EXISTS {schema}.{self.NAME}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.NAME} "
                "(reference varchar(100) NOT NULL, line integer NOT NULL)"
            )

    def add(self, reference: str, line: int) -> None:
        self._pending.append((reference, line))
        if len(self._pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        with connection.cursor() as cursor:
            if self.sqlite:
                insert = f"INSERT INTO {self.NAME} (reference, line) VALUES (%s, %s)"  # noqa: S608
                cursor.executemany(insert, self._pending)
            else:
                with cursor.cursor.copy(f"COPY {self.NAME} (reference, line) FROM STDIN") as copy:
                    for row in self._pending:
                        copy.write_row(row)
        self._pending = []

    def index(self) -> None:
        """After the first pass: index the references for the look-ups that follow."""
        self.flush()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {self.NAME}_ref ON {self.NAME} (reference)")
            if not self.sqlite:
                cursor.execute(f"ANALYZE {self.NAME}")

    def duplicates(self, limit: int) -> list[RowError]:
        """A reference on more than one line: an error on each line after the first."""
        table = self.NAME
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.line, t.reference, f.first FROM {table} t JOIN "  # noqa: S608
                f"(SELECT reference, MIN(line) AS first FROM {table} GROUP BY reference "
                "HAVING COUNT(*) > 1) f ON f.reference = t.reference "
                "WHERE t.line > f.first ORDER BY t.line LIMIT %s",
                [limit],
            )
            return [
                RowError(line, "reference", f"{reference} is also on line {first}")
                for line, reference, first in cursor.fetchall()
            ]

    def count_stored(self) -> int:
        """How many of the file's references are already in the register."""
        register = connection.ops.quote_name(Disclosure._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {self.NAME} t "  # noqa: S608
                f"JOIN {register} d ON d.reference = t.reference "
                "WHERE d.organisation_id = %s",
                [self.organisation_id],
            )
            (count,) = cursor.fetchone()
        return int(count)

    def taken(self, references: list[str]) -> set[str]:
        """Which of `references` are in the file (or were generated for it) already."""
        found: set[str] = set()
        with connection.cursor() as cursor:
            for i in range(0, len(references), LOOKUP_CHUNK):
                chunk = references[i : i + LOOKUP_CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT reference FROM {self.NAME} WHERE reference IN ({marks})",  # noqa: S608
                    chunk,
                )
                found.update(r for (r,) in cursor.fetchall())
        return found

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.NAME}")


def partition_existing(
    rows: list[Row], organisation: Organisation
) -> tuple[list[Row], int, list[RowError]]:
    """Split a batch into new rows, a count of identical ones already in the organisation's
    register, and conflicts."""
    with_ref = [r for r in rows if r.reference]
    stored: dict[str, tuple[Any, ...]] = {}
    for i in range(0, len(with_ref), LOOKUP_CHUNK):
        refs = [r.reference for r in with_ref[i : i + LOOKUP_CHUNK]]
        for values in Disclosure.objects.filter(
            organisation=organisation, reference__in=refs
        ).values_list("reference", *_COMPARED):
            stored[values[0]] = values[1:]
    if not stored:
        return rows, 0, []
    new, errors, identical = [], [], 0
    for r in rows:
        existing = stored.get(r.reference) if r.reference else None
        if existing is None:
            new.append(r)
            continue
        differ = [
            name.removesuffix("_id")
            for name, old in zip(_COMPARED, existing, strict=True)
            if getattr(r, name) != old
        ]
        if differ:
            errors.append(
                RowError(
                    r.line,
                    "reference",
                    f"{r.reference} is already in the register with a different "
                    f"{', '.join(differ)}; the importer does not change stored disclosures",
                )
            )
        else:
            identical += 1
    return new, identical, errors


def assign_references(rows: list[Row], table: ReferenceTable) -> int:
    """Give a batch's rows without a reference a new one, unique in the file and in the
    organisation's register."""
    pending = [r for r in rows if not r.reference]
    count = len(pending)
    while pending:
        fresh: set[str] = set()
        for r in pending:
            r.reference = new_reference()
            while r.reference in fresh:
                r.reference = new_reference()
            fresh.add(r.reference)
        refs = [r.reference for r in pending]
        clash = stored_references(refs, organisation_id=table.organisation_id) | table.taken(refs)
        for r in pending:
            if r.reference not in clash:
                table.add(r.reference, r.line)
        table.flush()
        pending = [r for r in pending if r.reference in clash]
    return count


def stored_references(references: list[str], *, organisation_id: int) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(references), LOOKUP_CHUNK):
        found.update(
            Disclosure.objects.filter(
                organisation_id=organisation_id, reference__in=references[i : i + LOOKUP_CHUNK]
            ).values_list("reference", flat=True)
        )
    return found


# Disclosure field -> Row attribute, for the values taken straight from the file.
_FROM_ROW = {
    "reference": "reference",
    "channel": "channel",
    "service": "service_id",
    "outcome": "outcome_id",
    "qualifying": "qualifying",
    "anonymous": "anonymous",
    "summary": "summary",
}


def insert_plan(
    organisation: Organisation,
) -> tuple[str, list[str], Callable[[Row], tuple[Any, ...]]]:
    """The quoted table, the quoted columns and a function giving a row's values in order.

    Every concrete field is written: the importer's own from the row, the rest from their
    defaults (prepared once unless a callable default must differ per row), so fields that
    casework adds later need no change here. Columns are ordered so that one C-level
    attrgetter and one tuple join build each row: the insert runs at 100,000s of rows.
    """
    now = timezone.now()
    ops = connection.ops
    fields = [f for f in Disclosure._meta.concrete_fields if not f.primary_key]
    by_name = {f.name: f for f in fields}
    from_file = [by_name[name] for name in _FROM_ROW]
    constants: list[tuple[Any, Any]] = []  # (field, prepared value)
    fresh: list[Any] = []  # fields whose callable default must differ per row
    for f in fields:
        if f.name in _FROM_ROW or f.name in ("received_on", "status"):
            continue
        if f.name == "organisation":
            constants.append((f, organisation.pk))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constants.append((f, f.get_db_prep_save(now, connection)))
        elif callable(f.default) and f.unique:
            fresh.append(f)
        else:
            constants.append((f, f.get_db_prep_save(f.get_default(), connection)))

    ordered = [
        *from_file,
        by_name["received_on"],
        by_name["status"],
        *fresh,
        *(f for f, _ in constants),
    ]
    columns = [ops.quote_name(f.column or f.name) for f in ordered]
    attrs = attrgetter(*_FROM_ROW.values())
    adapt_date = ops.adapt_datefield_value
    fixed = tuple(v for _, v in constants)
    closed, received = Status.CLOSED.value, Status.RECEIVED.value

    def values(r: Row) -> tuple[Any, ...]:
        # Imported with an outcome = decided elsewhere; the date it closed is not known.
        status = closed if r.outcome_id else received
        if fresh:
            per_row = tuple(f.get_db_prep_save(f.get_default(), connection) for f in fresh)
            return (*attrs(r), adapt_date(r.received_on), status, *per_row, *fixed)
        return (*attrs(r), adapt_date(r.received_on), status, *fixed)

    return ops.quote_name(Disclosure._meta.db_table), columns, values


class Inserter:
    """Inserts checked rows in batches, fast: each database's own bulk path, not the ORM's.

    Django's bulk_create compiles every value of every row (30 columns, 34 rows a statement
    on SQLite) and is ~20 times slower than SQLite's executemany or PostgreSQL's COPY.
    """

    def __init__(self, organisation: Organisation) -> None:
        table, quoted, self.values = insert_plan(organisation)
        columns = ", ".join(quoted)
        self.sqlite = connection.vendor == "sqlite"
        self.cursor = connection.cursor()
        if connection.vendor == "postgresql":
            self.write = _copy_writer(self.cursor, f"COPY {table} ({columns}) FROM STDIN")
        else:
            placeholders = ", ".join(["%s"] * len(quoted))
            self.write = _executemany_writer(
                self.cursor,
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
            )
        self.cache_size = _sqlite_big_cache(self.cursor) if self.sqlite else 0

    def insert(self, rows: list[Row]) -> None:
        if rows:
            self.write([self.values(r) for r in rows])

    def close(self) -> None:
        if self.sqlite:
            self.cursor.execute(f"PRAGMA cache_size = {int(self.cache_size)}")
        self.cursor.close()


def _copy_writer(cursor: Any, copy_sql: str) -> Callable[[list[tuple[Any, ...]]], None]:
    # psycopg's COPY, one block per batch so progress can be reported between them.
    def write(values: list[tuple[Any, ...]]) -> None:
        with cursor.cursor.copy(copy_sql) as copy:
            for row in values:
                copy.write_row(row)

    return write


def _executemany_writer(cursor: Any, insert_sql: str) -> Callable[[list[tuple[Any, ...]]], None]:
    # SQLite runs in-process: one prepared statement per row costs no round trip.
    def write(values: list[tuple[Any, ...]]) -> None:
        cursor.executemany(insert_sql, values)

    return write


def _sqlite_big_cache(cursor: Any) -> int:
    """Raise SQLite's page cache for this connection; returns the old size to restore."""
    # The default 2 MB cache thrashes over the register's many indexes.
    cursor.execute("PRAGMA cache_size")
    (cache_size,) = cursor.fetchone()
    cursor.execute("PRAGMA cache_size = -131072")
    return int(cache_size)
