"""Writing and reading sealed case files. Every call is audited; no audit detail is sensitive.

Usage (intake, inside the submission's transaction, after `disclosure_record`):

    receipt = casefile_create(
        actor="public", disclosure=d,
        documents={"narrative": text, "answers": json_text, "identity": name},
        attachments=[UploadedAttachment.from_upload(f) for f in request.FILES.getlist("files")],
    )  # -> the receipt, shown once, never stored (None when with_source=False)

Whistleblower follow-up (the caller throttles attempts):

    source = source_authenticate(receipt=typed)          # ReceiptRejected if wrong
    request.vault.put("source", source.vault_token())    # later: source_session_restore(...)
    message_list_for_source(source=source); message_from_source(source=source, text=...)

Staff (private key from `accounts.keyring.staff_private_key(request)`):

    opened = casefile_open(actor=user, disclosure=d, private_key=key)  # CaseFileLocked
    message_send_to_source(actor=user, disclosure=d, text=..., private_key=key)
    message_list_for_staff(actor=user, disclosure=d, private_key=key)
    attachment_open(actor=user, attachment=a, private_key=key) -> (name, type, bytes)
    casefile_grant(actor=manager, disclosure=d, user=handler, private_key=key)
    casefile_revoke(actor=manager, disclosure=d, user=handler)

Identity and contact documents are sealed to the disclosure's separate identity key
(casefiles.identity_keys, docs/adr/0004): `casefile_open` returns them only to a holder of
an identity grant and says otherwise that they are hidden (`identity_hidden`).

Errors are DomainError subclasses whose messages are safe to show: CaseFileLocked,
ReceiptRejected, RecoveryKeyMissing, AttachmentRejected (casefiles.attachments).
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.attachments import (
    AttachmentRejected,
    CleanAttachment,
    UploadedAttachment,
    clean_attachments,
)
from whistledesk.casefiles.identity_keys import (
    IdentityLocked,
    identity_document_decrypt,
    identity_documents_store,
    identity_keypair_create,
    identity_private_key,
)
from whistledesk.casefiles.inbox_caps import inbox_caps_check
from whistledesk.casefiles.models import (
    Attachment,
    Direction,
    DocumentKind,
    KeyGrant,
    KeyScope,
    Message,
    RecipientKind,
    SealedDocument,
    SourceAccount,
)
from whistledesk.casefiles.organisation_checks import (
    belongs_to,
    require_same_organisation,
    staff_of,
)
from whistledesk.casefiles.selectors import active_recovery_key
from whistledesk.cases.models import Disclosure
from whistledesk.cases.permissions import Perm, refusal
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError, NotPermitted

__all__ = [
    "AttachmentRejected",
    "CaseFileLocked",
    "ReceiptRejected",
    "RecoveryKeyMissing",
    "UploadedAttachment",
    "attachment_open",
    "attachment_open_for_source",
    "casefile_add",
    "casefile_create",
    "casefile_grant",
    "casefile_open",
    "casefile_prepare",
    "casefile_revoke",
    "message_from_source",
    "message_list_for_source",
    "message_list_for_staff",
    "message_send_to_source",
    "source_authenticate",
    "source_session_restore",
]

logger = logging.getLogger(__name__)

# Roles whose holders get every new case's key; a handler gets it on assignment.
ENTITLED_TO_NEW_CASES = (Role.INTAKE_OFFICER, Role.MANAGER)
MAX_DOCUMENT_CHARS = 100_000
MAX_MESSAGE_CHARS = 20_000
SOURCE_ACTOR = "source"


class CaseFileLocked(NotPermitted):
    """The actor may not open this case file: no key (or their key does not open it), or
    the access policy (cases.permissions) refuses them although they hold one."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "You do not have a key to this case file. Ask a manager to give you access."
        )


