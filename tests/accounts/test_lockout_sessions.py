"""Idle timeout and sign out everywhere (real session rows, not mocks)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from whistledesk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"


def signed_in_client(username: str) -> Client:
    client = Client()
    response = client.post("/staff/account/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_idle_timeout_is_thirty_minutes_and_renewed_by_activity(make_staff: Any) -> None:
    make_staff(username="casey")
    client = signed_in_client("casey")
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    key = client.session.session_key
    # Each request pushes the expiry 30 minutes ahead
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get("/staff/").status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + timedelta(minutes=29)


def test_an_idle_session_is_signed_out(make_staff: Any) -> None:
    make_staff(username="casey")
    client = signed_in_client("casey")
    # Given 31 minutes without activity (the stored session has expired)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    # Then the next staff page asks her to sign in again
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/account/sign-in/")


def test_sign_out_everywhere_ends_every_session_of_that_user_only(make_staff: Any) -> None:
    make_staff(username="casey")
    make_staff(username="robin")
    laptop, phone = signed_in_client("casey"), signed_in_client("casey")
    colleague = signed_in_client("robin")
    # When Casey signs out everywhere from her laptop
    response = laptop.post("/staff/account/sign-out-everywhere/", follow=True)
    assert "You have been signed out everywhere (2 sessions)" in response.content.decode()
    # Then her phone is signed out too, and her colleague is not
    assert phone.get("/staff/").status_code == 302
    assert laptop.get("/staff/").status_code == 302
    assert colleague.get("/staff/").status_code == 200
    event = AuditEvent.objects.get(action="user.signed_out_everywhere")
    assert event.details == {"sessions_ended": 2}


def test_sign_out_everywhere_needs_a_post(make_staff: Any) -> None:
    make_staff(username="casey")
    client = signed_in_client("casey")
    assert client.get("/staff/account/sign-out-everywhere/").status_code == 405
    assert client.get("/staff/").status_code == 200


def test_security_page_offers_set_up_and_sign_out_everywhere(make_staff: Any) -> None:
    make_staff(username="casey")
    client = signed_in_client("casey")
    html = client.get("/staff/account/security/").content.decode()
    assert "Set up two-factor sign-in" in html and "Sign out everywhere" in html
