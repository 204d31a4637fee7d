"""Signal receivers for sign-in security, connected in AccountsConfig.ready()."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from whistledesk.accounts.lockout import record_lockout
from whistledesk.accounts.two_factor import two_factor_required, user_has_authenticator
from whistledesk.audit.services import audit_record


def on_signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Only a real sign-in form post; test helpers (force_login) and scripts are not sign-ins.
    if request is None or request.method != "POST":
        return
    with transaction.atomic():
        audit_record(actor=user, action="auth.signed_in", object_type="user", object_id=user.pk)
    if not two_factor_required() and not user_has_authenticator(user):
        messages.warning(
            request,
            format_html(
                'Protect your account: <a class="govuk-notification-banner__link" href="{}">'
                "set up two-factor sign-in</a>.",
                reverse("accounts:two_factor_setup"),
            ),
        )


def connect() -> None:
    user_logged_in.connect(on_signed_in, dispatch_uid="whistledesk.accounts.on_signed_in")
    user_locked_out.connect(record_lockout, dispatch_uid="whistledesk.accounts.record_lockout")