class ReceiptRejected(DomainError):
    """Deliberately the same message for every reason, so nothing is learnt from it."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "We could not find a disclosure with that receipt. Check the words and try again."
            ),
            field="receipt",
        )


class RecoveryKeyMissing(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "This service cannot accept disclosures yet: its recovery key has not been set up. "
            "Please use another way to contact the office."
        )


# -- values handed to views ---------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    content_type: str
    size: int
    created_at: datetime
    message_id: int | None


@dataclass(frozen=True)
class OpenedDocument:
    kind: str
    text: str
    created_at: datetime
    created_by_id: int | None


@dataclass(frozen=True)
class OpenedCaseFile:
    disclosure: Disclosure
    # The newest text of each kind; `history` has every version, oldest first.
    documents: dict[str, str]
    history: list[OpenedDocument]
    attachments: list[AttachmentInfo]
    # Identity or contact documents exist that this reader's keys do not open.
    identity_hidden: bool = False


@dataclass(frozen=True)
class OpenedMessage:
    id: int
    direction: str
    text: str
    created_at: datetime
    author_id: int | None
    read_by_source_at: datetime | None
    read_by_staff_at: datetime | None
    attachments: list[AttachmentInfo] = field(default_factory=list)

    @property
    def from_source(self) -> bool:
        return self.direction == Direction.FROM_SOURCE


@dataclass(frozen=True)
class SourceSession:
    """A whistleblower signed in with their receipt. Holds keys: keep it in the vault only."""

    disclosure: Disclosure
    private_key: bytes = field(repr=False)
    # Only the conversation's key: the whistleblower cannot decrypt staff documents.
    conversation_key: bytes = field(repr=False)

    _TOKEN = struct.Struct(">BQ32s")

    def vault_token(self) -> bytes:
        """Bytes for `request.vault.put`; `source_session_restore` turns them back."""
        return self._TOKEN.pack(1, self.disclosure.pk, self.private_key)


# -- helpers ------------------------------------------------------------------------------


def _check_text(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise DomainError(f"The {what} is too long: keep it under {limit:,} characters.")


def _check_documents(documents: Mapping[str, str]) -> None:
    for kind, text in documents.items():
        if kind not in DocumentKind.values:
            raise DomainError(f"Unknown kind of document: {kind!r}.")
        _check_text(text, MAX_DOCUMENT_CHARS, DocumentKind(kind).label.lower())


def _staff_recipients(
    actor: Any, organisation_id: int, extra_roles: Sequence[Role] = ()
) -> list[User]:
    """The staff of the case's organisation who get a new case's key (ADR 0017)."""
    roles = [r.value for r in (*ENTITLED_TO_NEW_CASES, *extra_roles)]
    users = list(
        User.objects.filter(
            staff_of(organisation_id),
            is_active=True,
            public_key__isnull=False,
            groups__name__in=roles,
        ).distinct()
    )
    # Staff recording a letter or a call can read back what they typed.
    if (
        isinstance(actor, User)
        and actor.public_key is not None
        and belongs_to(actor, organisation_id)
        and actor not in users
    ):
        users.append(actor)
    return users


def _store_documents(
    disclosure: Disclosure, data_key: bytes, documents: Mapping[str, str], author: Any
) -> None:
    # Identity and contact go to the identity key; only a case made before it existed
    # (no IdentityKey row) keeps them under the data key.
    sealed_apart = set(identity_documents_store(disclosure, documents, author=author))
    SealedDocument.objects.bulk_create(
        SealedDocument(
            disclosure=disclosure,
            kind=kind,
            scope=KeyScope.CASE,
            ciphertext=crypto.encrypt_text(data_key, text),
            created_by=author if isinstance(author, User) else None,
        )
        for kind, text in documents.items()
        if text and kind not in sealed_apart
    )


def _store_attachments(
    disclosure: Disclosure,
    data_key: bytes,
    files: Sequence[CleanAttachment],
    *,
    author: Any,
    message: Message | None = None,
) -> None:
    for f in files:
        meta = json.dumps({"filename": f.filename, "content_type": f.content_type})
        Attachment.objects.create(
            disclosure=disclosure,
            message=message,
            meta_ciphertext=crypto.encrypt_text(data_key, meta),
            ciphertext=crypto.secret_encrypt(data_key, f.data),
            size=len(f.data),
            created_by=author if isinstance(author, User) else None,
        )


def _attachment_key(data_key: bytes, attachment: Attachment) -> bytes:
    """Files sent with a message are under the conversation key, the rest the data key."""
    return crypto.conversation_key(data_key) if attachment.message_id else data_key


def _attachment_info(key: bytes, attachment: Attachment) -> AttachmentInfo:
    """`key` is the key the attachment is encrypted under (see `_attachment_key`)."""
    meta = json.loads(crypto.decrypt_text(key, bytes(attachment.meta_ciphertext)))
    return AttachmentInfo(
        id=attachment.pk,
        filename=meta["filename"],
        content_type=meta["content_type"],
        size=attachment.size,
        created_at=attachment.created_at,
        message_id=attachment.message_id,
    )


def _staff_data_key(disclosure: Disclosure, user: Any, private_key: bytes) -> bytes:
    if not isinstance(user, User) or not user.is_active:
        raise CaseFileLocked()
    grant = KeyGrant.objects.filter(
        disclosure=disclosure, kind=RecipientKind.STAFF, scope=KeyScope.CASE, user=user
    ).first()
    if grant is None:
        raise CaseFileLocked()
    try:
        return crypto.unseal(private_key, bytes(grant.sealed_key))
    except crypto.DecryptionFailed as exc:
        raise CaseFileLocked() from exc


def _require(actor: Any, perm: Perm, disclosure: Disclosure) -> None:
    """The key is necessary, never sufficient: the one access policy decides first."""
    message = refusal(actor, perm, disclosure)
    if message is not None:
        raise CaseFileLocked(message)


@dataclass(frozen=True)
class SourceCredentials:
    """A whistleblower's new account, derived from a fresh receipt (two Argon2id runs)."""

    receipt: str = field(repr=False)
    receipt_lookup: str = field(repr=False)
    public_key: bytes
    wrapped_private_key: bytes = field(repr=False)
    salt: bytes

    @classmethod
    def new(cls) -> SourceCredentials:
        public, private = crypto.generate_keypair()
        # A collision of two 90-bit receipts is not a real risk; the unique column refuses it.
        receipt = crypto.new_receipt()
        salt = crypto.new_salt()
        return cls(
            receipt=receipt,
            receipt_lookup=crypto.receipt_lookup(receipt),
            public_key=public,
            wrapped_private_key=crypto.wrap_private_key(private, receipt, salt),
            salt=salt,
        )


