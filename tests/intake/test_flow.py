"""The public form with Django's client: pages, validation, routing, check answers, sending."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from tests.intake.conftest import CANARY_NAME, CANARY_SENTENCE, walk
from whistledesk.cases.models import Channel, Disclosure

pytestmark = pytest.mark.django_db


def test_start_page_explains_protection_and_links_to_form(client: Any, organisation: Any) -> None:
    organisation.public_guidance = "Read our policy before you start."
    organisation.policy_url = "https://example.org/policy"
    organisation.save()
    body = client.get("/").content.decode()
    assert "Public Interest Disclosure Act 1998" in body
    assert "prescribed person" in body
    assert "Read our policy before you start." in body
    # The policy is a page of its own, which links to the organisation's copy.
    assert 'href="/whistleblowing-policy/">Read our whistleblowing policy' in body
    policy = client.get("/whistleblowing-policy/").content.decode()
    assert 'href="https://example.org/policy"' in policy
    assert 'href="/report/risk/"' in body
    assert 'call <a class="govuk-link" href="tel:999">999</a>' in body


def test_start_page_without_organisation_says_unavailable(client: Any, db: Any) -> None:
    response = client.get("/")
    assert response.status_code == 503
    assert "unavailable" in response.content.decode()


def test_empty_answer_shows_error_summary_and_inline_error(client: Any, organisation: Any) -> None:
    response = client.post("/report/risk/", {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_risk"' in body  # the summary links to the first radio
    assert 'id="id_risk"' in body
    assert "Select yes if a child is at risk of immediate harm" in body
    assert body.count("Select yes if a child is at risk of immediate harm") == 2
    assert "<title>Error:" in body


def test_cannot_skip_ahead(client: Any, organisation: Any) -> None:
    response = client.get("/report/what-happened/")
    assert response.status_code == 302
    assert response["Location"] == "/report/risk/"
    assert client.get("/report/check/")["Location"] == "/report/risk/"


def test_risk_yes_shows_emergency_route_before_anything_else(
    client: Any, organisation: Any
) -> None:
    response = client.post("/report/risk/", {"risk": "yes"})
    assert response["Location"] == "/report/emergency/"
    page = client.get("/report/emergency/").content.decode()
    # The numbers are links a phone can call.
    assert 'call <a class="govuk-link" href="tel:999">999</a>' in page
    page = html.unescape(page)  # configured text: the apostrophe arrives escaped
    assert '<a class="govuk-link" href="tel:+448088005000">0808 800 5000</a>' in page
    assert "children's services" in page
    # The next question is not reachable before the emergency page is passed
    assert client.get("/report/service/")["Location"] == "/report/emergency/"
    assert client.post("/report/emergency/")["Location"] == "/report/service/"


def test_narrative_over_the_limit_is_refused_and_kept(client: Any, organisation: Any) -> None:
    from whistledesk.intake.forms import NARRATIVE_MAX

    walk(client, organisation)
    too_long = "x" * (NARRATIVE_MAX + 1)
    response = client.post("/report/what-happened/", {"narrative": too_long})
    body = response.content.decode()
    assert "What happened must be 10,000 characters or fewer" in body
    assert too_long in body  # what they typed is still there to shorten
    assert "You can enter up to 10000 characters" in body


def test_contact_page_only_when_not_anonymous(client: Any, organisation: Any) -> None:
    walk(client, organisation)  # anonymous
    assert client.get("/report/contact/").status_code == 302
    walk(client, organisation, identity="confidential")
    assert client.get("/report/contact/").status_code == 200


def test_check_answers_lists_answers_with_change_links(walked: Any) -> None:
    body = walked.get("/report/check/").content.decode()
    assert "Check your answers before sending your disclosure" in body
    assert CANARY_SENTENCE in body
    assert "Agency worker" in body
    assert 'href="/report/what-happened/?change=1"' in body
    assert 'Change<span class="govuk-visually-hidden"> what happened</span>' in body


def test_change_link_returns_to_check_answers(walked: Any) -> None:
    response = walked.post("/report/what-happened/?change=1", {"narrative": "A new account."})
    assert response["Location"] == "/report/check/"
    assert "A new account." in walked.get("/report/check/").content.decode()


def test_changing_to_raised_before_asks_the_follow_up_question(walked: Any) -> None:
    response = walked.post("/report/raised-before/?change=1", {"raised": "yes"})
    assert response["Location"] == "/report/raised-details/"


def test_name_typed_then_anonymous_is_not_sent(client: Any, organisation: Any) -> None:
    walk(client, organisation, identity="confidential")
    client.post("/report/identity/?change=1", {"identity": "anonymous"})
    body = client.get("/report/check/").content.decode()
    assert CANARY_NAME not in body


def test_submit_records_web_disclosure_and_shows_receipt_once(walked: Any) -> None:
    response = walked.post("/report/check/", {})
    assert response["Location"] == "/report/sent/"
    d = Disclosure.objects.get()
    assert d.channel == Channel.WEB
    assert d.anonymous is True
    assert d.urgent is False
    assert d.qualifying is None
    assert d.summary == ""
    assert d.service is not None
    page = walked.get("/report/sent/").content.decode()
    assert d.reference in page
    assert "Write this receipt down" in page
    assert 'class="wd-receipt"' in page
    again = walked.get("/report/sent/").content.decode()
    assert "Your receipt has already been shown" in again
    assert 'class="wd-receipt"' not in again
    # The draft is gone: a new form starts empty
    assert walked.get("/report/check/")["Location"] == "/report/risk/"


def test_urgent_and_not_sure_recorded(client: Any, organisation: Any) -> None:
    walk(client, organisation, risk="yes", service="not_sure", identity="open")
    client.post("/report/check/", {})
    d = Disclosure.objects.get()
    assert d.urgent is True
    assert d.service is None
    assert d.anonymous is False


def test_honeypot_refuses_and_stores_nothing(walked: Any) -> None:
    response = walked.post("/report/check/", {"confirm_address": "http://spam.example"})
    assert response.status_code == 400
    assert "We could not accept this form" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_failure_stores_nothing_and_keeps_answers(walked: Any, settings: Any) -> None:
    # Given the service must seal to a recovery key and none has been set up, so sealing
    # the case file fails after the register row was written in the same transaction
    settings.WHISTLEDESK_REQUIRE_RECOVERY_KEY = True
    # When the person sends
    response = walked.post("/report/check/", {})
    # Then they are told, nothing was stored, and their answers are still there
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot accept disclosures yet" in body
    assert CANARY_SENTENCE in body
    assert not Disclosure.objects.exists()
    assert walked.get("/report/check/").status_code == 200


def test_sealed_documents_hold_the_answers(client: Any, organisation: Any) -> None:
    from whistledesk.intake.answers import sealed_documents
    from whistledesk.intake.draft import draft_load
    from whistledesk.intake.questions import draft_flow

    walk(client, organisation, identity="confidential", raised="yes")
    request = client.get("/report/check/").wsgi_request
    draft = draft_load(request)
    flow = draft_flow(draft, organisation=organisation)
    docs = sealed_documents(draft.answers, flow=flow, number=draft.questionnaire)
    assert docs["narrative"] == CANARY_SENTENCE
    assert json.loads(docs["identity"])["name"] == CANARY_NAME
    assert json.loads(docs["contact"])["preferred"] == "Email"
    answers = json.loads(docs["answers"])
    # The answers as words, by the questionnaire version they answered (here the first).
    assert answers["questionnaire"] == 1
    rows = {r["label"]: r["value"] for r in answers["rows"]}
    assert rows["Raised with"] == "the manager\n2 or 3 times"
    assert rows["Your connection"] == "Agency worker"
    assert rows["Organisation or setting"] == "Thistlewood House\nCamden"
    assert rows["Telling us who you are"] == "Confidential"
    assert "What happened" not in rows  # sealed as the narrative, not twice
    assert "Your details" not in rows  # sealed as identity and contact
    assert answers["values"]["role"] == "agency"


def test_submission_rate_limited_per_client(client: Any, organisation: Any) -> None:
    from whistledesk.intake.throttle import SUBMISSIONS

    for _ in range(SUBMISSIONS.per_client):
        walk(client, organisation)
        assert client.post("/report/check/", {}).status_code == 302
    walk(client, organisation)
    response = client.post("/report/check/", {})
    assert response.status_code == 400
    assert "You have tried too many times. Try again in" in response.content.decode()
    assert Disclosure.objects.count() == SUBMISSIONS.per_client


def test_answer_posted_after_the_session_expired_is_kept(client: Any, organisation: Any) -> None:
    # Given a person whose session expired while they typed what happened
    walk(client, organisation)
    client.cookies.clear()
    fresh = client
    # When they press Continue on that page
    response = fresh.post("/report/what-happened/", {"narrative": "A long account."})
    # Then their account is kept and they are asked the other questions again
    assert response["Location"] == "/report/risk/"
    from whistledesk.intake.draft import draft_load

    response = fresh.get("/report/risk/")
    assert "deleted after 30 minutes without activity" in response.content.decode()
    assert draft_load(response.wsgi_request).answers["narrative"] == "A long account."
