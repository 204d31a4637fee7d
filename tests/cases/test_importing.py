"""Importing disclosures from CSV: all or nothing, errors by file line, no duplicates."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from whistledesk.audit.models import AuditEvent
from whistledesk.cases.importing import ImportRejected, RowError, import_disclosures_csv
from whistledesk.cases.models import Disclosure, Status

HEADER = "reference,received_on,channel,service,outcome,qualifying,anonymous,summary\n"
GOOD_ROWS = (
    "ER-001,2023-04-01,email,Schools,Referred,yes,no,Concerns about supervision.\n"
    "ER-002,2024-03-31,Letter,Hospitals,,no,yes,\n"
    'ER-003,2023-09-15,HELPLINE,Other,No action,yes,no,"A summary, with a comma"\n'
)


def csv_file(tmp_path: Path, text: str, name: str = "in.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rejected(**kwargs: Any) -> list[RowError]:
    with pytest.raises(ImportRejected) as caught:
        import_disclosures_csv(actor="test", **kwargs)
    assert Disclosure.objects.count() == 0, "a rejected file must store nothing"
    return caught.value.errors


def messages(errors: list[RowError]) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in errors]


@pytest.mark.django_db
class TestGoodFiles:
    def test_every_row_is_stored_with_its_values(self, organisation: Any, tmp_path: Path) -> None:
        result = import_disclosures_csv(actor="test", stream=csv_file(tmp_path, HEADER + GOOD_ROWS))

        assert (result.created, result.skipped_identical) == (3, 0)
        first = Disclosure.objects.get(reference="ER-001")
        assert first.received_on == dt.date(2023, 4, 1)
        assert first.channel == "email"
        assert first.service.label == "Schools"
        assert first.outcome.label == "Referred"
        assert (first.qualifying, first.anonymous) == (True, False)
        assert first.summary == "Concerns about supervision."
        assert first.status == Status.CLOSED
        second = Disclosure.objects.get(reference="ER-002")
        assert second.channel == "letter"  # any case accepted, stored as the value
        assert second.outcome is None and second.status == Status.RECEIVED
        assert (second.qualifying, second.anonymous) == (False, True)
        assert Disclosure.objects.get(reference="ER-003").summary == "A summary, with a comma"

    def test_one_audit_event_with_count_and_file_hash(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        import hashlib

        path = csv_file(tmp_path, HEADER + GOOD_ROWS)
        import_disclosures_csv(actor="test", stream=path)

        (event,) = AuditEvent.objects.filter(action="disclosures.imported")
        assert event.details["created"] == 3
        assert event.details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert "Concerns" not in str(event.details)

    def test_columns_in_any_order_and_a_bom_are_accepted(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        text = (
            "\ufeffSummary,Reference,Received_on,Channel,Service,Outcome,Qualifying,Anonymous\r\n"
            "Text,ER-9,2023-05-05,web,Schools,,YES,No\r\n"
        )
        import_disclosures_csv(actor="test", stream=csv_file(tmp_path, text))
        stored = Disclosure.objects.get(reference="ER-9")
        assert (stored.summary, stored.channel, stored.qualifying) == ("Text", "web", True)

    def test_labels_match_ignoring_case(self, organisation: Any, tmp_path: Path) -> None:
        text = HEADER + "ER-1,2023-05-05,email,schools,referred,yes,no,\n"
        import_disclosures_csv(actor="test", stream=csv_file(tmp_path, text))
        assert Disclosure.objects.get().service.label == "Schools"

    def test_empty_references_are_generated(self, organisation: Any, tmp_path: Path) -> None:
        text = HEADER + ",2023-05-05,email,Schools,,yes,no,\n,2023-05-06,email,Schools,,yes,no,\n"
        result = import_disclosures_csv(actor="test", stream=csv_file(tmp_path, text))
        assert result.generated_references == 2
        refs = list(Disclosure.objects.values_list("reference", flat=True))
        assert len(set(refs)) == 2 and all(r.startswith("WD-") for r in refs)

    def test_a_text_stream_is_accepted(self, organisation: Any) -> None:
        result = import_disclosures_csv(actor="test", stream=io.StringIO(HEADER + GOOD_ROWS))
        assert result.created == Disclosure.objects.count() == 3

    def test_trailing_blank_lines_are_ignored(self, organisation: Any, tmp_path: Path) -> None:
        result = import_disclosures_csv(
            actor="test", stream=csv_file(tmp_path, HEADER + GOOD_ROWS + "\n\n")
        )
        assert result.created == 3

    def test_dry_run_checks_everything_and_stores_nothing(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        result = import_disclosures_csv(
            actor="test", stream=csv_file(tmp_path, HEADER + GOOD_ROWS), dry_run=True
        )
        assert result.created == 3
        assert not Disclosure.objects.exists()
        assert not AuditEvent.objects.filter(action="disclosures.imported").exists()


@pytest.mark.django_db
class TestReimport:
    def test_reimporting_the_same_file_adds_nothing(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        path = csv_file(tmp_path, HEADER + GOOD_ROWS)
        import_disclosures_csv(actor="test", stream=path)
        again = import_disclosures_csv(actor="test", stream=path)

        assert (again.created, again.skipped_identical) == (0, 3)
        assert Disclosure.objects.count() == 3

    def test_new_rows_beside_known_ones_are_added(self, organisation: Any, tmp_path: Path) -> None:
        import_disclosures_csv(actor="test", stream=csv_file(tmp_path, HEADER + GOOD_ROWS))
        more = HEADER + GOOD_ROWS + "ER-004,2023-10-01,email,Schools,,yes,no,\n"
        result = import_disclosures_csv(actor="test", stream=csv_file(tmp_path, more, "b.csv"))
        assert (result.created, result.skipped_identical) == (1, 3)
        assert Disclosure.objects.count() == 4

    def test_a_changed_row_is_refused_and_nothing_is_added(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        import_disclosures_csv(actor="test", stream=csv_file(tmp_path, HEADER + GOOD_ROWS))
        changed = (
            HEADER
            + GOOD_ROWS.replace("Referred,yes", "No action,yes")
            + "ER-004,2023-10-01,email,Schools,,yes,no,\n"
        )
        with pytest.raises(ImportRejected) as caught:
            import_disclosures_csv(actor="test", stream=csv_file(tmp_path, changed, "b.csv"))

        (error,) = caught.value.errors
        assert (error.line, error.column) == (2, "reference")
        assert "ER-001 is already in the register with a different outcome" in error.message
        assert Disclosure.objects.count() == 3
        assert Disclosure.objects.get(reference="ER-001").outcome.label == "Referred"


@pytest.mark.django_db
class TestBadFiles:
    def test_each_bad_row_is_named_by_line_and_column(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        text = (
            HEADER
            + "ER-1,2023-05-05,email,Schools,,yes,no,fine\n"  # line 2
            + "ER-2,05/05/2023,email,Schools,,yes,no,\n"  # line 3: date format
            + "ER-3,2023-02-30,email,Schools,,yes,no,\n"  # line 4: no such day
            + "ER-4,2023-05-05,fax,Schools,,yes,no,\n"  # line 5: channel
            + "ER-5,2023-05-05,email,Prisons,,yes,no,\n"  # line 6: service
            + "ER-6,2023-05-05,email,Schools,Sent away,yes,no,\n"  # line 7: outcome
            + "ER-7,2023-05-05,email,Schools,,maybe,no,\n"  # line 8: qualifying
            + "ER-8,2023-05-05,email,Schools,,yes,2,\n"  # line 9: anonymous
            + "ER-9,2023-05-05,email,Schools,,yes,no,"
            + "x" * 501
            + "\n"  # line 10: summary
            + "ER-1,2023-05-05,email,Schools,,yes,no,\n"  # line 11: duplicate reference
            + "ER-10,2023-05-05,email,,,yes,no,\n"  # line 12: empty service
            + "ER-11,2023-05-05,email,Schools,,yes,no\n"  # line 13: a field short
            + "ER 12,2023-05-05,email,Schools,,yes,no,\n"  # line 14: space in reference
        )
        errors = rejected(stream=csv_file(tmp_path, text))

        assert messages(errors) == [
            (3, "received_on"),
            (4, "received_on"),
            (5, "channel"),
            (6, "service"),
            (7, "outcome"),
            (8, "qualifying"),
            (9, "anonymous"),
            (10, "summary"),
            (11, "reference"),
            (12, "service"),
            (13, ""),
            (14, "reference"),
        ]
        text_of = {e.line: e.message for e in errors}
        assert "not a date as YYYY-MM-DD" in text_of[3]
        assert "not a real date" in text_of[4]
        assert "use one of: letter, email, helpline, tribunal, web, phone, other" in text_of[5]
        assert text_of[6] == (
            "'Prisons' is not a configured service; "
            'the services are: "Schools"; "Hospitals"; "Other"'
        )
        assert '"Referred"; "No action"' in text_of[7]
        assert text_of[8] == "'maybe' must be yes or no"
        assert text_of[10] == "is 501 characters long; the most is 500"
        assert "x" * 20 not in text_of[10], "a summary is never echoed"
        assert text_of[11] == "ER-1 is also on line 2"
        assert text_of[13] == "has 7 fields; the header has 8"
        assert str(errors[0]) == "line 3, received_on: '05/05/2023' is not a date as YYYY-MM-DD"

    def test_line_numbers_count_line_breaks_inside_quoted_fields(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        text = (
            HEADER
            + 'ER-1,2023-05-05,email,Schools,,yes,no,"first line\nsecond line\nthird"\n'  # 2-4
            + "ER-2,2023-05-05,email,Nowhere,,yes,no,\n"  # line 5
            + 'ER-3,2023-05-05,email,Schools,,yes,no,"a\r\nb"\r\n'  # lines 6-7
            + "ER-4,2023-05-05,email,Schools,,perhaps,no,\n"  # line 8
        )
        errors = rejected(stream=csv_file(tmp_path, text))
        assert messages(errors) == [(5, "service"), (8, "qualifying")]

    def test_broken_quoting_is_refused_with_its_line(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        text = HEADER + GOOD_ROWS + 'ER-4,2023-05-05,email,Schools,,yes,no,"ab"c\n'
        (error,) = rejected(stream=csv_file(tmp_path, text))
        assert error.line == 5
        assert "the CSV is malformed" in error.message

    def test_an_unclosed_quote_names_the_line_it_opens_on(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        text = HEADER + 'ER-1,2023-05-05,email,Schools,,yes,no,"never closed\n' + GOOD_ROWS
        (error,) = rejected(stream=csv_file(tmp_path, text))
        assert error.line == 2

    def test_a_future_date_is_refused(self, organisation: Any, tmp_path: Path) -> None:
        later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        text = HEADER + f"ER-1,{later},email,Schools,,yes,no,\n"
        (error,) = rejected(stream=csv_file(tmp_path, text))
        assert (error.line, error.column, error.message) == (
            2,
            "received_on",
            f"{later} is in the future",
        )

    def test_one_bad_row_among_many_stores_nothing(self, organisation: Any, tmp_path: Path) -> None:
        good = "".join(f"ER-{n},2023-05-05,email,Schools,,yes,no,\n" for n in range(500))
        text = HEADER + good + "ER-X,2023-05-05,email,Schools,,yes,nope,\n"
        (error,) = rejected(stream=csv_file(tmp_path, text))
        assert error.line == 502
        assert not AuditEvent.objects.filter(action="disclosures.imported").exists()

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", "the file is empty"),
            ("\n\n", "the file is empty"),
            (HEADER, "the file has a header but no disclosures"),
            (
                "reference,received_on,channel,service,outcome,summary\nx,2023-01-01,email,,,\n",
                "missing column(s): qualifying, anonymous",
            ),
            (HEADER.replace("summary", "summary,notes"), "unknown column(s): 'notes'"),
            (HEADER.replace("summary", "channel"), "repeated column(s): channel"),
        ],
    )
    def test_unusable_files_get_one_clear_error(
        self, organisation: Any, tmp_path: Path, text: str, expected: str
    ) -> None:
        (error,) = rejected(stream=csv_file(tmp_path, text))
        assert expected in error.message

    def test_missing_columns_list_the_expected_header(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        (error,) = rejected(stream=csv_file(tmp_path, "reference,date\n"))
        assert error.line == 1
        assert error.message.endswith(
            "The header must be: "
            "reference,received_on,channel,service,outcome,qualifying,anonymous,summary"
        )

    def test_a_file_not_in_utf8_is_refused_with_the_line(
        self, organisation: Any, tmp_path: Path
    ) -> None:
        text = HEADER + "ER-1,2023-05-05,email,Schools,,yes,no,Café staff\n"
        (error,) = rejected(stream=csv_file(tmp_path, text, encoding="cp1252"))
        assert error.line == 2
        assert "not UTF-8" in error.message

    def test_a_missing_file_is_a_clear_error(self, organisation: Any, tmp_path: Path) -> None:
        (error,) = rejected(stream=tmp_path / "nope.csv")
        assert "cannot read the file" in error.message

    def test_no_organisation_configured(self, db: Any, tmp_path: Path) -> None:
        (error,) = rejected(stream=csv_file(tmp_path, HEADER + GOOD_ROWS))
        assert "configure_organisation" in error.message


@pytest.mark.django_db
class TestCommand:
    def test_a_good_file_reports_what_was_added(self, organisation: Any, tmp_path: Path) -> None:
        out = io.StringIO()
        path = csv_file(tmp_path, HEADER + GOOD_ROWS)
        call_command("import_disclosures", str(path), stdout=out, stderr=io.StringIO())
        assert f"{path}: added 3 disclosure(s); 0 already in the register" in out.getvalue()

        out = io.StringIO()
        call_command("import_disclosures", str(path), stdout=out)
        assert "added 0 disclosure(s); 3 already in the register" in out.getvalue()
        assert Disclosure.objects.count() == 3

    def test_a_bad_file_lists_problems_and_fails(self, organisation: Any, tmp_path: Path) -> None:
        err = io.StringIO()
        path = csv_file(tmp_path, HEADER + GOOD_ROWS + "ER-4,2023-13-01,email,Schools,,yes,no,\n")
        with pytest.raises(CommandError, match=r"nothing imported \(1 problem\(s\)\)"):
            call_command("import_disclosures", str(path), stderr=err)
        assert f"{path}: line 5, received_on: '2023-13-01' is not a real date" in err.getvalue()
        assert not Disclosure.objects.exists()

    def test_check_stores_nothing(self, organisation: Any, tmp_path: Path) -> None:
        out = io.StringIO()
        call_command(
            "import_disclosures", str(csv_file(tmp_path, HEADER + GOOD_ROWS)), "--check", stdout=out
        )
        assert "would add 3 disclosure(s)" in out.getvalue()
        assert not Disclosure.objects.exists()

    def test_progress_is_shown_only_on_large_files(self, organisation: Any, tmp_path: Path) -> None:
        rows = "".join(f"ER-{n},2023-05-05,email,Schools,,yes,no,\n" for n in range(20_001))
        err = io.StringIO()
        call_command(
            "import_disclosures", str(csv_file(tmp_path, HEADER + rows)), stderr=err,
            stdout=io.StringIO(),
        )  # fmt: skip
        assert "checked 10,000 of 20,001 rows" in err.getvalue()
        assert "stored 20,001 of 20,001 rows" in err.getvalue()
        assert Disclosure.objects.count() == 20_001

        err = io.StringIO()
        call_command(
            "import_disclosures", str(csv_file(tmp_path, HEADER + GOOD_ROWS, "small.csv")),
            stderr=err, stdout=io.StringIO(),
        )  # fmt: skip
        assert err.getvalue() == ""


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_console_command_exits_non_zero_without_a_traceback(
    organisation: Any, tmp_path: Path
) -> None:
    # Given a committed organisation and a file with one bad row
    path = csv_file(tmp_path, HEADER + GOOD_ROWS + "ER-4,2023-05-05,email,Schools,,yes,maybe,\n")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "whistledesk.config.settings.test",
    }
    command = [str(Path(sys.executable).with_name("whistledesk")), "import_disclosures"]
    # When the real console command imports it
    bad = subprocess.run(
        [*command, str(path)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    # Then it fails with the line, stores nothing and shows no traceback
    assert bad.returncode == 1, bad.stderr
    assert "line 5, anonymous: 'maybe' must be yes or no" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not Disclosure.objects.exists()

    good = subprocess.run(
        [*command, str(csv_file(tmp_path, HEADER + GOOD_ROWS, "good.csv"))],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    assert Disclosure.objects.count() == 3


@pytest.mark.django_db
def test_a_stream_that_cannot_be_rewound_is_imported(organisation: Any) -> None:
    # Given a pipe-like binary stream (read once, no seek), as from standard input
    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    stream = io.BufferedReader(OneWay((HEADER + GOOD_ROWS).encode()))
    assert not stream.seekable()
    result = import_disclosures_csv(actor="test", stream=stream)
    assert result.created == Disclosure.objects.count() == 3


@pytest.mark.django_db
def test_a_file_changed_between_the_two_passes_is_refused(
    organisation: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    # Given a file that another program rewrites after it has been checked
    from whistledesk.cases.importing import store

    path = csv_file(tmp_path, HEADER + GOOD_ROWS)
    original_index = store.ReferenceTable.index

    def index_then_rewrite(self: Any) -> None:
        original_index(self)
        path.write_text(HEADER + GOOD_ROWS.replace("Concerns", "Changed"), encoding="utf-8")

    monkeypatch.setattr(store.ReferenceTable, "index", index_then_rewrite)
    # Then nothing is imported and the person is told why
    (error,) = rejected(stream=path)
    assert "the file changed while it was being imported" in error.message


@pytest.mark.django_db
def test_memory_stays_flat_as_the_file_grows(organisation: Any, tmp_path: Path) -> None:
    # Python's own allocations, traced: the importer's state, not SQLite's page cache
    # (which the insert raises to a fixed 128 MB) nor the server's buffers.
    import tracemalloc

    def rows(prefix: str, n: int) -> str:
        return "".join(f"{prefix}-{i},2023-05-05,email,Schools,,yes,no,row {i}\n" for i in range(n))

    def peak_mb(path: Path) -> float:
        tracemalloc.start()
        try:
            import_disclosures_csv(actor="test", stream=path)
            return tracemalloc.get_traced_memory()[1] / 1e6
        finally:
            tracemalloc.stop()

    # Given two files, one six times longer than the other (the importer of commit e08412f
    # kept about 1.5 KB a row: 25,000 more rows cost it about 37 MB more)
    small = csv_file(tmp_path, HEADER + rows("S", 5_000), "small.csv")
    large = csv_file(tmp_path, HEADER + rows("L", 30_000), "large.csv")
    # When each is imported
    peak_small, peak_large = peak_mb(small), peak_mb(large)
    # Then the peak barely moves
    assert Disclosure.objects.count() == 35_000
    assert peak_large - peak_small < 8, (peak_small, peak_large)
