"""Signposting a case through its pages: choose a body (search, radios), check the message,
confirm the concern is out of remit, send. A web case's whistleblower reads it in their
inbox; a case without an inbox gives staff the text to send. Then the case can close."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from tests.signposting.conftest import sign_in, to_assessing, web_disclosure
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import Message
from whistledesk.cases.models import Disclosure, Status
from whistledesk.signposting.models import Signpost

pytestmark = pytest.mark.django_db

FCA_LINE = "The right body for this concern is Financial Conduct Authority."
FCA_CONTACT = (
    "You can contact them here: https://www.fca.org.uk/firms/whistleblowing; "
    "email whistle@fca.org.uk; telephone 020 7066 9200"
)


def _inbox(receipt: str) -> str:
    source = Client()
    assert source.post("/follow-up/", {"receipt": receipt}).status_code == 302
    return source.get("/follow-up/inbox/").content.decode()


def test_staff_signpost_a_web_case_to_the_fca_and_the_whistleblower_reads_it(
    web_case: tuple[Disclosure, str],
) -> None:
    case, receipt = web_case
    base = f"/staff/cases/{case.reference}"
    carl = sign_in("carl")
    # The case page offers signposting
    page = carl.get(f"{base}/").content.decode()
    assert "Not signposted to another prescribed person." in page
    assert f'href="{base}/signpost/"' in page
    # Searching narrows the directory; a search with no match says so
    found = carl.get(f"{base}/signpost/", {"q": "financial conduct"}).content.decode()
    assert 'value="fca"' in found and 'value="cqc"' not in found
    assert "The message goes to their follow-up inbox." in found
    none = carl.get(f"{base}/signpost/", {"q": "zzzz"}).content.decode()
    assert "No body in the directory matches “zzzz”" in none
    # Continuing without a choice asks for one
    missing = carl.get(f"{base}/signpost/confirm/")
    assert missing.status_code == 400
    assert "Choose the body to signpost to" in missing.content.decode()
    # The check page shows the message the whistleblower will read
    check = carl.get(f"{base}/signpost/confirm/", {"body": "fca"}).content.decode()
    assert f"Thank you for telling us about your concern (reference {case.reference})" in check
    assert FCA_LINE in check and FCA_CONTACT in check
    # Sending without confirming the concern is out of remit is refused
    unconfirmed = carl.post(f"{base}/signpost/confirm/", {"body": "fca"})
    assert unconfirmed.status_code == 400
    assert "Confirm that the concern is outside our prescribed matters" in (
        unconfirmed.content.decode()
    )
    assert not Signpost.objects.exists()
    # When carl confirms and sends
    sent = carl.post(f"{base}/signpost/confirm/", {"body": "fca", "out_of_remit": "on"})
    # Then the case page says who signposted where, and when
    assert sent.status_code == 302 and sent["Location"] == f"{base}/"
    page = carl.get(f"{base}/").content.decode()
    assert "Signposted to Financial Conduct Authority: the message is in their inbox." in page
    today = dt.date.today()
    assert (
        f"Signposted to <strong>Financial Conduct Authority</strong> on "
        f"{today.day} {today:%b %Y} by carl:" in page
    )
    assert "message sent to the whistleblower's inbox." in page
    # And it is audited, naming the body (not the message)
    event = AuditEvent.objects.get(action="signposting.signposted")
    assert event.disclosure_id == case.pk and event.actor_label == "carl"
    assert event.details == {"prescribed_person": "fca", "delivery": "inbox"}
    # And the whistleblower reads it in their inbox
    inbox = _inbox(receipt)
    assert FCA_LINE in inbox and FCA_CONTACT in inbox
    assert Message.objects.filter(disclosure=case, author__username="carl").count() == 1
    # Signposting to the same body again is refused, saying when it was done
    again = carl.post(f"{base}/signpost/confirm/", {"body": "fca", "out_of_remit": "on"})
    assert again.status_code == 400
    assert "already signposted to Financial Conduct Authority on" in again.content.decode()
    assert Message.objects.filter(disclosure=case, author__username="carl").count() == 1


def test_then_the_case_closes_as_not_taken_forward(
    web_case: tuple[Disclosure, str], organisation: Any
) -> None:
    case, _ = web_case
    base = f"/staff/cases/{case.reference}"
    carl = sign_in("carl")
    carl.post(f"{base}/signpost/confirm/", {"body": "ico", "out_of_remit": "on"})
    page = carl.get(f"{base}/").content.decode()
    assert f'href="{base}/move/closed/"' in re.search(
        r'id="signpost-close">.*?</p>', page, re.S
    ).group(0)  # type: ignore[union-attr]
    # The assessment records it as outside our remit; the usual close takes an outcome
    response = carl.post(
        f"{base}/assess/",
        {
            "categories": ["legal_obligation"],
            "public_interest": "yes",
            "within_remit": "no",
            "risk_level": "low",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    no_action = organisation.outcomes.get(label="No action")
    response = carl.post(f"{base}/move/closed/", {"outcome": no_action.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.outcome == no_action
    # A closed case is not signposted again, and says why
    assert "Signpost to another prescribed person</a>" not in carl.get(f"{base}/").content.decode()
    refused = carl.post(f"{base}/signpost/confirm/", {"body": "hse", "out_of_remit": "on"})
    assert "A case that is closed cannot be signposted. Reopen it first." in (
        refused.content.decode()
    )


def test_a_case_without_an_inbox_gives_staff_the_text_to_send(
    organisation: Any, people: dict[str, Any], directory: str
) -> None:
    from whistledesk.cases.services import disclosure_record

    # Given a helpline case (no follow-up inbox) being assessed by a manager
    case = disclosure_record(
        actor=people["ivy"],
        organisation=organisation,
        received_on=dt.date.today(),
        channel="helpline",
        service=None,
        qualifying=None,
        anonymous=False,
    )
    to_assessing(case, people)
    base = f"/staff/cases/{case.reference}"
    carl = sign_in("carl")
    check = carl.get(f"{base}/signpost/confirm/", {"body": "pensions-regulator"}).content.decode()
    assert "This case has no follow-up inbox" not in check  # that is said on the choose page
    assert "Record and show the text to send" in check
    # When carl records the signpost
    response = carl.post(
        f"{base}/signpost/confirm/", {"body": "pensions-regulator", "out_of_remit": "on"}
    )
    # Then he gets the text to send, and it stays on the case
    signpost = Signpost.objects.get()
    assert response["Location"] == f"{base}/signpost/{signpost.pk}/"
    shown = carl.get(response["Location"]).content.decode()
    assert "The right body for this concern is The Pensions Regulator." in shown
    assert "https://www.thepensionsregulator.gov.uk/" in shown
    assert not Message.objects.filter(disclosure=case).exists()
    page = carl.get(f"{base}/").content.decode()
    assert f'href="{base}/signpost/{signpost.pk}/">text for staff to send' in page
    assert AuditEvent.objects.get(action="signposting.signposted").details == {
        "prescribed_person": "pensions-regulator",
        "delivery": "staff",
    }


def test_a_received_case_is_signposted_only_once_assessment_starts(
    organisation: Any, people: dict[str, Any], directory: str
) -> None:
    case, _ = web_disclosure()
    mara = sign_in("mara")
    response = mara.post(
        f"/staff/cases/{case.reference}/signpost/confirm/", {"body": "fca", "out_of_remit": "on"}
    )
    assert response.status_code == 400
    assert "A case that is received cannot be signposted. Start the assessment first." in (
        response.content.decode()
    )
    assert not Signpost.objects.exists()


def test_a_withdrawn_body_is_not_offered(web_case: tuple[Disclosure, str]) -> None:
    from django.utils import timezone

    from whistledesk.signposting.models import PrescribedPerson

    PrescribedPerson.objects.filter(key="fca").update(withdrawn_at=timezone.now())
    carl = sign_in("carl")
    base = f"/staff/cases/{web_case[0].reference}"
    assert 'value="fca"' not in carl.get(f"{base}/signpost/").content.decode()
    assert carl.get(f"{base}/signpost/confirm/", {"body": "fca"}).status_code == 400


# Who may signpost (Perm.SIGNPOST): the handler and managers; typed out by hand.
# username -> (GET the choose page, POST the signpost)
SIGNPOST_MATRIX: dict[str, tuple[int, int]] = {
    "carl": (200, 302),  # caseworker, the handler
    "otto": (403, 403),  # another caseworker
    "ivy": (403, 403),  # intake officer (the case is assigned)
    "lena": (403, 403),  # safeguarding lead
    "mara": (200, 302),  # manager
    "audrey": (403, 403),  # auditor
    "cass": (403, 403),  # custodian
    "nobody": (403, 403),  # no role
}


@pytest.mark.parametrize("username", list(SIGNPOST_MATRIX))
def test_who_may_signpost(web_case: tuple[Disclosure, str], username: str) -> None:
    case = web_case[0]
    base = f"/staff/cases/{case.reference}"
    client = sign_in(username)
    got = (
        client.get(f"{base}/signpost/").status_code,
        client.post(f"{base}/signpost/confirm/", {"body": "fca", "out_of_remit": "on"}).status_code,
    )
    assert got == SIGNPOST_MATRIX[username]
    assert Signpost.objects.exists() == (got[1] == 302)
    shows_link = f'href="{base}/signpost/"' in client.get(f"{base}/").content.decode()
    assert shows_link == (username in {"carl", "mara"})


# Who may change the message (Perm.CONFIGURE_SIGNPOSTING) and see the directory.
# username -> (GET /staff/signposting/message/, GET /staff/signposting/)
SETTINGS_MATRIX: dict[str, tuple[int, int]] = {
    "carl": (403, 200),
    "ivy": (403, 200),
    "lena": (403, 200),
    "mara": (200, 200),
    "audrey": (403, 200),
    "cass": (403, 403),
    "nobody": (403, 403),
}


@pytest.mark.parametrize("username", list(SETTINGS_MATRIX))
def test_who_may_change_the_message(people: Any, username: str, organisation: Any) -> None:
    client = sign_in(username)
    got = (
        client.get("/staff/signposting/message/").status_code,
        client.get("/staff/signposting/").status_code,
    )
    assert got == SETTINGS_MATRIX[username]


def test_a_manager_words_the_message(web_case: tuple[Disclosure, str]) -> None:
    case, receipt = web_case
    mara = sign_in("mara")
    # A message without the contact route, or with an unknown placeholder, is refused
    for text, problem in [
        ("Please go to {body}.", "include {contact}"),
        ("Go to {body} at {contact}, {name}.", "unknown placeholder {name}"),
        ("Go to {body} at {contact:>9}.", "write {contact} with nothing after the name"),
    ]:
        response = mara.post("/staff/signposting/message/", {"text": text})
        assert response.status_code == 400 and problem in response.content.decode(), text
    # A good one is used for the next signpost
    text = "About {reference}: this is for {body} ({matters}).\n\nContact: {contact}"
    assert mara.post("/staff/signposting/message/", {"text": text}).status_code == 302
    assert AuditEvent.objects.filter(action="signposting.message_changed").count() == 1
    mara.post(
        f"/staff/cases/{case.reference}/signpost/confirm/", {"body": "ico", "out_of_remit": "on"}
    )
    inbox = _inbox(receipt)
    assert f"About {case.reference}: this is for Information Commissioner&#x27;s Office (" in inbox
    assert "Contact: https://ico.org.uk/; telephone 0303 123 1113" in inbox


def test_the_directory_page_searches(people: Any, directory: str) -> None:
    page = sign_in("audrey").get("/staff/signposting/", {"q": "nurses"}).content.decode()
    assert "Nursing and Midwifery Council" in page and "Ofgem" not in page
    assert "Directory last checked 30 November 2026." in page


def test_a_search_too_long_says_what_to_fix(web_case: tuple[Disclosure, str]) -> None:
    carl = sign_in("carl")
    for url in [f"/staff/cases/{web_case[0].reference}/signpost/", "/staff/signposting/"]:
        response = carl.get(url, {"q": "x" * 101})
        assert response.status_code == 400
        assert "Search for 100 characters or fewer" in response.content.decode()
        assert "<title>Error: " in response.content.decode()


def test_without_an_unlocked_key_nothing_is_sent(
    web_case: tuple[Disclosure, str], people: dict[str, Any]
) -> None:
    # Given carl signed in without his key unlocked in this browser
    client = Client()
    client.force_login(people["carl"])
    # When he sends a signpost to a web case (its message is sealed under the case key)
    response = client.post(
        f"/staff/cases/{web_case[0].reference}/signpost/confirm/",
        {"body": "fca", "out_of_remit": "on"},
    )
    # Then he is asked to sign in again, and nothing is recorded or sent
    assert response.status_code == 403 and "Sign in again" in response.content.decode()
    assert not Signpost.objects.exists()
    assert not Message.objects.filter(author=people["carl"]).exists()
