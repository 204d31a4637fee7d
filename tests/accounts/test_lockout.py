"""Lock-out after repeated sign-in failures, by account and by client, with no clear address."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from whistledesk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SIGN_IN = "/staff/account/sign-in/"
PASSWORD = "a-long-staff-password"


def attempt(client: Any, username: str, password: str) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password})


def test_five_failures_lock_the_account_even_with_the_right_password(
    client: Any, make_staff: Any
) -> None:
    make_staff(username="casey")
    # Given four wrong passwords, each answered with the normal message
    for _ in range(4):
        response = attempt(client, "casey", "wrong-password")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    # When the fifth is wrong too
    locked = attempt(client, "casey", "wrong-password")
    # Then sign-in is locked with a clear message, and even the right password is refused
    assert locked.status_code == 429
    assert "Sign-in is locked for now" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    again = attempt(client, "casey", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # and the lock-out is on the audit record, naming the account but no address
    # (each attempt while locked is recorded, and restarts the 15 minutes)
    events = list(AuditEvent.objects.filter(action="auth.locked_out"))
    assert len(events) == 2
    assert all(e.details == {"known_account": True} for e in events)
    assert all("127.0.0.1" not in str(e.details) for e in events)


def test_the_account_is_locked_from_another_client_too(make_staff: Any) -> None:
    make_staff(username="casey")
    for i in range(5):
        attempt(Client(REMOTE_ADDR=f"10.0.0.{i + 1}"), "casey", "wrong-password")
    response = attempt(Client(REMOTE_ADDR="10.9.9.9"), "casey", PASSWORD)
    assert response.status_code == 429


def test_one_client_guessing_many_accounts_is_locked(make_staff: Any) -> None:
    make_staff(username="casey")
    guesser = Client(REMOTE_ADDR="10.1.1.1")
    for i in range(5):
        attempt(guesser, f"user{i}", "guess")
    # The same client is now refused for a real account it has not tried...
    assert attempt(guesser, "casey", PASSWORD).status_code == 429
    # ...while Casey, from her own computer, still signs in.
    assert attempt(Client(REMOTE_ADDR="10.2.2.2"), "casey", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client: Any, make_staff: Any) -> None:
    make_staff(username="casey")
    for _ in range(4):
        attempt(client, "casey", "wrong-password")
    assert attempt(client, "casey", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "casey", "wrong-password").status_code == 200


def test_attempts_store_no_address_username_form_or_browser(make_staff: Any) -> None:
    make_staff(username="casey")
    # A password typed into the username box is a classic leak into logs
    attempt(
        Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Mozilla/5.0 Secret"),
        "my-secret-password-typed-here",
        "x",
    )
    row = AccessAttempt.objects.get()
    stored = " ".join(
        str(v)
        for v in AccessAttempt.objects.values_list(
            "ip_address", "username", "user_agent", "get_data", "post_data"
        ).get()
    )
    assert "203.0.113.7" not in stored
    assert "my-secret-password-typed-here" not in stored
    assert "Mozilla" not in stored
    assert row.ip_address.startswith("fd")  # a keyed pseudonym in fd00::/8
    # and the same client maps to the same pseudonym, so locking still works
    attempt(Client(REMOTE_ADDR="203.0.113.7"), "my-secret-password-typed-here", "y")
    assert AccessAttempt.objects.get().failures_since_start == 2


def test_behind_the_proxy_one_guesser_does_not_lock_out_everyone(
    make_staff: Any, settings: Any
) -> None:
    # Given every sign-in reaches us through the reverse proxy on 127.0.0.1
    settings.WHISTLEDESK_TRUSTED_PROXIES = ["127.0.0.1"]
    make_staff(username="casey")
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    # When one client guesses five accounts, it is locked out...
    for i in range(5):
        attempt(guesser, f"user{i}", "guess")
    assert attempt(guesser, "casey", PASSWORD).status_code == 429
    # ...even when it writes another address in front of the one the proxy adds
    spoofed = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.2.2.2, 203.0.113.66")
    assert attempt(spoofed, "casey", PASSWORD).status_code == 429
    # Then Casey, behind the same proxy, still signs in
    casey = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.2.2.2")
    assert attempt(casey, "casey", PASSWORD).status_code == 302


def test_a_forwarded_header_from_an_untrusted_peer_does_not_escape_the_lock(
    make_staff: Any, settings: Any
) -> None:
    settings.WHISTLEDESK_TRUSTED_PROXIES = ["127.0.0.1"]
    make_staff(username="casey")
    # Given a client connecting directly that invents a new X-Forwarded-For each time
    for i in range(5):
        forged = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.0.0.{i + 1}")
        attempt(forged, f"user{i}", "guess")
    # Then it is one client, locked out
    forged = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert attempt(forged, "casey", PASSWORD).status_code == 429
