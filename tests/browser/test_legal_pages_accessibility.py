"""axe-core, WCAG 2.2 AA, on the legal pages: zero violations, with the shipped
configuration and with every default, reached from the footer links as a visitor would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_public_accessibility import Checker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CCO_TOML = (
    Path(__file__).resolve().parents[2]
    / "whistledesk/organisation/configs/childrens_commissioner.toml"
)
LINKS = ["Privacy", "Accessibility", "Cookies", "Whistleblowing policy"]


def _visit_each_from_the_footer(page: Any, base: str, check: Checker, label: str) -> None:
    for name in LINKS:
        page.goto(f"{base}/")
        page.locator("footer").get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").count() == 1
        check(f"{name} ({label})")


def test_legal_pages_with_defaults_have_no_axe_violations(
    live_server: Any, page: Any, organisation: Any
) -> None:
    check = Checker(page)
    _visit_each_from_the_footer(page, live_server.url, check, "defaults")
    assert len(check.checked) == 4
    assert not check.problems, "\n\n".join(check.problems)


def test_legal_pages_from_the_shipped_configuration_have_no_axe_violations(
    live_server: Any, page: Any, transactional_db: Any
) -> None:
    from django.core.management import call_command

    call_command("configure_organisation", str(CCO_TOML))
    check = Checker(page)
    _visit_each_from_the_footer(page, live_server.url, check, "configured")
    page.goto(f"{live_server.url}/privacy/")
    assert "dpo@childrenscommissioner.gov.uk" in page.locator("main").inner_text()
    assert len(check.checked) == 4
    assert not check.problems, "\n\n".join(check.problems)
