"""Replies are seen (issue 10 item 4), in Debian's Chromium: a whistleblower replies through
the public follow-up inbox; staff see it under "Replies waiting" and marked on the register
and the case page; opening the case file clears it for everyone. The pages stay axe-clean,
the inbox's email setting included (item 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.test_public_accessibility import Checker
from tests.intake.conftest import STAFF_PASSWORD, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY = "It was the night shift on Ward 7."


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/staff/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def test_a_reply_sent_through_the_inbox_waits_for_staff_until_read(
    live_server: Any, browser: Any, page: Any, organisation: Any, make_staff: Any, settings: Any
) -> None:
    from whistledesk.accounts.roles import Role

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=STAFF_PASSWORD)
    make_staff("mo", roles=[Role.MANAGER], password=STAFF_PASSWORD)
    base = live_server.url
    check = Checker(page)
    reference, receipt = submit(Client(), organisation)

    # The whistleblower signs in to the follow-up inbox, looks at the email setting and replies
    page.goto(f"{base}/follow-up/")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your disclosure")
    page.get_by_role("link", name="Get an email when you have a new message").click()
    expect(page.locator("#source-email-risk")).to_contain_text(
        "Anyone who can read this mailbox could learn that you have made a report"
    )
    page.get_by_role("button", name="Email me about new messages").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address")
    check("inbox email setting (error)")
    page.get_by_role("link", name="Back to your messages").click()
    page.get_by_label("Your message").fill(REPLY)
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".wd-thread")).to_contain_text(REPLY)
    page.get_by_role("button", name="Sign out").click()

    # Staff sign in: the reply is under "Replies waiting", and marked on the register
    staff_context = browser.new_context()
    staff = staff_context.new_page()
    _sign_in(staff, base, "ivy")
    row = staff.locator("tr", has=staff.get_by_role("link", name=reference, exact=True))
    expect(row.locator(".wd-reply-waiting")).to_have_text("Reply waiting")
    staff.get_by_role("link", name="Replies waiting").click()
    expect(staff.locator("#list-heading")).to_have_text("Replies waiting")
    expect(staff.locator("#result-count")).to_have_text("1 disclosure")
    staff_check = Checker(staff)
    staff_check("replies waiting list")
    staff.get_by_role("link", name=reference, exact=True).click()
    expect(staff.locator("#replies-waiting")).to_contain_text("nobody has read yet")
    staff_check("case page with a reply waiting")

    # Opening the case file reads it, for the whole office
    staff.get_by_role("link", name="Read the reply in the case file").click()
    expect(staff.locator("main")).to_contain_text(REPLY)
    staff_context.close()

    manager_context = browser.new_context()
    manager = manager_context.new_page()
    _sign_in(manager, base, "mo")
    row = manager.locator("tr", has=manager.get_by_role("link", name=reference, exact=True))
    expect(row).to_be_visible()
    expect(row.locator(".wd-reply-waiting")).to_have_count(0)
    manager.get_by_role("link", name="Replies waiting").click()
    expect(manager.locator("#result-count")).to_have_text("0 disclosures")
    manager.goto(f"{base}/staff/cases/{reference}/")
    expect(manager.locator("#replies-read")).to_contain_text(
        "The whistleblower's latest reply was read by ivy on"
    )
    manager_context.close()
    problems = check.problems + staff_check.problems
    assert not problems, "\n\n".join(problems)
