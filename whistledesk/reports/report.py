"""The annual report as plain data: what the selector returns and every renderer reads.

Only counts and configured or staff-written text live here, never anything taken from a
disclosure itself, so no renderer can leak a reference, summary or narrative.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

# Rows shown only when they hold disclosures, so every table adds up to `qualifying`.
# Marked for translation, translated when a table is read (in the report's language).
NOT_CATEGORISED_LABEL = gettext_noop("Not yet categorised")
AWAITING_DECISION_LABEL = gettext_noop("Awaiting decision")
# Shown instead of a suppressed count (disclosure control): the Government Statistical
# Service's symbol for "confidential", explained under every table that uses it.
SUPPRESSED = "[c]"
SUPPRESSED_NOTE = gettext_noop(
    "[c]: not shown, so that no one can be identified from a small number."
)


def year_label(year: int, *, period_start: dt.date) -> str:
    """'2022/23' for a year that spans two calendar years, '2022' for a calendar year."""
    if (period_start.month, period_start.day) == (1, 1):
        return str(year)
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Row:
    label: str
    # 0 when suppressed: the real count never reaches a renderer.
    count: int
    suppressed: bool = False

    @property
    def display(self) -> str:
        """The count as every table prints it: "1,234", or "[c]" when suppressed."""
        return SUPPRESSED if self.suppressed else f"{self.count:,}"


@dataclass(frozen=True)
class ServiceRow(Row):
    phrase: str = ""
    description: str = ""


@dataclass(frozen=True)
class AnnualReport:
    organisation: str
    comparison_name: str
    disclosure_noun: str
    title: str
    functions_text: str
    year: int
    period_start: dt.date
    period_end: dt.date
    received: int
    qualifying: int
    previous_period_received: int
    # False when nothing at all is recorded before this period: there is no figure to compare.
    has_previous_figure: bool
    further_action: int
    no_further_action: int
    awaiting_decision: int
    anonymous: int
    by_service: tuple[ServiceRow, ...]
    by_outcome: tuple[Row, ...]
    by_channel: tuple[Row, ...]
    not_categorised: int = 0
    impact_text: str = ""
    further_action_example: str = ""
    no_further_action_example: str = ""
    # The organisation as written inside a sentence ("the Care Quality Commission").
    organisation_in_sentence: str = ""
    # The organisation's sentence templates by key (organisation/wording.py); a key left
    # out takes the neutral default.
    wording: dict[str, str] = field(default_factory=dict)
    # Every disclosure received, by reporting year, oldest first, up to this one (the
    # year-on-year chart); years before the register's first disclosure are left out.
    received_by_year: tuple[Row, ...] = ()
    # The language it is written in: "en", or "cy" for the Welsh report of an organisation
    # that enables Welsh (reports/renderers/language.py; every renderer runs in it).
    language: str = "en"

    @property
    def year_label(self) -> str:
        return year_label(self.year, period_start=self.period_start)

    @property
    def service_table(self) -> tuple[Row, ...]:
        """The published table by service (Total row excluded)."""
        rows: tuple[Row, ...] = self.by_service
        if self.not_categorised:
            rows = (*rows, Row(gettext(NOT_CATEGORISED_LABEL), self.not_categorised))
        return rows

    @property
    def outcome_table(self) -> tuple[Row, ...]:
        rows = self.by_outcome
        if self.awaiting_decision:
            rows = (*rows, Row(gettext(AWAITING_DECISION_LABEL), self.awaiting_decision))
        return rows

    def as_dict(self) -> dict[str, Any]:
        """The JSON document: exactly these keys in this order (issue 2)."""
        return {
            "organisation": self.organisation,
            "year": self.year,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "received": self.received,
            "qualifying": self.qualifying,
            "previous_period_received": self.previous_period_received,
            "further_action": self.further_action,
            "no_further_action": self.no_further_action,
            "awaiting_decision": self.awaiting_decision,
            "anonymous": self.anonymous,
            "by_service": [_row(r) for r in self.service_table],
            "by_outcome": [_row(r) for r in self.by_outcome],
            "by_channel": [_row(r) for r in self.by_channel],
        }


def _row(row: Row) -> dict[str, Any]:
    """A table row in the JSON document; a suppressed one has no count and says so."""
    if row.suppressed:
        return {"label": row.label, "count": None, "suppressed": True}
    return {"label": row.label, "count": row.count}
