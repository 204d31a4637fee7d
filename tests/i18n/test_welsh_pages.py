"""Welsh public pages (issue 12, docs/adr/0017 "Welsh"): the `/cy/` copy of every public page
where the organisation offers Welsh, a switch that works without JavaScript, forms and
redirects that stay Welsh, 404 elsewhere, and the whistleblower's email in their language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import OrganisationFactory
from tests.intake.conftest import STAFF_PASSWORD, answers_for
from whistledesk.accounts.roles import Role
from whistledesk.cases.models import Disclosure
from whistledesk.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    from django.core.cache import cache

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()


def _welsh(org: Any) -> Any:
    org.languages = "en,cy"
    org.save(update_fields=["languages"])
    return org


def _html_lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)


def _switch(html: str) -> str | None:
    found = re.search(r'<a [^>]*id="language-switch"[^>]*>([^<]+)</a>', html)
    return found.group(0) if found else None


def test_an_organisation_with_welsh_offers_it_on_every_public_page(
    client: Client, organisation: Any
) -> None:
    # Given the only organisation offers Welsh
    _welsh(organisation)
    for path in (
        "/",
        "/privacy/",
        "/accessibility/",
        "/cookies/",
        "/whistleblowing-policy/",
        "/follow-up/",
    ):
        # When someone opens the English page
        english = client.get(path).content.decode()
        # Then it is English and links to the same page in Welsh, marked as Welsh
        assert _html_lang(english) == "en-GB", path
        assert _switch(english) == (
            f'<a class="govuk-link govuk-service-navigation__link" href="/cy{path}" lang="cy" '
            'hreflang="cy" id="language-switch">Cymraeg</a>'
        ), path
        # ...and the Welsh page is Welsh and links back to English
        response = client.get(f"/cy{path}")
        assert response.status_code == 200, path
        welsh = response.content.decode()
        assert _html_lang(welsh) == "cy", path
        assert response["Content-Language"] == "cy"
        assert _switch(welsh) == (
            f'<a class="govuk-link govuk-service-navigation__link" href="{path}" lang="en" '
            'hreflang="en" id="language-switch">English</a>'
        ), path
        assert "Neidio i'r prif gynnwys" in welsh and "Skip to main content" not in welsh


def test_the_start_page_in_welsh(client: Client, organisation: Any) -> None:
    _welsh(organisation)
    page = client.get("/cy/").content.decode()
    for words in (
        "Dechrau nawr",
        "Sut mae'r gyfraith yn eich diogelu",
        "Preifatrwydd",
        "Cwcis",
        "Hygyrchedd",
        "Mewngofnodwch gyda'ch derbynneb",
    ):
        assert words in page, words
    for words in ("Start now", "How the law protects you", "Already sent a disclosure?"):
        assert words not in page, words
    # Every link of the public service stays in Welsh
    assert 'href="/cy/report/' in page and 'href="/cy/follow-up/"' in page
    assert 'href="/cy/privacy/"' in page


def test_without_welsh_there_is_no_switch_and_cy_is_not_found(
    client: Client, organisation: Any
) -> None:
    # Given an organisation that offers English only
    page = client.get("/").content.decode()
    assert _switch(page) is None
    assert _html_lang(page) == "en-GB"
    # Then its Welsh addresses do not exist, like any other unknown address
    for path in ("/cy/", "/cy/report/check/", "/cy/follow-up/", "/cy/nothing/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.content.decode()


def test_two_organisations_each_decide_for_themselves(client: Client) -> None:
    # Given two organisations: A offers Welsh, B does not
    a = _welsh(OrganisationFactory(name="Comisiynydd Plant"))
    b = OrganisationFactory(name="English Only Regulator")
    # Then A's Welsh pages are inside A, with links inside A
    response = client.get(f"/{a.slug}/cy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _html_lang(page) == "cy"
    assert f'href="/{a.slug}/cy/report/' in page
    assert f'href="/{a.slug}/" lang="en"' in page
    assert f'href="/{a.slug}/cy/" lang="cy"' in client.get(f"/{a.slug}/").content.decode()
    # ...and B has none: no switch, and its /cy/ is the same 404 as an unknown page
    assert _switch(client.get(f"/{b.slug}/").content.decode()) is None
    missing = client.get(f"/{b.slug}/cy/")
    unknown = client.get(f"/{b.slug}/no-such-page/")
    assert missing.status_code == unknown.status_code == 404
    assert missing.content == unknown.content


def test_staff_pages_have_no_welsh_copy(client: Client, organisation: Any, make_staff: Any) -> None:
    _welsh(organisation)
    make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=STAFF_PASSWORD)
    for path in ("/cy/staff/", "/cy/staff/account/sign-in/", "/cy/admin/", "/cy/api/v1/"):
        assert client.get(path).status_code == 404, path
    # ...and the staff sign-in page stays English, with no switch
    page = client.get("/staff/account/sign-in/").content.decode()
    assert _html_lang(page) == "en-GB" and _switch(page) is None


def test_a_whole_disclosure_in_welsh_stays_welsh_and_is_recorded_as_welsh(
    client: Client, organisation: Any
) -> None:
    _welsh(organisation)
    # When a whistleblower leaves the first question unanswered, in Welsh
    first = answers_for(organisation)[0][0]
    response = client.post(f"/cy/report/{first}/", {})
    page = response.content.decode()
    # Then the error is Welsh, and the page is never cached
    assert response.status_code == 200
    assert "Mae problem" in page and "Gwall:" in page and "There is a problem" not in page
    assert "no-store" in client.get(f"/cy/report/{first}/")["Cache-Control"]
    # When they answer every page, each redirect stays in Welsh
    for slug, data in answers_for(organisation):
        response = client.post(f"/cy/report/{slug}/", data)
        assert response.status_code == 302, slug
        assert response["Location"].startswith("/cy/report/"), response["Location"]
    # ...and a file of a kind we refuse is refused in Welsh
    refused = client.post(
        "/cy/report/files/",
        {"action": "upload", "file": SimpleUploadedFile("notes.bin", b"\x00\x01binary junk")},
    ).content.decode()
    assert "Nid yw&#x27;r ffeil yn fath rydym yn ei dderbyn" in refused, refused[-3000:]
    assert "not a type we accept" not in refused
    response = client.post("/cy/report/files/", {"action": "continue"})
    assert response["Location"] == "/cy/report/check/"
    check = client.get("/cy/report/check/").content.decode()
    assert "Gwiriwch eich atebion cyn anfon eich datgeliad" in check
    assert "Anfon y datgeliad" in check and "Dweud wrthym pwy ydych chi" in check
    response = client.post("/cy/report/check/", {})
    assert response["Location"] == "/cy/report/sent/"
    receipt_page = client.get("/cy/report/sent/").content.decode()
    assert "Datgeliad wedi'i anfon" in receipt_page and "Eich cyfeirnod" in receipt_page
    reference = re.search(r"<strong>(WD-[^<]+)</strong>", receipt_page)
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', receipt_page)
    assert reference and receipt
    # Then the disclosure remembers that it was made in Welsh
    disclosure = Disclosure.objects.get(reference=reference.group(1))
    assert disclosure.language == "cy"
    # ...and the follow-up inbox, signed in to in Welsh, is Welsh
    source = Client()
    wrong = source.post("/cy/follow-up/", {"receipt": "dim byd o gwbl"}).content.decode()
    assert "Nid oedd modd i ni ddod o hyd i ddatgeliad gyda&#x27;r dderbynneb honno" in wrong
    response = source.post("/cy/follow-up/", {"receipt": receipt.group(1).strip()})
    assert response["Location"] == "/cy/follow-up/inbox/"
    inbox = source.get("/cy/follow-up/inbox/").content.decode()
    assert "Eich datgeliad" in inbox and "Wedi dod i law" in inbox and "Allgofnodi" in inbox


def test_an_english_disclosure_is_recorded_as_english(client: Client, organisation: Any) -> None:
    from tests.intake.conftest import submit

    _welsh(organisation)
    reference, _receipt = submit(client, organisation)
    assert Disclosure.objects.get(reference=reference).language == "en"


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        (
            "cy",
            "Mae gennych neges newydd",
            "Mae gennych neges newydd. Mewngofnodwch gyda'ch derbynneb yn "
            "http://127.0.0.1:8000/cy/follow-up/\n",
        ),
        (
            "en",
            "You have a new message",
            "You have a new message. Sign in with your receipt at http://127.0.0.1:8000/follow-up/\n",
        ),
    ],
)
def test_the_new_message_email_is_in_the_language_the_whistleblower_used(
    client: Client, organisation: Any, make_staff: Any, language: str, subject: str, body: str
) -> None:
    _welsh(organisation)
    make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=STAFF_PASSWORD)
    prefix = "/cy" if language == "cy" else ""
    # Given a whistleblower who sent a disclosure in one language and asked for emails
    for slug, data in answers_for(organisation):
        client.post(f"{prefix}/report/{slug}/", data)
    client.post(f"{prefix}/report/files/", {"action": "continue"})
    client.post(f"{prefix}/report/check/", {})
    page = client.get(f"{prefix}/report/sent/").content.decode()
    reference = re.search(r"<strong>(WD-[^<]+)</strong>", page).group(1)  # type: ignore[union-attr]
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', page).group(1).strip()  # type: ignore[union-attr]
    source = Client()
    source.post(f"{prefix}/follow-up/", {"receipt": receipt})
    response = source.post(
        f"{prefix}/follow-up/email/", {"address": "otter@private.example", "understood": "on"}
    )
    assert response["Location"] == f"{prefix}/follow-up/inbox/"
    # When staff (on their English pages) write to them
    staff = Client()
    staff.post("/staff/account/sign-in/", {"username": "ivy", "password": STAFF_PASSWORD})
    assert staff.post(f"/staff/cases/{reference}/reply/", {"text": "Pa ward?"}).status_code == 302
    # Then the queued notice is in the whistleblower's language, linking to that sign-in page
    queued = OutboundEmail.objects.get()
    assert queued.subject == subject
    assert queued.body == body


def test_the_legal_pages_fixed_text_is_welsh(client: Client, organisation: Any) -> None:
    _welsh(organisation)
    expected = {
        "/cy/privacy/": ["Hysbysiad preifatrwydd", "Eich hawliau", "Sut i gwyno"],
        "/cy/accessibility/": ["Datganiad hygyrchedd", "Statws cydymffurfio"],
        "/cy/cookies/": ["Cwcis cwbl angenrheidiol", "Pan fyddwch yn cau eich porwr"],
        "/cy/whistleblowing-policy/": ["Ein polisi chwythu'r chwiban"],
    }
    english = [
        "Privacy notice",
        "Your rights",
        "How to complain",
        "Accessibility statement",
        "Compliance status",
        "Strictly necessary cookies",
        "When you close your browser",
        "Our whistleblowing policy",
        "Stops another website",
    ]
    for path, words in expected.items():
        page = client.get(path).content.decode()
        for w in words:
            assert w in page, (path, w)
        for w in english:
            assert w not in page, (path, w)
