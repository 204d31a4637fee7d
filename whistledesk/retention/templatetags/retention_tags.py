"""Template helper: who gets the retention link in the staff navigation."""

from __future__ import annotations

from typing import Any

from django import template

from whistledesk.accounts.roles import Role

register = template.Library()


@register.filter
def can_manage_retention(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.MANAGER))
