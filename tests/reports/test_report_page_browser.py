"""The annual report page in Chromium: pick a year, read the tables, download, no axe issues."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
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


def test_staff_pick_a_year_and_download_the_csv(
    live_server: Any, page: Any, organisation: Any, make_staff: Any
) -> None:
    from tests.factories import DisclosureFactory
    from whistledesk.organisation.models import ServiceCategory

    hospitals = ServiceCategory.objects.get(organisation=organisation, label="Hospitals")
    for on in (dt.date(2021, 5, 1), dt.date(2022, 5, 1), dt.date(2022, 6, 1)):
        DisclosureFactory(organisation=organisation, received_on=on, service=hospitals)
    make_staff(username="rita", password=PASSWORD)
    page.goto(f"{live_server.url}/staff/reports/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/reports/")

    page.select_option("#id_year", "2022")
    page.get_by_role("button", name="Show report").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Annual report 2022/23")
    expect(page.locator("#report-text")).to_contain_text(
        "received 2 whistleblowing disclosures; this is an increase from the year before "
        "when ER received 1."
    )
    row = page.get_by_role("row", name="Hospitals")
    expect(row.get_by_role("cell")).to_have_text("2")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV tables for open data").click()
    download = info.value
    assert download.suggested_filename == "whistleblowing-report-2022-23.csv"
    assert "service,Hospitals,2" in Path(download.path()).read_text(encoding="utf-8")


def test_manager_publishes_and_downloads_the_stored_pdf(
    live_server: Any, page: Any, organisation: Any, make_staff: Any
) -> None:
    from tests.factories import DisclosureFactory
    from whistledesk.accounts.roles import Role

    for on in (dt.date(2022, 5, 1), dt.date(2022, 6, 1)):
        DisclosureFactory(organisation=organisation, received_on=on)
    make_staff(username="mona", password=PASSWORD, roles=[Role.MANAGER])
    page.goto(f"{live_server.url}/staff/reports/?year=2022")
    page.fill("#id_username", "mona")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/reports/?year=2022")
    expect(page.locator("#not-published")).to_have_text("The 2022/23 report is not published yet.")
    expect(
        page.get_by_role("img", name="Bar chart, qualifying disclosures by service")
    ).to_have_count(1)

    page.get_by_role("button", name="Publish the 2022/23 report").click()
    expect(page.locator("#published-on")).to_contain_text("by mona (version 1).")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()

    with page.expect_download() as info:
        page.locator("#versions").get_by_role("link", name="PDF document").click()
    download = info.value
    assert download.suggested_filename == "whistleblowing-report-2022-23-v1.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
