"""Reads about staff accounts for the people pages: who they are and how many keys they hold."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from whistledesk.accounts.models import User


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


def staff_list() -> QuerySet[User]:
    """Everyone with a staff account, active first, with their roles and key counts.

    Each row carries `case_keys` and `identity_keys` (counted in the database) and its
    groups (prefetched): three queries for the page whatever its length.
    """
    return (
        User.objects.annotate(
            case_keys=_grant_count("case"), identity_keys=_grant_count("identity")
        )
        .prefetch_related("groups")
        .order_by("-is_active", "username")
    )


def staff_get(pk: int) -> User | None:
    return staff_list().filter(pk=pk).first()


def role_values(user: User) -> list[str]:
    """The person's roles as stored (also for a deactivated person, whose `has_role` is
    always False), from the prefetched groups."""
    return sorted(g.name for g in user.groups.all())
