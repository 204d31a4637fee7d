"""What a whistleblower's browser keeps: personal public pages are never stored, every cookie
goes when the browser closes, and the vault key changes at sign-in.

A whistleblower may use a shared or work device, so nothing of their visit may outlive it:
not a cached copy of the check-answers page, not a year-long CSRF token.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.intake.conftest import CANARY_EMAIL, submit, walk
from whistledesk.core.session_vault import COOKIE_NAME as VAULT_COOKIE

pytestmark = pytest.mark.django_db


class RecordingClient(Client):
    """A browser that remembers every Set-Cookie header it was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.set_cookies: list[tuple[str, Any]] = []

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        for name, morsel in response.cookies.items():
            self.set_cookies.append((name, morsel))
        return response


def a_whole_visit(organisation: Any) -> RecordingClient:
    """Read the pages, send a disclosure, sign in to the inbox, reply, sign out."""
    browser = RecordingClient()
    for url in ["/", "/privacy/", "/cookies/", "/no-such-page/", "/report/risk/"]:
        browser.get(url)
    browser.post("/report/risk/", {})  # an error page on the way
    _, receipt = submit(browser, organisation)
    browser.get("/follow-up/")
    browser.post("/follow-up/", {"receipt": "wrong words entirely here"})
    browser.post("/follow-up/", {"receipt": receipt})
    browser.get("/follow-up/inbox/")
    browser.post("/follow-up/inbox/", {"text": "One more thing."})
    browser.get("/follow-up/inbox/")
    browser.post("/follow-up/sign-out/")
    browser.get("/follow-up/")
    return browser


def test_every_public_cookie_lasts_only_until_the_browser_closes(organisation: Any) -> None:
    browser = a_whole_visit(organisation)
    seen = {name for name, _ in browser.set_cookies}
    # The visit did meet the cookies that matter
    assert {"sessionid", "csrftoken", VAULT_COOKIE, "messages"} <= seen
    for name, morsel in browser.set_cookies:
        if morsel.value == "":
            continue  # a deletion (expires in the past) removes a cookie, it keeps nothing
        assert not morsel["expires"] and not morsel["max-age"], (name, morsel.OutputString())
        assert morsel["httponly"], name


def test_the_cookies_page_lists_every_cookie_a_visit_receives(organisation: Any) -> None:
    browser = a_whole_visit(organisation)
    page = Client().get("/cookies/").content.decode()
    listed = set(re.findall(r"<td class=\"govuk-table__cell\"><code>([^<]+)</code>", page))
    assert {name for name, _ in browser.set_cookies} <= listed
    assert "When you close your browser" in page
    assert "strictly necessary" in page and "cookie banner" in page


def test_pages_that_show_something_personal_say_no_store(organisation: Any) -> None:
    browser = Client()
    # Given a half-filled form
    browser.post("/report/risk/", {"risk": "no"})
    pages = ["/report/risk/", "/report/service/"]
    for url in pages:
        assert "no-store" in browser.get(url)["Cache-Control"], url
    walk(browser, organisation, identity="confidential")
    check = browser.get("/report/check/")
    assert CANARY_EMAIL in check.content.decode()
    assert "no-store" in check["Cache-Control"]
    assert "no-store" in browser.get("/report/files/")["Cache-Control"]
    browser.post("/report/check/", {})
    sent = browser.get("/report/sent/")
    assert 'id="receipt"' in sent.content.decode()
    assert "no-store" in sent["Cache-Control"]
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', sent.content.decode()).group(1).strip()  # type: ignore[union-attr]
    inbox = Client()
    assert "no-store" in inbox.get("/follow-up/")["Cache-Control"]
    inbox.post("/follow-up/", {"receipt": receipt})
    page = inbox.get("/follow-up/inbox/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]


def test_inbox_sign_in_changes_the_vault_key_and_keeps_a_draft(organisation: Any) -> None:
    _, receipt = submit(Client(), organisation)
    # Given a browser with a vault cookie from before (planted, or seen by someone else)
    # and a half-filled new form
    browser = Client()
    browser.post("/report/risk/", {"risk": "no"})
    before = browser.cookies[VAULT_COOKIE].value
    # When the person signs in to the inbox
    response = browser.post("/follow-up/", {"receipt": receipt})
    assert response.status_code == 302
    # Then the browser gets a new vault key, and the old one opens nothing
    after = response.cookies[VAULT_COOKIE].value
    assert after and after != before
    assert browser.get("/follow-up/inbox/").status_code == 200
    stale = Client()  # the same session, with the vault cookie from before sign-in
    stale.cookies["sessionid"] = browser.cookies["sessionid"].value
    stale.cookies[VAULT_COOKIE] = before
    assert stale.get("/follow-up/inbox/")["Location"] == "/follow-up/"
    # and their half-filled form is still there
    assert browser.get("/report/service/").status_code == 200


def test_an_invalid_email_address_gets_one_clear_message(organisation: Any) -> None:
    browser = Client()
    walk(browser, organisation, identity="confidential")
    response = browser.post(
        "/report/contact/",
        {"name": "Sam", "email": "sam@", "phone": "", "contact_how": "email"},
    )
    body = response.content.decode()
    wrong_format = "Enter an email address in the correct format, like name@example.com"
    # Once in the error summary, once beside the field; nothing that contradicts it
    assert body.count(wrong_format) == 2
    assert "Enter an email address, or choose another way to contact you" not in body
    # A missing address, when email is the way to contact, still says so
    response = browser.post(
        "/report/contact/", {"name": "Sam", "email": "", "phone": "", "contact_how": "email"}
    )
    assert "Enter an email address, or choose another way to contact you" in (
        response.content.decode()
    )
