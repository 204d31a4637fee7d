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

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from django.db import IntegrityError, transaction

from whistledesk.audit.services import audit_record
from whistledesk.cases.models import Channel, Disclosure, Status
from whistledesk.cases.references import new_reference
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory
from whistledesk.organisation.selectors import NotConfigured, organisation_get

COLUMNS = (
    "reference",
    "received_on",
    "channel",
    "service",
    "outcome",
    "qualifying",
    "anonymous",
    "summary",
)
SUMMARY_MAX = Disclosure._meta.get_field("summary").max_length or 500
REFERENCE_MAX = Disclosure._meta.get_field("reference").max_length or 40
PROGRESS_EVERY = 10_000
BATCH_SIZE = 2_000
# Small enough for every database's limit on query parameters.
_LOOKUP_CHUNK = 500
_MAX_ERRORS = 10_000

_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
_CHANNELS = {c.value.casefold(): c.value for c in Channel} | {
    c.label.casefold(): c.value for c in Channel
}

# progress(stage, done, total): stage is "checked" or "stored".
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class ImportRejected(DomainError):
    """The file was not imported. `errors` says why, row by row; nothing was stored."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"nothing imported: {len(errors)} problem(s) in the file")


@dataclass
class ImportResult:
    created: int = 0
    skipped_identical: int = 0
    generated_references: int = 0
    rows: int = 0
    sha256: str = ""
    references: list[str] = field(default_factory=list, repr=False)


@dataclass(slots=True)
class _Row:
    line: int
    reference: str
    received_on: dt.date
    channel: str
    service_id: int
    outcome_id: int | None
    qualifying: bool
    anonymous: bool
    summary: str


def _read_text(source: TextIO | BinaryIO | str | Path) -> tuple[str, str]:
    """The file's text (BOM removed) and its SHA-256. Raises ImportRejected if not UTF-8."""
    if isinstance(source, str | Path):
        try:
            raw: bytes | str = Path(source).read_bytes()
        except OSError as exc:
            raise ImportRejected(
                [RowError(0, "", f"cannot read the file: {exc.strerror}")]
            ) from None
    else:
        raw = source.read()
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff"), hashlib.sha256(raw.encode("utf-8")).hexdigest()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        return raw.decode("utf-8-sig"), digest
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ImportRejected(
            [
                RowError(
                    line,
                    "",
                    'the file is not UTF-8 text; save it as "CSV UTF-8" and try again',
                )
            ]
        ) from None


class _Labels:
    """Configured labels: exact match first, then case-insensitive when unambiguous."""

    def __init__(self, rows: Iterable[ServiceCategory] | Iterable[Outcome]) -> None:
        rows = list(rows)
        self.exact = {r.label: r.pk for r in rows}
        folded: dict[str, list[int]] = {}
        for r in rows:
            folded.setdefault(r.label.strip().casefold(), []).append(r.pk)
        self.folded = {k: v[0] for k, v in folded.items() if len(v) == 1}
        self.listing = "; ".join(f'"{r.label}"' for r in rows if r.active)

    def get(self, value: str) -> int | None:
        pk = self.exact.get(value)
        return pk if pk is not None else self.folded.get(value.strip().casefold())


def _shown(value: str) -> str:
    # Labels and references are not sensitive, but keep messages one short line.
    value = value.replace("\n", " ")
    return repr(value if len(value) <= 60 else value[:57] + "...")


