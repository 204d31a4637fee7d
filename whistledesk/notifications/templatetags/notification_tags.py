"""The "Email problems" notice on the staff dashboard, for managers only."""

from __future__ import annotations

from typing import Any

from django import template

from whistledesk.accounts.roles import Role
from whistledesk.notifications.outbox import email_failed_count

register = template.Library()


@register.inclusion_tag("notifications/_problems_notice.html")
def email_problems_notice(user: Any) -> dict[str, Any]:
    failed = (
        email_failed_count(organisation=user.organisation) if user.has_role(Role.MANAGER) else 0
    )
    return {"failed": failed}
