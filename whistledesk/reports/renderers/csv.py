"""The report's tables as CSV for open-data publication: columns table,label,count.

Tables: `summary` (the headline figures), `service`, `outcome` and `channel` - the same rows
as the published tables, without the derived Total row. A suppressed count is "[c]"
(disclosure control). Streamed one row at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from whistledesk.reports.report import SUPPRESSED, AnnualReport

HEADER = ("table", "label", "count")
# A spreadsheet would run a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(label: str) -> str:
    return f"'{label}" if label.startswith(_FORMULA_START) else label


def rows(report: AnnualReport) -> Iterator[tuple[str, str, int | str]]:
    summary = report.as_dict()
    for key in (
        "received",
        "qualifying",
        "previous_period_received",
        "further_action",
        "no_further_action",
        "awaiting_decision",
        "anonymous",
    ):
        yield "summary", key, summary[key]
    for table, table_rows in (
        ("service", report.service_table),
        ("outcome", report.outcome_table),
        ("channel", report.by_channel),
    ):
        for row in table_rows:
            yield table, _cell(row.label), SUPPRESSED if row.suppressed else row.count


def render(report: AnnualReport) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in (HEADER, *rows(report)):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
