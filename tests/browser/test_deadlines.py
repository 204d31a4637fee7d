"""The deadlines in a real browser: the handler extends the feedback deadline and sets, then
closes, a reminder on the case page; axe-core (WCAG 2.2 AA) on each page and error state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff_accessibility import (
    PASSWORD,
    Checker,
    _setup,  # noqa: F401  (autouse: groups, no failure delay)
    _sign_in,
    _submit,
    _web_disclosure,
)
from whistledesk.cases.clock import add_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_extend_feedback_and_a_reminder_in_the_browser(
    live_server: Any, page: Any, make_staff: Any, organisation: Any
) -> None:
    from whistledesk.accounts.roles import Role

    make_staff("cara", roles=[Role.CASEWORKER, Role.MANAGER], password=PASSWORD)
    reference = _web_disclosure()
    base = live_server.url
    case = f"{base}/staff/cases/{reference}"
    check = Checker(page)
    _sign_in(page, base, "cara")
    page.goto(f"{case}/")
    _submit(page, "Acknowledge")
    check("case page with deadlines")
    expect(page.locator("#ack-timeliness")).to_contain_text(": met")

    # The extension: errors first (no date, no reason), then past 6 months, then a good one
    page.locator("#extend-link").click()
    check("extend feedback")
    _submit(page, "Extend the deadline")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the new feedback deadline")
    check("extend feedback with errors")
    today = dt.date.today()
    page.fill("#id_new_due_on", add_months(today, 7).isoformat())
    page.fill("#id_reason", "The police asked us to wait")
    _submit(page, "Extend the deadline")
    expect(page.locator(".govuk-error-summary")).to_contain_text("beyond 6 months")
    page.fill("#id_new_due_on", add_months(today, 5).isoformat())
    _submit(page, "Extend the deadline")
    expect(page.locator("#extensions")).to_contain_text("The police asked us to wait")

    # The reminder: errors first, then one for today, then done
    page.locator("#remind-link").click()
    check("set a reminder")
    _submit(page, "Set reminder")
    check("set a reminder with errors")
    page.fill("#id_remind_on", today.isoformat())
    page.fill("#id_note", "Chase the LADO")
    _submit(page, "Set reminder")
    expect(page.locator("#reminders")).to_contain_text("Chase the LADO")
    check("case page with a reminder and an extension")
    with page.expect_navigation(wait_until="load"):
        page.locator("#reminders").get_by_role("button", name="Mark done").click()
    expect(page.locator("#reminders")).to_contain_text("(done)")

    page.goto(f"{base}/staff/")
    check("register with due dates")
    assert not check.problems, "\n\n".join(check.problems)
