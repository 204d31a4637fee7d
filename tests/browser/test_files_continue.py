"""With JavaScript off, a file chosen and sent with Continue (not "Upload file") is kept.

Found on commit e08412f: Continue sat in a form of its own, so the browser never sent the
chosen file and it was dropped without a word.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_public_disclosure import NARRATIVE, choose
from tests.casefiles.test_attachments import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _clear_throttles() -> None:
    from django.core.cache import cache

    cache.clear()


def reach_files_page(page: Any, base: str) -> None:
    page.goto(f"{base}/report/risk/")
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


def test_continue_with_a_chosen_file_uploads_it_without_javascript(
    live_server: Any, page_nojs: Any, organisation: Any, tmp_path: Path
) -> None:
    # Given a whistleblower on the files page with JavaScript off
    photo = tmp_path / "ward.jpg"
    photo.write_bytes(jpeg_with_gps())
    reach_files_page(page_nojs, live_server.url)
    # When they choose a file and press Continue instead of "Upload file"
    page_nojs.set_input_files("input[type=file]", str(photo))
    page_nojs.get_by_role("button", name="Continue").click()
    # Then the file was uploaded: they are told so and it is listed on the check page
    expect(page_nojs.locator("h1")).to_have_text(
        "Check your answers before sending your disclosure"
    )
    expect(page_nojs.locator("main")).to_contain_text("ward.jpg")
    expect(page_nojs.locator("body")).to_contain_text("Your file has been added")
