"""Staff sign-in. A successful sign-in also unlocks the person's private key (keyring)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from whistledesk.accounts.keyring import staff_key_unlock
from whistledesk.core.crypto import MAX_SECRET_CHARS


class StaffAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been deactivated. Ask a manager to restore it.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Capped before anything hashes it: a failed field skips authentication.
        self.fields["password"].validators.append(MaxLengthValidator(MAX_SECRET_CHARS))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and self.request is not None:
            staff_key_unlock(self.request, user, cleaned["password"])
        return cleaned
