"""The public journey in Debian's Chromium, JavaScript off, through the rehearsal's nginx.

What requests cannot show: the page as a browser renders it over HTTPS, with the stylesheet
nginx serves, under the app's Content-Security-Policy, a photo uploaded through the proxy
and cleaned, and nothing fetched from anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.casefiles.test_attachments import jpeg_with_gps
from tests.deploy.conftest import ProductionSite

pytestmark = pytest.mark.browser

NARRATIVE = "Rehearsal in a browser: the fire exit at the back is blocked."


@pytest.fixture
def page_through_proxy(browser: Any) -> Iterator[Any]:
    # The throwaway certificate is not in Chromium's trust store; everything else is real.
    context = browser.new_context(java_script_enabled=False, ignore_https_errors=True)
    yield context.new_page()
    context.close()


def choose(page: Any, label: str) -> None:
    page.get_by_label(label, exact=True).check()


def test_disclosure_in_a_browser_without_javascript_through_nginx(
    production_site: ProductionSite, page_through_proxy: Any, tmp_path: Any
) -> None:
    site, page = production_site, page_through_proxy
    before = int(site.sql("SELECT count(*) FROM cases_disclosure"))
    foreign: list[str] = []
    csp: list[str] = []
    stylesheets: list[tuple[str, int]] = []
    page.on("request", lambda r: None if r.url.startswith(site.base) else foreign.append(r.url))
    page.on("console", lambda m: csp.append(m.text) if "Content Security" in m.text else None)
    page.on(
        "response",
        lambda r: stylesheets.append((r.url, r.status)) if r.url.endswith(".css") else None,
    )
    photo = tmp_path / "ward.jpg"
    photo.write_bytes(jpeg_with_gps())

    page.goto(f"{site.base}/")
    # The stylesheet arrived (from nginx) and applies: the organisation's font stack is used
    assert stylesheets and all(status == 200 for _, status in stylesheets), stylesheets
    expect(page.locator(".govuk-body").first).to_have_css("font-family", re.compile("system-ui"))
    page.get_by_role("button", name="Start now").click()
    choose(page, "No")
    page.get_by_role("button", name="Continue").click()
    choose(page, "I'm not sure")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Name of the organisation or setting").fill("A children's home")
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
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("ward.jpg")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text(NARRATIVE)
    page.get_by_role("button", name="Send disclosure").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Disclosure sent")
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()

    assert int(site.sql("SELECT count(*) FROM cases_disclosure")) == before + 1
    assert reference in site.sql("SELECT string_agg(reference, ' ') FROM cases_disclosure").split()
    assert foreign == [], foreign
    assert csp == [], csp
