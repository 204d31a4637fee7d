"""Reads about case files that need no key: who holds one, what is waiting."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from whistledesk.accounts.models import User
from whistledesk.casefiles.models import (
    KeyGrant,
    KeyScope,
    RecipientKind,
    RecoveryKey,
    SourceAccount,
)
from whistledesk.cases.models import Disclosure


def active_recovery_key(organisation: Any) -> RecoveryKey | None:
    """`organisation`'s active recovery key (each organisation has its own)."""
    if organisation is None:
        return None
    return RecoveryKey.objects.filter(organisation=organisation, active=True).first()


def staff_holds_key(*, user: User, disclosure: Disclosure) -> bool:
    return KeyGrant.objects.filter(
        disclosure=disclosure, kind=RecipientKind.STAFF, scope=KeyScope.CASE, user=user
    ).exists()


def key_holders(disclosure: Disclosure) -> QuerySet[KeyGrant]:
    """Who can open the case (scope CASE) or its identity (scope IDENTITY): staff grants
    (with users), the recovery key, the source."""
    return KeyGrant.objects.filter(disclosure=disclosure).select_related("user", "recovery_key")


def has_source_inbox(disclosure: Disclosure) -> bool:
    """Whether the whistleblower has a follow-up inbox (a web disclosure) to write to."""
    return SourceAccount.objects.filter(disclosure=disclosure).exists()
