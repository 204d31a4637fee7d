"""Whether the staff menu shows "Public form" (cases.permissions decides)."""

from __future__ import annotations

from typing import Any

from django import template

from whistledesk.cases.permissions import Perm, has_perm

register = template.Library()


@register.filter
def can_edit_questionnaire(user: Any) -> bool:
    return has_perm(user, Perm.EDIT_QUESTIONNAIRE)
