"""The prepare page in Chromium: flag a one-disclosure cell, suppress it, write a text with a
preview, publish; no axe issues on the page with its warnings open or with a form error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
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


def axe_clean(page: Any) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_manager_resolves_a_small_cell_writes_a_text_and_publishes(
    live_server: Any, page: Any, organisation: Any, make_staff: Any
) -> None:
    from tests.factories import DisclosureFactory
    from whistledesk.accounts.roles import Role
    from whistledesk.organisation.models import ServiceCategory

    organisation.small_cell_threshold = 3
    organisation.save(update_fields=["small_cell_threshold"])
    schools, hospitals = (
        ServiceCategory.objects.get(organisation=organisation, label=label)
        for label in ("Schools", "Hospitals")
    )
    for day in range(1, 6):
        DisclosureFactory(
            organisation=organisation, received_on=dt.date(2022, 5, day), service=schools
        )
    DisclosureFactory(organisation=organisation, received_on=dt.date(2022, 6, 1), service=hospitals)
    make_staff(username="mona", password=PASSWORD, roles=[Role.MANAGER])

    page.goto(f"{live_server.url}/staff/reports/2022/prepare")
    page.fill("#id_username", "mona")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/reports/2022/prepare")
    expect(page.locator("#open-warnings")).to_have_text("Disclosures by service: Hospitals (1)")
    axe_clean(page)

    # Publishing now is refused, saying which warning
    page.get_by_role("button", name="Publish the 2022/23 report").click()
    expect(page.locator("#publish-error")).to_contain_text(
        "cannot be published while 1 disclosure warning is unresolved: Disclosures by "
        "service: Hospitals (1)"
    )
    axe_clean(page)

    # Suppress it
    cell = page.locator("#cell-0")
    cell.get_by_label("Suppress it: show [c] instead of the number").check()
    cell.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#check-clear")).to_contain_text("No open warnings")
    expect(page.locator("#secondary")).to_have_text("Disclosures by service: Schools")

    # Write the impact text with a preview
    page.locator("#text-impact").get_by_role("link", name="Write").click()
    page.get_by_label("Impact on our functions").fill("The concerns shaped **our guidance**.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-text strong")).to_have_text("our guidance")
    axe_clean(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#text-impact .govuk-inset-text")).to_have_text(
        "The concerns shaped our guidance."
    )

    page.get_by_role("button", name="Publish the 2022/23 report").click()
    expect(page.locator("#published-on")).to_contain_text("by mona (version 1).")