@dataclass(frozen=True)
class PreparedCaseFile:
    """A case file's slow work done ahead: documents checked, files cleaned, receipt derived.

    Made by `casefile_prepare` before the caller opens its transaction, so neither mat2 nor
    Argon2id runs while the transaction holds the audit chain's head row (or, on SQLite,
    the database's write lock): the lock is held only to append (docs/adr/0003).
    """

    documents: Mapping[str, str]
    files: list[CleanAttachment]
    source: SourceCredentials | None


def casefile_prepare(
    *,
    documents: Mapping[str, str],
    attachments: Sequence[UploadedAttachment | CleanAttachment] = (),
    with_source: bool = True,
) -> PreparedCaseFile:
    """Check and clean a new case file's content and derive its receipt. Writes nothing.

    Call it outside any transaction; AttachmentRejected or DomainError say what to fix.
    """
    _check_documents(documents)
    files = clean_attachments(attachments)
    return PreparedCaseFile(
        documents=dict(documents),
        files=files,
        source=SourceCredentials.new() if with_source else None,
    )


def _new_source_account(
    disclosure: Disclosure, data_key: bytes, credentials: SourceCredentials
) -> str:
    SourceAccount.objects.create(
        disclosure=disclosure,
        receipt_lookup=credentials.receipt_lookup,
        public_key=credentials.public_key,
        encrypted_private_key=credentials.wrapped_private_key,
        key_salt=credentials.salt,
    )
    KeyGrant.objects.create(
        disclosure=disclosure,
        kind=RecipientKind.SOURCE,
        sealed_key=crypto.seal_to(credentials.public_key, crypto.conversation_key(data_key)),
    )
    return credentials.receipt


# -- case files ---------------------------------------------------------------------------


