"""Reading and checking an import file's records: every problem found, by file line."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.utils import timezone

from whistledesk.cases.models import Channel, Disclosure
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory

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
_MAX_ERRORS = 10_000
_DATES_KEPT = 20_000

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
    # True when the register's secondary indexes were rebuilt after the insert (bulk.py).
    bulk: bool = False


@dataclass(slots=True)
class Row:
    line: int
    reference: str
    received_on: dt.date
    channel: str
    service_id: int
    outcome_id: int | None
    qualifying: bool
    anonymous: bool
    summary: str


class Labels:
    """Configured labels: exact match first, then case-insensitive when unambiguous."""

    def __init__(self, rows: Iterable[ServiceCategory | Outcome]) -> None:
        known = list(rows)
        self.exact = {r.label: r.pk for r in known}
        folded: dict[str, list[int]] = {}
        for r in known:
            folded.setdefault(r.label.strip().casefold(), []).append(r.pk)
        self.folded = {k: v[0] for k, v in folded.items() if len(v) == 1}
        self.listing = "; ".join(f'"{r.label}"' for r in known if r.active)

    def get(self, value: str) -> int | None:
        pk = self.exact.get(value)
        return pk if pk is not None else self.folded.get(value.strip().casefold())


def _shown(value: str) -> str:
    # What was found, briefly: enough to spot a typo, never a whole misplaced summary.
    value = value.replace("\n", " ")
    return repr(value if len(value) <= 40 else value[:37] + "...")


class Checker:
    def __init__(self, organisation: Organisation) -> None:
        self.services = Labels(ServiceCategory.objects.filter(organisation=organisation))
        self.outcomes = Labels(Outcome.objects.filter(organisation=organisation))
        # A day's grace, as for disclosures recorded by hand: time zones differ.
        self.latest = timezone.localdate() + dt.timedelta(days=1)
        self.errors: list[RowError] = []
        # The last row's reference if it is well formed (else ""), for duplicate detection
        # by the caller: the importer keeps no per-row state in memory.
        self.reference = ""
        # Dates repeat (a year has 366): parse each text once. Bounded, so memory stays flat.
        self._dates: dict[str, dt.date] = {}

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def yes_no(self, line: int, column: str, value: str) -> bool:
        answer = _YES.get(value)  # the common case, exactly "yes" or "no"
        if answer is None:
            answer = _YES.get(value.strip().casefold())
        if answer is None:
            self.error(line, column, f"{_shown(value)} must be yes or no")
            return False
        return answer

    def _date(self, line: int, text: str) -> dt.date:
        """Parse a received_on field; note an error and return date.min if it is bad."""
        value = text.strip()
        if not _ISO_DATE.match(value):
            self.error(line, "received_on", f"{_shown(value)} is not a date as YYYY-MM-DD")
            return dt.date.min
        try:
            received_on = dt.date.fromisoformat(value)
        except ValueError:
            self.error(line, "received_on", f"{_shown(value)} is not a real date")
            return dt.date.min
        if received_on > self.latest:
            self.error(line, "received_on", f"{value} is in the future")
            return dt.date.min
        if len(self._dates) < _DATES_KEPT:
            self._dates[text] = received_on
        return received_on

    def row(self, line: int, fields: tuple[str, ...]) -> Row | None:
        """One record's fields in COLUMNS order; None (and errors noted) if any is bad."""
        before = len(self.errors)
        (
            reference,
            received_text,
            channel_text,
            service_text,
            outcome_text,
            qualifying_text,
            anonymous_text,
            summary,
        ) = fields
        reference = reference.strip()
        self.reference = ""
        if reference:
            if len(reference) > REFERENCE_MAX:
                self.error(line, "reference", f"is longer than {REFERENCE_MAX} characters")
            elif not _REFERENCE.match(reference):
                self.error(
                    line,
                    "reference",
                    f"{_shown(reference)} may hold only letters, digits and . _ / -",
                )
            else:
                self.reference = reference

        received_on = self._dates.get(received_text) or self._date(line, received_text)

        channel = _CHANNELS.get(channel_text) or _CHANNELS.get(channel_text.strip().casefold(), "")
        if not channel:
            self.error(
                line,
                "channel",
                f"{_shown(channel_text)} is not a channel; use one of: {', '.join(Channel.values)}",
            )

        service_id = self.services.get(service_text)
        if service_id is None:
            problem = "is empty" if not service_text.strip() else f"{_shown(service_text)} is not"
            self.error(
                line,
                "service",
                f"{problem} a configured service; the services are: {self.services.listing}",
            )
        outcome_id = None
        if outcome_text.strip():
            outcome_id = self.outcomes.get(outcome_text)
            if outcome_id is None:
                self.error(
                    line,
                    "outcome",
                    f"{_shown(outcome_text)} is not a configured outcome (leave it empty when "
                    f"not yet decided); the outcomes are: {self.outcomes.listing}",
                )

        qualifying = self.yes_no(line, "qualifying", qualifying_text)
        anonymous = self.yes_no(line, "anonymous", anonymous_text)
        summary = summary.strip()
        if len(summary) > SUMMARY_MAX:
            # Never echo the summary: it may describe the case.
            self.error(
                line, "summary", f"is {len(summary)} characters long; the most is {SUMMARY_MAX}"
            )
        if len(self.errors) > before:
            return None
        return Row(
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


Records = Iterator[tuple[int, list[str]]]


def records(lines: Iterable[str]) -> tuple[Callable[[list[str]], tuple[str, ...]], int, Records]:
    """Read the header; return (fields in COLUMNS order, width, the records after it).

    Each record comes with the file line it starts on. Raises ImportRejected for an empty
    file, a bad header or (while iterating) malformed CSV.
    """
    # Lines keep their ends (newline=""), so the csv module sees breaks inside quotes.
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _malformed(1, exc) from None
    # A blank header line: empty if nothing follows (else the header check below refuses it).
    if header is None or (is_blank(header) and not any(not is_blank(r) for r in _safe(reader))):
        raise ImportRejected(
            [RowError(1, "", "the file is empty; the first line must be the header")]
        )
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
            [RowError(1, "", f"{'; '.join(problems)}. The header must be: {','.join(COLUMNS)}")]
        )
    in_order = itemgetter(*(names.index(c) for c in COLUMNS))

    def numbered() -> Records:
        line_end = reader.line_num
        try:
            for fields in reader:
                # A record starts on the line after the previous one ended.
                yield line_end + 1, fields
                line_end = reader.line_num
        except csv.Error as exc:
            # Name the line where the broken record starts: an unclosed quote runs to the end.
            raise _malformed(line_end + 1, exc) from None

    return in_order, len(names), numbered()


def _safe(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error:
        yield ["malformed"]


def _malformed(line: int, exc: csv.Error) -> ImportRejected:
    return ImportRejected(
        [
            RowError(
                line,
                "",
                f"the CSV is malformed ({exc}); check the quotes in the row starting here",
            )
        ]
    )


def is_blank(fields: list[str]) -> bool:
    return not "".join(fields).strip()


def too_many_errors(checker: Checker, line: int) -> bool:
    if len(checker.errors) >= _MAX_ERRORS:
        checker.error(line, "", "too many problems: stopped checking here")
        return True
    return False
