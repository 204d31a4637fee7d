"""Each shipped configuration, end to end in Chromium with JavaScript off, axe (WCAG 2.2 AA)
on every page: the organisation is set up from its TOML file alone, a whistleblower answers
its own questions (taking its branches), sends, gets a receipt, and a manager reads the
answers and the Public form page."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_public_accessibility import WCAG_22_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIGS = Path(__file__).resolve().parents[2] / "whistledesk" / "organisation" / "configs"
PASSWORD = "a-long-staff-password"

# (what to do, label or button, value); "check" runs axe with that name.
CCO = [
    ("start", "Tell us about a concern at work (whistleblowing)", ""),
    ("continue", "", ""),
    ("check", "risk with error", ""),
    ("radio", "Yes", ""),
    ("continue", "", ""),
    ("check", "emergency", ""),
    ("button", "Continue to tell us about your concern", ""),
    ("radio", "School", ""),
    ("continue", "", ""),
    ("fill", "Name of the organisation or setting", "Larkspur Lodge"),
    ("continue", "", ""),
    ("fill", "What happened?", "Children are left alone overnight."),
    ("continue", "", ""),
    ("radio", "No", ""),
    ("continue", "", ""),
    ("radio", "Employee", ""),
    ("continue", "", ""),
]
HEALTH = [
    ("start", "Tell us about poor care where you work (whistleblowing)", ""),
    ("radio", "No", ""),
    ("continue", "", ""),
    ("radio", "Adult social care: care homes", ""),
    ("continue", "", ""),
    ("fill", "Name of the service or provider", "Rosewood Care Home"),
    ("continue", "", ""),
    ("continue", "", ""),
    ("check", "several choices with error", ""),
    ("checkbox", "Medicines", ""),
    ("checkbox", "Abuse or neglect", ""),
    ("continue", "", ""),
    ("radio", "Some people", ""),
    ("continue", "", ""),
    ("fill", "Day", "31"),
    ("fill", "Month", "2"),
    ("fill", "Year", "2024"),
    ("continue", "", ""),
    ("check", "date with error", ""),
    ("fill", "Day", "3"),
    ("fill", "Month", "4"),
    ("continue", "", ""),
    ("fill", "What happened?", "Medicines are left unlocked on the ward."),
    ("continue", "", ""),
    ("radio", "Yes", ""),
    ("continue", "", ""),
    ("fill", "What did the provider do?", "Nothing."),
    ("continue", "", ""),
    ("radio", "Care worker or healthcare assistant", ""),
    ("continue", "", ""),
]
FINANCE = [
    ("start", "Report wrongdoing in financial services (whistleblowing)", ""),
    ("radio", "Yes", ""),
    ("continue", "", ""),
    ("check", "act now", ""),
    ("button", "Continue to tell us about your concern", ""),
    ("radio", "Wholesale markets and trading", ""),
    ("continue", "", ""),
    ("fill", "Name of the firm", "Example Markets Ltd"),
    ("fill", "Firm reference number (optional)", "12345678"),
    ("continue", "", ""),
    ("check", "firm with error", ""),
    ("fill", "Firm reference number (optional)", "123456"),
    ("continue", "", ""),
    ("checkbox", "Market abuse or insider dealing", ""),
    ("continue", "", ""),
    ("fill", "Which financial instruments or assets are involved? (optional)", "XYZ plc"),
    ("continue", "", ""),
    ("continue", "", ""),
    ("fill", "What is happening?", "Traders share results before they are published."),
    ("continue", "", ""),
    ("radio", "No", ""),
    ("continue", "", ""),
    ("radio", "Former employee", ""),
    ("continue", "", ""),
]


@pytest.fixture(autouse=True)
def _setup(settings: Any, transactional_db: Any) -> None:
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from whistledesk.accounts.roles import Role

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()
    for role in Role:
        Group.objects.get_or_create(name=role.value)


class NoJsChecker:
    """axe on the page a browser without JavaScript shows.

    axe is itself JavaScript and waits on timers that never fire in a context with scripts
    off, so the page's HTML (scripts removed: exactly what the no-JS browser rendered) is
    put into a second, script-enabled page on the same origin, with its stylesheets, and
    checked there.
    """

    def __init__(self, page: Any, browser: Any, base: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.base = base
        self.context = browser.new_context()
        self.axe_page = self.context.new_page()
        self.axe = Axe()
        self.checked: list[str] = []
        self.problems: list[str] = []

    def __call__(self, name: str) -> None:
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", self.page.content(), flags=re.S)
        self.axe_page.goto(f"{self.base}/cookies/")
        self.axe_page.set_content(html)
        results = self.axe.run(
            self.axe_page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}}
        )
        self.checked.append(name)
        if results.violations_count:
            self.problems.append(f"{name} ({self.page.url}):\n{results.generate_report()}")

    def close(self) -> None:
        self.context.close()


def _continue(page: Any) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


@pytest.mark.parametrize(
    ("config", "journey", "expected"),
    [
        (
            "childrens_commissioner.toml",
            CCO,
            ["Child at immediate risk", "Larkspur Lodge", "Employee"],
        ),
        (
            "health_care_regulator.toml",
            HEALTH,
            ["Abuse or neglect", "Medicines", "3 April 2024", "Some people", "Nothing."],
        ),
        (
            "financial_services_regulator.toml",
            FINANCE,
            ["Serious harm happening now", "Market abuse or insider dealing", "XYZ plc"],
        ),
    ],
    ids=["childrens-commissioner", "health-care-regulator", "financial-services-regulator"],
)
def test_a_disclosure_through_each_shipped_configuration(
    live_server: Any,
    page_nojs: Any,
    browser: Any,
    make_staff: Any,
    config: str,
    journey: list[tuple[str, str, str]],
    expected: list[str],
) -> None:
    from django.core.management import call_command

    from whistledesk.accounts.roles import Role
    from whistledesk.cases.models import Disclosure

    # Given an organisation set up from its shipped TOML file alone
    call_command("configure_organisation", str(CONFIGS / config), stdout=io.StringIO())
    make_staff("maya", roles=[Role.MANAGER], password=PASSWORD)
    page = page_nojs
    base = live_server.url
    check = NoJsChecker(page, browser, base)

    # When a whistleblower answers its questions, with axe on every page
    for action, target, value in journey:
        if action == "start":
            page.goto(f"{base}/")
            expect(page.locator("h1")).to_have_text(target)
            check("start")
            page.get_by_role("button", name="Start now").click()
        elif action == "continue":
            _continue(page)
        elif action == "button":
            page.get_by_role("button", name=target).click()
        elif action == "radio" or action == "checkbox":
            page.get_by_label(target, exact=True).check()
        elif action == "fill":
            page.get_by_label(target, exact=True).fill(value)
        if action == "check":
            assert (
                page.locator(".govuk-error-summary").count()
                or target == "emergency"
                or (target == "act now")
            ), target
            check(target)
        elif action in ("start", "continue", "button"):
            check(page.url)
    expect(page.locator("h1")).to_have_text("Do you want to tell us who you are?")
    page.get_by_label("Anonymous", exact=True).check()
    _continue(page)
    check("files")
    _continue(page)
    expect(page.locator("h1")).to_have_text("Check your answers before sending your disclosure")
    check("check answers")
    summary = page.locator(".govuk-summary-list").inner_text()
    for words in expected:
        assert words in summary, words
    page.get_by_role("button", name="Send disclosure").click()
    check("receipt")
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()
    assert page.locator("#receipt").inner_text().strip()

    # Then the disclosure is in the register, and a manager reads the answers as asked
    disclosure = Disclosure.objects.get(reference=reference)
    staff = browser.new_context(java_script_enabled=False).new_page()
    staff.goto(f"{base}/staff/account/sign-in/")
    staff.get_by_label("Username").fill("maya")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.goto(f"{base}/staff/cases/{disclosure.reference}/content/")
    answers = staff.locator("body").inner_text()
    assert "Answered version 1 of the questionnaire." in answers
    for words in expected:
        assert words in answers, words
    staff_check = NoJsChecker(staff, browser, base)
    staff_check("case file")
    staff.goto(f"{base}/staff/public-form/")
    staff.get_by_role("button", name="Check and preview").click()
    expect(staff.locator("#preview")).to_have_text("Preview: the questionnaire is ready to publish")
    staff_check("public form preview")
    staff.context.close()
    staff_check.close()
    check.close()

    assert len(check.checked) >= 12
    assert not check.problems, "\n\n".join(check.problems)
    assert not staff_check.problems, "\n\n".join(staff_check.problems)


def test_the_no_js_checker_can_fail(live_server: Any, page_nojs: Any, browser: Any) -> None:
    # The journeys above are only worth something if this checker reports real problems.
    page_nojs.set_content('<html lang="en"><body><main><img src="data:,"></main></body></html>')
    check = NoJsChecker(page_nojs, browser, live_server.url)
    check("broken")
    check.close()
    assert check.problems and "image-alt" in check.problems[0]
