"""Reads of API tokens: the one lookup each request makes, and a person's own list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from whistledesk.accounts.models import User
from whistledesk.api.models import ApiToken
from whistledesk.core import crypto


def api_token_find(*, token: str) -> ApiToken | None:
    """The usable token row for a presented token (not revoked, not expired), else None.

    The lookup is by digest, so the database never sees the token, and timing reveals
    nothing an attacker could use (they cannot choose digests).
    """
    if not token or len(token) > crypto.MAX_API_TOKEN_CHARS:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=crypto.api_token_digest(token),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get(*, user: User, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def api_token_by_id(*, token_id: int) -> ApiToken | None:
    """For the operator's command, which may revoke anyone's token."""
    return ApiToken.objects.select_related("user").filter(pk=token_id).first()
