"""Out-of-remit signposting in Chromium: the handler signposts a web disclosure to the FCA
from its case page (search, choose, check, confirm, send), and the whistleblower reads the
message in their follow-up inbox. axe (WCAG 2.2 AA) on each signposting page."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-staff-password"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _axe_clean(page: Any, problems: list[str], name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    if results.violations_count:
        problems.append(f"{name}:\n{results.generate_report()}")


def test_staff_signpost_a_web_case_to_the_fca_and_the_whistleblower_reads_it(
    live_server: Any, browser: Any, page: Any, make_staff: Any, organisation: Any, settings: Any
) -> None:
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from tests.signposting.conftest import to_assessing, web_disclosure
    from whistledesk.accounts.roles import Role

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    people = {
        "carl": make_staff("carl", roles=[Role.CASEWORKER]),
        "mara": make_staff("mara", roles=[Role.MANAGER]),
    }
    call_command("load_prescribed_persons", verbosity=0)
    case, receipt = web_disclosure()
    case = to_assessing(case, people)
    base = live_server.url
    problems: list[str] = []

    # carl, the handler, opens the case and starts signposting
    page.goto(f"{base}/staff/account/sign-in/")
    page.fill("#id_username", "carl")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    page.goto(f"{base}/staff/cases/{case.reference}/")
    page.get_by_role("link", name="Signpost to another prescribed person").click()
    expect(page.locator("h1")).to_contain_text("Signpost to another prescribed person")
    # Continuing without a choice says what to do
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the body to signpost to")
    _axe_clean(page, problems, "choose, with an error")
    # A search narrows the list; carl picks the FCA
    page.get_by_label("Search by name or matter").fill("FCA")
    page.get_by_role("button", name="Search").click()
    _axe_clean(page, problems, "choose")
    page.get_by_label("Financial Conduct Authority").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#message-preview")).to_contain_text(
        "The right body for this concern is Financial Conduct Authority."
    )
    # Sending without confirming is refused; confirming sends it
    page.get_by_role("button", name="Send to the whistleblower's inbox").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that the concern is outside our prescribed matters"
    )
    _axe_clean(page, problems, "check, with an error")
    page.get_by_label("The concern is outside the matters we are prescribed for").check()
    page.get_by_role("button", name="Send to the whistleblower's inbox").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Signposted to Financial Conduct Authority: the message is in their inbox."
    )
    expect(page.locator("#signposts")).to_contain_text(
        "Signposted to Financial Conduct Authority on"
    )
    _axe_clean(page, problems, "case page")

    # The whistleblower, in their own browser, reads it with their receipt
    context = browser.new_context()
    source = context.new_page()
    source.goto(f"{base}/follow-up/")
    source.get_by_label("Your receipt").fill(receipt)
    source.get_by_role("button", name="Sign in").click()
    thread = source.locator(".wd-thread")
    expect(thread).to_contain_text(
        "The right body for this concern is Financial Conduct Authority."
    )
    expect(thread).to_contain_text(
        "You can contact them here: https://www.fca.org.uk/firms/whistleblowing; "
        "email whistle@fca.org.uk; telephone 020 7066 9200"
    )
    context.close()

    # A manager's pages: the directory (searched) and the message's wording (with an error)
    context = browser.new_context()
    manager = context.new_page()
    manager.goto(f"{base}/staff/account/sign-in/")
    manager.fill("#id_username", "mara")
    manager.fill("#id_password", PASSWORD)
    manager.click("main button[type=submit]")
    manager.wait_for_url(f"{base}/staff/")
    manager.goto(f"{base}/staff/signposting/?q=pensions")
    expect(manager.locator("#directory")).to_contain_text("The Pensions Regulator")
    _axe_clean(manager, problems, "directory")
    manager.get_by_role("link", name="Change the signposting message").click()
    manager.get_by_label("Signposting message").fill("Please contact {body}.")
    manager.get_by_role("button", name="Save").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text("include {contact}")
    _axe_clean(manager, problems, "message, with an error")
    context.close()
    assert not problems, "\n".join(problems)
