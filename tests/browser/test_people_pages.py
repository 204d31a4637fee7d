"""Staff management in Chromium: a manager adds a person, changes their roles, resets and
deactivates; the person changes their own password and still reads their case. Every page
(and its error state) passes axe at WCAG 2.2 AA."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff_accessibility import Checker, _submit, call_load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-staff-password"
FIRST_PASSWORD = "first-password-for-nia"
OWN_PASSWORD = "nias-own-password-42"
NARRATIVE = "The night manager at Larkspur Lodge locks the children in."


@pytest.fixture(autouse=True)
def _setup(settings: Any, transactional_db: Any) -> None:
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from whistledesk.accounts.roles import Role

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/staff/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def _sealed_case() -> str:
    from tests.factories import DisclosureFactory
    from whistledesk.casefiles.services import casefile_create
    from whistledesk.organisation.models import Organisation

    disclosure = DisclosureFactory(organisation=Organisation.objects.get())
    casefile_create(actor="public", disclosure=disclosure, documents={"narrative": NARRATIVE})
    return str(disclosure.reference)


def test_a_manager_manages_a_person_who_keeps_their_keys(
    live_server: Any, page: Any, make_staff: Any
) -> None:
    from whistledesk.casefiles.models import KeyGrant

    call_load_demo()
    from whistledesk.accounts.roles import Role

    make_staff("meg", roles=[Role.MANAGER], password=PASSWORD)
    base = live_server.url
    check = Checker(page)

    # The manager finds the staff pages in the menu
    _sign_in(page, base, "meg", PASSWORD)
    page.get_by_role("link", name="Staff", exact=True).click()
    expect(page.locator("h1")).to_have_text("Staff")
    check("staff list")

    # and adds Nia, first with mistakes
    page.get_by_role("link", name="Add a member of staff").click()
    check("add a member of staff")
    page.fill("#id_username", "nia")
    page.fill("#id_new_password", FIRST_PASSWORD)
    page.fill("#id_new_password_again", "not-the-same-password")
    _submit(page, "Add member of staff")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The two new passwords are different"
    )
    check("add a member of staff with errors", same_page_as="add a member of staff")
    page.fill("#id_first_name", "Nia")
    page.fill("#id_last_name", "Okafor")
    page.get_by_label("Intake officer: records disclosures").check()
    page.fill("#id_new_password", FIRST_PASSWORD)
    page.fill("#id_new_password_again", FIRST_PASSWORD)
    _submit(page, "Add member of staff")
    expect(page.locator("h1")).to_have_text("nia")
    expect(page.locator("main")).to_contain_text(
        "can now sign in with the first password you chose"
    )
    check("person")
    nia_page = page.url

    # Her own page says what a manager cannot do to themselves
    page.goto(f"{base}/staff/people/")
    page.get_by_role("link", name="meg", exact=True).click()
    expect(page.locator("#own-account")).to_have_text(
        "You cannot deactivate your own account. Another manager can."
    )
    page.get_by_label("Manager: assigns cases").uncheck()
    _submit(page, "Save roles")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "You cannot remove your own manager role. Another manager can."
    )
    check("own person page with error")

    # Nia signs in (a case arrives meanwhile, sealed to her as an intake officer)
    reference = _sealed_case()
    _sign_in(page, base, "nia", FIRST_PASSWORD)
    page.goto(f"{base}/staff/account/security/")
    page.get_by_role("link", name="Change your password").click()
    check("change your password")
    page.fill("#id_old_password", "wrong-old-password")
    page.fill("#id_new_password", OWN_PASSWORD)
    page.fill("#id_new_password_again", OWN_PASSWORD)
    _submit(page, "Change password")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Your current password is not correct."
    )
    check("change your password with errors", same_page_as="change your password")
    page.fill("#id_old_password", FIRST_PASSWORD)
    page.fill("#id_new_password", OWN_PASSWORD)
    page.fill("#id_new_password_again", OWN_PASSWORD)
    _submit(page, "Change password")
    expect(page.locator("main")).to_contain_text("Your case keys are kept under the new one.")
    # With her own password she still reads the case
    _sign_in(page, base, "nia", OWN_PASSWORD)
    page.goto(f"{base}/staff/cases/{reference}/content/")
    expect(page.locator("main")).to_contain_text(NARRATIVE)

    # The manager resets her password (after a refused attempt), then deactivates her
    _sign_in(page, base, "meg", PASSWORD)
    page.goto(nia_page)
    page.get_by_role("link", name="Reset password").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "A reset deletes every key nia holds: now 1 case key"
    )
    check("reset password")
    _submit(page, "Reset password and delete keys")
    check("reset password with errors", same_page_as="reset password")
    page.fill("#id_new_password", FIRST_PASSWORD + "-2")
    page.fill("#id_new_password_again", FIRST_PASSWORD + "-2")
    page.get_by_label("I understand that their case keys will be deleted").check()
    _submit(page, "Reset password and delete keys")
    expect(page.locator("main")).to_contain_text("1 case or identity key was deleted")
    assert not KeyGrant.objects.filter(user__username="nia").exists()
    _submit(page, "Deactivate nia")
    expect(page.locator("main")).to_contain_text("nia is deactivated")
    check("deactivated person")

    # A custodian passes older identity keys to a custodian appointed after the case
    make_staff("kim", roles=[Role.CUSTODIAN], password=PASSWORD)
    _sealed_case()
    make_staff("kai", roles=[Role.CUSTODIAN], password=PASSWORD)
    _sign_in(page, base, "kim", PASSWORD)
    page.goto(f"{base}/staff/identity/")
    page.get_by_role("link", name="Pass identity keys to a newly appointed custodian").click()
    check("identity key hand-over")
    _submit(page, "Pass on 1 key to kai")
    expect(page.locator("main")).to_contain_text("kai now holds the identity keys of 1 more case.")
    assert KeyGrant.objects.filter(user__username="kai", scope="identity").count() == 1

    assert len(check.checked) == 11, check.checked
    assert not check.problems, "\n\n".join(check.problems)
