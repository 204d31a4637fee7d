"""The register export for managers and auditors: CSV (streamed) and spreadsheet (.xlsx).

It carries the register's structured clear fields only, the same line the staff API draws
(api/schemas.py): no free text (the register summary, the setting's name) and nothing
sealed (narrative, identity, notes, messages, files). The rows are those the person may
see on the register (`cases.permissions.register_visible`: a conflict hides a row), for
disclosures received in the chosen period, oldest first.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return)
as a formula, so such a text cell is written with a leading apostrophe (CSV injection).
Every export is recorded in the audit log: who, which format and period, how many rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.cases.models import Disclosure
from whistledesk.cases.permissions import Perm, register_visible, require
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import Organisation

# (heading, field): an explicit list, so a field added to the model is not exported by accident.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Reference", "reference"),
    ("Received on", "received_on"),
    ("Channel", "channel"),
    ("Service", "service__label"),
    ("Qualifying", "qualifying"),
    ("Anonymous", "anonymous"),
    ("Outcome", "outcome__label"),
    ("Status", "status"),
    ("Urgent", "urgent"),
    ("Risk level", "risk_level"),
    ("Safeguarding concern open", "safeguarding_open"),
    ("Acknowledged at", "acknowledged_at"),
    ("Feedback due on", "feedback_due_on"),
    ("Feedback given on", "feedback_given_on"),
    ("Closed at", "closed_at"),
)
FORMATS = ("csv", "xlsx")
# A worksheet holds 1,048,576 rows, the heading included.
XLSX_MAX_ROWS = 1_048_575
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportTooLarge(DomainError):
    """More rows than a spreadsheet holds."""


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(value: object) -> object:
    """A cell's value: text neutralised, datetimes in local time without zone, booleans as
    yes/no, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, str):
        return neutralise(value)
    return value


def export_rows(
    *, user: Any, organisation: Organisation, start: dt.date, end: dt.date
) -> QuerySet[Disclosure]:
    """The rows `user` may see, received from `start` to `end`, oldest first."""
    qs = register_visible(user, Disclosure.objects.filter(organisation=organisation))
    return qs.filter(received_on__gte=start, received_on__lte=end).order_by("received_on", "id")


def register_export_start(
    *, actor: Any, organisation: Organisation, start: dt.date, end: dt.date, fmt: str
) -> Iterator[tuple[object, ...]]:
    """Check, record in the audit log, and return the rows to write (streamed)."""
    require(actor, Perm.MANAGEMENT_INFO)
    if fmt not in FORMATS:
        raise DomainError("Choose CSV or spreadsheet", field="format")
    qs = export_rows(user=actor, organisation=organisation, start=start, end=end)
    rows = qs.count()
    if fmt == "xlsx" and rows > XLSX_MAX_ROWS:
        raise ExportTooLarge(
            f"{rows:,} rows are more than a spreadsheet holds ({XLSX_MAX_ROWS:,}): "
            "choose a shorter period or download CSV"
        )
    # Who took a copy of the register, of which part, is itself on the record.
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="register.exported",
            object_type="register",
            details={
                "format": fmt,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "rows": rows,
            },
        )
    return qs.values_list(*(f for _, f in COLUMNS)).iterator(chunk_size=2000)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_text(value: object) -> str:
    value = _plain(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def csv_lines(rows: Iterable[tuple[object, ...]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([h for h, _ in COLUMNS])  # type: ignore[func-returns-value]
    for row in rows:
        yield writer.writerow([_csv_text(v) for v in row])  # type: ignore[func-returns-value]


def xlsx_file(rows: Iterable[tuple[object, ...]]) -> IO[bytes]:
    """The spreadsheet in a temporary file (write-only mode keeps memory flat)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Register")
    sheet.append([h for h, _ in COLUMNS])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_plain(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, whatever it starts with
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    book.save(out)
    out.seek(0)
    return out
