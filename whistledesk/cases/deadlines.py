"""The statutory deadlines as they are settled: met, late or missed, and justified extensions.

`Disclosure.acknowledgement_timeliness` and `feedback_timeliness` record each deadline once it
is settled, so the annual report and management figures count them in SQL:
- acknowledged on or before received + 7 days: MET, after it: LATE;
- feedback (the first given) on or before `feedback_due_on`: MET, after it: LATE;
- the due date passed with nothing given: MISSED (`deadlines_mark_missed`, run by the
  worker), which becomes LATE when it is settled.
`feedback_due_on` is always the effective date, an extension included (clock.py has the law).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.casefiles.notes import note_seal
from whistledesk.cases.clock import (
    ACKNOWLEDGE_WITHIN_DAYS,
    acknowledgement_due,
    feedback_due,
    feedback_latest,
)
from whistledesk.cases.models import Disclosure, FeedbackExtension, Status, Timeliness
from whistledesk.cases.permissions import Perm, require
from whistledesk.core.exceptions import DomainError

# A justified extension's reason: long enough to explain, short enough to stay a note.
EXTENSION_REASON_MAX = 1000
# The sweep marks at most this many cases per run; the next run takes the rest.
SWEEP_BATCH = 500


def timeliness(settled_on: dt.date, due_on: dt.date) -> Timeliness:
    return Timeliness.MET if settled_on <= due_on else Timeliness.LATE


def deadline_acknowledged(locked: Disclosure, acknowledged_on: dt.date) -> list[str]:
    """Settle the acknowledgement and start the feedback clock, on a locked row (the workflow
    saves it). Returns the fields changed."""
    locked.acknowledgement_timeliness = timeliness(
        acknowledged_on, acknowledgement_due(locked.received_on)
    )
    locked.feedback_due_on = feedback_due(acknowledged_on, locked.received_on)
    locked.feedback_timeliness = ""
    return ["acknowledgement_timeliness", "feedback_due_on", "feedback_timeliness"]


def deadline_feedback_given(locked: Disclosure, given_on: dt.date) -> None:
    """Feedback recorded on a locked case: the first feedback settles the deadline."""
    first = min(given_on, locked.feedback_given_on or given_on)
    locked.feedback_given_on = first
    fields = ["feedback_given_on", "updated_at"]
    if locked.feedback_due_on is not None:
        locked.feedback_timeliness = timeliness(first, locked.feedback_due_on)
        fields.append("feedback_timeliness")
    locked.save(update_fields=fields)


class ExtensionRefused(DomainError):
    """The extension is not allowed (past 6 months, no reason, deadline settled...)."""


@transaction.atomic
def feedback_extend(
    *,
    actor: Any,
    disclosure: Disclosure,
    new_due_on: dt.date,
    reason: str,
    private_key: bytes | None = None,
    today: dt.date | None = None,
) -> FeedbackExtension:
    """Extend the feedback deadline in a duly justified case, to at most 6 months."""
    today = today or timezone.localdate()
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(actor, Perm.EXTEND_FEEDBACK, locked)
    if locked.is_closed:
        raise ExtensionRefused("This case is closed: its feedback deadline cannot change.")
    if locked.acknowledged_at is None or locked.feedback_due_on is None:
        raise ExtensionRefused("Acknowledge the disclosure first: that starts the feedback clock.")
    if locked.feedback_given_on is not None:
        raise ExtensionRefused(
            f"Feedback was given on {locked.feedback_given_on:%-d %B %Y}: "
            "there is no deadline left to extend."
        )
    if locked.feedback_due_on < today:
        raise ExtensionRefused(
            f"The feedback deadline passed on {locked.feedback_due_on:%-d %B %Y}. An extension "
            "must be decided before the deadline passes."
        )
    reason = reason.strip()
    if not reason:
        raise ExtensionRefused("Give the reason that justifies the extension.", field="reason")
    if len(reason) > EXTENSION_REASON_MAX:
        raise ExtensionRefused(
            f"Keep the reason to {EXTENSION_REASON_MAX} characters or fewer.", field="reason"
        )
    latest = feedback_latest(locked.received_on, timezone.localdate(locked.acknowledged_at))
    if new_due_on > latest:
        raise ExtensionRefused(
            f"Feedback cannot be extended beyond 6 months: choose {latest:%-d %B %Y} or earlier.",
            field="new_due_on",
        )
    if new_due_on <= locked.feedback_due_on:
        raise ExtensionRefused(
            f"Choose a date after the current deadline, {locked.feedback_due_on:%-d %B %Y}.",
            field="new_due_on",
        )
    extension = FeedbackExtension.objects.create(
        disclosure=locked,
        previous_due_on=locked.feedback_due_on,
        new_due_on=new_due_on,
        reason_sealed=note_seal(
            disclosure=locked, text=reason, private_key=private_key, actor=actor
        ),
        extended_by=actor,
    )
    locked.feedback_due_on = new_due_on
    locked.save(update_fields=["feedback_due_on", "updated_at"])
    audit_record(
        actor=actor,
        action="disclosure.feedback_extended",
        disclosure_id=locked.pk,
        object_type="disclosure",
        object_id=locked.reference,
        details={
            "from": extension.previous_due_on.isoformat(),
            "to": new_due_on.isoformat(),
        },
    )
    return extension


def deadlines_mark_missed(*, today: dt.date | None = None) -> int:
    """Mark every deadline whose date has passed unsettled as MISSED (run by the worker).

    One conditional UPDATE per case, so two workers sweeping at once mark (and audit) each
    case once. It runs over every organisation on purpose: it only marks dates; the alerts
    it leads to go to each case's own organisation's staff (notifications.deadline_alerts
    asks cases.permissions, which refuses another organisation's staff).
    """
    today = today or timezone.localdate()
    received_before = today - dt.timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)
    marked = 0
    ack_late = Disclosure.objects.filter(
        status=Status.RECEIVED, acknowledgement_timeliness="", received_on__lt=received_before
    )
    feedback_late = Disclosure.objects.filter(
        feedback_given_on__isnull=True, feedback_timeliness="", feedback_due_on__lt=today
    )
    for field, candidates, what in (
        ("acknowledgement_timeliness", ack_late, "acknowledgement"),
        ("feedback_timeliness", feedback_late, "feedback"),
    ):
        for pk, reference in candidates.values_list("pk", "reference")[:SWEEP_BATCH]:
            with transaction.atomic():
                claimed = candidates.filter(pk=pk).update(**{field: Timeliness.MISSED})
                if claimed:
                    audit_record(
                        actor="system",
                        action="disclosure.deadline_missed",
                        disclosure_id=pk,
                        object_type="disclosure",
                        object_id=reference,
                        details={"deadline": what},
                    )
                    marked += claimed
    return marked
