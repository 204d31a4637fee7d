"""The public submission: one transaction that records the disclosure and seals its case file.

The receipt is returned only after the transaction has committed, so nobody is ever given
a receipt for a disclosure that was not stored; and if anything fails, nothing is stored.
A draft is sent at most once: its token is claimed (a unique row) in the same transaction,
so a second "Send" of the same draft gets the first one's result, never a second case.

The disclosure is recorded in the organisation the draft was started in, which must be the
organisation the request is for (ADR 0017): a draft is never sent to another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from whistledesk.casefiles.attachments import CleanAttachment
from whistledesk.casefiles.services import casefile_create, casefile_prepare
from whistledesk.cases.models import Channel, ConcernReason
from whistledesk.cases.safeguarding import (
    SAFEGUARDING_ROLES,
    safeguarding_concern_open_for_risk,
)
from whistledesk.cases.services import disclosure_record
from whistledesk.core.crypto import DecryptionFailed, secret_decrypt, secret_encrypt
from whistledesk.core.exceptions import DomainError
from whistledesk.core.language import public_language
from whistledesk.intake.answers import sealed_documents, service_for
from whistledesk.intake.draft import (
    STALE_AFTER,
    Draft,
    DraftFileLost,
    FileContent,
    draft_files_read,
)
from whistledesk.intake.flow import Flow
from whistledesk.intake.models import SentDraft
from whistledesk.intake.questions import service_labels
from whistledesk.notifications.tasks import disclosure_received
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.questionnaire_services import (
    questionnaire_current,
    questionnaire_version,
)
from whistledesk.organisation.selectors import organisation_get

# Who the audit log names for a public submission: never a person, never an address.
PUBLIC_ACTOR = "public"
# A sent draft's sealed receipt is kept no longer than a session can last unused.
RECEIPT_KEPT_FOR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Submission:
    reference: str
    receipt: str  # "" for a repeated send whose receipt has already been shown
    repeated: bool = False

    def __repr__(self) -> str:  # the receipt must never reach a log through a repr
        return f"Submission(reference={self.reference!r}, receipt=<hidden>)"


def _digest(token: str) -> str:
    # A 256-bit random token: a plain hash is enough to look it up (nothing to guess).
    return hashlib.sha256(token.encode()).hexdigest()


def _earlier(token: str, key: bytes, organisation: Organisation) -> Submission | None:
    """What an earlier send of this draft produced, or None if it was never sent."""
    row = SentDraft.objects.filter(
        organisation=organisation, token_digest=_digest(token)
    ).first()
    if row is None:
        return None
    try:
        data = json.loads(secret_decrypt(key, bytes(row.sealed)))
        return Submission(str(data["reference"]), str(data["receipt"]), repeated=True)
    except (DecryptionFailed, ValueError, KeyError, TypeError):
        # Blanked once the receipt page was shown: sent, but nothing more to show.
        return Submission("", "", repeated=True)


class DraftElsewhere(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "Your answers were not sent. Start again from the first page of this service."
        )


def submission_send(*, draft: Draft, organisation: Organisation) -> Submission:
    """Send a draft, once. Sending the same draft again returns the first send's result."""
    if draft.organisation != organisation.pk:
        # draft_load never hands over another organisation's draft: a bug, not a person.
        raise DraftElsewhere()
    if draft.token and draft.key:
        earlier = _earlier(draft.token, draft.key, organisation)
        if earlier is not None:
            return earlier
    try:
        files = draft_files_read(draft)
    except DraftFileLost:
        # A concurrent first send may have finished and removed the draft's files.
        earlier = _earlier(draft.token, draft.key, organisation) if draft.token else None
        if earlier is None:
            raise
        return earlier
    return submission_create(
        organisation=organisation,
        answers=draft.answers,
        attachments=files,
        send_token=draft.token,
        send_key=draft.key,
        questionnaire=draft.questionnaire,
    )


def submission_receipt_shown(*, organisation: Organisation, send_token: str) -> None:
    """The receipt has been shown: blank its sealed copy, keep the row to refuse a resend."""
    if send_token:
        SentDraft.objects.filter(
            organisation=organisation, token_digest=_digest(send_token)
        ).update(sealed=b"")


