"""Reads about case files that need no key: who holds one, what is waiting."""

from __future__ import annotations

from django.db.models import QuerySet

from whistledesk.accounts.models import User
from whistledesk.casefiles.models import (
    Direction,
    KeyGrant,
    KeyScope,
    Message,
    RecipientKind,
    RecoveryKey,
)
from whistledesk.cases.models import Disclosure


def active_recovery_key() -> RecoveryKey | None:
    return RecoveryKey.objects.filter(active=True).first()


def staff_holds_key(*, user: User, disclosure: Disclosure) -> bool:
    return KeyGrant.objects.filter(
        disclosure=disclosure, kind=RecipientKind.STAFF, scope=KeyScope.CASE, user=user
    ).exists()


def disclosures_keyed_to(user: User) -> QuerySet[Disclosure]:
    """Disclosures whose case file `user` can open (for filtering a list in one query)."""
    return Disclosure.objects.filter(
        pk__in=KeyGrant.objects.filter(
            kind=RecipientKind.STAFF, scope=KeyScope.CASE, user=user
        ).values("disclosure_id")
    )


def key_holders(disclosure: Disclosure) -> QuerySet[KeyGrant]:
    """Who can open the case (scope CASE) or its identity (scope IDENTITY): staff grants
    (with users), the recovery key, the source."""
    return KeyGrant.objects.filter(disclosure=disclosure).select_related("user", "recovery_key")


def unread_from_source_count(disclosure: Disclosure) -> int:
    return Message.objects.filter(
        disclosure=disclosure, direction=Direction.FROM_SOURCE, read_by_staff_at__isnull=True
    ).count()


def unread_for_source_count(disclosure: Disclosure) -> int:
    return Message.objects.filter(
        disclosure=disclosure, direction=Direction.TO_SOURCE, read_by_source_at__isnull=True
    ).count()
