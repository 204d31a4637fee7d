"""axe-core on every staff page (and its error and empty states), WCAG 2.2 AA: zero
violations; every page has its own descriptive <title>; keyboard focus is visible."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a-long-staff-password"
NARRATIVE = "Children at Larkspur Lodge are left alone overnight."


@pytest.fixture(autouse=True)
def _setup(settings: Any, transactional_db: Any) -> None:
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from whistledesk.accounts.roles import Role

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()
    for role in Role:
        Group.objects.get_or_create(name=role.value)


# What axe does not check: the GOV.UK error pattern's wiring. Every error summary link
# jumps to a control on the page; every error message is announced with its control
# (aria-describedby); no aria-describedby points at an id that is not there.
FORM_WIRING = """() => {
  const problems = [];
  for (const a of document.querySelectorAll('.govuk-error-summary a')) {
    const id = decodeURIComponent((a.getAttribute('href') || '').slice(1));
    const target = id && document.getElementById(id);
    if (!target || !target.matches('input, select, textarea, button'))
      problems.push(`error summary link "${a.textContent.trim()}" goes to no control (#${id})`);
  }
  const described = new Set();
  for (const el of document.querySelectorAll('[aria-describedby]')) {
    for (const id of el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)) {
      described.add(id);
      if (!document.getElementById(id))
        problems.push(`aria-describedby of #${el.id} names missing #${id}`);
    }
  }
  for (const p of document.querySelectorAll('.govuk-error-message')) {
    if (!p.id || !described.has(p.id))
      problems.push(`error message "${p.textContent.trim()}" is not tied to its control`);
  }
  for (const a of document.querySelectorAll('.govuk-error-summary a')) {
    if (/This field is required/.test(a.textContent))
      problems.push(`error "${a.textContent.trim()}" does not say what to do`);
  }
  return problems;
}"""


class Checker:
    """Runs axe on the current page and notes its title; problems are asserted at the end."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.axe = Axe()
        self.checked: list[str] = []
        self.keys: dict[str, tuple[str, str]] = {}
        self.titles: dict[str, set[tuple[str, str]]] = {}
        self.problems: list[str] = []

    def __call__(self, name: str, *, same_page_as: str = "") -> None:
        results = self.axe.run(
            self.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}}
        )
        self.checked.append(name)
        # Which page this is: its path and, on the dashboard, its tab.
        # A form posted to another address that shows its errors is still the same page.
        url = urlsplit(self.page.url)
        key = self.keys.get(same_page_as) or (url.path, parse_qs(url.query).get("list", ["all"])[0])
        self.keys[name] = key
        self.titles.setdefault(self.page.title().removeprefix("Error: "), set()).add(key)
        if results.violations_count:
            self.problems.append(f"{name} ({self.page.url}):\n{results.generate_report()}")
        for problem in self.page.evaluate(FORM_WIRING):
            self.problems.append(f"{name} ({self.page.url}): {problem}")
        has_errors = self.page.locator(".govuk-error-summary").count() > 0
        if has_errors and not self.page.title().startswith("Error: "):
            self.problems.append(f"{name}: the title does not start with 'Error: '")


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/staff/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def _submit(page: Any, name: str) -> None:
    # Wait for the page the form leads to, stylesheet included: axe on a half-loaded page
    # measures unstyled targets.
    with page.expect_navigation(wait_until="load"):
        page.locator("main").get_by_role("button", name=name, exact=True).click()


def _web_disclosure() -> str:
    from whistledesk.intake.services import submission_create

    answers = {
        "risk": "no",
        "service": "",
        "setting_name": "Larkspur Lodge",
        "setting_area": "Leeds",
        "narrative": NARRATIVE,
        "raised_before": "no",
        "role": "employee",
        "identity": "confidential",
        "name": "Ann Example",
        "contact_method": "email",
        "email": "ann@example.org",
    }
    return submission_create(answers=answers).reference


def _dashboard(page: Any, base: str, check: Checker) -> None:
    page.goto(f"{base}/staff/")
    check("dashboard")
    tabs = page.locator("nav[aria-label='Lists'] a")
    for i in range(tabs.count()):
        link = page.locator("nav[aria-label='Lists'] a").nth(i)
        label = link.inner_text()
        link.click()
        check(f"dashboard tab {label}")
    page.goto(f"{base}/staff/")
    page.get_by_label("Reporting year").select_option(index=1)
    _submit(page, "Apply filters")
    check("dashboard filtered")
    page.get_by_label(re.compile("^Reference, Ofsted URN")).fill("no such setting anywhere")
    _submit(page, "Apply filters")
    expect(page.locator("main")).to_contain_text("No disclosures in this list.")
    check("dashboard empty")


