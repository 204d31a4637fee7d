"""The staff user. Roles are Django groups named after `Role` values."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from whistledesk.accounts.roles import Role


class User(AbstractUser):
    """A member of staff. Whistleblowers never have a User: they hold a receipt.

    Each member of staff has a Curve25519 key pair. Case keys are sealed to `public_key`;
    the private key is stored only encrypted with a key derived (Argon2id, `key_salt`) from
    the password, and unlocked into the session vault at sign-in (accounts/keyring.py).
    """

    public_key = models.BinaryField(null=True, blank=True, editable=False)
    encrypted_private_key = models.BinaryField(null=True, blank=True, editable=False)
    key_salt = models.BinaryField(null=True, blank=True, editable=False)

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
