"""Immediate risk is never closed on trust (issue 8, item 4), through the staff pages.

A disclosure that reports a child at immediate risk (the web form's answer, or staff
marking it urgent at intake) opens a safeguarding concern by itself, alerts the
safeguarding leads on their dashboard, and cannot close until a lead confirms. The case
page says what the whistleblower actually answered, and who marked it urgent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.intake.conftest import submit
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import KeyGrant
from whistledesk.cases.assessment import disclosure_assign
from whistledesk.cases.models import Disclosure, SafeguardingConcern, Status

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
QUESTION = "“Is a child at risk of immediate harm?”"


def _assigned(users: Any, case: Any) -> Any:
    """A manager gives the web case to the caseworker, sealing its key to them."""
    from tests.casefiles.conftest import private_key_of

    manager = users["manager"]
    return disclosure_assign(
        actor=manager,
        disclosure=case,
        handler=users["caseworker"],
        private_key=private_key_of(manager),
    )


def _as(user: Any) -> Client:
    """A browser signed in through the form (so the staff key is unlocked)."""
    browser = Client()
    response = browser.post(
        "/staff/account/sign-in/", {"username": user.get_username(), "password": PASSWORD}
    )
    assert response.status_code == 302
    return browser


def _errors(response: Any) -> str:
    import re

    return " | ".join(re.findall(r'govuk-error-message">(.*?)</', response.content.decode(), re.S))


def _tabs(html: str) -> str:
    start = html.index('<nav aria-label="Lists"')
    return html[start : html.index("</nav>", start)]


def _close(browser: Client, case: Disclosure) -> Any:
    outcome = case.organisation.outcomes.first()
    return browser.post(
        f"/staff/cases/{case.reference}/move/closed/",
        {"outcome": outcome.pk, "reason": "Advice given."},
    )


def test_web_disclosure_with_immediate_risk_cannot_close_until_a_lead_confirms(
    users: Any, organisation: Any, walk: Any
) -> None:
    # Given a whistleblower who answers Yes to the immediate-risk question on the web form
    reference, _ = submit(Client(), organisation, risk="yes")
    case = Disclosure.objects.get(reference=reference)
    # Then a safeguarding concern is open on it at once, raised by the service, audited
    concern = SafeguardingConcern.objects.get(disclosure=case)
    assert concern.is_open and concern.raised_by is None
    assert concern.reason == "web_answer"
    assert case.safeguarding_open and case.urgent
    event = AuditEvent.objects.get(action="safeguarding.concern_raised", disclosure_id=case.pk)
    assert event.actor_label == "public"
    assert event.details == {"opened_for": "web_answer", "automatic": True}
    # and the safeguarding lead was given the case key to read it and sign it off
    assert KeyGrant.objects.filter(disclosure=case, user=users["safeguarding_lead"]).exists()

    # When the lead opens the dashboard, an alert at the top leads to the case
    lead = _as(users["safeguarding_lead"])
    html = lead.get("/staff/").content.decode()
    assert 'id="immediate-risk-alert"' in html
    assert "1 case needs a safeguarding lead to confirm the action taken" in html
    tabs = _tabs(html)
    assert tabs.index("Immediate risk") < tabs.index("All disclosures")  # the first tab
    listed = lead.get("/staff/?list=immediate_risk").content.decode()
    assert reference in listed

    # When a caseworker assesses it as low risk and tries to close it a minute later
    case = walk(_assigned(users, case), Status.ACTION)
    caseworker = _as(users["caseworker"])
    page = caseworker.get(f"/staff/cases/{reference}/").content.decode()
    assert f"The whistleblower answered “Yes” to {QUESTION}" in page
    assert "a safeguarding lead must confirm the action taken before the case can close" in page
    response = _close(caseworker, case)
    # Then it is refused with a reason, and stays open
    assert response.status_code == 200
    assert "open safeguarding concern" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACTION

    # When the lead confirms the action taken, through the page
    response = lead.post(
        f"/staff/cases/{reference}/concern/{concern.pk}/confirm/",
        {
            "action_taken": "Referred to the local authority duty team; child seen.",
            "action_taken_by": "Duty social worker",
            "action_taken_on": dt.date.today().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # Then the alert is gone and the caseworker can close the case
    assert 'id="immediate-risk-alert"' not in lead.get("/staff/").content.decode()
    assert _close(caseworker, case).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_web_disclosure_without_risk_opens_no_concern_and_says_no(
    users: Any, organisation: Any, walk: Any
) -> None:
    # Given a whistleblower who answered No
    reference, _ = submit(Client(), organisation, risk="no")
    case = Disclosure.objects.get(reference=reference)
    assert not case.urgent and not case.safeguarding_open
    assert not SafeguardingConcern.objects.filter(disclosure=case).exists()
    caseworker = _as(users["caseworker"])
    assert 'id="urgent-banner"' not in caseworker.get(
        f"/staff/cases/{reference}/"
    ).content.decode()
    # When a caseworker marks it urgent at assessment
    case = walk(_assigned(users, case), Status.ASSESSING)
    response = caseworker.post(
        f"/staff/cases/{reference}/assess/",
        {
            "categories": ["health_safety"],
            "public_interest": "yes",
            "within_remit": "yes",
            "service": organisation.services.get(label="Schools").pk,
            "risk_level": "high",
            "urgent": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    # Then the banner says what the whistleblower answered, and who marked it urgent
    page = caseworker.get(f"/staff/cases/{reference}/").content.decode()
    assert f"The whistleblower answered “No” to {QUESTION}" in page
    assert "The whistleblower answered “Yes”" not in page
    assert "Marked urgent by caseworker on " in page
    case.refresh_from_db()
    assert case.urgent_marked_by == users["caseworker"]


def test_staff_marking_urgent_at_intake_opens_a_concern_and_names_them(
    users: Any, organisation: Any
) -> None:
    # Given an intake officer recording a helpline call marked urgent
    officer = _as(users["intake_officer"])
    response = officer.post(
        "/staff/record/helpline/",
        {
            "received_on": dt.date.today().isoformat(),
            "urgent": "on",
            "call_notes": "Caller says a child was left alone overnight.",
            "anonymity_discussion": "Told them we keep their name confidential.",
        },
    )
    assert response.status_code == 302, _errors(response)
    case = Disclosure.objects.get()
    # Then a concern is open, raised by the officer because they marked it at intake
    concern = SafeguardingConcern.objects.get(disclosure=case)
    assert concern.is_open and concern.reason == "marked_at_intake"
    assert concern.raised_by == users["intake_officer"]
    assert case.safeguarding_open
    assert KeyGrant.objects.filter(disclosure=case, user=users["safeguarding_lead"]).exists()
    # and the case page names who marked it urgent, never a whistleblower's answer
    page = officer.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "Marked urgent by intake_officer on " in page
    assert "The whistleblower answered" not in page
    assert "Marked urgent at intake: immediate risk to a child" in page


def test_helpline_call_not_marked_urgent_opens_no_concern(users: Any, organisation: Any) -> None:
    officer = _as(users["intake_officer"])
    response = officer.post(
        "/staff/record/helpline/",
        {
            "received_on": dt.date.today().isoformat(),
            "call_notes": "Staffing is low.",
            "anonymity_discussion": "Told them we keep their name confidential.",
        },
    )
    assert response.status_code == 302
    case = Disclosure.objects.get()
    assert not case.safeguarding_open
    assert not SafeguardingConcern.objects.exists()


def test_immediate_risk_tab_is_not_first_for_others(users: Any, organisation: Any) -> None:
    submit(Client(), organisation, risk="yes")
    html = _as(users["caseworker"]).get("/staff/").content.decode()
    assert 'id="immediate-risk-alert"' not in html  # the alert is for the leads
    tabs = _tabs(html)
    assert tabs.index("All disclosures") < tabs.index("Immediate risk")
