"""The sign-in pages in Chromium: password, then authenticator code; lock-out after failures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_password_then_code(
    live_server: Any, page: Any, make_staff: Any, organisation: Any
) -> None:
    user = make_staff(username="casey", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    page.goto(f"{live_server.url}/staff/")
    page.fill("#id_username", "casey")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    # The password alone leads to the code step, not the register
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    page.fill("#id_code", "000000")
    page.click("main button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not correct")
    page.wait_for_timeout(1100)  # django-otp's back-off after a wrong code
    page.fill("#id_code", _code(device))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")
    expect(page.locator("h1")).to_have_text("Disclosures")


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_first_sign_in_sets_up_the_authenticator(
    live_server: Any, page: Any, make_staff: Any
) -> None:
    user = make_staff(username="casey", password=PASSWORD)
    page.goto(f"{live_server.url}/staff/account/sign-in/")
    page.fill("#id_username", "casey")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    qr = page.locator("img[alt^='QR code']")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the SVG really renders under our CSP
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#id_code", _code(device))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Two-factor sign-in is set up"
    )


def test_lock_out_after_five_failures(live_server: Any, page: Any, make_staff: Any) -> None:
    make_staff(username="casey", password=PASSWORD)
    page.goto(f"{live_server.url}/staff/account/sign-in/")
    for _ in range(4):
        page.fill("#id_username", "casey")
        page.fill("#id_password", "not-the-password")
        page.click("main button[type=submit]")
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct username")
    page.fill("#id_username", "casey")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Sign-in is locked for now")
    expect(page.locator("main")).to_contain_text("15 minutes")
    # The right password does not get through while locked
    page.goto(f"{live_server.url}/staff/account/sign-in/")
    page.fill("#id_username", "casey")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Sign-in is locked for now")
