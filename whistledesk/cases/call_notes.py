"""A caller checks the record of their call (EU Directive 2019/1937 Art 18(2)).

Staff share the newest call notes of a helpline case with the caller's follow-up inbox (at
once when they issue the receipt, and again after correcting the notes); the caller agrees
them or asks for a correction in their own words. The answer is recorded on the case
(`CallNotesReview`), shown to the handler on the case page, and audited. The notes copy and
the correction are sealed under the conversation key: the caller's receipt and the case
key open them, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.accounts.keyring import KeyLocked
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.selectors import has_source_inbox
from whistledesk.casefiles.services import SOURCE_ACTOR, SourceSession
from whistledesk.casefiles.source_receipts import (
    conversation_open,
    conversation_seal,
    latest_call_notes,
    source_open,
    source_seal,
)
from whistledesk.cases.models import CallNotesReview, Channel, Disclosure, ReviewStatus
from whistledesk.cases.permissions import Perm, can_act_on, require
from whistledesk.core.exceptions import DomainError

MAX_CORRECTION_CHARS = 5000


@dataclass(frozen=True)
class OpenedReview:
    id: int
    notes: str
    status: str
    status_label: str
    shared_at: datetime
    responded_at: datetime | None
    correction: str


def _opened(review: CallNotesReview, notes: str, correction: str) -> OpenedReview:
    return OpenedReview(
        id=review.pk,
        notes=notes,
        status=review.status,
        status_label=ReviewStatus(review.status).label,
        shared_at=review.shared_at,
        responded_at=review.responded_at,
        correction=correction,
    )


def call_notes_share_in_transaction(
    *, actor: Any, disclosure: Disclosure, private_key: bytes, missing_ok: bool = False
) -> CallNotesReview | None:
    """Share the newest call notes with the caller (inside the caller's transaction)."""
    require(actor, Perm.MESSAGE_SOURCE, disclosure)
    if disclosure.channel != Channel.HELPLINE:
        raise DomainError("Only the notes of a helpline call are shared with the caller.")
    if not has_source_inbox(disclosure):
        raise DomainError("Issue the caller a receipt first: the notes go to their inbox.")
    notes = latest_call_notes(actor=actor, disclosure=disclosure, private_key=private_key)
    if not notes.strip():
        if missing_ok:
            return None
        raise DomainError("This case has no call notes to share.")
    review = CallNotesReview.objects.create(
        disclosure=disclosure,
        notes_ciphertext=conversation_seal(
            actor=actor, disclosure=disclosure, private_key=private_key, text=notes
        ),
        shared_by=actor,
    )
    audit_record(
        actor=actor,
        action="call_notes.shared",
        disclosure_id=disclosure.pk,
        object_type="call_notes_review",
        object_id=review.pk,
    )
    return review


def call_notes_share(
    *, actor: Any, disclosure: Disclosure, private_key: bytes | None
) -> CallNotesReview:
    if private_key is None:
        raise KeyLocked()
    with transaction.atomic():
        review = call_notes_share_in_transaction(
            actor=actor, disclosure=disclosure, private_key=private_key
        )
    assert review is not None  # (missing notes raised)
    return review


def call_notes_for_source(*, source: SourceSession) -> OpenedReview | None:
    """The newest call notes shared with this caller, and their answer so far."""
    review = (
        CallNotesReview.objects.filter(disclosure=source.disclosure)
        .order_by("-shared_at", "-id")
        .first()
    )
    if review is None:
        return None
    return _opened(
        review,
        source_open(source=source, token=bytes(review.notes_ciphertext)),
        source_open(source=source, token=bytes(review.correction_ciphertext)),
    )


def call_notes_respond(
    *, source: SourceSession, review_id: int, agree: bool, correction: str = ""
) -> CallNotesReview:
    """The caller agrees the notes, or asks for a correction (their text is required)."""
    correction = correction.strip()
    if len(correction) > MAX_CORRECTION_CHARS:
        raise DomainError(
            f"Your correction is too long: keep it under {MAX_CORRECTION_CHARS:,} characters.",
            field="correction",
        )
    with transaction.atomic():
        review = (
            CallNotesReview.objects.select_for_update()
            .filter(disclosure=source.disclosure)
            .order_by("-shared_at", "-id")
            .first()
        )
        if review is None or review.pk != review_id:
            raise DomainError("These notes have been replaced: read the newest ones below.")
        if review.status != ReviewStatus.AWAITING:
            raise DomainError("You have already answered about these notes.")
        if not agree and not correction:
            raise DomainError("Say what is wrong or missing in the notes.", field="correction")
        review.status = ReviewStatus.AGREED if agree else ReviewStatus.CORRECTION
        review.responded_at = timezone.now()
        review.correction_ciphertext = b"" if agree else source_seal(source=source, text=correction)
        review.save(update_fields=["status", "responded_at", "correction_ciphertext"])
        audit_record(
            actor=SOURCE_ACTOR,
            action="call_notes.agreed" if agree else "call_notes.correction_requested",
            disclosure_id=source.disclosure.pk,
            object_type="call_notes_review",
            object_id=review.pk,
        )
    return review


def call_notes_for_staff(
    *, actor: Any, disclosure: Disclosure, private_key: bytes | None
) -> list[OpenedReview]:
    """Every share of the call notes, newest first. Texts only for someone who may read
    the case and holds its key; the others see the statuses."""
    reviews = list(
        CallNotesReview.objects.filter(disclosure=disclosure).order_by("-shared_at", "-id")
    )
    readable = private_key is not None and can_act_on(actor, Perm.OPEN_CONTENT, disclosure)
    out = []
    for review in reviews:
        notes = correction = ""
        if readable and private_key is not None:
            try:
                notes = conversation_open(
                    actor=actor,
                    disclosure=disclosure,
                    private_key=private_key,
                    token=bytes(review.notes_ciphertext),
                )
                correction = conversation_open(
                    actor=actor,
                    disclosure=disclosure,
                    private_key=private_key,
                    token=bytes(review.correction_ciphertext),
                )
            except DomainError:
                readable = False
        out.append(_opened(review, notes, correction))
    return out
