"""Template helpers for the people pages and the staff menu."""

from __future__ import annotations

from typing import Any

from django import template

from whistledesk.accounts.roles import Role

register = template.Library()


@register.filter
def can_manage_people(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.MANAGER))


@register.filter
def stored_role_labels(user: Any) -> list[str]:
    """Role names as stored, whether or not the account is active (from prefetched groups)."""
    names = {g.name for g in user.groups.all()}
    return [str(r.label) for r in Role if r.value in names]
