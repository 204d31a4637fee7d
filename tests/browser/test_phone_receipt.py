"""A phone disclosure whose caller signs in with the receipt they were given (issue 10,
"Done means"): staff record the call and issue a receipt; the "caller", in a browser with
JavaScript off, signs in to the public follow-up inbox, reads the notes of the call and
agrees them; staff see the agreement on the case. axe-core checks the pages on the way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-staff-password"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _no_axe_violations(page: Any) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_a_caller_signs_in_with_the_receipt_read_out_and_agrees_the_call_notes(
    live_server: Any,
    browser: Any,
    page: Any,
    page_nojs: Any,
    make_staff: Any,
    organisation: Any,
    settings: Any,
) -> None:
    from django.core.cache import cache

    from whistledesk.accounts.roles import Role

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()
    base = live_server.url
    make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    received = dt.date.today() - dt.timedelta(days=1)

    # Staff record the helpline call.
    page.goto(f"{base}/staff/")
    page.fill("#id_username", "ivy")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    page.get_by_role("link", name="Record a disclosure").click()
    page.get_by_role("link", name="Advice helpline").click()
    page.fill("#id_received_on", received.isoformat())
    page.fill("#id_summary", "Night staffing on a children's ward")
    page.fill("#id_caller_name", "Robin Example")
    page.fill("#id_call_notes", "Caller says one nurse covers the ward overnight.")
    page.fill("#id_anonymity_discussion", "Caller wants to stay confidential.")
    page.get_by_role("button", name="Record disclosure").click()
    expect(page.locator("#followup-inbox")).to_contain_text("no follow-up inbox")

    # ... and give the caller a receipt, read out on the phone.
    page.get_by_role("button", name="Issue a receipt").click()
    expect(page.get_by_role("heading", name="The whistleblower's receipt")).to_be_visible()
    _no_axe_violations(page)
    receipt = page.locator("#receipt").inner_text().strip()
    assert len(receipt.split()) == 7
    reference_url = page.url.removesuffix("receipt/")
    page.reload()
    expect(page.get_by_role("heading", name="The receipt has already been shown")).to_be_visible()

    # The caller, with JavaScript off, signs in with the words they wrote down.
    caller = page_nojs
    caller.goto(f"{base}/follow-up/")
    caller.get_by_label("Receipt").fill(receipt.upper())
    caller.get_by_role("button", name="Sign in").click()
    expect(caller.get_by_role("heading", name="The notes of your call")).to_be_visible()
    expect(caller.locator("#call-notes")).to_contain_text(
        "Caller says one nurse covers the ward overnight."
    )
    # axe-core needs JavaScript: the same inbox, with the call notes form, in a second browser.
    checker = browser.new_context().new_page()
    checker.goto(f"{base}/follow-up/")
    checker.get_by_label("Receipt").fill(receipt)
    checker.get_by_role("button", name="Sign in").click()
    expect(checker.get_by_role("heading", name="The notes of your call")).to_be_visible()
    _no_axe_violations(checker)
    checker.context.close()
    caller.get_by_label("Yes, I agree these notes").check()
    caller.get_by_role("button", name="Send my answer").click()
    expect(caller.locator(".govuk-notification-banner")).to_contain_text(
        "you agreed the notes of your call"
    )
    expect(caller.locator("#call-notes-status")).to_contain_text("You agreed these notes on")

    # Staff see the agreement on the case.
    page.goto(reference_url)
    expect(page.locator("#call-notes-review")).to_contain_text("Agreed by the caller")
    expect(page.locator("#followup-inbox")).to_contain_text("receipt issued")
    _no_axe_violations(page)
