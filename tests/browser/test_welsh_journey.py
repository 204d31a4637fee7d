"""The whole public journey in Welsh (issue 12), in Chromium with JavaScript off: the
Children's Commissioner configuration, "Cymraeg" on the start page, every page to the
receipt, then the follow-up inbox signed in to in Welsh; axe (WCAG 2.2 AA) on every page,
<html lang="cy">, and none of the fixed English words left.

The questionnaire's own questions are configured texts, held in Welsh in the shipped
configuration (`label_cy`, ...): they are clicked by their Welsh labels, and their English
wording must not show either."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_public_configs import NoJsChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIGS = Path(__file__).resolve().parents[2] / "whistledesk" / "organisation" / "configs"

# Fixed English words of the public pages' chrome, forms and messages: none may remain.
ENGLISH = [
    "Skip to main content",
    "Start now",
    "Support links",
    "Whistleblowing policy",
    ">Privacy<",
    ">Accessibility<",
    ">Cookies<",
    ">Back<",
    ">Continue<",
    "There is a problem",
    "Error:",
    "How the law protects you",
    "Staying anonymous, or telling us who you are",
    "Already sent a disclosure?",
    "Sign in with your receipt",
    "Do you want to tell us who you are?",
    "Whatever you choose",
    "Add files",
    "Upload a file",
    "For example a PDF",
    "Check your answers",
    "Now send your disclosure",
    "Send disclosure",
    "No files added",
    "Telling us who you are",
    "Disclosure sent",
    "Your reference",
    "Your receipt",
    "Write this receipt down",
    "Separate the words with spaces",
    "Your disclosure",
    "Reply or add information",
    "Send message",
    "Sign out",
    "No messages yet",
    "Get an email when you have a new message",
    "You can enter up to",
    "Select all that apply",
    "Warning",
    # The configured texts (organisation/configs/childrens_commissioner.toml) in English
    "Is a child at risk of immediate harm?",
    "Continue to tell us about your concern",
    "Name of the organisation or setting",
    "What happened?",
    "Have you raised this concern before?",
    "Children's Homes",
    "Agency worker",
    ">Yes<",
    ">No<",
]


@pytest.fixture(autouse=True)
def _setup(settings: Any, transactional_db: Any) -> None:
    from django.core.cache import cache

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()


class WelshPages:
    """Each page: axe (on its no-JS HTML), <html lang="cy">, and no fixed English words."""

    def __init__(self, page: Any, browser: Any, base: str) -> None:
        self.page = page
        self.axe = NoJsChecker(page, browser, base)
        self.english: list[str] = []

    def __call__(self, name: str) -> None:
        expect(self.page.locator("html")).to_have_attribute("lang", "cy")
        html = self.page.content()
        body = html[html.index("<body") :]
        self.english += [f"{name}: {words}" for words in ENGLISH if words in body]
        self.axe(name)


def _parhau(page: Any) -> None:
    page.get_by_role("button", name="Parhau", exact=True).click()


def test_the_whole_journey_in_welsh_without_javascript(
    live_server: Any, page_nojs: Any, browser: Any
) -> None:
    from django.core.management import call_command

    from whistledesk.cases.models import Disclosure
    from whistledesk.organisation.models import Organisation

    # Given the Children's Commissioner, configured from its shipped file, offering Welsh
    call_command(
        "configure_organisation",
        str(CONFIGS / "childrens_commissioner.toml"),
        stdout=io.StringIO(),
    )
    Organisation.objects.update(languages="en,cy")
    page = page_nojs
    base = live_server.url
    check = WelshPages(page, browser, base)

    # When a whistleblower opens the start page and chooses Cymraeg
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    switch = page.get_by_role("link", name="Cymraeg")
    expect(switch).to_have_attribute("lang", "cy")
    expect(switch).to_have_attribute("hreflang", "cy")
    switch.click()
    assert page.url == f"{base}/cy/"
    expect(page.get_by_role("link", name="English")).to_have_attribute("lang", "en")
    check("start")

    # ...and answers every page, in Welsh, seeing a Welsh error on the way
    page.get_by_role("button", name="Dechrau nawr").click()
    _parhau(page)
    expect(page.locator(".govuk-error-summary__title")).to_have_text("Mae problem")
    check("first question with error")
    page.get_by_label("Ie", exact=True).check()
    _parhau(page)
    check("emergency")
    page.get_by_role("button", name="Parhau i ddweud wrthym am eich pryder").click()
    check("service")
    page.get_by_label("Ysgol", exact=True).check()
    _parhau(page)
    check("setting")
    page.get_by_label("Enw'r sefydliad neu'r lleoliad", exact=True).fill("Larkspur Lodge")
    _parhau(page)
    check("what happened")
    page.get_by_label("Beth ddigwyddodd?", exact=True).fill(
        "Mae plant yn cael eu gadael ar eu pen eu hunain."
    )
    _parhau(page)
    check("raised before")
    page.get_by_label("Na", exact=True).check()
    _parhau(page)
    check("role")
    page.get_by_label("Cyflogai", exact=True).check()
    _parhau(page)
    expect(page.locator("h1")).to_have_text("Ydych chi eisiau dweud wrthym pwy ydych chi?")
    _parhau(page)
    expect(page.locator(".govuk-error-summary__title")).to_have_text("Mae problem")
    check("identity with error")
    page.get_by_label("Dienw", exact=True).check()
    _parhau(page)
    expect(page.locator("h1")).to_have_text("Ychwanegu ffeiliau (dewisol)")
    check("files")
    _parhau(page)
    expect(page.locator("h1")).to_have_text("Gwiriwch eich atebion cyn anfon eich datgeliad")
    assert "Larkspur Lodge" in page.locator(".govuk-summary-list").inner_text()
    check("check answers")
    page.get_by_role("button", name="Anfon y datgeliad").click()

    # Then the receipt is given in Welsh, with no switch beside it (it is shown once)
    expect(page.locator(".govuk-panel__title")).to_have_text("Datgeliad wedi'i anfon")
    assert page.get_by_role("link", name="English").count() == 0
    check("receipt")
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()
    receipt = page.locator("#receipt").inner_text().strip()
    assert receipt
    assert Disclosure.objects.get(reference=reference).language == "cy"

    # When they sign in to the follow-up inbox in Welsh
    page.goto(f"{base}/cy/follow-up/")
    expect(page.locator("h1")).to_have_text("Mewngofnodi gyda'ch derbynneb")
    page.get_by_role("button", name="Mewngofnodi").click()
    expect(page.locator(".govuk-error-summary__title")).to_have_text("Mae problem")
    check("sign in with error")
    page.get_by_label("Eich derbynneb").fill(receipt)
    page.get_by_role("button", name="Mewngofnodi").click()

    # Then the inbox is Welsh too, and "English" leads to the same inbox in English
    expect(page.locator("h1")).to_have_text("Eich datgeliad")
    expect(page.locator("#status")).to_have_text("Wedi dod i law")
    check("inbox")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.locator("h1")).to_have_text("Your disclosure")
    assert re.search(r"/follow-up/inbox/$", page.url) and "/cy/" not in page.url

    # ...and the service's information pages, from the Welsh footer, are Welsh too
    page.goto(f"{base}/cy/")
    for link in ("Preifatrwydd", "Hygyrchedd", "Cwcis", "Polisi chwythu'r chwiban"):
        page.get_by_role("link", name=link, exact=True).click()
        check(link)
    check.axe.close()

    assert len(check.axe.checked) >= 17
    assert not check.english, "\n".join(check.english)
    assert not check.axe.problems, "\n\n".join(check.axe.problems)
