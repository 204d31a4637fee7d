"""Opening a case file with the organisation recovery key (offline key, typed in by hand).

The recovery key opens everything: the data key through its KeyGrant, and the identity
and contact details through the identity key's recovery copy (casefiles.identity_keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from whistledesk.audit.services import audit_record
from whistledesk.casefiles.identity_keys import (
    identity_document_decrypt,
    identity_private_key_by_recovery,
)
from whistledesk.casefiles.models import (
    Attachment,
    KeyGrant,
    KeyScope,
    RecipientKind,
    SealedDocument,
)
from whistledesk.casefiles.services import (
    AttachmentInfo,
    OpenedDocument,
    OpenedMessage,
    _attachment_info,
    _attachment_key,
    _open_messages,
)
from whistledesk.cases.models import Disclosure
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError


class RecoveryFailed(DomainError):
    pass


@dataclass(frozen=True)
class RecoveredCaseFile:
    documents: list[OpenedDocument]
    messages: list[OpenedMessage]
    attachments: list[tuple[AttachmentInfo, bytes]]


@transaction.atomic
def recover_casefile(
    *, reference: str, private_key: bytes, organisation: Any = None
) -> RecoveredCaseFile:
    """Open the case `reference` of `organisation` (default: the only one) with its
    organisation's recovery key."""
    if organisation is None:
        from whistledesk.organisation import tenancy

        organisation = tenancy.current() or tenancy.sole_organisation()
    disclosure = Disclosure.objects.filter(organisation=organisation, reference=reference).first()
    if disclosure is None:
        raise RecoveryFailed("No disclosure has that reference.")
    data_key = None
    for grant in KeyGrant.objects.filter(disclosure=disclosure, kind=RecipientKind.RECOVERY):
        try:
            data_key = crypto.unseal(private_key, bytes(grant.sealed_key))
            break
        except crypto.DecryptionFailed:
            continue
    if data_key is None:
        raise RecoveryFailed("That recovery key does not open this case file.")
    docs = list(SealedDocument.objects.filter(disclosure=disclosure))
    identity_private = None
    if any(d.scope == KeyScope.IDENTITY for d in docs):
        identity_private = identity_private_key_by_recovery(
            disclosure=disclosure, private_key=private_key
        )
        if identity_private is None:
            raise RecoveryFailed("That recovery key does not open this case's identity details.")
    documents = [
        OpenedDocument(
            kind=d.kind,
            text=(
                identity_document_decrypt(identity_private, d)
                if d.scope == KeyScope.IDENTITY and identity_private is not None
                else crypto.decrypt_text(data_key, bytes(d.ciphertext))
            ),
            created_at=d.created_at,
            created_by_id=d.created_by_id,
        )
        for d in docs
    ]
    attachments = [
        (
            _attachment_info(_attachment_key(data_key, a), a),
            crypto.secret_decrypt(_attachment_key(data_key, a), bytes(a.ciphertext)),
        )
        for a in Attachment.objects.filter(disclosure=disclosure)
    ]
    audit_record(
        actor="recover_case",
        action="casefile.recovered",
        disclosure_id=disclosure.pk,
        object_type="disclosure",
        object_id=disclosure.reference,
    )
    return RecoveredCaseFile(
        documents=documents,
        messages=_open_messages(disclosure, crypto.conversation_key(data_key)),
        attachments=attachments,
    )
