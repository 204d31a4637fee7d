"""Writes to staff accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    roles: list[Role],
    is_superuser: bool = False,
) -> User:
    user = User(username=username, is_staff=is_superuser, is_superuser=is_superuser)
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    audit_record(
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=username,
        details={"roles": sorted(r.value for r in roles)},
    )
    return user
