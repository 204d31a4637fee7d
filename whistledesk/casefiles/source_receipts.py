"""A follow-up inbox for a whistleblower who phoned, wrote or emailed; the conversation key.

Staff recording a letter, call, email or tribunal claim can give the whistleblower a receipt
(read out on the phone, printed in a letter). It is made and sealed exactly as a web
receipt is (`casefiles.services.SourceCredentials`, docs/adr/0002): a new key pair wrapped
under the receipt, a peppered lookup, and the case's *conversation key* sealed to the
public half. The receipt is returned once and never stored.

The conversation key also seals what the whistleblower may read besides messages (a copy
of the call notes for them to check): `conversation_seal` / `conversation_open` for staff,
`source_seal` / `source_open` for the signed-in whistleblower.

Storage only: which cases may have a receipt, and what is shared, is decided by the caller
(cases.receipts, cases.call_notes). Access is asked of cases.permissions first.
"""

from __future__ import annotations

from django.db import transaction

from whistledesk.accounts.models import User
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.models import DocumentKind, KeyScope, SealedDocument, SourceAccount
from whistledesk.casefiles.services import (
    SourceCredentials,
    SourceSession,
    _new_source_account,
    _require,
    _staff_data_key,
)
from whistledesk.cases.models import Disclosure
from whistledesk.cases.permissions import Perm
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError


class ReceiptExists(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "This whistleblower already has a receipt. It was shown once, when it was issued, "
            "and cannot be shown again."
        )


def source_receipt_prepare() -> SourceCredentials:
    """The slow part (two Argon2id runs), done before any transaction holds the audit lock."""
    return SourceCredentials.new()


def source_receipt_issue(
    *,
    actor: User,
    disclosure: Disclosure,
    private_key: bytes,
    credentials: SourceCredentials | None = None,
) -> str:
    """Open a follow-up inbox on a staff-recorded case. Returns the receipt (only time).

    Audited as "receipt.issued" (no content). ReceiptExists if the case has one already.
    """
    _require(actor, Perm.MESSAGE_SOURCE, disclosure)
    credentials = credentials or source_receipt_prepare()
    with transaction.atomic():
        # One receipt per case, even when two members of staff press the button at once.
        Disclosure.objects.select_for_update().filter(pk=disclosure.pk).first()
        if SourceAccount.objects.filter(disclosure=disclosure).exists():
            raise ReceiptExists()
        data_key = _staff_data_key(disclosure, actor, private_key)
        receipt = _new_source_account(disclosure, data_key, credentials)
        audit_record(
            actor=actor,
            action="receipt.issued",
            disclosure_id=disclosure.pk,
            object_type="disclosure",
            object_id=disclosure.reference,
            details={"channel": disclosure.channel},
        )
    return receipt


def conversation_seal(
    *, actor: User, disclosure: Disclosure, private_key: bytes, text: str
) -> bytes:
    """`text` sealed so that the whistleblower's receipt (and the case key) opens it."""
    _require(actor, Perm.MESSAGE_SOURCE, disclosure)
    key = crypto.conversation_key(_staff_data_key(disclosure, actor, private_key))
    return crypto.encrypt_text(key, text)


def conversation_open(
    *, actor: User, disclosure: Disclosure, private_key: bytes, token: bytes
) -> str:
    _require(actor, Perm.OPEN_CONTENT, disclosure)
    if not token:
        return ""
    key = crypto.conversation_key(_staff_data_key(disclosure, actor, private_key))
    return crypto.decrypt_text(key, bytes(token))


def source_seal(*, source: SourceSession, text: str) -> bytes:
    return crypto.encrypt_text(source.conversation_key, text)


def source_open(*, source: SourceSession, token: bytes) -> str:
    return crypto.decrypt_text(source.conversation_key, bytes(token)) if token else ""


def latest_call_notes(*, actor: User, disclosure: Disclosure, private_key: bytes) -> str:
    """The newest call notes of the case ("" when there are none). Audited as a read."""
    _require(actor, Perm.OPEN_CONTENT, disclosure)
    doc = (
        SealedDocument.objects.filter(
            disclosure=disclosure, kind=DocumentKind.CALL_NOTES, scope=KeyScope.CASE
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if doc is None:
        return ""
    text = crypto.decrypt_text(
        _staff_data_key(disclosure, actor, private_key), bytes(doc.ciphertext)
    )
    audit_record(
        actor=actor,
        action="casefile.read",
        disclosure_id=disclosure.pk,
        object_type="document",
        object_id=doc.pk,
        details={"kind": DocumentKind.CALL_NOTES.value},
    )
    return text
