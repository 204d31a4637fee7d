"""Casework notes sealed under the case key: referral and response summaries, action and
safeguarding notes, consent wording, reasons for conflicts, reopening and identity access.

Staff write these, and they can hold what was shared or a name, so they are secret boxes
under `crypto.notes_key(data key)`: only staff holding the case key read them, exactly like
the case file (docs/adr/0002-encryption-at-rest.md, "Casework notes").

    token = note_seal(disclosure=d, text="...", private_key=key, actor=user)  # b"" for ""
    reader = notes_reader(disclosure=d, user=user, private_key=key_or_none)
    reader.text(token)  # the text, "" for an empty note, or NOTE_UNREADABLE

Writing needs the actor's private key (`accounts.keyring.staff_private_key(request)`):
`KeyLocked` when it is missing (sign in again), `CaseFileLocked` when the actor holds no key
to the case. A disclosure with no case file yet (imported into the register) gets an empty
one on its first note, so every case can take notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from whistledesk.accounts.keyring import KeyLocked
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.models import KeyGrant
from whistledesk.casefiles.services import CaseFileLocked, _staff_data_key, casefile_create
from whistledesk.cases.models import Disclosure
from whistledesk.cases.permissions import Perm, can_act_on
from whistledesk.core import crypto

NOTE_UNREADABLE = "[you do not hold this case's key]"
# Every note is a short summary; the forms cap them lower. A cap here keeps a service
# caller (an API) from storing megabytes in a casework row.
MAX_NOTE_CHARS = 2000


def _notes_key(*, disclosure: Disclosure, actor: Any, private_key: bytes | None) -> bytes:
    if private_key is None:
        raise KeyLocked()
    if not KeyGrant.objects.filter(disclosure=disclosure).exists():
        # Imported disclosures have no case file: make an empty one (no whistleblower
        # account) so their notes are sealed like every other case's.
        casefile_create(actor=actor, disclosure=disclosure, documents={}, with_source=False)
    return crypto.notes_key(_staff_data_key(disclosure, actor, private_key))


def notes_seal(
    *, disclosure: Disclosure, texts: Sequence[str], private_key: bytes | None, actor: Any
) -> list[bytes]:
    """Seal several notes of one case with one key unsealing. Empty text -> b"" (no key
    needed, so a status change without a reason works without the actor's key)."""
    if not any(texts):
        return [b"" for _ in texts]
    key = _notes_key(disclosure=disclosure, actor=actor, private_key=private_key)
    return [crypto.encrypt_text(key, t[:MAX_NOTE_CHARS]) if t else b"" for t in texts]


def note_seal(*, disclosure: Disclosure, text: str, private_key: bytes | None, actor: Any) -> bytes:
    """One note as ciphertext for a `*_sealed` column."""
    return notes_seal(disclosure=disclosure, texts=[text], private_key=private_key, actor=actor)[0]


def note_open(*, disclosure: Disclosure, token: bytes, private_key: bytes, actor: Any) -> str:
    """One note's text; CaseFileLocked if the actor cannot open the case."""
    token = bytes(token or b"")
    if not token:
        return ""
    if not can_act_on(actor, Perm.OPEN_CONTENT, disclosure):
        raise CaseFileLocked("You may not read this case's notes.")
    key = crypto.notes_key(_staff_data_key(disclosure, actor, private_key))
    try:
        return crypto.decrypt_text(key, token)
    except crypto.DecryptionFailed as exc:
        raise CaseFileLocked() from exc


@dataclass(frozen=True)
class NotesReader:
    """Opens the notes of one case for one reader; `key` is None when they cannot."""

    key: bytes | None = field(repr=False)

    @property
    def can_read(self) -> bool:
        return self.key is not None

    def text(self, token: bytes | memoryview | None) -> str:
        data = bytes(token or b"")
        if not data:
            return ""
        if self.key is None:
            return NOTE_UNREADABLE
        try:
            return crypto.decrypt_text(self.key, data)
        except crypto.DecryptionFailed:
            # Altered, or sealed under an earlier case file: say so, never fail the page.
            return NOTE_UNREADABLE


def notes_key_of(*, disclosure: Disclosure, user: Any, private_key: bytes | None) -> bytes | None:
    """The case's notes key for `user`, or None (no key to hand, no grant, wrong key, or the
    access policy refuses them the case's content: a key alone is not enough)."""
    if private_key is None or not can_act_on(user, Perm.OPEN_CONTENT, disclosure):
        return None
    try:
        return crypto.notes_key(_staff_data_key(disclosure, user, private_key))
    except CaseFileLocked:
        return None


def notes_reader(*, disclosure: Disclosure, user: Any, private_key: bytes | None) -> NotesReader:
    """A reader for the case page: one grant lookup and one unsealing for all its notes.

    Audited ("casework.notes_opened") when the key opened, like every decrypting read.
    """
    key = notes_key_of(disclosure=disclosure, user=user, private_key=private_key)
    if key is not None:
        with transaction.atomic():  # audit events are written in a transaction
            audit_record(
                actor=user,
                action="casework.notes_opened",
                disclosure_id=disclosure.pk,
                object_type="disclosure",
                object_id=disclosure.reference,
            )
    return NotesReader(key=key)


def notes_attach(rows: Sequence[Any], reader: NotesReader, names: Sequence[str]) -> None:
    """Give each row a plain attribute `name` with the text of its `name_sealed` column,
    for templates. The attribute is not a model field, so it can never be saved back."""
    for row in rows:
        for name in names:
            setattr(row, name, reader.text(getattr(row, f"{name}_sealed")))


# -- notes that custodians read too (identity access requests) -----------------------------
#
# Custodians decide identity requests but hold no case key (docs/adr/0004). A request's
# reasons are therefore under the request's own random key, stored twice: under the case's
# notes key (the requester and anyone on the case) and sealed to the disclosure's identity
# public key (custodians, and staff already approved).


@dataclass(frozen=True)
class SharedNoteKey:
    key: bytes = field(repr=False)
    under_case: bytes = field(repr=False)
    to_identity: bytes = field(repr=False)


def shared_note_key_new(
    *, disclosure: Disclosure, actor: Any, private_key: bytes | None
) -> SharedNoteKey:
    """A new random key for one request's notes, wrapped for the case and the identity key."""
    from whistledesk.casefiles.identity_keys import identity_public_key

    notes = _notes_key(disclosure=disclosure, actor=actor, private_key=private_key)
    key = crypto.new_secret_key()
    public = identity_public_key(disclosure)
    return SharedNoteKey(
        key=key,
        under_case=crypto.secret_encrypt(notes, key),
        to_identity=crypto.seal_to(public, key) if public is not None else b"",
    )


def shared_note_keys_open(
    *, user: Any, private_key: bytes | None, wrapped: Sequence[tuple[int, bytes, bytes]]
) -> dict[int, bytes]:
    """Open many requests' keys for one reader in one query.

    `wrapped` is (disclosure id, key under the case, key sealed to the identity key) per
    request; the result maps each position in `wrapped` that opened to its key.
    """
    out: dict[int, bytes] = {}
    if private_key is None or not wrapped:
        return out
    from whistledesk.casefiles.models import KeyScope, RecipientKind

    grants = {
        (g.disclosure_id, g.scope): bytes(g.sealed_key)
        for g in KeyGrant.objects.filter(
            user=user,
            kind=RecipientKind.STAFF,
            disclosure_id__in={d for d, _, _ in wrapped},
        ).only("disclosure_id", "scope", "sealed_key")
    }
    opened: dict[tuple[int, str], bytes | None] = {}

    def grant_key(disclosure_id: int, scope: str) -> bytes | None:
        if (disclosure_id, scope) not in opened:
            sealed = grants.get((disclosure_id, scope))
            try:
                opened[(disclosure_id, scope)] = (
                    crypto.unseal(private_key, sealed) if sealed else None
                )
            except crypto.DecryptionFailed:
                opened[(disclosure_id, scope)] = None
        return opened[(disclosure_id, scope)]

    for i, (disclosure_id, under_case, to_identity) in enumerate(wrapped):
        data_key = grant_key(disclosure_id, KeyScope.CASE)
        try:
            if data_key is not None and under_case:
                out[i] = crypto.secret_decrypt(crypto.notes_key(data_key), bytes(under_case))
                continue
            identity_private = grant_key(disclosure_id, KeyScope.IDENTITY)
            if identity_private is not None and to_identity:
                out[i] = crypto.unseal(identity_private, bytes(to_identity))
        except crypto.DecryptionFailed:
            continue
    return out


def shared_note_key_open(
    *,
    disclosure: Disclosure,
    user: Any,
    private_key: bytes | None,
    under_case: bytes,
    to_identity: bytes,
) -> bytes:
    """One request's key for a writer (a custodian deciding): KeyLocked, CaseFileLocked."""
    if private_key is None:
        raise KeyLocked()
    found = shared_note_keys_open(
        user=user,
        private_key=private_key,
        wrapped=[(disclosure.pk, bytes(under_case or b""), bytes(to_identity or b""))],
    )
    if 0 not in found:
        raise CaseFileLocked()
    return found[0]


def shared_note_seal(key: bytes, text: str) -> bytes:
    return crypto.encrypt_text(key, text[:MAX_NOTE_CHARS]) if text else b""
