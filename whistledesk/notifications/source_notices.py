"""A whistleblower's "you have a new message" email, queued when staff write to them.

Called inside the transaction that stores the staff message (casefiles.services.
message_send_to_source), so the notice is queued if and only if the message is stored.
The web process never opens the address: the queued row points at the sealed address
and the worker opens it when it sends (outbox.email_deliver). One notice is enough for
several messages: while one is still waiting to go, no second is queued.
"""

from __future__ import annotations

from whistledesk.casefiles.models import SourceEmail
from whistledesk.core.language import public_language_override
from whistledesk.notifications.messages import Composed, compose_source_notice
from whistledesk.notifications.models import SOURCE_NOTICE, EmailStatus, OutboundEmail
from whistledesk.notifications.outbox import email_queue
from whistledesk.organisation.models import Organisation


def _enqueue_send(email_id: int) -> None:
    from whistledesk.notifications.tasks import email_send

    email_send.enqueue(email_id)


def _composed_in(organisation: Organisation, language: str) -> Composed:
    # In the language the whistleblower used, with the sign-in link to that language's page.
    with public_language_override(language):
        return compose_source_notice(organisation=organisation, language=language)


def source_notice_queue(*, disclosure_id: int) -> OutboundEmail | None:
    """Queue the notice if the whistleblower asked for one; None if not (or one waits)."""
    address = (
        SourceEmail.objects.filter(disclosure_id=disclosure_id)
        .select_related("disclosure__organisation")
        .first()
    )
    if address is None:
        return None
    if OutboundEmail.objects.filter(
        source_email=address, status=EmailStatus.PENDING, attempts=0
    ).exists():
        return None
    # The case's own organisation: its address is the only link the notice carries.
    organisation = address.disclosure.organisation
    return email_queue(
        organisation=organisation,
        kind=SOURCE_NOTICE,
        to="",
        composed=_composed_in(organisation, address.disclosure.language),
        enqueue=_enqueue_send,
        source_email=address,
    )
