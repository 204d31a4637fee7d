"""Who may read the audit log: auditors (read-only by role) and managers."""

from __future__ import annotations

from typing import Any

from whistledesk.accounts.roles import Role

AUDIT_ROLES = (Role.AUDITOR, Role.MANAGER)


def can_see_audit_log(user: Any) -> bool:
    has_role = getattr(user, "has_role", None)
    return bool(user.is_authenticated and has_role and any(has_role(r) for r in AUDIT_ROLES))
