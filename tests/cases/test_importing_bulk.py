"""Bulk mode of the importer (cases/importing/bulk.py), through `whistledesk import_disclosures`.

Promises: a large import rebuilds the register's indexes exactly as they were; a refused
bulk import leaves rows and indexes untouched; a small import into a large register never
drops an index. The index lists are read from the database's own catalogue here, not from
the code under test.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from whistledesk.cases.models import Disclosure

HEADER = "reference,received_on,channel,service,outcome,qualifying,anonymous,summary\n"
# Indexes every version of the register has had; the catalogue must list at least these.
KNOWN_INDEXES = {
    "disc_report_service",
    "disc_report_outcome",
    "disc_org_received",
    "disc_status",
    "disc_urgent",
    "disc_service",
}


def catalogue() -> set[tuple[str, str]]:
    """(name, definition) of every index and constraint of the register, as the database
    reports it (on SQLite the table's own SQL holds its constraints)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, COALESCE(sql, '') FROM sqlite_master "
                "WHERE tbl_name = 'cases_disclosure'"
            )
            return {(str(n), str(d)) for n, d in cursor.fetchall()}
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_disclosure'"
        )
        found = {(str(n), str(d)) for n, d in cursor.fetchall()}
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'cases_disclosure'::regclass"
        )
        return found | {(str(n), str(d)) for n, d in cursor.fetchall()}


def rows(first: int, count: int) -> str:
    return "".join(
        f"BK-{n:05d},2024-0{1 + n % 9}-1{n % 10},email,Schools,,yes,no,\n"
        for n in range(first, first + count)
    )


def run_import(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_disclosures", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def small_bulk_threshold(settings: Any) -> None:
    settings.WHISTLEDESK_IMPORT_BULK_MIN_ROWS = 20


@pytest.mark.django_db(transaction=True)
class TestBulkMode:
    def test_a_large_import_rebuilds_every_index_as_it_was(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        before = catalogue()
        assert {name for name, _ in before} >= KNOWN_INDEXES
        if connection.vendor == "postgresql":  # the register's foreign keys are listed too
            assert {d for _, d in before} >= {
                "FOREIGN KEY (organisation_id) REFERENCES organisation_organisation(id) "
                "DEFERRABLE INITIALLY DEFERRED",
            }
        path = tmp_path / "big.csv"
        path.write_text(HEADER + rows(0, 60), encoding="utf-8")

        out, err = run_import(path)

        assert "added 60 disclosure(s)" in out
        assert "bulk mode: 60 new rows" in err
        assert "rebuilding the register's indexes" in err
        assert catalogue() == before
        assert Disclosure.objects.filter(reference__startswith="BK-").count() == 60
        # The rebuilt indexes answer queries: the reference and a report index are used.
        assert Disclosure.objects.filter(reference="BK-00042").count() == 1

    def test_a_refused_bulk_import_keeps_rows_and_indexes(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        first = tmp_path / "first.csv"
        first.write_text(HEADER + rows(0, 1), encoding="utf-8")
        run_import(first)
        before = catalogue()
        # 40 new rows, then BK-00000 again with a different date: a conflict found while
        # storing, after the indexes were dropped.
        clash = "BK-00000,2020-01-01,email,Schools,,yes,no,\n"
        second = tmp_path / "second.csv"
        second.write_text(HEADER + rows(1, 40) + clash, encoding="utf-8")

        with pytest.raises(CommandError, match="nothing imported"):
            run_import(second)

        assert catalogue() == before
        assert list(Disclosure.objects.values_list("reference", flat=True)) == ["BK-00000"]

    def test_a_small_import_into_a_larger_register_keeps_its_indexes(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        first = tmp_path / "first.csv"
        first.write_text(HEADER + rows(0, 50), encoding="utf-8")
        run_import(first)
        second = tmp_path / "second.csv"
        second.write_text(HEADER + rows(50, 30), encoding="utf-8")  # 30 < 50 in the register

        _, err = run_import(second)

        assert "bulk mode" not in err
        assert Disclosure.objects.count() == 80

    def test_bulk_mode_weighs_the_whole_table_not_only_the_organisations_register(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        # Given organisation A holding 50 cases, and B, empty (two organisations: named)
        from tests.factories import OrganisationFactory

        first = tmp_path / "first.csv"
        first.write_text(HEADER + rows(0, 50), encoding="utf-8")
        call_command("import_disclosures", str(first), organisation=organisation.slug)
        other = OrganisationFactory()
        before = catalogue()
        # When B imports 30 rows: more than B's register (0), fewer than the table (50)
        second = tmp_path / "second.csv"
        second.write_text(HEADER + rows(50, 30), encoding="utf-8")
        err = io.StringIO()
        call_command(
            "import_disclosures",
            str(second),
            organisation=other.slug,
            stderr=err,
            stdout=io.StringIO(),
        )
        # Then A's indexes were never dropped (the indexes and the lock are the table's)
        assert "bulk mode" not in err.getvalue()
        assert catalogue() == before
        assert Disclosure.objects.filter(organisation=other).count() == 30
