"""The identity key: a second key pair per disclosure that alone opens identity and contact.

Identity and contact documents are sealed boxes to the disclosure's identity public key
(`IdentityKey`), so anyone with the case can add them but only a holder of the identity
private key can read them. That private key is stored only as `KeyGrant` rows with
scope IDENTITY, sealed to: active custodians (as they exist when the case is created),
the member of staff who recorded the disclosure (they typed it), and staff a custodian
has approved (`identity_key_share`); and on `IdentityKey.recovery_sealed_key`, sealed to
the recovery key. See docs/adr/0004.

These helpers hold no policy (who may ask, who may approve): that is `whistledesk.identity`.
Callers audit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.casefiles.models import (
    IDENTITY_KINDS,
    IdentityKey,
    KeyGrant,
    KeyScope,
    RecipientKind,
    RecoveryKey,
    SealedDocument,
)
from whistledesk.casefiles.organisation_checks import (
    OtherOrganisation,
    belongs_to,
    require_same_organisation,
    staff_of,
)
from whistledesk.cases.models import Disclosure
from whistledesk.core import crypto
from whistledesk.core.exceptions import NotPermitted


class IdentityLocked(NotPermitted):
    """The actor holds no identity key to this case (or their key does not open it)."""

    def __init__(self) -> None:
        super().__init__(
            "You do not have access to this whistleblower's identity. Ask for it with a reason: "
            "an identity custodian decides."
        )


def _custodians(organisation_id: int) -> list[User]:
    """The active identity custodians of one organisation (each has its own, ADR 0017)."""
    return list(
        User.objects.filter(
            staff_of(organisation_id),
            is_active=True,
            public_key__isnull=False,
            groups__name=Role.CUSTODIAN.value,
        ).distinct()
    )


def identity_keypair_create(
    disclosure: Disclosure, *, recorder: Any, recovery: RecoveryKey | None
) -> tuple[bytes, int]:
    """Make the disclosure's identity key pair and its grants.

    Returns (public key, number of staff grants). The private half is sealed to the
    custodians, the recorder (a member of staff who typed the details) and the recovery
    key, then forgotten.
    """
    if recovery is not None and recovery.organisation_id != disclosure.organisation_id:
        raise OtherOrganisation()
    public, private = crypto.generate_keypair()
    IdentityKey.objects.create(
        disclosure=disclosure,
        public_key=public,
        recovery_key=recovery,
        recovery_sealed_key=(
            crypto.seal_to(bytes(recovery.public_key), private) if recovery is not None else None
        ),
    )
    users = _custodians(disclosure.organisation_id)
    if (
        isinstance(recorder, User)
        and recorder.public_key is not None
        and belongs_to(recorder, disclosure.organisation_id)
        and recorder not in users
    ):
        users.append(recorder)
    grants = [
        KeyGrant(
            disclosure=disclosure,
            kind=RecipientKind.STAFF,
            scope=KeyScope.IDENTITY,
            user=user,
            sealed_key=crypto.seal_to(bytes(user.public_key or b""), private),
        )
        for user in users
    ]
    KeyGrant.objects.bulk_create(grants)
    return public, len(users)


def identity_public_key(disclosure: Disclosure) -> bytes | None:
    row = IdentityKey.objects.filter(disclosure=disclosure).only("public_key").first()
    return bytes(row.public_key) if row is not None else None


def identity_documents_store(
    disclosure: Disclosure, documents: Mapping[str, str], *, author: Any
) -> list[str]:
    """Seal the identity and contact documents among `documents`; returns the kinds stored.

    A disclosure with no identity key (made before there was one) keeps them under the
    case key as before; the caller stores those.
    """
    public = identity_public_key(disclosure)
    if public is None:
        return []
    rows = [
        SealedDocument(
            disclosure=disclosure,
            kind=kind,
            scope=KeyScope.IDENTITY,
            ciphertext=crypto.seal_to(public, text.encode("utf-8")),
            created_by=author if isinstance(author, User) else None,
        )
        for kind, text in documents.items()
        if text and kind in IDENTITY_KINDS
    ]
    SealedDocument.objects.bulk_create(rows)
    return [r.kind for r in rows]


def holds_identity_key(*, user: User, disclosure: Disclosure) -> bool:
    return KeyGrant.objects.filter(
        disclosure=disclosure, kind=RecipientKind.STAFF, scope=KeyScope.IDENTITY, user=user
    ).exists()


def identity_private_key(*, disclosure: Disclosure, user: Any, private_key: bytes) -> bytes:
    """The identity private key, unsealed with the user's own key, or IdentityLocked."""
    if not isinstance(user, User) or not user.is_active:
        raise IdentityLocked()
    grant = KeyGrant.objects.filter(
        disclosure=disclosure, kind=RecipientKind.STAFF, scope=KeyScope.IDENTITY, user=user
    ).first()
    if grant is None:
        raise IdentityLocked()
    try:
        return crypto.unseal(private_key, bytes(grant.sealed_key))
    except crypto.DecryptionFailed as exc:
        raise IdentityLocked() from exc


def identity_private_key_by_recovery(*, disclosure: Disclosure, private_key: bytes) -> bytes | None:
    """The identity private key opened with the recovery key, or None if it does not open."""
    row = IdentityKey.objects.filter(disclosure=disclosure).first()
    if row is None or row.recovery_sealed_key is None:
        return None
    try:
        return crypto.unseal(private_key, bytes(row.recovery_sealed_key))
    except crypto.DecryptionFailed:
        return None


def identity_document_decrypt(identity_private: bytes, document: SealedDocument) -> str:
    return crypto.unseal(identity_private, bytes(document.ciphertext)).decode("utf-8")


def identity_documents_exist(disclosure: Disclosure) -> bool:
    return SealedDocument.objects.filter(disclosure=disclosure, scope=KeyScope.IDENTITY).exists()


def identity_key_share(
    *, disclosure: Disclosure, from_user: User, private_key: bytes, to_user: User
) -> bool:
    """Seal the identity key to `to_user`, unsealed with `from_user`'s key.

    Returns whether a grant was created (False if they already held one). The caller checks
    that `from_user` may share it and audits.
    """
    require_same_organisation(to_user, disclosure.organisation_id)
    identity_private = identity_private_key(
        disclosure=disclosure, user=from_user, private_key=private_key
    )
    if to_user.public_key is None:
        raise NotPermitted(
            f"{to_user.get_username()} cannot be given access yet: they must sign in once first."
        )
    _, created = KeyGrant.objects.get_or_create(
        disclosure=disclosure,
        user=to_user,
        scope=KeyScope.IDENTITY,
        defaults={
            "kind": RecipientKind.STAFF,
            "sealed_key": crypto.seal_to(bytes(to_user.public_key), identity_private),
        },
    )
    return created


def identity_key_drop(*, disclosure: Disclosure, user: User) -> bool:
    """Delete `user`'s identity grant on the case. Returns whether there was one."""
    deleted, _ = KeyGrant.objects.filter(
        disclosure=disclosure, kind=RecipientKind.STAFF, scope=KeyScope.IDENTITY, user=user
    ).delete()
    return bool(deleted)
