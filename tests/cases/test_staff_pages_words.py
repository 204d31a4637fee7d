"""The staff pages in words a new member of staff understands (issue 8, "Also found"):
assessment errors in GOV.UK wording, assessing moves the case on, a history without raw
codes and with GOV.UK dates, and search by part of a reference or the setting's name."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.intake.conftest import CANARY_SENTENCE, submit
from whistledesk.casefiles.services import casefile_create
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.workflow import disclosure_transition
from whistledesk.core.templatetags.govuk_dates import govuk_date, govuk_datetime

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"


def _as(user: Any) -> Client:
    browser = Client()
    response = browser.post(
        "/staff/account/sign-in/", {"username": user.get_username(), "password": PASSWORD}
    )
    assert response.status_code == 302
    return browser


def _taken(users: Any, case: Any) -> Any:
    """The caseworker takes the case: only its handler (or a manager) works on it."""
    from whistledesk.cases.assessment import disclosure_assign

    worker = users["caseworker"]
    return disclosure_assign(actor=worker, disclosure=case, handler=worker)


def _error_messages(html: str) -> list[str]:
    found = re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', html, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", f).replace("Error:", "").strip() for f in found]


def test_assessment_errors_say_what_to_do(users: Any, new_case: Any) -> None:
    # Given an acknowledged case
    case = disclosure_transition(
        actor=users["caseworker"], disclosure=_taken(users, new_case()), to="acknowledged"
    )
    # When the assessment is saved with nothing chosen
    response = _as(users["caseworker"]).post(f"/staff/cases/{case.reference}/assess/", {})
    # Then each question says, in GOV.UK words, what to select
    assert response.status_code == 200
    assert _error_messages(response.content.decode()) == [
        "Select yes if the whistleblower could reasonably believe it is in the public interest",
        "Select yes if the disclosure is within our prescribed matters",
        "Select the risk to children: immediate, high, medium or low",
    ]
    assert "Select is it" not in response.content.decode()
    assert "Select could" not in response.content.decode()


def test_recording_the_assessment_moves_an_acknowledged_case_on(
    users: Any, new_case: Any, organisation: Any
) -> None:
    case = disclosure_transition(
        actor=users["caseworker"], disclosure=_taken(users, new_case()), to="acknowledged"
    )
    caseworker = _as(users["caseworker"])
    response = caseworker.post(
        f"/staff/cases/{case.reference}/assess/",
        {
            "categories": ["health_safety"],
            "public_interest": "yes",
            "within_remit": "yes",
            "service": organisation.services.get(label="Schools").pk,
            "risk_level": "medium",
        },
    )
    assert response.status_code == 302
    page = caseworker.get(f"/staff/cases/{case.reference}/").content.decode()
    # The status says what happened, and the next step is offered, not "Start assessment"
    assert re.search(r'id="case-status">Assessing<', page)
    assert "Start assessment" not in page
    assert "Start action" in page
    assert "Acknowledged → Assessing by caseworker" in page
    case.refresh_from_db()
    assert case.status == Status.ASSESSING


def test_history_speaks_words_and_gov_uk_dates(users: Any, new_case: Any) -> None:
    # Given a case whose file was sealed without a recovery key, then acknowledged
    case = new_case()
    with transaction.atomic():
        casefile_create(
            actor=users["intake_officer"],
            disclosure=case,
            documents={"narrative": "Something happened."},
            with_source=False,
        )
    case = _taken(users, case)
    disclosure_transition(actor=users["caseworker"], disclosure=case, to="acknowledged")
    page = _as(users["manager"]).get(f"/staff/cases/{case.reference}/").content.decode()
    history = page[page.index('id="case-history-title"') :]
    # Then the history reads as words, not codes
    assert "Case file sealed" in history
    assert "Recovery key: none (no recovery key was set up)" in history
    assert "Status changed" in history and "From: Received" in history
    assert "To: Acknowledged" in history
    for code in ("recovery_fingerprint", "casefile.created", "status_changed", ": None"):
        assert code not in history
    # and dates as GOV.UK writes them: "30 November 2026 at 9:52am", never "a.m."
    when = r"\d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}(:\d\d)?[ap]m|midday|midnight)"
    assert re.search(when, history)
    assert "a.m." not in page and "p.m." not in page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 11, 30, 9, 52, tzinfo=dt.UTC), "30 November 2026 at 9:52am"),
        (dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC), "30 November 2026 at 9am"),
        (dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC), "30 November 2026 at midday"),
        (dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC), "30 November 2026 at midnight"),
        (dt.datetime(2026, 11, 30, 15, 5, tzinfo=dt.UTC), "30 November 2026 at 3:05pm"),
        # British Summer Time: shown in London time, not UTC
        (dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.UTC), "1 July 2026 at 9:30am"),
    ],
)
def test_gov_uk_date_format(value: dt.datetime, expected: str) -> None:
    assert govuk_datetime(value) == expected


def test_gov_uk_date_only() -> None:
    assert govuk_date(dt.date(2027, 3, 1)) == "1 March 2027"
    assert govuk_date(None) == ""


def test_search_by_part_of_the_reference(users: Any, new_case: Any) -> None:
    case = new_case()
    other = new_case()
    middle = case.reference.split("-")[1]  # "7F3K" of WD-7F3K-9ABC
    lister = _as(users["caseworker"])
    for term in (middle, middle.lower(), case.reference[-6:], case.reference):
        html = lister.get("/staff/", {"q": term}).content.decode()
        assert case.reference in html, term
        if term.upper() not in other.reference:
            assert other.reference not in html  # only what matches


def test_search_finds_the_setting_a_whistleblower_named_but_not_the_narrative(
    users: Any, organisation: Any
) -> None:
    # Given a web disclosure naming "Thistlewood House" on the setting page
    reference, _ = submit(Client(), organisation)
    assert Disclosure.objects.get(reference=reference).setting_name == "Thistlewood House"
    lister = _as(users["caseworker"])
    # Then staff find it by the setting's name, without retyping it
    assert reference in lister.get("/staff/", {"q": "thistlewood"}).content.decode()
    # but not by words of the sealed narrative
    assert reference not in lister.get("/staff/", {"q": "purple walrus"}).content.decode()
    assert "purple walrus" in CANARY_SENTENCE


def test_history_details_never_show_none_or_iso_dates() -> None:
    from whistledesk.audit.labels import describe_event

    described = describe_event(
        "identity.access_requested",
        {"expires": "2026-12-07T09:52:00+00:00", "grant_deleted": None, "key_sealed": False},
    )
    assert described.title == "Access to the whistleblower's identity requested"
    assert described.details == [
        ("Expires", "7 December 2026 at 9:52am"),
        ("Grant deleted", "–"),
        ("Case key shared with the handler", "No"),
    ]
    # An action nobody labelled yet still reads as words
    assert describe_event("retention.policy_created", {}).title == "Retention policy created"
