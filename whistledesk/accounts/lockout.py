"""Lock-out of repeated sign-in failures (django-axes), without keeping addresses in clear.

Five failures lock the username, and separately the client, for 15 minutes (settings AXES_*).
Axes needs a client address to lock by; we give it a pseudonym instead of the real one: an
HMAC of `core.client_address.client_key` (behind a trusted proxy, the real client: one
client cannot lock out everyone behind the proxy) under the secret key, written as an IPv6
address in fd00::/8 (the column is an IP-address column, so it must look like one). The
same client always gets the same pseudonym, so locking works, but the table reveals no real
address. Usernames are pseudonymised the same way (a mistyped password often lands in the
username box), together with the organisation the sign-in was for: "jane" of one
organisation and "jane" of another are different accounts (ADR 0017), so failures at one
never lock the other. Axes also keeps the user agent and the submitted form with failed attempts;
we keep neither.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from whistledesk.audit.services import audit_record
from whistledesk.core.client_address import client_key


def pseudonymous_client_ip(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: a stable, keyed pseudonym for the client's address, as the
    one client address function sees it (behind the proxy: the real client, not the proxy)."""
    digest = _pseudonym(b"axes-client", client_key(request))
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def _pseudonym(label: bytes, value: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), label + b":" + value.encode(), "sha256").digest()


def pseudonymous_username(request: HttpRequest, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: what axes stores and locks by instead of the typed username."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    org = getattr(request, "organisation", None)
    # Sign-in matches usernames whatever their case, so the lock does too ("Jane" is "jane").
    account = f"{org.pk if org is not None else ''}:{str(typed).casefold()}"
    return "u-" + _pseudonym(b"axes-user", account).hex()[:40]


class PrivateDatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler, minus the submitted form and the browser's user agent."""

    def user_login_failed(
        self, sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return super().user_login_failed(sender, credentials, request=request, **kwargs)
        original_post, original_get = request.POST, request.GET
        # Kept on the request (never stored) so the lock-out audit event can name the account.
        request.wd_typed_username = (credentials or {}).get("username", "")  # type: ignore[attr-defined]
        request.axes_user_agent = ""  # type: ignore[attr-defined]
        # Axes would copy the whole form (any field not named "password") into its table.
        request.POST = QueryDict()  # type: ignore[misc]
        request.GET = QueryDict()  # type: ignore[misc]
        try:
            return super().user_login_failed(sender, credentials, request=request, **kwargs)
        finally:
            request.POST, request.GET = original_post, original_get  # type: ignore[misc]


def record_lockout(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """A lock-out is a security event: put it on the audit record (never the address)."""
    from whistledesk.accounts.models import User

    typed = getattr(request, "wd_typed_username", "")
    org = getattr(request, "organisation", None)
    user = (
        User.objects.filter(organisation=org, username__iexact=typed).only("pk").first()
        if typed
        else None
    )
    with transaction.atomic():
        audit_record(
            actor="anonymous",
            action="auth.locked_out",
            object_type="user" if user else "",
            # An unknown username may be a mistyped password: never record it.
            object_id=user.pk if user else "",
            details={"known_account": user is not None},
        )


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a plain page saying what happened and how long to wait."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cooloff.total_seconds() / 60)) if cooloff else None
    return render(
        request,
        "accounts/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
