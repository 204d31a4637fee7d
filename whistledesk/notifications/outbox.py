"""The outgoing email queue: record a message, send it once, retry with back-off, never drop it.

`email_queue` writes the row and enqueues its send task after the surrounding transaction
commits. `email_deliver` (run by the send task) claims the row with a conditional UPDATE, so
a message is handed to the mail server by one worker only; failures are retried up to
EMAIL_MAX_ATTEMPTS times, 1, 2, 4... minutes apart, then marked FAILED for managers to see.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from whistledesk.casefiles.models import SourceEmail
from whistledesk.casefiles.source_email import source_email_open_for_sending
from whistledesk.notifications.messages import Composed
from whistledesk.notifications.models import EmailStatus, OutboundEmail
from whistledesk.organisation.models import Organisation

logger = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 5
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
WITHHELD = "whistleblower@address-withheld.invalid"


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next try after `attempts` failures: 1, 2, 4, 8 minutes (x base)."""
    return dt.timedelta(seconds=settings.WHISTLEDESK_EMAIL_RETRY_SECONDS * 2 ** (attempts - 1))


def email_queue(
    *,
    organisation: Organisation,
    kind: str,
    to: str,
    composed: Composed,
    enqueue: Callable[[int], None],
    source_email: SourceEmail | None = None,
) -> OutboundEmail:
    """`source_email` instead of `to` for a whistleblower's notice (the address stays sealed)."""
    email = OutboundEmail.objects.create(
        organisation=organisation,
        kind=kind,
        to=to,
        subject=composed.subject,
        body=composed.body,
        source_email=source_email,
    )
    transaction.on_commit(lambda: enqueue(email.pk))
    return email


def email_deliver(*, email_id: int) -> dt.datetime | None:
    """Send one queued email. Returns when to try again, or None when there is nothing more."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.PENDING).update(
        status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None  # sent, failed for good, or claimed by another worker
    email = OutboundEmail.objects.select_related("source_email").filter(pk=email_id).first()
    if email is None:
        return None  # a whistleblower removed their address meanwhile (deleted with it)
    try:
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[_recipient(email)],
        )
        get_connection().send_messages([message])
    except Exception as exc:  # any transport error: retried, then shown to managers
        error = type(exc).__name__
        logger.warning("Email %s failed (attempt %s): %s", email.pk, email.attempts, error)
        final = email.attempts >= EMAIL_MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.FAILED if final else EmailStatus.PENDING,
            last_error=error,
            claimed_at=None,
        )
        return None if final else timezone.now() + backoff(email.attempts)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return None


def _recipient(email: OutboundEmail) -> str:
    if email.source_email is None:
        return email.to
    # Opened here, in the worker, at the moment of sending; never stored or logged.
    if settings.EMAIL_BACKEND == CONSOLE_BACKEND:
        return WITHHELD  # the console is a log: local mode prints a stand-in
    return source_email_open_for_sending(email.source_email)


def email_problems(*, organisation: Organisation) -> list[OutboundEmail]:
    """What managers see: their organisation's emails that failed for good, and ones still
    being retried."""
    return list(
        OutboundEmail.objects.filter(
            organisation=organisation,
            status__in=[EmailStatus.FAILED, EmailStatus.PENDING],
            attempts__gt=0,
        ).order_by("-created_at")[:50]
    )


def email_retry(
    *, organisation: Organisation, email_id: int, enqueue: Callable[[int], None]
) -> bool:
    """A manager sends a failed email again (after fixing the settings)."""
    with transaction.atomic():
        again = OutboundEmail.objects.filter(
            pk=email_id, organisation=organisation, status=EmailStatus.FAILED
        ).update(status=EmailStatus.PENDING, attempts=0)
        if again:
            transaction.on_commit(lambda: enqueue(email_id))
    return bool(again)


def email_failed_count(*, organisation: Organisation) -> int:
    return OutboundEmail.objects.filter(
        organisation=organisation, status=EmailStatus.FAILED
    ).count()
