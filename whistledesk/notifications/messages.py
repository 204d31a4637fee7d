"""The words of every staff email. Content-free by construction: each function takes only a
case reference (or references) and builds a sign-in link; it is never handed a case.

Every link is the organisation's own address (organisation.tenancy.public_reverse): an
office's staff and whistleblowers are never sent to another office's pages.

No name, narrative, setting, service or outcome may reach an email: a mailbox is read on
phones, forwarded and kept for years (issue 10). tests/notifications/test_content_free.py
sends every kind for a case full of canary values and reads what arrives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

from whistledesk.notifications.models import AlertKind
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.tenancy import public_reverse


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str


def sign_in_link(organisation: Organisation) -> str:
    return public_reverse(organisation, "accounts:login")


def _footer(organisation: Organisation) -> str:
    return (
        f"\n\nSign in to read it: {sign_in_link(organisation)}\n\n"
        "You can change which emails you get under Sign-in and security, Email alerts."
    )


def compose_case_alert(
    kind: AlertKind, reference: str, *, organisation: Organisation
) -> Composed:
    footer = _footer(organisation)
    service = settings.WHISTLEDESK_SERVICE_NAME
    if kind == AlertKind.IMMEDIATE_RISK:
        return Composed(
            subject=f"{service}: urgent disclosure {reference}",
            body=f"Disclosure {reference} needs a safeguarding lead now." + footer,
        )
    if kind == AlertKind.SOURCE_MESSAGE:
        return Composed(
            subject=f"{service}: new message on {reference}",
            body=f"The whistleblower has sent something new on {reference}." + footer,
        )
    if kind == AlertKind.REASSURANCE_OVERDUE:
        return Composed(
            subject=f"{service}: reassurance overdue on {reference}",
            body=f"A referral's reassurance date has passed without a response on {reference}."
            + footer,
        )
    if kind == AlertKind.CASE_REMINDER:
        return Composed(
            subject=f"{service}: reminder on {reference}",
            body=f"You set a reminder for today on {reference}." + footer,
        )
    return Composed(
        subject=f"{service}: new disclosure {reference}",
        body=f"A new disclosure has arrived: {reference}." + footer,
    )


@dataclass(frozen=True)
class DigestLine:
    reference: str
    what: str  # "Acknowledgement", "Feedback", "Reassurance" or "Reminder": never content
    due_on: str  # ISO date


def compose_digest(lines: Sequence[DigestLine], *, organisation: Organisation) -> Composed:
    footer = _footer(organisation)
    service = settings.WHISTLEDESK_SERVICE_NAME
    rows = "\n".join(f"- {line.reference}: {line.what} due {line.due_on}" for line in lines)
    return Composed(
        subject=f"{service}: {len(lines)} deadline(s) due or overdue",
        body="Due in the next few days or overdue:\n\n" + rows + footer,
    )


def compose_source_notice(*, organisation: Organisation, language: str = "en") -> Composed:
    """A whistleblower's notice (docs/adr/0011): the same words every time, with nothing of
    the case, the office or its subject; the only link is the follow-up inbox's sign-in."""
    link = public_reverse(organisation, "intake:inbox_sign_in", language=language)
    return Composed(
        subject=gettext("You have a new message"),
        body=gettext("You have a new message. Sign in with your receipt at {link}").format(
            link=link
        )
        + "\n",
    )
