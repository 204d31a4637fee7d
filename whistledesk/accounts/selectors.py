"""Reads about staff accounts for the people pages: who they are and how many keys they hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from whistledesk.accounts.models import User

if TYPE_CHECKING:
    from whistledesk.organisation.models import Organisation


def _grant_count(scope: str) -> Coalesce:
    # casefiles builds on accounts: imported here.
    from whistledesk.casefiles.models import KeyGrant, RecipientKind

    counted = (
        KeyGrant.objects.filter(kind=RecipientKind.STAFF, scope=scope, user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def staff_list(*, organisation: Organisation) -> QuerySet[User]:
    """Everyone with a staff account in `organisation`, active first, with their roles and
    key counts (ADR 0017: a manager sees and changes only their own organisation's staff).

    Each row carries `case_keys` and `identity_keys` (counted in the database) and its
    groups (prefetched): three queries for the page whatever its length.
    """
    return (
        User.objects.filter(organisation=organisation)
        .annotate(case_keys=_grant_count("case"), identity_keys=_grant_count("identity"))
        .prefetch_related("groups")
        .order_by("-is_active", "username")
    )


def staff_get(*, organisation: Organisation, pk: int) -> User | None:
    """The account `pk` of `organisation`; None for another organisation's, as for none."""
    return staff_list(organisation=organisation).filter(pk=pk).first()


def role_values(user: User) -> list[str]:
    """The person's roles as stored (also for a deactivated person, whose `has_role` is
    always False), from the prefetched groups."""
    return sorted(g.name for g in user.groups.all())
