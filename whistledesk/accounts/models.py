"""The staff user. Roles are Django groups named after `Role` values."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models.functions import Lower

from whistledesk.accounts.roles import Role


class _UserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        """The account of that name in the current organisation, else in the only one, else
        among accounts of no organisation (`createsuperuser` run with several organisations).

        Names are matched as sign-in matches them, whatever their case. Never a search across
        organisations: "jane" of one is not "jane" of another (ADR 0017).
        """
        from whistledesk.organisation.tenancy import current, sole_organisation

        org = current() or sole_organisation()
        return self.get(organisation=org, username__iexact=username)


class User(AbstractUser):
    """A member of staff. Whistleblowers never have a User: they hold a receipt.

    Each member of staff has a Curve25519 key pair. Case keys are sealed to `public_key`;
    the private key is stored only encrypted with a key derived (Argon2id, `key_salt`) from
    the password, and unlocked into the session vault at sign-in (accounts/keyring.py).
    """

    # Unique within the organisation, not the installation (ADR 0017): "jane" may work for two
    # organisations, as two accounts, and one organisation learns nothing of another's names.
    username = models.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="150 characters or fewer. Letters, digits and @/./+/-/_ only.",
    )
    # The one organisation this account works for (ADR 0017). A person who works for two
    # organisations has two accounts, each with its own roles, key pair and second factor.
    # Null only for an account made outside any organisation (e.g. `createsuperuser`), which
    # signs in nowhere until an organisation is set.
    organisation = models.ForeignKey(
        "organisation.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    public_key = models.BinaryField(null=True, blank=True, editable=False)
    encrypted_private_key = models.BinaryField(null=True, blank=True, editable=False)
    key_salt = models.BinaryField(null=True, blank=True, editable=False)

    objects = _UserManager()  # type: ignore[misc]

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("username"), name="user_username_unique_in_organisation"
            )
        ]

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
