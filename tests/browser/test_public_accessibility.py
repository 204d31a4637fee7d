"""axe-core on every public page (and its error state), WCAG 2.2 AA: zero violations."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_public_disclosure import NARRATIVE, STAFF_PASSWORD, staff_reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(autouse=True)
def _setup(settings: Any, transactional_db: Any) -> None:
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from whistledesk.accounts.roles import Role

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()
    for role in Role:
        Group.objects.get_or_create(name=role.value)


class Checker:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.axe = Axe()
        self.checked: list[str] = []
        self.problems: list[str] = []

    def __call__(self, name: str) -> None:
        results = self.axe.run(
            self.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}}
        )
        self.checked.append(name)
        if results.violations_count:
            self.problems.append(f"{name} ({self.page.url}):\n{results.generate_report()}")


def _continue(page: Any) -> None:
    page.get_by_role("button", name="Continue").click()


def test_every_public_page_has_no_axe_violations(
    live_server: Any, page: Any, browser: Any, organisation: Any, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role

    make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=STAFF_PASSWORD)
    base = live_server.url
    check = Checker(page)

    page.goto(f"{base}/")
    check("start")
    page.get_by_role("button", name="Start now").click()
    check("risk")
    _continue(page)
    check("risk with error")
    page.get_by_label("Yes", exact=True).check()
    _continue(page)
    check("emergency")
    page.get_by_role("button", name="Continue to tell us about your concern").click()
    check("service")
    page.get_by_label("I'm not sure", exact=True).check()
    _continue(page)
    check("setting")
    _continue(page)
    check("setting with error")
    page.get_by_label("Name of the organisation or setting").fill("Larkspur Lodge")
    _continue(page)
    check("what happened")
    page.get_by_label("What happened?").fill("x" * 10_001)
    _continue(page)
    check("what happened with error")
    page.get_by_label("What happened?").fill(NARRATIVE)
    _continue(page)
    check("raised before")
    page.get_by_label("Yes", exact=True).check()
    _continue(page)
    check("raised details")
    page.get_by_label("Who did you raise it with?").fill("the manager")
    page.get_by_label("Once", exact=True).check()
    _continue(page)
    check("role")
    page.get_by_label("Employee", exact=True).check()
    _continue(page)
    check("identity")
    page.get_by_label("Confidential", exact=True).check()
    _continue(page)
    check("contact")
    page.get_by_label("Email", exact=True).check()
    _continue(page)
    check("contact with errors")
    page.get_by_label("Your full name").fill("Ann Example")
    page.get_by_label("Email address (optional)").fill("ann@example.org")
    _continue(page)
    check("files")
    page.get_by_role("button", name="Upload file").click()
    check("files with error")
    _continue(page)
    check("check answers")
    page.get_by_role("button", name="Send disclosure").click()
    check("receipt")
    receipt = page.locator("#receipt").inner_text().strip()
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()
    page.reload()
    check("receipt already shown")
    staff_reply(browser, base, reference, "Thank you. Which night was this?")

    page.goto(f"{base}/follow-up/")
    check("sign in")
    page.get_by_label("Your receipt").fill("not my receipt")
    page.get_by_role("button", name="Sign in").click()
    check("sign in with error")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Sign in").click()
    check("inbox")
    page.get_by_role("button", name="Send message").click()
    check("inbox with error")

    assert len(check.checked) == 24
    assert not check.problems, "\n\n".join(check.problems)


def test_the_checker_can_fail(page: Any) -> None:
    # The check above is only worth something if axe reports real problems in this setup.
    page.set_content('<html lang="en"><body><main><img src="data:,"></main></body></html>')
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count > 0
