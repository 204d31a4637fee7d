"""Writes to API tokens: create (the token is returned once) and revoke, both audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.api.models import ApiToken
from whistledesk.audit.services import audit_record
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError, NotPermitted

DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
# A used token's last_used_at is written at most this often: one write per request would
# make every API read a write, and SQLite serialises writers.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def holds_a_role(user: Any) -> bool:
    return bool(user.is_active) and any(user.has_role(role) for role in Role)


def _may_manage(actor: Any, owner: User) -> bool:
    """A person manages their own tokens; a manager may also revoke anyone's. A command-line
    actor (a label, not a User) is the operator of the server."""
    if not isinstance(actor, User):
        return True
    return actor.pk == owner.pk or actor.has_role(Role.MANAGER)


@transaction.atomic
def api_token_create(
    *, actor: Any, user: User, name: str, lifetime_days: int = DEFAULT_LIFETIME_DAYS
) -> tuple[ApiToken, str]:
    """A new token for `user`. Returns the row and the token, which is never shown again."""
    if isinstance(actor, User) and actor.pk != user.pk:
        raise NotPermitted("You can only create API tokens for your own account.")
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name that says what it is for.", field="name")
    if len(name) > 100:
        raise DomainError("The name must be 100 characters or fewer.", field="name")
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise DomainError(
            f"A token lasts between 1 and {MAX_LIFETIME_DAYS} days.", field="lifetime_days"
        )
    if not holds_a_role(user):
        raise DomainError("Only an active member of staff with a role can have an API token.")
    token = crypto.new_api_token()
    row = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=crypto.api_token_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=lifetime_days),
    )
    audit_record(
        actor=actor,
        action="api_token.created",
        object_type="api_token",
        object_id=row.pk,
        details={"user_id": user.pk, "expires_on": timezone.localdate(row.expires_at).isoformat()},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if not _may_manage(actor, locked.user):
        raise NotPermitted("You can only revoke your own API tokens.")
    if locked.revoked_at is not None:
        raise DomainError("This token has already been revoked.")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoked",
        object_type="api_token",
        object_id=locked.pk,
        details={"user_id": locked.user_id},
    )
    return locked


def api_token_mark_used(*, token: ApiToken) -> None:
    """Record when a token was last used, so its owner can spot one they do not recognise.

    Not audited: it is bookkeeping on every request, not a change anyone made.
    """
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