def _record(page: Any, base: str, check: Checker) -> None:
    page.goto(f"{base}/staff/record/")
    check("record start")
    for channel in ("letter", "email", "helpline", "tribunal"):
        page.goto(f"{base}/staff/record/{channel}/")
        check(f"record {channel}")
        page.fill("#id_received_on", "")
        _submit(page, "Record disclosure")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check(f"record {channel} with errors")


def _form_with_errors(page: Any, check: Checker, url: str, name: str, submit: str) -> None:
    page.goto(url)
    check(name)
    _submit(page, submit)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(f"{name} with errors")


def _casework(page: Any, base: str, check: Checker, reference: str) -> None:
    case = f"{base}/staff/cases/{reference}"
    page.goto(f"{case}/")
    check("case page, received")
    _submit(page, "Acknowledge")
    _submit(page, "Start assessment")
    check("case page, assessing")
    _form_with_errors(page, check, f"{case}/assess/", "assessment", "Save")
    page.goto(f"{case}/assign/")
    check("assign")
    _form_with_errors(page, check, f"{case}/refer/", "referral", "Save")
    page.select_option("#id_body", index=1)
    page.fill("#id_shared_summary", "Overnight staffing at the home.")
    _submit(page, "Save")
    page.get_by_role("link", name="Record response").click()
    check("response")
    _submit(page, "Save")
    check("response with errors")
    _form_with_errors(page, check, f"{case}/concern/", "safeguarding concern", "Save")
    page.fill("#id_summary", "Children may be left without care overnight.")
    _submit(page, "Save")
    page.get_by_role("link", name="Confirm safeguarding action").click()
    check("confirm safeguarding")
    _submit(page, "Save")
    check("confirm safeguarding with errors")
    _form_with_errors(page, check, f"{case}/action/", "action", "Save")
    _form_with_errors(page, check, f"{case}/consent/", "consent", "Save")
    _form_with_errors(page, check, f"{case}/conflict/", "conflict of interest", "Save")
    page.goto(f"{case}/")
    page.get_by_role("link", name="Close case").click()
    check("close")
    _submit(page, "Close case")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("close with error")
    page.goto(f"{case}/")
    check("case page with referral, concern and history")


def _case_file(page: Any, base: str, check: Checker, reference: str) -> None:
    page.goto(f"{base}/staff/cases/{reference}/content/")
    expect(page.locator("#narrative")).to_contain_text(NARRATIVE)
    check("case file")
    _submit(page, "Send message")
    check("case file with error", same_page_as="case file")
    page.goto(f"{base}/staff/identity/")
    check("identity requests")
    page.goto(f"{base}/staff/identity/ledger/{reference}/")
    check("consent ledger")


def _oversight(page: Any, base: str, check: Checker) -> None:
    page.goto(f"{base}/staff/audit/")
    check("audit log")
    page.goto(f"{base}/staff/audit/?disclosure=not-a-number&date_from=nonsense")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("audit log filters with errors")
    page.goto(f"{base}/staff/retention/")
    check("retention")
    page.goto(f"{base}/staff/retention/?on=not-a-date")
    check("retention with error")
    _submit(page, "Place legal hold")
    check("legal hold with error", same_page_as="retention")
    page.goto(f"{base}/staff/reports/?year=2022")
    expect(page.locator("h1")).not_to_be_empty()
    check("annual report")
    html = page.request.get(f"{base}/staff/reports/2022.html")
    assert html.ok
    page.set_content(html.text())
    check("published HTML report")
    page.goto(f"{base}/staff/reports/management/")
    expect(page.locator("h1")).to_have_text("Management information")
    check("management information")
    page.goto(f"{base}/staff/reports/management/?date_from=nonsense&first_year=1")
    check("management information with errors")
    page.goto(f"{base}/staff/account/security/")
    check("sign-in and security")
    page.goto(f"{base}/staff/account/two-factor/set-up/")
    check("two-factor set-up")
    _submit(page, "Turn on two-factor sign-in")
    check("two-factor set-up with error")
    page.goto(f"{base}/staff/no-such-page/")
    check("404")
    page.goto(f"{base}/staff/cases/WD-0000-0000/")
    check("404 for a case")


