"""Sign-in inside the request's organisation (ADR 0017).

A username names an account only within its organisation, so the password is checked
against the account of that name in the organisation the request is for, and no other.
With no organisation (several exist and the request chose none), nobody signs in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from whistledesk.accounts.middleware import adopt_if_sole
from whistledesk.accounts.models import User
from whistledesk.organisation.tenancy import current


class OrganisationBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        org = getattr(request, "organisation", None) if request is not None else current()
        # No organisation: only an installation with none configured yet has such accounts.
        user = User.objects.filter(organisation=org, username__iexact=username).first()
        if user is None and org is not None:
            orphan = User.objects.filter(organisation=None, username__iexact=username).first()
            if orphan is not None:
                adopt_if_sole(orphan, org)
                user = orphan if orphan.organisation_id == org.pk else None
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        return super().get_user(user_id)  # type: ignore[return-value]
