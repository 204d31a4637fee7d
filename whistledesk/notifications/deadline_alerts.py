"""The deadlines job (run by the worker on the scheduler's "deadlines" entry): mark missed
deadlines, chase overdue reassurance, send the reminders staff set on cases.

Every email is content-free (messages.py: a reference and the sign-in link). Each chase and
each reminder is claimed with a conditional UPDATE in the transaction that queues its
emails, so however many workers run the job at once, each is sent once. The job covers
every organisation: each email goes from the case it concerns to that organisation's staff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from whistledesk.accounts.roles import Role
from whistledesk.cases.deadlines import deadlines_mark_missed
from whistledesk.cases.models import CaseReminder, Disclosure, Referral, Status
from whistledesk.cases.permissions import Perm, can_act_on
from whistledesk.notifications.messages import DigestLine, compose_case_alert
from whistledesk.notifications.models import AlertKind
from whistledesk.notifications.outbox import email_queue
from whistledesk.notifications.preferences import recipients
from whistledesk.organisation import tenancy

# At most this many chases and reminders per run; the next run (minutes later) takes the rest.
BATCH = 200


def _enqueue_send(email_id: int) -> None:
    from whistledesk.notifications.tasks import email_send

    email_send.enqueue(email_id)


def _queue(kind: AlertKind, people: list[Any], disclosure: Disclosure) -> int:
    """To the case's own organisation's staff, with its own address."""
    organisation = disclosure.organisation
    composed = compose_case_alert(kind, disclosure.reference, organisation=organisation)
    with tenancy.activate(organisation):
        for person in people:
            email_queue(
                organisation=organisation,
                kind=kind,
                to=person.email,
                composed=composed,
                enqueue=_enqueue_send,
            )
    return len(people)


def _chase_people(referral: Referral) -> list[Any]:
    """The handler (the managers when there is none); safeguarding leads too on urgent cases.
    Nobody with a conflict of interest on the case."""
    disclosure = referral.disclosure
    org = disclosure.organisation
    users = get_user_model().objects.filter(organisation=org)
    if disclosure.handler_id:
        among = users.filter(pk=disclosure.handler_id)
    else:
        among = users.filter(groups__name=Role.MANAGER.value)
    if disclosure.urgent or disclosure.safeguarding_open:
        among = users.filter(
            Q(pk__in=among.values("pk")) | Q(groups__name=Role.SAFEGUARDING_LEAD.value)
        ).distinct()
    people = recipients(AlertKind.REASSURANCE_OVERDUE, organisation=org, among=among)
    return [p for p in people if can_act_on(p, Perm.VIEW_CASE, disclosure)]


def reassurance_chase(*, today: dt.date | None = None) -> int:
    """Chase each referral whose reassurance date has passed without a response, once per
    date (a new date set later is chased again). Returns the emails queued."""
    today = today or timezone.localdate()
    due = (
        Referral.objects.filter(response_received_on__isnull=True, reassurance_due__lt=today)
        .exclude(disclosure__status=Status.CLOSED)
        .filter(Q(chased_for__isnull=True) | ~Q(chased_for=F("reassurance_due")))
    )
    sent = 0
    for referral in due.select_related("disclosure__organisation")[:BATCH]:
        with transaction.atomic():
            claimed = due.filter(pk=referral.pk).update(chased_for=F("reassurance_due"))
            if claimed:
                sent += _queue(
                    AlertKind.REASSURANCE_OVERDUE,
                    _chase_people(referral),
                    referral.disclosure,
                )
    return sent


def reminders_send(*, today: dt.date | None = None) -> int:
    """Email each person their reminders whose date has come, once. Returns emails queued."""
    today = today or timezone.localdate()
    due = CaseReminder.objects.filter(
        remind_on__lte=today, sent_at__isnull=True, done_at__isnull=True
    )
    sent = 0
    for reminder in due.select_related("disclosure__organisation", "user")[:BATCH]:
        with transaction.atomic():
            if not due.filter(pk=reminder.pk).update(sent_at=timezone.now()):
                continue
            person = reminder.user
            # Someone who has since lost the case (a conflict, deactivation) is not written to.
            if not can_act_on(person, Perm.VIEW_CASE, reminder.disclosure):
                continue
            people = recipients(
                AlertKind.CASE_REMINDER,
                organisation=reminder.disclosure.organisation,
                among=get_user_model().objects.filter(pk=person.pk),
            )
            sent += _queue(AlertKind.CASE_REMINDER, people, reminder.disclosure)
    return sent


def deadlines_run(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return {
        "missed": deadlines_mark_missed(today=today),
        "chased": reassurance_chase(today=today),
        "reminded": reminders_send(today=today),
    }


def reminder_digest_lines(*, user: Any, horizon: dt.date) -> list[DigestLine]:
    """The person's own open reminders due by `horizon`, for their daily digest."""
    return [
        DigestLine(reference, "Reminder", remind_on.isoformat())
        for reference, remind_on in CaseReminder.objects.filter(
            user_id=user.pk, done_at__isnull=True, remind_on__lte=horizon
        ).values_list("disclosure__reference", "remind_on")[:200]
    ]
