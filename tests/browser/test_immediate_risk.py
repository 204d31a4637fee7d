"""Immediate risk in Debian's Chromium: a web disclosure saying a child is at immediate risk
cannot be closed until a safeguarding lead confirms the action taken (issue 8, item 4)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-staff-password"


@pytest.fixture(autouse=True)
def _role_groups(transactional_db: Any) -> None:
    # A transactional test flushes the role groups the data migration made.
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from whistledesk.accounts.roles import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    cache.clear()


def _choose(page: Any, label: str) -> None:
    page.get_by_label(label, exact=True).check()


def _continue(page: Any) -> None:
    page.get_by_role("button", name="Continue").click()


def _send_with_immediate_risk(page: Any, base: str) -> str:
    page.goto(f"{base}/")
    page.get_by_role("button", name="Start now").click()
    _choose(page, "Yes")
    _continue(page)
    expect(page.locator("h1")).to_have_text("Get help for the child now")
    page.get_by_role("button", name="Continue to tell us about your concern").click()
    _choose(page, "Schools")
    _continue(page)
    page.get_by_label("Name of the organisation or setting").fill("Larkspur Lodge")
    page.get_by_label("Town, city or local authority area").fill("Leeds")
    _continue(page)
    page.get_by_label("What happened?").fill("A child at Larkspur Lodge is locked in at night.")
    _continue(page)
    _choose(page, "No")
    _continue(page)
    _choose(page, "Agency worker")
    _continue(page)
    _choose(page, "Anonymous")
    _continue(page)
    _continue(page)  # no files
    page.get_by_role("button", name="Send disclosure").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Disclosure sent")
    return page.locator(".govuk-panel__body strong").inner_text().strip()


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/staff/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def _sign_out(page: Any, username: str) -> None:
    page.get_by_role("button", name=f"Sign out {username}").click()


def _close(page: Any, outcome_pk: int) -> None:
    page.get_by_role("link", name="Close case").click()
    page.select_option("#id_outcome", str(outcome_pk))
    page.get_by_role("button", name="Close case").click()


def test_immediate_risk_cannot_close_until_a_lead_confirms(
    live_server: Any, page: Any, make_staff: Any, organisation: Any
) -> None:
    from whistledesk.accounts.roles import Role
    from whistledesk.organisation.models import Outcome

    base = live_server.url
    make_staff("casey", roles=[Role.INTAKE_OFFICER, Role.CASEWORKER])
    make_staff("sam", roles=[Role.SAFEGUARDING_LEAD])
    advice = Outcome.objects.filter(organisation=organisation).first()
    assert advice is not None

    # A whistleblower says a child is at immediate risk.
    reference = _send_with_immediate_risk(page, base)

    # A caseworker assesses it as low risk and tries to close it at once.
    _sign_in(page, base, "casey")
    page.goto(f"{base}/staff/cases/{reference}/")
    expect(page.locator("#urgent-banner")).to_contain_text(
        "The whistleblower answered “Yes” to “Is a child at risk of immediate harm?”"
    )
    expect(page.locator("h1")).to_contain_text("Open safeguarding concern")
    page.get_by_role("button", name="Acknowledge").click()
    # Only a case's handler works on it: she takes it on as caseworker first.
    page.get_by_role("button", name="Take this case").click()
    page.get_by_role("link", name="Assess").click()
    page.check("text=Danger to the health or safety of any individual")
    page.check("#id_public_interest_0")
    page.check("#id_within_remit_0")
    page.select_option("#id_service", label="Schools")
    page.get_by_label("Low", exact=True).check()
    page.get_by_role("button", name="Save").click()
    # Recording the assessment starts it: the status moves on.
    expect(page.locator("#case-status")).to_have_text("Assessing")
    _close(page, advice.pk)
    expect(page.locator(".govuk-error-summary")).to_contain_text("open safeguarding concern")
    _sign_out(page, "casey")

    # The safeguarding lead is alerted on the dashboard and confirms the action taken.
    _sign_in(page, base, "sam")
    expect(page.locator("#immediate-risk-alert")).to_contain_text(
        "1 case needs a safeguarding lead to confirm the action taken"
    )
    page.get_by_role("link", name="See the immediate risk list").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Confirm safeguarding action").click()
    page.fill("#id_action_taken", "Police welfare check; the child is safe with family.")
    page.fill("#id_action_taken_by", "Local authority duty team")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action confirmed", exact=True)).to_be_visible()
    page.goto(f"{base}/staff/")
    expect(page.locator("#immediate-risk-alert")).to_have_count(0)
    _sign_out(page, "sam")

    # Now the caseworker can close it.
    _sign_in(page, base, "casey")
    page.goto(f"{base}/staff/cases/{reference}/")
    _close(page, advice.pk)
    expect(page.locator("#case-status")).to_have_text("Closed")