def casefile_create(
    *,
    actor: Any,
    disclosure: Disclosure,
    documents: Mapping[str, str] | None = None,
    attachments: Sequence[UploadedAttachment | CleanAttachment] = (),
    with_source: bool = True,
    prepared: PreparedCaseFile | None = None,
    extra_roles: Sequence[Role] = (),
) -> str | None:
    """Seal a new disclosure's content. Returns the receipt (the only time it exists).

    Runs inside the caller's transaction, so the register row, the content and the audit
    event commit together or not at all. Pass `prepared` (from `casefile_prepare`, made
    before the transaction) so that cleaning files and deriving the receipt's keys do not
    run under the audit lock; without it they are done here, first: a refused file raises
    AttachmentRejected before anything is written. Holders of `extra_roles` get the case
    key as well as those ENTITLED_TO_NEW_CASES (e.g. safeguarding leads, when the caller
    knows a child is reported at immediate risk).
    """
    if prepared is None:
        prepared = casefile_prepare(
            documents=documents or {}, attachments=attachments, with_source=with_source
        )
    documents, files = prepared.documents, prepared.files
    with transaction.atomic():
        if KeyGrant.objects.filter(disclosure=disclosure).exists():
            raise DomainError("This disclosure already has a case file.")
        # Only the case's own organisation's staff and recovery key (ADR 0017).
        recovery = active_recovery_key(disclosure.organisation)
        if recovery is None:
            if getattr(settings, "WHISTLEDESK_REQUIRE_RECOVERY_KEY", False):
                raise RecoveryKeyMissing()
            logger.warning("no recovery key: run `whistledesk create_recovery_key`")
        data_key = crypto.new_secret_key()
        grants = [
            KeyGrant(
                disclosure=disclosure,
                kind=RecipientKind.STAFF,
                user=user,
                sealed_key=crypto.seal_to(bytes(user.public_key or b""), data_key),
            )
            for user in _staff_recipients(actor, disclosure.organisation_id, extra_roles)
        ]
        if recovery is not None:
            grants.append(
                KeyGrant(
                    disclosure=disclosure,
                    kind=RecipientKind.RECOVERY,
                    recovery_key=recovery,
                    sealed_key=crypto.seal_to(bytes(recovery.public_key), data_key),
                )
            )
        KeyGrant.objects.bulk_create(grants)
        _, identity_grants = identity_keypair_create(disclosure, recorder=actor, recovery=recovery)
        _store_documents(disclosure, data_key, documents, actor)
        _store_attachments(disclosure, data_key, files, author=actor)
        receipt = (
            _new_source_account(disclosure, data_key, prepared.source)
            if prepared.source is not None
            else None
        )
        # casefiles cannot import identity at module level (identity builds on casefiles).
        from whistledesk.identity.ledger import consent_from_web_form

        consent_from_web_form(actor=actor, disclosure=disclosure, documents=documents)
        audit_record(
            actor=actor,
            action="casefile.created",
            disclosure_id=disclosure.pk,
            object_type="disclosure",
            object_id=disclosure.reference,
            details={
                "documents": sorted(k for k, v in documents.items() if v),
                "attachments": len(files),
                "staff_grants": len(grants) - (1 if recovery else 0),
                "identity_grants": identity_grants,
                "recovery_fingerprint": recovery.fingerprint if recovery else None,
                "source_account": prepared.source is not None,
            },
        )
    return receipt


def casefile_add(
    *,
    actor: User,
    disclosure: Disclosure,
    private_key: bytes,
    documents: Mapping[str, str] | None = None,
    attachments: Sequence[UploadedAttachment] = (),
) -> None:
    """Staff add to a case file: call notes, an email received, files."""
    documents = documents or {}
    _check_documents(documents)
    # Cleaned before the transaction: mat2 never runs under the audit lock (ADR 0003).
    files = clean_attachments(attachments)
    with transaction.atomic():
        _casefile_add_store(actor, disclosure, private_key, documents, files)


def _casefile_add_store(
    actor: User,
    disclosure: Disclosure,
    private_key: bytes,
    documents: Mapping[str, str],
    files: Sequence[CleanAttachment],
) -> None:
    data_key = _staff_data_key(disclosure, actor, private_key)
    _store_documents(disclosure, data_key, documents, actor)
    _store_attachments(disclosure, data_key, files, author=actor)
    audit_record(
        actor=actor,
        action="casefile.added",
        disclosure_id=disclosure.pk,
        object_type="disclosure",
        object_id=disclosure.reference,
        details={
            "documents": sorted(k for k, v in documents.items() if v),
            "attachments": len(files),
        },
    )


