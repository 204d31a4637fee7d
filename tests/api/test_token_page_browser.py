"""The API tokens page in Chromium: create (shown once), errors, revoke; no axe violations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from whistledesk.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page: Any) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_create_and_revoke_a_token(live_server: Any, page: Any, make_staff: Any) -> None:
    make_staff(username="casey", password="correct-horse-battery", roles=[Role.CASEWORKER])
    page.goto(f"{live_server.url}/staff/account/sign-in/?next=/staff/account/security/")
    page.fill("#id_username", "casey")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Create or revoke your API tokens").click()
    expect(page.locator("h1")).to_have_text("API tokens")
    assert_accessible(page)

    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.fill("#id_name", "Monthly figures")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token code").inner_text()
    assert re.fullmatch(r"wd_[A-Za-z0-9_-]{43}", token)
    expect(page.locator(".govuk-warning-text")).to_contain_text("shown only once")
    assert_accessible(page)

    page.goto(f"{live_server.url}/staff/account/api-tokens/")
    assert token not in page.content()
    page.get_by_role("button", name="Revoke Monthly figures").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is revoked")
    expect(page.locator("td strong.govuk-tag")).to_have_text("Revoked")
    assert_accessible(page)