def test_every_staff_page_has_no_axe_violations(
    live_server: Any, page: Any, browser: Any, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role
    from whistledesk.cases.models import ReferralBody

    call_load_demo()
    # The directory is seeded by a data migration, which a transactional test's flush empties.
    ReferralBody.objects.get_or_create(
        name="Local authority children's services", defaults={"kind": "la_childrens_services"}
    )
    make_staff("alex", roles=list(Role), password=PASSWORD)
    make_staff("casey", roles=[Role.CASEWORKER], password=PASSWORD)
    reference = _web_disclosure()
    base = live_server.url
    check = Checker(page)

    page.goto(f"{base}/staff/")
    check("sign in")
    page.fill("#id_username", "alex")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    check("sign in with error")
    _sign_in(page, base, "alex")
    _dashboard(page, base, check)
    _record(page, base, check)
    _casework(page, base, check, reference)
    _case_file(page, base, check, reference)
    _oversight(page, base, check)

    # Pages a caseworker may not open.
    page.context.clear_cookies()
    _sign_in(page, base, "casey")
    page.goto(f"{base}/staff/audit/")
    check("403")
    page.goto(f"{base}/staff/cases/{reference}/assign/")
    expect(page.locator("h1")).to_have_text("You cannot do this")
    check("403 for assigning")

    assert len(check.checked) >= 60, check.checked
    assert not check.problems, "\n\n".join(check.problems)
    # Each page says what it is: two different pages (paths, or dashboard tabs) sharing a
    # title is a bug. Only the generic error pages are the same wherever they appear.
    generic = ("Page not found", "You do not have permission")
    shared = {
        title: pages
        for title, pages in check.titles.items()
        if len(pages) > 1 and not title.startswith(generic)
    }
    assert not shared, shared


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
def test_code_step_has_no_axe_violations(live_server: Any, page: Any, make_staff: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_load_demo()
    user = make_staff("alex", password=PASSWORD)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    check = Checker(page)
    page.goto(f"{live_server.url}/staff/account/sign-in/")
    page.fill("#id_username", "alex")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    check("code step")
    page.fill("#id_code", "000000")
    page.click("main button[type=submit]")
    check("code step with error")
    assert not check.problems, "\n\n".join(check.problems)


def call_load_demo() -> None:
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


def test_keyboard_focus_is_visible(live_server: Any, page: Any, make_staff: Any) -> None:
    from whistledesk.accounts.roles import Role

    call_load_demo()
    make_staff("alex", roles=list(Role), password=PASSWORD)
    _sign_in(page, live_server.url, "alex")
    # Tab through the dashboard: every element that takes focus shows the GOV.UK focus
    # colour (yellow #ffdd00) as an outline, a background or a box shadow.
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const s = getComputedStyle(el);
                return {tag: el.tagName, text: (el.innerText || el.name || '').slice(0, 40),
                        outline: s.outlineStyle !== 'none' && s.outlineWidth !== '0px'
                                 ? s.outlineColor : '',
                        background: s.backgroundColor, shadow: s.boxShadow};
            }"""
        )
        if style is None:
            continue
        seen += 1
        yellow = "rgb(255, 221, 0)"
        visible = yellow in (style["outline"], style["background"]) or yellow in style["shadow"]
        assert visible, style
    assert seen >= 15


def test_the_checker_can_fail(page: Any) -> None:
    # The checks above are only worth something if axe reports real problems in this setup.
    page.set_content(
        '<html lang="en"><body><main><table><tr><td><input type="text"></td></tr>'
        "</table></main></body></html>"
    )
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count > 0


def test_menu_collapses_behind_a_button_on_a_phone(
    live_server: Any, browser: Any, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role

    call_load_demo()
    make_staff("alex", roles=list(Role), password=PASSWORD)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, live_server.url, "alex")
    menu = page.get_by_role("button", name="Menu")
    audit = page.get_by_role("link", name="Audit log")
    expect(audit).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    audit.click()
    expect(page.locator("h1")).to_have_text("Audit log")
    # The page's own item is marked for assistive technology, not only by colour.
    expect(page.locator("[aria-current=page]")).to_have_text("Audit log")
    context.close()


def test_the_error_wiring_check_can_fail(page: Any) -> None:
    page.set_content(
        '<html lang="en"><body><main><div class="govuk-error-summary"><ul>'
        '<li><a href="#id_gone">This field is required.</a></li></ul></div>'
        '<p class="govuk-error-message" id="id_x_error">Enter x</p>'
        '<input id="id_x" aria-describedby="id_x-hint"></main></body></html>'
    )
    problems = page.evaluate(FORM_WIRING)
    assert len(problems) == 4, problems
