"""Streaming CSV of audit events, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from whistledesk.audit.selectors import EXPORT_COLUMNS

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    elif hasattr(value, "isoformat"):
        text = value.isoformat()  # type: ignore[union-attr]
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(rows: Iterable[tuple[object, ...]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)  # type: ignore[func-returns-value]
    for row in rows:
        yield writer.writerow([_cell(v) for v in row])  # type: ignore[func-returns-value]
