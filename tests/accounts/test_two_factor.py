"""Two-factor sign-in: set-up, the code step, enforcement, throttling; Argon2id passwords."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
SIGN_IN = "/staff/account/sign-in/"
VERIFY = "/staff/account/two-factor/"
SET_UP = "/staff/account/two-factor/set-up/"
STAFF_HOME = "/staff/"
AUDIT = "/staff/audit/"


def code_for(device: TOTPDevice) -> str:
    """What the authenticator app shows now (computed as the app would)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Any, username: str, password: str = PASSWORD, follow: bool = False) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password}, follow=follow)


def enrolled(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


@pytest.fixture
def auditor(make_staff: Any) -> Any:
    return make_staff(username="audrey", roles=[Role.AUDITOR])


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_required_and_not_enrolled_means_set_up_before_any_staff_page(
    client: Any, auditor: Any
) -> None:
    # Given two-factor is required and Audrey has no authenticator
    # When she signs in with her password and asks for a staff page
    sign_in(client, "audrey")
    response = client.get(AUDIT)
    # Then she is sent to set one up, with the page she wanted kept for afterwards
    assert response.status_code == 302
    assert response["Location"].startswith(SET_UP)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert '<img src="data:image/svg+xml;base64,' in html
    assert not re.findall(r"<script(?![^>]*\bsrc=)", html)  # no inline script (CSP)
    device = TOTPDevice.objects.get(user=auditor, confirmed=False)
    # A wrong code is refused with a clear message
    wrong = client.post(response["Location"], {"code": "000000", "next": AUDIT})
    assert "The code is not correct" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=auditor, confirmed=True).exists()
    # And the right one turns it on and takes her where she was going
    time.sleep(1.05)  # django-otp's 1-second back-off after the wrong code
    done = client.post(response["Location"], {"code": code_for(device), "next": AUDIT})
    assert done.status_code == 302 and done["Location"] == AUDIT
    assert client.get(AUDIT).status_code == 200
    assert AuditEvent.objects.filter(action="user.two_factor_enrolled").count() == 1
    assert verify_chain().ok


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_password_alone_does_not_reach_staff_pages(client: Any, auditor: Any) -> None:
    device = enrolled(auditor)
    # Given Audrey has passed the password step only
    sign_in(client, "audrey")
    # Then every staff page sends her to the code step
    for url in (STAFF_HOME, AUDIT, "/staff/account/security/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    # When she enters the current code, Then she is through
    response = client.post(VERIFY, {"code": code_for(device), "next": AUDIT})
    assert response.status_code == 302 and response["Location"] == AUDIT
    assert client.get(AUDIT).status_code == 200
    assert AuditEvent.objects.filter(action="auth.two_factor_verified").exists()


@override_settings(WHISTLEDESK_REQUIRE_2FA=False)
def test_enrolled_staff_are_asked_for_a_code_even_when_not_required(
    client: Any, auditor: Any
) -> None:
    enrolled(auditor)
    sign_in(client, "audrey")
    assert client.get(AUDIT)["Location"].startswith(VERIFY)


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_wrong_codes_are_throttled_and_recorded(client: Any, auditor: Any) -> None:
    device = enrolled(auditor)
    sign_in(client, "audrey")
    wrong = client.post(VERIFY, {"code": "123456"})
    assert "The code is not correct" in wrong.content.decode()
    # Straight after a wrong code even the right one must wait: guessing is slowed down.
    again = client.post(VERIFY, {"code": code_for(device)})
    assert "Too many wrong codes" in again.content.decode()
    assert client.get(AUDIT).status_code == 302
    assert AuditEvent.objects.filter(action="auth.two_factor_failed").count() == 1


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_a_code_cannot_be_used_twice(client: Any, auditor: Any, django_user_model: Any) -> None:
    from django.test import Client

    device = enrolled(auditor)
    code = code_for(device)
    sign_in(client, "audrey")
    assert client.post(VERIFY, {"code": code})["Location"] == STAFF_HOME
    # Someone who watched her type it, with her password, cannot replay it
    other = Client()
    sign_in(other, "audrey")
    replay = other.post(VERIFY, {"code": code})
    assert replay.status_code == 200
    assert "The code is not correct" in replay.content.decode()


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_malformed_codes_get_a_clear_message(client: Any, auditor: Any, code: str) -> None:
    enrolled(auditor)
    sign_in(client, "audrey")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Enter the 6-digit code shown in your authenticator app" in response.content.decode()


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_a_stolen_password_cannot_replace_the_authenticator(client: Any, auditor: Any) -> None:
    device = enrolled(auditor)
    sign_in(client, "audrey")
    # When someone with only the password goes to the set-up page
    response = client.get(SET_UP)
    # Then they are sent to the code step, and no new authenticator is made
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=auditor)) == [device]


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_verified_staff_can_replace_their_authenticator(client: Any, auditor: Any) -> None:
    old = enrolled(auditor)
    sign_in(client, "audrey")
    client.post(VERIFY, {"code": code_for(old)})
    page = client.get(SET_UP)
    assert "Replace your authenticator" in page.content.decode()
    new = TOTPDevice.objects.get(user=auditor, confirmed=False)
    client.post(SET_UP, {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=auditor).values_list("pk", flat=True)) == [new.pk]
    event = AuditEvent.objects.get(action="user.two_factor_enrolled")
    assert event.details == {"replaced": 1}


@override_settings(WHISTLEDESK_REQUIRE_2FA=False)
def test_not_required_shows_a_banner_prompting_set_up(client: Any, auditor: Any) -> None:
    response = sign_in(client, "audrey", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "set up two-factor sign-in" in html
    assert f'href="{SET_UP}"' in html
    assert client.get(AUDIT).status_code == 200
    assert AuditEvent.objects.filter(action="auth.signed_in").count() == 1


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_next_cannot_send_someone_to_another_site(client: Any, auditor: Any) -> None:
    device = enrolled(auditor)
    sign_in(client, "audrey")
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == STAFF_HOME


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_admin_needs_the_second_factor_too(client: Any, django_user_model: Any) -> None:
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    device = enrolled(admin)
    client.force_login(admin)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_passwords_are_hashed_with_argon2id(make_staff: Any) -> None:
    # Test settings use a fast hasher; the real setting is what production uses.
    from whistledesk.config.settings import base

    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = make_staff(username="hash", password="correct-horse-battery")
        user.refresh_from_db()
        assert re.match(r"^argon2\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$", user.password)
        assert user.check_password("correct-horse-battery")
        assert not user.check_password("wrong-horse-battery")
