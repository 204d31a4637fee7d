"""What each event sends, and to whom. Called by the tasks (in the worker), never by a request.

Each function reads the case only for its reference and the people on it; the words come
from messages.py, which is never given case content. Every email goes to the case's own
organisation's staff and names that organisation's address; the digest runs once per
organisation, inside `tenancy.activate(org)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from whistledesk.accounts.roles import Role
from whistledesk.cases.clock import ACKNOWLEDGE_WITHIN_DAYS, acknowledgement_due
from whistledesk.cases.models import Disclosure, Status
from whistledesk.notifications.deadline_alerts import reminder_digest_lines
from whistledesk.notifications.messages import (
    DigestLine,
    compose_case_alert,
    compose_digest,
)
from whistledesk.notifications.models import AlertKind
from whistledesk.notifications.outbox import email_queue
from whistledesk.notifications.preferences import recipients
from whistledesk.organisation import tenancy
from whistledesk.organisation.models import Organisation

# The digest lists what falls due within this many days, and everything overdue.
DIGEST_HORIZON_DAYS = 3


def _enqueue_send(email_id: int) -> None:
    from whistledesk.notifications.tasks import email_send

    email_send.enqueue(email_id)


def _send(kind: AlertKind, people: list[Any], disclosure: Disclosure) -> int:
    organisation = disclosure.organisation
    composed = compose_case_alert(kind, disclosure.reference, organisation=organisation)
    with transaction.atomic():
        for person in people:
            email_queue(
                organisation=organisation,
                kind=kind,
                to=person.email,
                composed=composed,
                enqueue=_enqueue_send,
            )
    return len(people)


def alerts_disclosure_received(*, disclosure_id: int) -> int:
    """New disclosure to intake officers and managers; immediate risk to safeguarding leads."""
    disclosure = (
        Disclosure.objects.select_related("organisation").filter(pk=disclosure_id).first()
    )
    if disclosure is None:
        return 0
    org = disclosure.organisation
    sent = 0
    with tenancy.activate(org):
        if disclosure.immediate_risk_answer == "yes" or disclosure.safeguarding_open:
            people = recipients(AlertKind.IMMEDIATE_RISK, organisation=org)
            sent += _send(AlertKind.IMMEDIATE_RISK, people, disclosure)
        people = recipients(AlertKind.NEW_DISCLOSURE, organisation=org)
        sent += _send(AlertKind.NEW_DISCLOSURE, people, disclosure)
    return sent


def alerts_source_message(*, disclosure_id: int) -> int:
    """A reply or file from the whistleblower: to the handler (the managers if none yet)."""
    disclosure = (
        Disclosure.objects.select_related("organisation").filter(pk=disclosure_id).first()
    )
    if disclosure is None:
        return 0
    org = disclosure.organisation
    users = get_user_model().objects.filter(organisation=org)
    if disclosure.handler_id:
        among = users.filter(pk=disclosure.handler_id)
    else:
        among = users.filter(groups__name=Role.MANAGER.value)
    with tenancy.activate(org):
        people = recipients(AlertKind.SOURCE_MESSAGE, organisation=org, among=among)
        return _send(AlertKind.SOURCE_MESSAGE, people, disclosure)


def digest_lines(*, user: Any, today: dt.date) -> list[DigestLine]:
    """Acknowledgement, feedback and reassurance dates due soon or passed, on cases this
    person looks after: all open cases for managers and intake officers, their own otherwise."""
    horizon = today + dt.timedelta(days=DIGEST_HORIZON_DAYS)
    # The person's own organisation's cases only (an account belongs to one, ADR 0017).
    cases = Disclosure.objects.filter(organisation_id=user.organisation_id).exclude(
        status=Status.CLOSED
    )
    if not (user.has_role(Role.MANAGER) or user.has_role(Role.INTAKE_OFFICER)):
        cases = cases.filter(handler=user)
    lines: list[DigestLine] = []
    received_by = horizon - dt.timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)
    for ref, received in cases.filter(
        status=Status.RECEIVED, received_on__lte=received_by
    ).values_list("reference", "received_on")[:200]:
        lines.append(DigestLine(ref, "Acknowledgement", acknowledgement_due(received).isoformat()))
    for ref, due in cases.filter(
        feedback_given_on__isnull=True, feedback_due_on__lte=horizon
    ).values_list("reference", "feedback_due_on")[:200]:
        lines.append(DigestLine(ref, "Feedback", str(due)))
    for ref, due in cases.filter(
        ~Q(next_reassurance_due=None), next_reassurance_due__lte=horizon
    ).values_list("reference", "next_reassurance_due")[:200]:
        lines.append(DigestLine(ref, "Reassurance", str(due)))
    lines += reminder_digest_lines(user=user, horizon=horizon)
    return sorted(lines, key=lambda line: (line.due_on, line.reference))


def digest_send(*, today: dt.date | None = None) -> int:
    """Each person who wants the digest and has something due gets one email: every
    organisation's staff, each organisation in turn."""
    today = today or timezone.localdate()
    sent = 0
    for organisation in Organisation.objects.order_by("id"):
        with tenancy.activate(organisation):
            sent += _digest_send_for(organisation, today)
    return sent


def _digest_send_for(organisation: Organisation, today: dt.date) -> int:
    sent = 0
    with transaction.atomic():
        for person in recipients(AlertKind.DAILY_DIGEST, organisation=organisation):
            lines = digest_lines(user=person, today=today)
            if lines:
                email_queue(
                    organisation=organisation,
                    kind=AlertKind.DAILY_DIGEST,
                    to=person.email,
                    composed=compose_digest(lines, organisation=organisation),
                    enqueue=_enqueue_send,
                )
                sent += 1
    return sent