class _Checker:
    def __init__(self, organisation: Organisation) -> None:
        self.services = _Labels(ServiceCategory.objects.filter(organisation=organisation))
        self.outcomes = _Labels(Outcome.objects.filter(organisation=organisation))
        self.latest = dt.date.today() + dt.timedelta(days=1)
        self.errors: list[RowError] = []
        self.first_line_of: dict[str, int] = {}

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def yes_no(self, line: int, column: str, value: str) -> bool:
        answer = _YES.get(value.strip().casefold())
        if answer is None:
            self.error(line, column, f"{_shown(value)} must be yes or no")
            return False
        return answer

    def row(self, line: int, f: dict[str, str]) -> _Row | None:
        before = len(self.errors)
        reference = f["reference"].strip()
        if reference:
            if len(reference) > REFERENCE_MAX:
                self.error(line, "reference", f"is longer than {REFERENCE_MAX} characters")
            elif not _REFERENCE.match(reference):
                self.error(
                    line,
                    "reference",
                    f"{_shown(reference)} may hold only letters, digits and . _ / -",
                )
            elif reference in self.first_line_of:
                self.error(
                    line,
                    "reference",
                    f"{reference} is also on line {self.first_line_of[reference]}",
                )
            else:
                self.first_line_of[reference] = line

        received_on = dt.date.min
        value = f["received_on"].strip()
        if not _ISO_DATE.match(value):
            self.error(line, "received_on", f"{_shown(value)} is not a date as YYYY-MM-DD")
        else:
            try:
                received_on = dt.date.fromisoformat(value)
            except ValueError:
                self.error(line, "received_on", f"{_shown(value)} is not a real date")
            else:
                if received_on > self.latest:
                    self.error(line, "received_on", f"{value} is in the future")

        channel = _CHANNELS.get(f["channel"].strip().casefold(), "")
        if not channel:
            self.error(
                line,
                "channel",
                f"{_shown(f['channel'])} is not a channel; use one of: {', '.join(Channel.values)}",
            )

        service_id = self.services.get(f["service"])
        if service_id is None:
            problem = "is empty" if not f["service"].strip() else f"{_shown(f['service'])} is not"
            self.error(
                line,
                "service",
                f"{problem} a configured service; the services are: {self.services.listing}",
            )
        outcome_id = None
        if f["outcome"].strip():
            outcome_id = self.outcomes.get(f["outcome"])
            if outcome_id is None:
                self.error(
                    line,
                    "outcome",
                    f"{_shown(f['outcome'])} is not a configured outcome (leave it empty when "
                    f"not yet decided); the outcomes are: {self.outcomes.listing}",
                )

        qualifying = self.yes_no(line, "qualifying", f["qualifying"])
        anonymous = self.yes_no(line, "anonymous", f["anonymous"])
        summary = f["summary"].strip()
        if len(summary) > SUMMARY_MAX:
            # Never echo the summary: it may describe the case.
            self.error(
                line, "summary", f"is {len(summary)} characters long; the most is {SUMMARY_MAX}"
            )
        if len(self.errors) > before:
            return None
        return _Row(
            line,
            reference,
            received_on,
            channel,
            service_id or 0,
            outcome_id,
            qualifying,
            anonymous,
            summary,
        )


def _parse(text: str, checker: _Checker, progress: Progress | None) -> list[_Row]:
    if not text.strip():
        raise ImportRejected(
            [RowError(1, "", "the file is empty; the first line must be the header")]
        )
    # newline="" keeps line breaks inside quoted fields intact for the csv module.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        names = [h.strip().casefold() for h in header]
        problems = []
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        unknown = [h for h in names if h not in COLUMNS]
        if unknown:
            problems.append(f"unknown column(s): {', '.join(map(_shown, unknown))}")
        repeated = sorted({h for h in names if names.count(h) > 1})
        if repeated:
            problems.append(f"repeated column(s): {', '.join(repeated)}")
        if problems:
            raise ImportRejected(
                [
                    RowError(
                        1,
                        "",
                        f"{'; '.join(problems)}. The header must be: {','.join(COLUMNS)}",
                    )
                ]
            )
        index = [names.index(c) for c in COLUMNS]
        width = len(names)
        rows: list[_Row] = []
        raw_rows = []
        line_end = reader.line_num
        for fields in reader:
            # A record starts on the line after the previous one ended.
            raw_rows.append((line_end + 1, fields))
            line_end = reader.line_num
    except csv.Error as exc:
        raise ImportRejected(
            [RowError(reader.line_num, "", f"the CSV is malformed ({exc})")]
        ) from None

    total = len(raw_rows)
    for n, (line, fields) in enumerate(raw_rows, start=1):
        if not any(v.strip() for v in fields):
            continue  # blank lines, e.g. at the end of the file
        if len(fields) != width:
            checker.error(line, "", f"has {len(fields)} fields; the header has {width}")
        else:
            row = checker.row(line, dict(zip(COLUMNS, (fields[i] for i in index), strict=True)))
            if row is not None:
                rows.append(row)
        if len(checker.errors) >= _MAX_ERRORS:
            checker.error(line, "", "too many problems: stopped checking here")
            break
        if progress and total > PROGRESS_EVERY and n % PROGRESS_EVERY == 0:
            progress("checked", n, total)
    if checker.errors:
        raise ImportRejected(checker.errors)
    if not rows:
        raise ImportRejected([RowError(2, "", "the file has a header but no disclosures")])
    return rows


