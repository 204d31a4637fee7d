"""Removing a member of staff's key grants: the storage half of "keys follow people".

This module stores and revokes; it does not decide. Which grants a person should keep is
`cases.key_custody`, called by the services whose change makes a key undue (recording a
conflict, reassigning, changing roles, deactivating). Each revoked case is one
`casefile.revoked` audit event, inside the caller's transaction, saying which scopes went
and why (`cause`, a short label such as "conflict" or "roles_changed").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from whistledesk.accounts.models import User
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.models import KeyGrant, RecipientKind


def staff_grants(*, user: User, disclosure_ids: Iterable[int] | None = None) -> QuerySet[KeyGrant]:
    """`user`'s own grants (case and identity), optionally on some disclosures only."""
    grants = KeyGrant.objects.filter(kind=RecipientKind.STAFF, user=user)
    if disclosure_ids is not None:
        grants = grants.filter(disclosure_id__in=list(disclosure_ids))
    return grants


def staff_grants_held(
    *, user: User, disclosure_ids: Iterable[int] | None = None
) -> dict[int, set[str]]:
    """{disclosure id: {scopes}} of the grants `user` holds."""
    held: dict[int, set[str]] = {}
    rows = staff_grants(user=user, disclosure_ids=disclosure_ids).values_list(
        "disclosure_id", "scope"
    )
    for disclosure_id, scope in rows.iterator(chunk_size=2000):
        held.setdefault(disclosure_id, set()).add(scope)
    return held


@transaction.atomic
def staff_grants_revoke(
    *, actor: Any, user: User, revoke: Mapping[int, Iterable[str]], cause: str
) -> int:
    """Delete `user`'s grants of the given scopes on the given disclosures. Returns how many.

    Once deleted, the database never gives the person that key again, even with their
    password and a copy of the database. What they already read cannot be unread.
    """
    total = 0
    for disclosure_id, scopes in sorted(revoke.items()):
        scopes = sorted(set(scopes))
        if not scopes:
            continue
        deleted, _ = (
            staff_grants(user=user, disclosure_ids=[disclosure_id])
            .filter(scope__in=scopes)
            .delete()
        )
        if not deleted:
            continue
        total += deleted
        audit_record(
            actor=actor,
            action="casefile.revoked",
            disclosure_id=disclosure_id,
            object_type="user",
            object_id=user.get_username(),
            details={"scopes": scopes, "cause": cause},
        )
    return total