@transaction.atomic
def casefile_grant(*, actor: User, disclosure: Disclosure, user: User, private_key: bytes) -> None:
    """Give `user` the case's key, unsealed with the actor's own key. Idempotent.

    Only to staff of the case's organisation (OtherOrganisation otherwise)."""
    require_same_organisation(user, disclosure.organisation_id)
    data_key = _staff_data_key(disclosure, actor, private_key)
    if not user.is_active or user.public_key is None:
        raise DomainError(
            f"{user.get_username()} cannot be given access yet: they must sign in once first."
        )
    _, created = KeyGrant.objects.get_or_create(
        disclosure=disclosure,
        user=user,
        scope=KeyScope.CASE,
        defaults={
            "kind": RecipientKind.STAFF,
            "sealed_key": crypto.seal_to(bytes(user.public_key), data_key),
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="casefile.granted",
            disclosure_id=disclosure.pk,
            object_type="user",
            object_id=user.get_username(),
        )


@transaction.atomic
def casefile_revoke(*, actor: Any, disclosure: Disclosure, user: User) -> bool:
    """Remove `user`'s keys to the case. Returns whether they had one.

    Their identity grant goes too: someone taken off a case keeps nothing of it.
    """
    deleted, _ = KeyGrant.objects.filter(
        disclosure=disclosure, kind=RecipientKind.STAFF, user=user
    ).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="casefile.revoked",
            disclosure_id=disclosure.pk,
            object_type="user",
            object_id=user.get_username(),
        )
    return bool(deleted)


@transaction.atomic
def casefile_open(*, actor: User, disclosure: Disclosure, private_key: bytes) -> OpenedCaseFile:
    """Decrypt a case file for a member of staff. Audited as "casefile.read".

    Identity and contact documents are included only if the actor holds the identity key;
    otherwise `identity_hidden` says they exist. Whether they were opened is in the audit.
    """
    _require(actor, Perm.OPEN_CONTENT, disclosure)
    data_key = _staff_data_key(disclosure, actor, private_key)
    docs = list(SealedDocument.objects.filter(disclosure=disclosure))
    identity_private: bytes | None = None
    if any(d.scope == KeyScope.IDENTITY for d in docs) and (
        refusal(actor, Perm.SEE_IDENTITY, disclosure) is None
    ):
        try:
            identity_private = identity_private_key(
                disclosure=disclosure, user=actor, private_key=private_key
            )
        except IdentityLocked:
            identity_private = None
    history = []
    hidden = False
    for doc in docs:
        if doc.scope == KeyScope.IDENTITY:
            if identity_private is None:
                hidden = True
                continue
            text = identity_document_decrypt(identity_private, doc)
        else:
            text = crypto.decrypt_text(data_key, bytes(doc.ciphertext))
        history.append(
            OpenedDocument(
                kind=doc.kind,
                text=text,
                created_at=doc.created_at,
                created_by_id=doc.created_by_id,
            )
        )
    attachments = [
        _attachment_info(_attachment_key(data_key, a), a)
        for a in Attachment.objects.filter(disclosure=disclosure).defer("ciphertext")
    ]
    audit_record(
        actor=actor,
        action="casefile.read",
        disclosure_id=disclosure.pk,
        object_type="disclosure",
        object_id=disclosure.reference,
        details={"identity_opened": identity_private is not None, "identity_hidden": hidden},
    )
    return OpenedCaseFile(
        disclosure=disclosure,
        documents={d.kind: d.text for d in history},
        history=history,
        attachments=attachments,
        identity_hidden=hidden,
    )


