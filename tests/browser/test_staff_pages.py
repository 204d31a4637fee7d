"""Staff sign-in and the register list, in Debian's Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_sign_in_and_see_register(
    live_server: Any, page: Any, make_staff: Any, organisation: Any
) -> None:
    from tests.factories import DisclosureFactory

    make_staff(username="casey", password="correct-horse-battery")
    DisclosureFactory(organisation=organisation, reference="WD-TEST-0001")
    page.goto(f"{live_server.url}/staff/")
    assert "Staff sign in" in page.title()
    page.fill("#id_username", "casey")
    page.fill("#id_password", "wrong-password-here")
    page.click("button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct username")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")
    expect(page.locator("h1")).to_have_text("Disclosures")
    expect(page.get_by_text("WD-TEST-0001")).to_be_visible()
