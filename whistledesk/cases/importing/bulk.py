"""Bulk mode for a large import: secondary indexes rebuilt once, not updated row by row.

The register carries about twenty secondary indexes (report, dashboard and deadline
look-ups). Updating each of them for every inserted row is most of an import's time once
the table is large: measured on an idle 2-core machine, a million rows went in at about
11,700 rows/s on SQLite and 9,900 on PostgreSQL with the indexes in place. Both databases'
own guidance for loading data is to drop the indexes and build them again afterwards
(PostgreSQL: "Populating a Database"); a sorted build is far cheaper than a million
random-order insertions.

So when an import adds at least `BULK_MIN_ROWS` rows (the setting
WHISTLEDESK_IMPORT_BULK_MIN_ROWS) and at least as many rows as the
register already holds (building an index reads the whole table, which only pays when
the import is most of it), the importer drops the table's non-unique secondary indexes
*inside its own transaction*, inserts, and recreates each from the definition the
database itself reported (so an index added later, by a migration or by hand, comes back
exactly as it was). Primary keys, unique indexes and indexes that back a constraint are
never touched: the reference stays unique throughout. On PostgreSQL the register's foreign
keys are dropped and added back the same way: adding one checks every row in a single join,
where keeping it queues a check per row and key that runs at commit.

All or nothing still holds: DDL is transactional on SQLite and PostgreSQL, so a refused
or failed import rolls back the drops with the rows. The cost is availability: on
PostgreSQL, DROP INDEX takes an exclusive lock on the register until the import commits,
so staff pages that read the register wait for it (about a minute per million rows). The
command says so before it starts; on SQLite, readers keep seeing the register as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from whistledesk.cases.models import Disclosure

# Below this, per-row index updates cost less than rebuilding every index.
BULK_MIN_ROWS = 50_000


def bulk_mode_applies(*, new_rows: int) -> bool:
    """True when an import of `new_rows` should suspend the register's secondary indexes.

    Only when the rows are no fewer than the whole table, not just the organisation's register:
    the indexes (and, on PostgreSQL, the lock) are the table's, shared by every
    organisation, so one small organisation's large first import must not rebuild another's
    millions of rows or lock its staff out of their register. No figure is shown.
    """
    if new_rows < getattr(settings, "WHISTLEDESK_IMPORT_BULK_MIN_ROWS", BULK_MIN_ROWS):
        return False
    # The table's size across organisations (so also at least the organisation's own): a
    # physical cost, not any organisation's data.
    return new_rows >= Disclosure.objects.count()


@dataclass
class SuspendedIndexes:
    """What was dropped for a bulk insert, with the definitions to build it again."""

    definitions: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX ...)
    # PostgreSQL only: (name, definition) of the register's own foreign keys.
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)

    def restore(self) -> None:
        table = connection.ops.quote_name(Disclosure._meta.db_table)
        with connection.cursor() as cursor:
            for name, definition in self.foreign_keys:
                # One join over the table checks every row, instead of a trigger per row.
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT "
                    f"{connection.ops.quote_name(name)} {definition}"
                )
            for _name, create in self.definitions:
                cursor.execute(create)
            if connection.vendor == "postgresql":
                # The planner's statistics describe the table before the import.
                cursor.execute(f"ANALYZE {table}")
        self.definitions, self.foreign_keys = [], []


def secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the register's droppable indexes, by name."""
    table = Disclosure._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Unique constraints' automatic indexes have no SQL (sql IS NULL); a UNIQUE
            # index made by CREATE UNIQUE INDEX is kept as well.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
                [table],
            )
        else:
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT x.indisunique "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) "
                "ORDER BY i.relname",
                [connection.ops.quote_name(table)],
            )
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


def foreign_keys() -> list[tuple[str, str]]:
    """PostgreSQL: (name, definition) of the register's foreign keys, by name.

    Django declares them DEFERRABLE INITIALLY DEFERRED, so each inserted row queues one
    check per key that runs at commit (a million rows: three million single-row look-ups).
    SQLite checks its keys in-process and cheaply, so they stay.
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [connection.ops.quote_name(Disclosure._meta.db_table)],
        )
        return [(str(name), str(definition)) for name, definition in cursor.fetchall()]


def suspend_indexes() -> SuspendedIndexes:
    """Drop the register's secondary indexes (and, on PostgreSQL, its foreign keys).

    Call only inside the import's transaction, before inserting.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("indexes may only be suspended inside a transaction")
    suspended = SuspendedIndexes(secondary_indexes(), foreign_keys())
    table = connection.ops.quote_name(Disclosure._meta.db_table)
    with connection.cursor() as cursor:
        for name, _definition in suspended.foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _create in suspended.definitions:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return suspended