@transaction.atomic
def attachment_open(
    *, actor: User, attachment: Attachment, private_key: bytes
) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of one attachment. Audited."""
    _require(actor, Perm.DOWNLOAD_FILES, attachment.disclosure)
    key = _attachment_key(_staff_data_key(attachment.disclosure, actor, private_key), attachment)
    info = _attachment_info(key, attachment)
    data = crypto.secret_decrypt(key, bytes(attachment.ciphertext))
    audit_record(
        actor=actor,
        action="casefile.attachment_read",
        disclosure_id=attachment.disclosure_id,
        object_type="attachment",
        object_id=attachment.pk,
    )
    return info.filename, info.content_type, data


# -- messages -----------------------------------------------------------------------------


@transaction.atomic
def message_send_to_source(
    *, actor: User, disclosure: Disclosure, text: str, private_key: bytes
) -> Message:
    text = text.strip()
    if not text:
        raise DomainError("Write a message.", field="text")
    _check_text(text, MAX_MESSAGE_CHARS, "message")
    if not SourceAccount.objects.filter(disclosure=disclosure).exists():
        raise DomainError("This whistleblower has no follow-up inbox to send a message to.")
    _require(actor, Perm.MESSAGE_SOURCE, disclosure)
    data_key = _staff_data_key(disclosure, actor, private_key)
    message = Message.objects.create(
        disclosure=disclosure,
        direction=Direction.TO_SOURCE,
        author=actor,
        ciphertext=crypto.encrypt_text(crypto.conversation_key(data_key), text),
    )
    audit_record(
        actor=actor,
        action="message.sent_to_source",
        disclosure_id=disclosure.pk,
        object_type="message",
        object_id=message.pk,
    )
    # Every message to the whistleblower, whoever writes it (a reply, an acknowledgement, a
    # template), tells them by email if they asked (docs/adr/0011): here, so no caller can
    # forget. Only a content-free row pointing at their sealed address is written.
    from whistledesk.notifications.source_notices import source_notice_queue

    source_notice_queue(disclosure_id=disclosure.pk)
    return message


def _open_messages(disclosure: Disclosure, conversation_key: bytes) -> list[OpenedMessage]:
    messages = list(Message.objects.filter(disclosure=disclosure).prefetch_related("attachments"))
    return [
        OpenedMessage(
            id=m.pk,
            direction=m.direction,
            text=crypto.decrypt_text(conversation_key, bytes(m.ciphertext)),
            created_at=m.created_at,
            author_id=m.author_id,
            read_by_source_at=m.read_by_source_at,
            read_by_staff_at=m.read_by_staff_at,
            attachments=[_attachment_info(conversation_key, a) for a in m.attachments.all()],
        )
        for m in messages
    ]


@transaction.atomic
def message_list_for_staff(
    *, actor: User, disclosure: Disclosure, private_key: bytes
) -> list[OpenedMessage]:
    """The whole conversation, oldest first; marks the whistleblower's messages read.

    Read for the whole office, by the first key holder who opens them (cases.replies):
    `newly_read` in the audit event counts the replies this reading cleared.
    """
    _require(actor, Perm.OPEN_CONTENT, disclosure)
    data_key = _staff_data_key(disclosure, actor, private_key)
    opened = _open_messages(disclosure, crypto.conversation_key(data_key))
    newly_read = Message.objects.filter(
        disclosure=disclosure, direction=Direction.FROM_SOURCE, read_by_staff_at__isnull=True
    ).update(read_by_staff_at=timezone.now(), read_by_staff_member=actor)
    audit_record(
        actor=actor,
        action="message.read_by_staff",
        disclosure_id=disclosure.pk,
        object_type="disclosure",
        object_id=disclosure.reference,
        details={"messages": len(opened), "newly_read": newly_read},
    )
    return opened


# -- the whistleblower's side -------------------------------------------------------------


def _source_session(account: SourceAccount, private_key: bytes) -> SourceSession:
    grant = KeyGrant.objects.filter(
        disclosure_id=account.disclosure_id, kind=RecipientKind.SOURCE
    ).first()
    if grant is None:
        raise ReceiptRejected()
    try:
        key = crypto.unseal(private_key, bytes(grant.sealed_key))
    except crypto.DecryptionFailed as exc:
        raise ReceiptRejected() from exc
    return SourceSession(
        disclosure=account.disclosure, private_key=private_key, conversation_key=key
    )


def source_authenticate(*, receipt: str, organisation: Any = None) -> SourceSession:
    """Sign a whistleblower in with their receipt. The caller throttles attempts.

    Every failure raises the same ReceiptRejected; the receipt never reaches a log. With
    `organisation`, a receipt of another organisation's case is not found, by the same
    path (and time) as a wrong one (ADR 0017).
    """
    if len(receipt) > crypto.MAX_SECRET_CHARS or not crypto.receipt_is_well_formed(receipt):
        raise ReceiptRejected()
    normalised = crypto.normalise_receipt(receipt)
    accounts = SourceAccount.objects.select_related("disclosure")
    if organisation is not None:
        accounts = accounts.filter(disclosure__organisation=organisation)
    account = accounts.filter(receipt_lookup=crypto.receipt_lookup(normalised)).first()
    if account is None:
        raise ReceiptRejected()
    try:
        private = crypto.unwrap_private_key(
            bytes(account.encrypted_private_key), normalised, bytes(account.key_salt)
        )
    except crypto.DecryptionFailed as exc:
        raise ReceiptRejected() from exc
    return _source_session(account, private)


def source_session_restore(token: bytes | None) -> SourceSession:
    """The SourceSession saved with `vault_token()`, or ReceiptRejected (sign in again)."""
    if not token or len(token) != SourceSession._TOKEN.size:
        raise ReceiptRejected()
    version, disclosure_id, private = SourceSession._TOKEN.unpack(token)
    account = (
        SourceAccount.objects.select_related("disclosure")
        .filter(disclosure_id=disclosure_id)
        .first()
    )
    if version != 1 or account is None:
        raise ReceiptRejected()
    try:
        matches = crypto.constant_time_equal(
            crypto.public_key_of(private), bytes(account.public_key)
        )
    except crypto.DecryptionFailed:
        matches = False
    if not matches:
        raise ReceiptRejected()
    return _source_session(account, private)


def message_from_source(
    *, source: SourceSession, text: str, attachments: Sequence[UploadedAttachment] = ()
) -> Message:
    """A reply or more information from the whistleblower, with optional files.

    Capped per case (casefiles.inbox_caps: InboxCapReached): checked before any file is
    cleaned, and again in the transaction with the case's source account locked.
    """
    text = text.strip()
    if not text and not attachments:
        raise DomainError(gettext("Write a message or attach a file."), field="text")
    _check_text(text, MAX_MESSAGE_CHARS, "message")
    disclosure = source.disclosure
    inbox_caps_check(disclosure=disclosure, adding_bytes=sum(len(a.data) for a in attachments))
    # Cleaning (seconds, in a helper process) happens before the transaction opens.
    files = clean_attachments(attachments)
    with transaction.atomic():
        # One send per case at a time, so concurrent sends cannot both pass the caps.
        SourceAccount.objects.select_for_update().filter(disclosure=disclosure).first()
        inbox_caps_check(disclosure=disclosure, adding_bytes=sum(len(f.data) for f in files))
        message = Message.objects.create(
            disclosure=disclosure,
            direction=Direction.FROM_SOURCE,
            ciphertext=crypto.encrypt_text(source.conversation_key, text),
        )
        _store_attachments(disclosure, source.conversation_key, files, author=None, message=message)
        audit_record(
            actor=SOURCE_ACTOR,
            action="message.received_from_source",
            disclosure_id=disclosure.pk,
            object_type="message",
            object_id=message.pk,
            details={"attachments": len(files)},
        )
    return message


@transaction.atomic
def message_list_for_source(*, source: SourceSession) -> list[OpenedMessage]:
    """The conversation for the whistleblower's inbox; marks staff messages as read."""
    opened = _open_messages(source.disclosure, source.conversation_key)
    newly_read = Message.objects.filter(
        disclosure=source.disclosure,
        direction=Direction.TO_SOURCE,
        read_by_source_at__isnull=True,
    ).update(read_by_source_at=timezone.now())
    if newly_read:
        audit_record(
            actor=SOURCE_ACTOR,
            action="message.read_by_source",
            disclosure_id=source.disclosure.pk,
            object_type="disclosure",
            object_id=source.disclosure.reference,
            details={"messages": newly_read},
        )
    return opened


def attachment_open_for_source(
    *, source: SourceSession, attachment_id: int
) -> tuple[str, str, bytes]:
    """One of the whistleblower's own files (only those sent with their messages)."""
    attachment = Attachment.objects.filter(
        pk=attachment_id, disclosure=source.disclosure, message__isnull=False
    ).first()
    if attachment is None:
        raise DomainError("That file was not found.")
    info = _attachment_info(source.conversation_key, attachment)
    return (
        info.filename,
        info.content_type,
        crypto.secret_decrypt(source.conversation_key, bytes(attachment.ciphertext)),
    )
