"""The staff user. Roles are Django groups named after `Role` values."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser

from whistledesk.accounts.roles import Role


class User(AbstractUser):
    """A member of staff. Whistleblowers never have a User: they hold a receipt."""

    def has_role(self, role: Role) -> bool:
        if not self.is_active:
            return False
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = set(self.groups.values_list("name", flat=True))
            self._role_cache = cached
        return role.value in cached

    @property
    def role_labels(self) -> list[str]:
        return [r.label for r in Role if self.has_role(r)]
