"""An email taken from a real IMAP mailbox (dovecot on loopback, over TLS) shows in the staff
register, and an intake officer opens its content from the case page, in Debian's Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.mailintake.conftest import ImapServer, imap_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-staff-password"
EMAIL = (
    b"From: Wren Halloway <wren.halloway@example.org>\r\n"
    b"Subject: Locked doors at Quillbrook Lodge\r\n"
    b"Date: Mon, 30 Nov 2026 08:00:00 +0000\r\n"
    b"Message-ID: <browser-1@example.org>\r\n"
    b"\r\n"
    b"The fire doors at Quillbrook Lodge were chained shut on Saturday night.\r\n"
)


def test_an_email_from_the_mailbox_is_in_the_register_and_opens_for_an_intake_officer(
    live_server: Any,
    page: Any,
    make_staff: Any,
    organisation: Any,
    imap_server: ImapServer,  # noqa: F811
) -> None:
    from whistledesk.accounts.roles import Role
    from whistledesk.mailintake.services import mailbox_poll

    make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=PASSWORD)
    # Given an email that arrived in the office's mailbox and was polled (as the worker does)
    imap_server.deliver(EMAIL)
    [reference] = mailbox_poll(config=imap_server.config()).taken
    base = live_server.url

    # When the intake officer signs in, the register lists it as an email
    page.goto(f"{base}/staff/")
    page.fill("#id_username", "ivy")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    row = page.locator("tr", has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Email")
    expect(row).to_contain_text("Received")

    # ...and from the case page they read the email
    page.get_by_role("link", name=reference).click()
    expect(page.locator("#case-status")).to_have_text("Received")
    page.locator("#casefile-link").click()
    email_text = page.locator("#document-email-1")
    expect(email_text).to_contain_text("Subject: Locked doors at Quillbrook Lodge")
    expect(email_text).to_contain_text(
        "The fire doors at Quillbrook Lodge were chained shut on Saturday night."
    )
    # ...while who sent it stays with the identity custodian (ADR 0004)
    expect(page.locator("#identity-hidden")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("wren.halloway")