def submission_create(
    *,
    organisation: Organisation | None = None,
    answers: dict[str, Any],
    attachments: Sequence[FileContent] = (),
    send_token: str = "",
    send_key: bytes = b"",
    questionnaire: int = -1,
) -> Submission:
    """Record and seal one disclosure answering `questionnaire` (its number; -1: current),
    in `organisation` (default: the one this request or task is for)."""
    organisation = organisation or organisation_get()
    version = (
        questionnaire_version(organisation=organisation, number=questionnaire)
        if questionnaire >= 0
        else questionnaire_current(organisation=organisation)
    )
    flow = Flow(version.questionnaire, services=service_labels(organisation))
    answers = flow.prune(answers)
    at_risk = flow.is_urgent(answers)
    setting = version.questionnaire.setting
    # The slow work (cleaning files, two Argon2id runs for the receipt) before the
    # transaction: once it has appended its first audit event it holds the chain's head row,
    # and every other writer of the installation waits until it commits (docs/adr/0003).
    prepared = casefile_prepare(
        documents=sealed_documents(answers, flow=flow, number=version.number),
        # Cleaned when uploaded to the draft: not cleaned (mat2 run) a second time here.
        attachments=[
            CleanAttachment(filename=f.name, content_type=f.content_type, data=f.data)
            for f in attachments
        ],
        with_source=True,
    )
    with transaction.atomic():
        claim = None
        if send_token and send_key:
            now = timezone.now()
            SentDraft.objects.filter(created_at__lt=now - STALE_AFTER).delete()
            SentDraft.objects.filter(created_at__lt=now - RECEIPT_KEPT_FOR).update(sealed=b"")
            try:
                # On PostgreSQL a concurrent send of the same draft waits here until the
                # first commits; on SQLite the whole transaction waits for the write lock.
                with transaction.atomic():
                    claim = SentDraft.objects.create(
                        organisation=organisation, token_digest=_digest(send_token)
                    )
            except IntegrityError:
                earlier = _earlier(send_token, send_key, organisation)
                if earlier is None:
                    raise
                return earlier
        disclosure = disclosure_record(
            actor=PUBLIC_ACTOR,
            organisation=organisation,
            received_on=timezone.localdate(),
            channel=Channel.WEB,
            service=service_for(answers, organisation=organisation, flow=flow),
            qualifying=None,
            anonymous=answers.get("identity", "anonymous") == "anonymous",
            urgent=at_risk,
            # Blank when the questionnaire asks no question that marks a case urgent.
            immediate_risk_answer="yes" if at_risk else "no" if flow.has_urgent_question() else "",
            # Clear on purpose: staff search and link cases by the setting (ADR 0002).
            setting_name=str(answers.get(setting.id, "")) if setting else "",
            summary="",  # staff write the non-identifying summary after reading it
            # Emails to the whistleblower are written in the language they used.
            language=public_language(),
        )
        receipt = casefile_create(
            actor=PUBLIC_ACTOR,
            disclosure=disclosure,
            prepared=prepared,
            # The safeguarding leads must read the case to sign its concern off.
            extra_roles=SAFEGUARDING_ROLES if at_risk else (),
        )
        if at_risk:
            # A child reported at immediate risk: the case cannot close until a
            # safeguarding lead confirms the action taken (docs/adr/0007).
            safeguarding_concern_open_for_risk(
                actor=PUBLIC_ACTOR, disclosure=disclosure, reason=ConcernReason.WEB_ANSWER
            )
        # Staff alerts go out from the worker once the disclosure is committed.
        transaction.on_commit(partial(disclosure_received.enqueue, disclosure.pk))
        if claim is not None and receipt:
            payload = json.dumps({"reference": disclosure.reference, "receipt": receipt})
            claim.sealed = secret_encrypt(send_key, payload.encode())
            claim.save(update_fields=["sealed"])
    # Outside the block: the disclosure is committed before anyone sees the receipt.
    if not receipt:
        raise RuntimeError("case file created without a receipt")
    return Submission(reference=disclosure.reference, receipt=receipt)
