"""Removing a member of staff's key grants: the storage half of "keys follow people".

This module stores and revokes; it does not decide. Which grants a person should keep is
`cases.key_custody`, called by the services whose change makes a key undue (recording a
conflict, reassigning, changing roles, deactivating). Each revocation is one
`casefile.revoked` audit event, inside the caller's transaction, saying which scopes went,
on how many cases, and why (`cause`, a short label such as "conflict" or "roles_changed").
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

    One `casefile.revoked` event per call, carrying the case when there is exactly one (a
    conflict, a reassignment) and otherwise the counts: a deactivated intake officer may
    hold the keys of every case, and an event per case would make that one change take
    minutes (each audit append locks and rewrites the chain head).
    """
    by_scope: dict[str, list[int]] = {}
    for disclosure_id, scopes in revoke.items():
        for scope in set(scopes):
            by_scope.setdefault(scope, []).append(disclosure_id)
    deleted: dict[str, int] = {}
    cases: set[int] = set()
    for scope, ids in sorted(by_scope.items()):
        ids.sort()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            grants = staff_grants(user=user, disclosure_ids=chunk).filter(scope=scope)
            cases.update(grants.values_list("disclosure_id", flat=True))
            deleted[scope] = deleted.get(scope, 0) + grants.delete()[0]
    total = sum(deleted.values())
    if total:
        audit_record(
            actor=actor,
            action="casefile.revoked",
            disclosure_id=next(iter(cases)) if len(cases) == 1 else None,
            object_type="user",
            object_id=user.get_username(),
            details={
                "scopes": sorted(scope for scope, n in deleted.items() if n),
                "cases": len(cases),
                "grants": total,
                "cause": cause,
            },
        )
    return total
