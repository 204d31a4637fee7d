"""Follow-up for every channel: receipts for staff-recorded disclosures, and the
acknowledgement, feedback and outcome messages (EU Directive 2019/1937 Art 11(2)).

    receipt = receipt_issue(actor=user, disclosure=d, private_key=key)   # shown once
    draft = followup_draft(disclosure=d, kind="feedback")                # template, filled in
    sent = followup_message_send(actor=user, disclosure=d, kind="feedback", body=text,
                                 private_key=key, via="letter")

A whistleblower with a follow-up inbox (web, or given a receipt) gets the message there;
for the others staff choose a PDF letter (cases.letters) or email text to copy. Every
message sent is recorded on the case (`FollowupSent`: kind, how, when, by whom, the
template's wording, and the text sent sealed under the case's notes key) and audited.
Other services (e.g. an out-of-remit signpost) call `followup_message_send` too.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.accounts.keyring import KeyLocked
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.notes import _notes_key
from whistledesk.casefiles.selectors import has_source_inbox
from whistledesk.casefiles.services import MAX_MESSAGE_CHARS, message_send_to_source
from whistledesk.casefiles.source_receipts import (
    ReceiptExists,
    source_receipt_issue,
    source_receipt_prepare,
)
from whistledesk.cases.call_notes import call_notes_share_in_transaction
from whistledesk.cases.deadlines import deadline_feedback_given
from whistledesk.cases.models import Channel, Disclosure, FollowupKind, FollowupSent, FollowupVia
from whistledesk.cases.permissions import Perm, require
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.followup_wording import followup_message

__all__ = [
    "ReceiptExists",
    "followup_draft",
    "followup_message_send",
    "followup_vias",
    "receipt_issue",
]

# Channels whose whistleblower has no inbox unless staff issue a receipt.
RECEIPT_CHANNELS = (Channel.LETTER, Channel.EMAIL, Channel.HELPLINE, Channel.TRIBUNAL)


def receipt_issue(*, actor: Any, disclosure: Disclosure, private_key: bytes | None) -> str:
    """Give the whistleblower of a letter, call, email or tribunal claim a receipt that opens
    the follow-up inbox. For a call, the call notes are shared with them at once to check.

    Returns the receipt: the only time it exists. Audited as "receipt.issued".
    """
    if private_key is None:
        raise KeyLocked()
    require(actor, Perm.MESSAGE_SOURCE, disclosure)
    if disclosure.channel not in RECEIPT_CHANNELS:
        raise DomainError("Only a disclosure recorded by staff can be given a receipt here.")
    if has_source_inbox(disclosure):
        raise ReceiptExists()
    credentials = source_receipt_prepare()  # Argon2id, outside the transaction
    with transaction.atomic():
        receipt = source_receipt_issue(
            actor=actor, disclosure=disclosure, private_key=private_key, credentials=credentials
        )
        if disclosure.channel == Channel.HELPLINE:
            call_notes_share_in_transaction(
                actor=actor, disclosure=disclosure, private_key=private_key, missing_ok=True
            )
    return receipt


def followup_vias(disclosure: Disclosure) -> list[FollowupVia]:
    """How a message can reach this whistleblower: their inbox if they have one."""
    if has_source_inbox(disclosure):
        return [FollowupVia.INBOX]
    return [FollowupVia.LETTER, FollowupVia.EMAIL]


def followup_draft(*, disclosure: Disclosure, kind: str) -> str:
    """The organisation's template for `kind`, filled in for this case."""
    return followup_message(disclosure.organisation, FollowupKind(kind).value, disclosure)


def followup_message_send(
    *,
    actor: Any,
    disclosure: Disclosure,
    kind: str,
    body: str,
    private_key: bytes | None,
    via: str | None = None,
) -> FollowupSent:
    """Send (inbox) or produce (letter, email text) a follow-up message, and record it.

    `via` defaults to the inbox when the whistleblower has one, else a letter. Runs in one
    transaction with its audit event ("followup.sent": kind and how, never the text).
    """
    try:
        kind = FollowupKind(kind)
    except ValueError as exc:
        raise DomainError("Choose which message to send.", field="kind") from exc
    body = body.strip()
    if not body:
        raise DomainError("Write the message.", field="body")
    if len(body) > MAX_MESSAGE_CHARS:
        raise DomainError(
            f"The message is too long: keep it under {MAX_MESSAGE_CHARS:,} characters.",
            field="body",
        )
    allowed = followup_vias(disclosure)
    chosen = FollowupVia(via) if via in FollowupVia.values else allowed[0]
    if chosen not in allowed:
        raise DomainError(
            "This whistleblower has a follow-up inbox: send it there."
            if allowed == [FollowupVia.INBOX]
            else "This whistleblower has no follow-up inbox: make a letter or an email.",
            field="via",
        )
    if kind == FollowupKind.OUTCOME and disclosure.outcome_id is None:
        raise DomainError("Close the case with an outcome before sending the outcome.")
    if private_key is None:
        raise KeyLocked()
    require(actor, Perm.MESSAGE_SOURCE, disclosure)
    with transaction.atomic():
        if chosen == FollowupVia.INBOX:
            message_send_to_source(
                actor=actor, disclosure=disclosure, text=body, private_key=private_key
            )
        sent = FollowupSent.objects.create(
            disclosure=disclosure,
            kind=kind,
            via=chosen,
            template_text=getattr(disclosure.organisation, f"followup_{kind.value}", ""),
            body_sealed=_seal(disclosure, body, private_key, actor),
            sent_by=actor,
        )
        # Feedback (or the outcome, which is final feedback) given today: the deadline's
        # one authority (cases.deadlines) records it; the first feedback settles it.
        if kind != FollowupKind.ACKNOWLEDGEMENT:
            locked = Disclosure.objects.select_for_update().get(
                pk=disclosure.pk, organisation_id=disclosure.organisation_id
            )
            deadline_feedback_given(locked, timezone.localdate())
            disclosure.feedback_given_on = locked.feedback_given_on
            disclosure.feedback_timeliness = locked.feedback_timeliness
        audit_record(
            actor=actor,
            action="followup.sent",
            disclosure_id=disclosure.pk,
            object_type="followup",
            object_id=sent.pk,
            details={"kind": kind.value, "via": chosen.value},
        )
    return sent


def _seal(disclosure: Disclosure, body: str, private_key: bytes, actor: Any) -> bytes:
    # Under the notes key like every casework note, but not cut at the notes' 2,000
    # characters: a letter may be longer (it is capped at MAX_MESSAGE_CHARS above).
    key = _notes_key(disclosure=disclosure, actor=actor, private_key=private_key)
    return crypto.encrypt_text(key, body)
