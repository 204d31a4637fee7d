"""Reads for the deadlines: the register's "Due" column as one annotation, and what the case
page shows (extensions, the reader's own reminders).

`with_next_due` computes each open case's next deadline in the query itself:
- received, not acknowledged: "acknowledge" by received + 7 days;
- otherwise the earlier of feedback (while not given) and the next reassurance date;
and whether it has passed (`next_due_overdue`). Closed cases have none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    F,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from whistledesk.casefiles.notes import NotesReader, notes_attach
from whistledesk.cases.clock import ACKNOWLEDGE_WITHIN_DAYS, feedback_latest
from whistledesk.cases.models import CaseReminder, Disclosure, Status


class AddDays(Func):
    """`date + n days` as a date, on SQLite and PostgreSQL alike (`n` is a trusted int)."""

    output_field = DateField()
    arity = 1

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression)
        self.days = int(days)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template=f"DATE(%(expressions)s, '+{self.days} days')"
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template=f"(%(expressions)s + {self.days})")


class DueKind:
    ACKNOWLEDGE = "acknowledge"
    FEEDBACK = "feedback"
    REASSURANCE = "reassurance"


def with_next_due(qs: QuerySet[Disclosure], *, today: dt.date | None = None) -> Any:
    """Annotate `next_due_kind`, `next_due_on` and `next_due_overdue` (see the module doc)."""
    today = today or timezone.localdate()
    feedback_runs = Q(feedback_given_on__isnull=True, feedback_due_on__isnull=False)
    reassurance = Q(next_reassurance_due__isnull=False)
    feedback_first = feedback_runs & (
        ~reassurance | Q(feedback_due_on__lte=F("next_reassurance_due"))
    )
    closed = Q(status=Status.CLOSED)
    received = Q(status=Status.RECEIVED)
    return qs.annotate(
        next_due_kind=Case(
            When(closed, then=Value("")),
            When(received, then=Value(DueKind.ACKNOWLEDGE)),
            When(feedback_first, then=Value(DueKind.FEEDBACK)),
            When(reassurance, then=Value(DueKind.REASSURANCE)),
            default=Value(""),
            output_field=CharField(),
        ),
        next_due_on=Case(
            When(closed, then=Value(None)),
            When(received, then=AddDays(F("received_on"), ACKNOWLEDGE_WITHIN_DAYS)),
            When(feedback_first, then=F("feedback_due_on")),
            When(reassurance, then=F("next_reassurance_due")),
            default=Value(None),
            output_field=DateField(),
        ),
    ).annotate(
        next_due_overdue=Case(
            When(next_due_on__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def case_deadlines(
    *, disclosure: Disclosure, user: Any, notes: NotesReader, perms: set[str]
) -> dict[str, Any]:
    """What the case page's deadlines section shows: two small queries."""
    extensions = list(disclosure.feedback_extensions.select_related("extended_by"))
    reminders = list(
        CaseReminder.objects.filter(disclosure=disclosure, user_id=user.pk).order_by(
            "done_at", "remind_on", "id"
        )[:20]
    )
    notes_attach(extensions, notes, ("reason",))
    notes_attach(reminders, notes, ("note",))
    latest = None
    if disclosure.acknowledged_at is not None:
        latest = feedback_latest(
            disclosure.received_on, timezone.localdate(disclosure.acknowledged_at)
        )
    today = timezone.localdate()
    may_extend = bool(
        "extend_feedback" in perms
        and not disclosure.is_closed
        and disclosure.feedback_due_on is not None
        and disclosure.feedback_given_on is None
        and disclosure.feedback_due_on >= today
        and latest is not None
        and disclosure.feedback_due_on < latest
    )
    return {
        "extensions": extensions,
        "reminders": reminders,
        "feedback_latest": latest,
        "may_extend": may_extend,
        "may_remind": "set_reminder" in perms,
        "today": today,
    }
