"""Sealing case keys to a member of staff again, many cases at once.

After a password reset (a new key pair) or a reactivation a person holds no case keys. New
cases are sealed to them as usual; for the older ones a key holder seals each case key to
them again with their own key: only someone who can open a case can share it. Which cases
is not decided here (see `cases.key_custody.case_keys_restore`); this module unseals with
the actor's key, seals to the person's public key and audits once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from whistledesk.accounts.models import User
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.models import KeyGrant, KeyScope, RecipientKind
from whistledesk.cases.models import Disclosure
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError


@transaction.atomic
def case_keys_seal_to(
    *, actor: User, private_key: bytes, user: User, disclosure_ids: Iterable[int]
) -> int:
    """Seal to `user` the case key of each of `disclosure_ids` that `actor` can open and
    `user` lacks. Returns how many were sealed. Cases the actor's key does not open are
    skipped (someone else must share those)."""
    if not user.is_active or user.public_key is None:
        raise DomainError(
            f"{user.get_username()} cannot be given keys yet: they must sign in once first."
        )
    # Only cases of the person's own organisation (ADR 0017): others are left alone.
    ids = sorted(
        Disclosure.objects.filter(
            organisation=user.organisation, pk__in=set(disclosure_ids)
        ).values_list("pk", flat=True)
    )
    made = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        have = set(
            KeyGrant.objects.filter(
                user=user, scope=KeyScope.CASE, disclosure_id__in=chunk
            ).values_list("disclosure_id", flat=True)
        )
        mine = KeyGrant.objects.filter(
            kind=RecipientKind.STAFF, scope=KeyScope.CASE, user=actor, disclosure_id__in=chunk
        ).exclude(disclosure_id__in=have)
        new = []
        for grant in mine.only("disclosure_id", "sealed_key"):
            try:
                data_key = crypto.unseal(private_key, bytes(grant.sealed_key))
            except crypto.DecryptionFailed:
                continue
            new.append(
                KeyGrant(
                    disclosure_id=grant.disclosure_id,
                    kind=RecipientKind.STAFF,
                    scope=KeyScope.CASE,
                    user=user,
                    sealed_key=crypto.seal_to(bytes(user.public_key), data_key),
                )
            )
        KeyGrant.objects.bulk_create(new)
        made += len(new)
    if made:
        audit_record(
            actor=actor,
            action="casefile.granted",
            object_type="user",
            object_id=user.get_username(),
            details={"scopes": ["case"], "cases": made, "cause": "restored"},
        )
    return made
