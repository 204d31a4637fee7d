"""The public service of two organisations in one installation (ADR 0017, issue 12).

Aldermoor is served under its path prefix (/aldermoor/), Brackenfield at its own host name.
A whistleblower uses each through its pages, as a person would; the register, the drafts
and the follow-up inboxes are read back from the database and the pages.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client

from tests.factories import OrganisationFactory
from tests.intake.conftest import CANARY_SENTENCE, answers_for, submit, walk
from whistledesk.cases.models import Disclosure
from whistledesk.intake.models import DraftFile, SentDraft

pytestmark = pytest.mark.django_db

HOST = "brackenfield.example"
A = "/aldermoor"
NOT_FOUND = "We could not find a disclosure with that receipt. Check the words and try again."


@pytest.fixture
def orgs(settings: Any) -> tuple[Any, Any]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    aldermoor = OrganisationFactory(
        name="Aldermoor Standards Office",
        slug="aldermoor",
        policy_text="Aldermoor's own whistleblowing policy.",
    )
    brackenfield = OrganisationFactory(
        name="Brackenfield Care Board",
        slug="brackenfield",
        host=HOST,
        policy_text="Brackenfield's own whistleblowing policy.",
    )
    return aldermoor, brackenfield


def _b_client() -> Client:
    return Client(HTTP_HOST=HOST)


def _wrong_but_well_formed(receipt: str) -> str:
    # The same words in another order: every word is a receipt word, the receipt is nobody's.
    return " ".join(reversed(re.split(r"[\s-]+", receipt)))


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_each_organisation_shows_its_own_texts(orgs: tuple[Any, Any]) -> None:
    # When a person opens each organisation's start and policy pages
    a_start = Client().get(f"{A}/").content.decode()
    b_start = _b_client().get("/").content.decode()
    a_policy = Client().get(f"{A}/whistleblowing-policy/").content.decode()
    b_policy = _b_client().get("/whistleblowing-policy/").content.decode()
    # Then each shows its own name and wording, never the other's
    assert "Aldermoor Standards Office is a" in a_start
    assert "Brackenfield" not in a_start
    assert "Brackenfield Care Board is a" in b_start
    assert "Aldermoor" not in b_start
    assert "Aldermoor&#x27;s own whistleblowing policy." in a_policy
    assert "Brackenfield&#x27;s own whistleblowing policy." in b_policy
    assert "Brackenfield" not in a_policy
    # ...and their links stay inside the organisation
    assert f'href="{A}/report/' in a_start
    assert f'href="{A}/report/' not in b_start


def test_a_disclosure_lands_in_its_own_organisations_register(orgs: tuple[Any, Any]) -> None:
    aldermoor, brackenfield = orgs
    # When a whistleblower sends a disclosure at each organisation
    ref_a, _ = submit(Client(), aldermoor, prefix=A)
    ref_b, _ = submit(_b_client(), brackenfield)
    # Then each register has exactly its own
    assert list(
        Disclosure.objects.filter(organisation=aldermoor).values_list("reference", flat=True)
    ) == [ref_a]
    assert list(
        Disclosure.objects.filter(organisation=brackenfield).values_list("reference", flat=True)
    ) == [ref_b]
    # ...and the sent drafts are each organisation's
    assert SentDraft.objects.filter(organisation=aldermoor).count() == 1
    assert SentDraft.objects.filter(organisation=brackenfield).count() == 1


def test_a_draft_begun_at_one_organisation_is_not_continued_at_another(
    orgs: tuple[Any, Any],
) -> None:
    aldermoor, brackenfield = orgs
    # Given a draft at Aldermoor answered up to "check your answers", with a file, in a
    # browser that also visits Brackenfield's pages under the same prefix scheme
    browser = Client()
    for slug, data in answers_for(aldermoor):
        assert browser.post(f"{A}/report/{slug}/", data).status_code == 302
    upload = browser.post(
        f"{A}/report/files/",
        {"action": "upload", "file": _text_file()},
    )
    assert upload.status_code == 302
    assert DraftFile.objects.filter(organisation=aldermoor).count() == 1
    assert browser.post(f"{A}/report/files/", {"action": "continue"}).status_code == 302
    b_prefix = f"/{brackenfield.slug}"
    # When the same browser opens Brackenfield's check page, and presses Send there
    check = browser.get(f"{b_prefix}/report/check/")
    sent = browser.post(f"{b_prefix}/report/check/", {})
    files = browser.get(f"{b_prefix}/report/files/")
    # Then Brackenfield has no draft: it sends the person to its own first question
    assert check.status_code == 302
    assert check["Location"] == f"{b_prefix}/report/risk/"
    assert sent.status_code == 302
    assert sent["Location"] == f"{b_prefix}/report/risk/"
    assert files.status_code == 302
    # ...and nothing was recorded anywhere
    assert Disclosure.objects.count() == 0
    # ...while the draft is still whole at Aldermoor, which sends it to its own register
    page = browser.get(f"{A}/report/check/").content.decode()
    assert CANARY_SENTENCE in page
    assert "evidence.txt" in page
    assert browser.post(f"{A}/report/check/", {})["Location"] == f"{A}/report/sent/"
    assert list(Disclosure.objects.values_list("organisation__slug", flat=True)) == ["aldermoor"]


def test_a_draft_at_the_host_is_not_sent_at_the_prefix(orgs: tuple[Any, Any]) -> None:
    aldermoor, brackenfield = orgs
    # Given one browser (one cookie jar) with a complete draft at Brackenfield's host
    browser = Client(HTTP_HOST=HOST)
    walk(browser, brackenfield)
    # When it presses Send on Aldermoor's check page (its host's cookies go along)
    response = browser.post(f"{A}/report/check/", {}, HTTP_HOST="testserver")
    # Then nothing is sent at Aldermoor
    assert response.status_code == 302
    assert response["Location"] == f"{A}/report/risk/"
    assert Disclosure.objects.count() == 0


def test_a_receipt_signs_in_only_at_its_own_organisation(
    orgs: tuple[Any, Any], settings: Any
) -> None:
    aldermoor, brackenfield = orgs
    _, receipt_a = submit(Client(), aldermoor, prefix=A)
    settings.WHISTLEDESK_FAILURE_DELAY = 0.2
    # When Aldermoor's receipt, and a receipt nobody has, are tried at Brackenfield
    started = time.monotonic()
    elsewhere = _b_client().post("/follow-up/", {"receipt": receipt_a})
    elsewhere_took = time.monotonic() - started
    started = time.monotonic()
    wrong = _b_client().post("/follow-up/", {"receipt": _wrong_but_well_formed(receipt_a)})
    wrong_took = time.monotonic() - started
    # Then both are refused alike: same status, same words, same page, both slowed down
    assert elsewhere.status_code == wrong.status_code == 400
    assert NOT_FOUND in elsewhere.content.decode()
    assert _without_token(elsewhere.content.decode()) == _without_token(wrong.content.decode())
    assert elsewhere_took >= 0.2
    assert wrong_took >= 0.2
    # ...and at Aldermoor the same receipt opens the inbox
    own = Client().post(f"{A}/follow-up/", {"receipt": receipt_a})
    assert own.status_code == 302
    assert own["Location"] == f"{A}/follow-up/inbox/"


def test_signed_in_at_one_organisation_is_not_signed_in_at_another(
    orgs: tuple[Any, Any],
) -> None:
    aldermoor, brackenfield = orgs
    _, receipt_a = submit(Client(), aldermoor, prefix=A)
    # Given a whistleblower signed in at Aldermoor who has sent a file
    browser = Client()
    assert browser.post(f"{A}/follow-up/", {"receipt": receipt_a}).status_code == 302
    sent = browser.post(f"{A}/follow-up/inbox/", {"text": "One more thing.", "file": _text_file()})
    assert sent.status_code == 302
    inbox = browser.get(f"{A}/follow-up/inbox/").content.decode()
    file_url = re.search(rf'href="({A}/follow-up/files/\d+/)"', inbox)
    assert file_url is not None
    b_prefix = f"/{brackenfield.slug}"
    in_b_file_url = file_url.group(1).replace(A, b_prefix, 1)
    # When the same browser opens Brackenfield's inbox, and the file through Brackenfield
    b_inbox = browser.get(f"{b_prefix}/follow-up/inbox/")
    b_file = browser.get(in_b_file_url)
    # Then Brackenfield asks them to sign in: nothing of Aldermoor's case is there
    assert b_inbox.status_code == 302
    assert b_inbox["Location"] == f"{b_prefix}/follow-up/"
    assert b_file.status_code == 302
    assert b_file["Location"] == f"{b_prefix}/follow-up/"
    # ...while at Aldermoor the file still downloads
    own = browser.get(file_url.group(1))
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("prefix", ["/staff/", "/follow-up/", "/report/check/"])
def test_private_pages_inside_an_organisation_are_never_cached(
    orgs: tuple[Any, Any], prefix: str
) -> None:
    # When pages that may show something personal are opened under a prefix and at a host
    under_prefix = Client().get(f"{A}{prefix}")
    at_host = _b_client().get(prefix)
    # Then no browser or proxy may keep them
    assert "no-store" in under_prefix["Cache-Control"]
    assert "no-store" in at_host["Cache-Control"]


def test_public_information_pages_inside_an_organisation_may_be_cached(
    orgs: tuple[Any, Any],
) -> None:
    response = Client().get(f"{A}/privacy/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_staff_error_page_inside_an_organisation_keeps_the_staff_frame(
    orgs: tuple[Any, Any], make_staff: Any
) -> None:
    aldermoor, _ = orgs
    from whistledesk.accounts.roles import Role
    from whistledesk.accounts.services import user_create

    staff = user_create(
        actor=None,
        username="ada",
        password="a-long-staff-password",
        roles=[Role.CASEWORKER],
        organisation=aldermoor,
    )
    browser = Client()
    browser.force_login(staff)
    response = browser.get(f"{A}/staff/cases/WD-NOPE-0000/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Sign out" in html  # the staff menu, not the public frame


@pytest.mark.parametrize(
    ("path", "json"),
    [("/staff/cases/WD-1%00/", False), ("/follow-up/%00/", False), ("/api/v1/x%00/", True)],
)
def test_a_nul_in_a_path_inside_an_organisation_is_not_found(
    orgs: tuple[Any, Any], path: str, json: bool
) -> None:
    response = Client().get(f"{A}{path}")
    assert response.status_code == 404
    if json:
        assert response.json() == {"detail": "Not found."}
    else:
        assert "Page not found" in response.content.decode()


def _text_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("evidence.txt", b"Rota for the night of 3 March.", "text/plain")
