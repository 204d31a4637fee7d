"""Reads of API tokens: the one lookup each request makes, and a person's own list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from whistledesk.accounts.models import User
from whistledesk.api.models import ApiToken
from whistledesk.core import crypto
from whistledesk.organisation.models import Organisation


def api_token_find(*, token: str, organisation: Organisation | None) -> ApiToken | None:
    """The usable token row for a presented token (not revoked, not expired) whose owner
    belongs to `organisation` (the request's: organisation/tenancy.py), else None.

    A token of another organisation is not found, exactly as an unknown one: a token is
    its owner's, and an account works only inside its own organisation (ADR 0017). With
    no organisation configured yet, neither has one (the endpoints then say how to
    configure, as the staff pages do).
    The lookup is by digest, so the database never sees the token, and timing reveals
    nothing an attacker could use (they cannot choose digests).
    """
    if not token or len(token) > crypto.MAX_API_TOKEN_CHARS:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=crypto.api_token_digest(token),
            user__organisation=organisation,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get(*, user: User, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def api_token_by_id(*, organisation: Organisation, token_id: int) -> ApiToken | None:
    """For the operator's command, which may revoke anyone's token in the organisation."""
    return (
        ApiToken.objects.select_related("user")
        .filter(user__organisation=organisation, pk=token_id)
        .first()
    )
