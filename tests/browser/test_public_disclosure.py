"""The whole public journey in Debian's Chromium, with JavaScript off and on.

An anonymous disclosure with a file -> the receipt -> staff read it and reply -> the
whistleblower signs in with the receipt, reads the reply and answers it. Along the way:
no request leaves our origin and the browser reports no Content-Security-Policy violation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.casefiles.test_attachments import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PASSWORD = "a-long-staff-password"
NARRATIVE = "Children at Larkspur Lodge are left alone overnight."


@pytest.fixture(autouse=True)
def _no_delay(settings: Any) -> None:
    from django.core.cache import cache

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()  # throttle counters live in the cache the live server shares with us


@pytest.fixture(autouse=True)
def _role_groups(transactional_db: Any) -> None:
    # A transactional test flushes the tables, taking the role groups the data migration
    # made; without them a new member of staff would hold no role.
    from django.contrib.auth.models import Group

    from whistledesk.accounts.roles import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def watch(page: Any, origin: str) -> dict[str, list[str]]:
    """Record requests to other origins and CSP complaints, for assertions at the end."""
    seen: dict[str, list[str]] = {"foreign": [], "csp": []}
    page.on(
        "request",
        lambda r: (
            seen["foreign"].append(r.url) if not r.url.startswith((origin, "data:")) else None
        ),
    )
    page.on(
        "console",
        lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None,
    )
    return seen


def choose(page: Any, label: str) -> None:
    page.get_by_label(label, exact=True).check()


def send_anonymous_disclosure(page: Any, base: str, attachment: Path) -> tuple[str, str]:
    page.goto(f"{base}/")
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("h1")).to_have_text("Is a child at risk of immediate harm?")
    # An empty answer is explained, in the summary and beside the question
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select yes if a child")
    choose(page, "No")
    page.get_by_role("button", name="Continue").click()
    choose(page, "Schools")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Name of the organisation or setting").fill("Larkspur Lodge")
    page.get_by_label("Town, city or local authority area").fill("Leeds")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What happened?").fill(NARRATIVE)
    page.get_by_role("button", name="Continue").click()
    choose(page, "No")
    page.get_by_role("button", name="Continue").click()
    choose(page, "Agency worker")
    page.get_by_role("button", name="Continue").click()
    choose(page, "Anonymous")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Add files (optional)")
    page.set_input_files("input[type=file]", str(attachment))
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("ward.jpg")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before sending your disclosure")
    expect(page.locator("main")).to_contain_text(NARRATIVE)
    page.get_by_role("button", name="Send disclosure").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Disclosure sent")
    receipt = page.locator("#receipt").inner_text().strip()
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()
    assert len(receipt.split()) >= 7
    # Shown once: a reload finds it gone
    page.reload()
    expect(page.locator("h1")).to_have_text("Your receipt has already been shown")
    return reference, receipt


def staff_reply(browser: Any, base: str, reference: str, text: str, *, file_name: str = "") -> None:
    context = browser.new_context()
    staff = context.new_page()
    staff.goto(f"{base}/staff/account/sign-in/")
    staff.fill("#id_username", "ivy")
    staff.fill("#id_password", STAFF_PASSWORD)
    staff.click("button[type=submit]")
    staff.goto(f"{base}/staff/cases/{reference}/")
    # Acknowledging is a button on the case page (opening a page changes nothing)
    acknowledge = staff.get_by_role("button", name="Acknowledge")
    if acknowledge.count():
        acknowledge.click()
        expect(staff.locator("#case-status")).to_have_text("Acknowledged")
    staff.get_by_role("link", name="Read the disclosure and messages").click()
    expect(staff.get_by_role("link", name="Back to the case")).to_be_visible()
    expect(staff.locator("#narrative")).to_contain_text(NARRATIVE)
    if file_name:
        expect(staff.locator("main")).to_contain_text(file_name)
    staff.get_by_label("Message to the whistleblower").fill(text)
    staff.get_by_role("button", name="Send message").click()
    expect(staff.locator(".govuk-notification-banner")).to_contain_text("has been sent")
    context.close()


def source_reads_and_answers(page: Any, base: str, receipt: str, question: str) -> None:
    page.goto(f"{base}/follow-up/")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your disclosure")
    expect(page.locator("#status")).to_have_text("Acknowledged")
    expect(page.locator(".wd-thread")).to_contain_text(question)
    page.get_by_label("Your message").fill("It happens every Friday night.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".wd-thread")).to_contain_text("It happens every Friday night.")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign in with your receipt")


@pytest.mark.parametrize("js", [False, True], ids=["javascript-off", "javascript-on"])
def test_anonymous_disclosure_round_trip(
    js: bool,
    live_server: Any,
    browser: Any,
    page: Any,
    page_nojs: Any,
    organisation: Any,
    make_staff: Any,
    tmp_path: Path,
) -> None:
    from whistledesk.accounts.roles import Role

    make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=STAFF_PASSWORD)
    public = page if js else page_nojs
    base = live_server.url
    seen = watch(public, base)
    photo = tmp_path / "ward.jpg"
    photo.write_bytes(jpeg_with_gps())

    reference, receipt = send_anonymous_disclosure(public, base, photo)
    staff_reply(browser, base, reference, "Which room are they left in?", file_name="ward.jpg")
    source_reads_and_answers(public, base, receipt, "Which room are they left in?")

    assert seen["foreign"] == []
    assert seen["csp"] == []


def test_emergency_route_comes_first(live_server: Any, page_nojs: Any, organisation: Any) -> None:
    page_nojs.goto(f"{live_server.url}/report/risk/")
    choose(page_nojs, "Yes")
    page_nojs.get_by_role("button", name="Continue").click()
    expect(page_nojs.locator("h1")).to_have_text("Get help for the child now")
    expect(page_nojs.locator("main")).to_contain_text("call 999")
    page_nojs.get_by_role("button", name=re.compile("Continue")).click()
    expect(page_nojs.locator("h1")).to_have_text("What is your concern about?")


def test_wrong_receipt_repeated_is_throttled(
    live_server: Any, page_nojs: Any, organisation: Any
) -> None:
    from whistledesk.intake.throttle import RECEIPT_FAILURES

    page_nojs.goto(f"{live_server.url}/follow-up/")
    for _ in range(RECEIPT_FAILURES.per_client):
        page_nojs.get_by_label("Your receipt").fill("apple banana cherry damson elder fig grape")
        page_nojs.get_by_role("button", name="Sign in").click()
        expect(page_nojs.locator(".govuk-error-summary")).to_contain_text(
            "We could not find a disclosure with that receipt"
        )
    page_nojs.get_by_label("Your receipt").fill("apple banana cherry damson elder fig grape")
    page_nojs.get_by_role("button", name="Sign in").click()
    expect(page_nojs.locator(".govuk-error-summary")).to_contain_text(
        re.compile(r"Try again in \d+ minutes?")
    )
