"""What the API accepts and returns.

Responses carry the register's structured fields only: no free text (summary, setting,
reasons, referral or concern notes) and nothing from the sealed case file. Free text
belongs on the staff pages, where it is read in context, not copied into other systems.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from whistledesk.cases.models import Channel, Disclosure, RiskLevel, Status
from whistledesk.reports.selectors import MAX_YEAR, MIN_YEAR

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# Bounds the database can hold: a larger number overflowed SQLite's integers (a 500).
MAX_ID = 2**63 - 1
MAX_OFFSET = 2**31 - 1


class DisclosureQuery(Schema):
    year: int | None = Field(
        None, ge=MIN_YEAR, le=MAX_YEAR, description="Reporting year starting in YYYY."
    )
    service: int | None = Field(None, ge=1, le=MAX_ID, description="Service category id.")
    outcome: int | None = Field(
        None, ge=0, le=MAX_ID, description="Outcome id; 0 = not yet decided."
    )
    status: Status | None = None
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DisclosureOut(Schema):
    reference: str
    received_on: dt.date
    channel: Channel
    service_id: int | None
    service: str | None
    qualifying: bool | None
    anonymous: bool
    outcome_id: int | None
    outcome: str | None
    status: Status
    urgent: bool
    safeguarding_open: bool
    acknowledged_at: dt.datetime | None
    closed_at: dt.datetime | None


class DisclosureDetailOut(DisclosureOut):
    risk_level: RiskLevel | None
    handler: str | None
    feedback_due_on: dt.date | None
    next_reassurance_due: dt.date | None
    transitions: list[Status] = Field(description="Statuses you may move this case to now.")


class DisclosurePage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    results: list[DisclosureOut]


class TransitionIn(Schema):
    to: Status
    reason: str = Field(
        "",
        max_length=1000,
        description="Leave empty: a reason is sealed under the case key, which the API "
        "does not hold; moves that need one are made on the case page.",
    )
    outcome: int | None = Field(None, ge=1, description="Outcome id; closing needs one.")


class Taxonomy(Schema):
    id: int
    label: str
    active: bool


class OutcomeOut(Taxonomy):
    further_action: bool


class TaxonomyOut(Schema):
    services: list[Taxonomy]
    outcomes: list[OutcomeOut]


def register_row(d: Disclosure) -> dict[str, Any]:
    """The clear register fields of one disclosure (an explicit list: nothing else leaks)."""
    return {
        "reference": d.reference,
        "received_on": d.received_on,
        "channel": d.channel,
        "service_id": d.service_id,
        "service": d.service.label if d.service else None,
        "qualifying": d.qualifying,
        "anonymous": d.anonymous,
        "outcome_id": d.outcome_id,
        "outcome": d.outcome.label if d.outcome else None,
        "status": d.status,
        "urgent": d.urgent,
        "safeguarding_open": d.safeguarding_open,
        "acknowledged_at": d.acknowledged_at,
        "closed_at": d.closed_at,
    }


def detail_row(d: Disclosure, transitions: list[Status]) -> dict[str, Any]:
    return register_row(d) | {
        "risk_level": d.risk_level or None,
        "handler": d.handler.get_username() if d.handler else None,
        "feedback_due_on": d.feedback_due_on,
        "next_reassurance_due": d.next_reassurance_due,
        "transitions": transitions,
    }