_COMPARED = (
    "received_on",
    "channel",
    "service_id",
    "outcome_id",
    "qualifying",
    "anonymous",
    "summary",
)


def _partition_existing(rows: list[_Row]) -> tuple[list[_Row], int, list[RowError]]:
    """Split rows into new ones, a count of identical ones already stored, and conflicts."""
    with_ref = [r for r in rows if r.reference]
    stored: dict[str, tuple[Any, ...]] = {}
    for i in range(0, len(with_ref), _LOOKUP_CHUNK):
        refs = [r.reference for r in with_ref[i : i + _LOOKUP_CHUNK]]
        for values in Disclosure.objects.filter(reference__in=refs).values_list(
            "reference", *_COMPARED
        ):
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


def _assign_references(rows: list[_Row]) -> int:
    """Give rows without a reference a new one, unique in the file and the register."""
    blank = [r for r in rows if not r.reference]
    taken = {r.reference for r in rows if r.reference}
    pending = blank
    while pending:
        for r in pending:
            r.reference = new_reference()
            while r.reference in taken:
                r.reference = new_reference()
            taken.add(r.reference)
        clash: set[str] = set()
        for i in range(0, len(pending), _LOOKUP_CHUNK):
            refs = [r.reference for r in pending[i : i + _LOOKUP_CHUNK]]
            clash.update(
                Disclosure.objects.filter(reference__in=refs).values_list("reference", flat=True)
            )
        pending = [r for r in pending if r.reference in clash]
    return len(blank)


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
    text, digest = _read_text(stream)
    rows = _parse(text, _Checker(organisation), progress)
    result = ImportResult(rows=len(rows), sha256=digest)
    try:
        with transaction.atomic():
            # Checked inside the transaction so a concurrent import cannot slip in between.
            new, result.skipped_identical, errors = _partition_existing(rows)
            if errors:
                raise ImportRejected(errors)
            result.generated_references = _assign_references(new)
            if dry_run:
                result.created = len(new)
                transaction.set_rollback(True)
                return result
            _store(new, organisation=organisation, progress=progress)
            result.created = len(new)
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
        raise ImportRejected(
            [
                RowError(
                    0,
                    "reference",
                    "a reference was added to the register while importing; "
                    "nothing was imported, run the import again",
                )
            ]
        ) from None
    return result


def _store(rows: list[_Row], *, organisation: Organisation, progress: Progress | None) -> None:
    total = len(rows)
    for start in range(0, total, BATCH_SIZE):
        Disclosure.objects.bulk_create(
            [
                Disclosure(
                    organisation=organisation,
                    reference=r.reference,
                    received_on=r.received_on,
                    channel=r.channel,
                    service_id=r.service_id,
                    outcome_id=r.outcome_id,
                    qualifying=r.qualifying,
                    anonymous=r.anonymous,
                    summary=r.summary,
                    # Imported with an outcome = decided elsewhere; the close date is unknown.
                    status=Status.CLOSED if r.outcome_id else Status.RECEIVED,
                )
                for r in rows[start : start + BATCH_SIZE]
            ],
            batch_size=BATCH_SIZE,
        )
        done = min(start + BATCH_SIZE, total)
        if progress and total > PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
            progress("stored", done, total)
