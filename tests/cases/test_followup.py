"""Follow-up for every channel (issue 10 item 6), through the pages people use: a receipt for
someone who phoned or wrote, call notes the caller agrees or corrects, and templated
acknowledgement, feedback and outcome messages as inbox messages, PDF letters or email text,
each recorded on the case."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from typing import Any

import pytest
from django.test import Client

from tests.intake.conftest import submit
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import KeyGrant, SourceAccount
from whistledesk.cases.models import Disclosure, FollowupSent

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
RECEIVED = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _configured(organisation: Any) -> Any:
    return organisation


def _as(user: Any) -> Client:
    browser = Client()
    response = browser.post(
        "/staff/account/sign-in/", {"username": user.get_username(), "password": PASSWORD}
    )
    assert response.status_code == 302
    return browser


def _caller(receipt: str) -> Client:
    browser = Client()
    response = browser.post("/follow-up/", {"receipt": receipt})
    assert response["Location"] == "/follow-up/inbox/", response.content.decode()[:2000]
    return browser


def _record_call(staff: Client) -> Disclosure:
    response = staff.post(
        "/staff/record/helpline/",
        {
            "received_on": RECEIVED.isoformat(),
            "summary": "Night staffing on a children's ward",
            "caller_name": "Robin Example",
            "caller_contact": "07700 900123",
            "call_notes": "Caller says one nurse covers the ward overnight.",
            "anonymity_discussion": "Caller wants to stay confidential.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Disclosure.objects.get()


def _record_letter(staff: Client) -> Disclosure:
    response = staff.post(
        "/staff/record/letter/",
        {
            "received_on": RECEIVED.isoformat(),
            "summary": "Locked doors at a children's home",
            "sender_name": "Sam Writer",
            "sender_contact": "1 Example Street",
            "letter_text": "The fire doors are kept locked at night.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Disclosure.objects.get()


def _issue_receipt(staff: Client, reference: str) -> str:
    response = staff.post(f"/staff/cases/{reference}/receipt/")
    assert response["Location"] == f"/staff/cases/{reference}/receipt/"
    page = staff.get(response["Location"]).content.decode()
    found = re.search(r'id="receipt"[^>]*>([^<]+)<', page)
    assert found, page[:3000]
    return found.group(1).strip()


def test_a_caller_is_given_a_receipt_once_and_it_opens_the_same_inbox(users: Any) -> None:
    staff = _as(users["intake_officer"])
    case = _record_call(staff)
    page = staff.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "The whistleblower has no follow-up inbox" in page

    receipt = _issue_receipt(staff, case.reference)

    # Seven words, shown once: a reload says it has been shown, and it is nowhere stored.
    assert len(receipt.split()) == 7
    again = staff.get(f"/staff/cases/{case.reference}/receipt/").content.decode()
    assert "The receipt has already been shown" in again
    assert receipt not in again
    account = SourceAccount.objects.get(disclosure=case)
    assert receipt.encode() not in bytes(account.encrypted_private_key)
    assert receipt not in account.receipt_lookup
    # Sealed as a web case is: staff keys, the recovery key if any, and the caller's inbox key.
    kinds = set(KeyGrant.objects.filter(disclosure=case).values_list("kind", flat=True))
    assert {"staff", "source"} <= kinds
    event = AuditEvent.objects.get(action="receipt.issued")
    assert event.object_id == case.reference
    assert receipt not in str(event.details)
    # A second receipt is refused: the first stays the only one.
    refused = staff.post(f"/staff/cases/{case.reference}/receipt/", follow=True)
    assert "already has a receipt" in refused.content.decode()
    assert SourceAccount.objects.filter(disclosure=case).count() == 1

    # The caller signs in with it and reads the notes of their call.
    inbox = _caller(receipt).get("/follow-up/inbox/").content.decode()
    assert f"Reference {case.reference}" in inbox
    assert "The notes of your call" in inbox
    assert "Caller says one nurse covers the ward overnight." in inbox


def test_the_caller_agrees_the_call_notes_and_the_handler_sees_it(users: Any) -> None:
    staff = _as(users["intake_officer"])
    case = _record_call(staff)
    caller = _caller(_issue_receipt(staff, case.reference))
    review_id = case.call_notes_reviews.get().pk

    # No choice: the page says what to do.
    response = caller.post(f"/follow-up/call-notes/{review_id}/", {"answer": ""})
    assert response.status_code == 400
    assert "Choose whether the notes are right or need correcting." in response.content.decode()

    response = caller.post(f"/follow-up/call-notes/{review_id}/", {"answer": "agree"})
    assert response["Location"] == "/follow-up/inbox/"
    assert "You agreed these notes on" in caller.get("/follow-up/inbox/").content.decode()
    page = staff.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "Agreed by the caller" in page
    assert AuditEvent.objects.filter(action="call_notes.agreed", actor_label="source").exists()

    # Answering twice is refused with a reason.
    again = caller.post(f"/follow-up/call-notes/{review_id}/", {"answer": "correct"})
    assert "You have already answered about these notes." in again.content.decode()


def test_the_caller_asks_for_a_correction_in_their_words(users: Any) -> None:
    staff = _as(users["intake_officer"])
    case = _record_call(staff)
    caller = _caller(_issue_receipt(staff, case.reference))
    review_id = case.call_notes_reviews.get().pk

    empty = caller.post(f"/follow-up/call-notes/{review_id}/", {"answer": "correct"})
    assert "Say what is wrong or missing in the notes." in empty.content.decode()
    response = caller.post(
        f"/follow-up/call-notes/{review_id}/",
        {"answer": "correct", "correction": "It is two wards, not one."},
    )
    assert response["Location"] == "/follow-up/inbox/"
    page = staff.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "Caller asked for a correction" in page
    assert "It is two wards, not one." in page
    # The correction is sealed: not in the database in clear.
    review = case.call_notes_reviews.get()
    assert b"two wards" not in bytes(review.correction_ciphertext)

    # Staff share the notes again; the caller is asked afresh.
    shared = staff.post(f"/staff/cases/{case.reference}/call-notes/share/")
    assert shared.status_code == 302
    assert "Are these notes right?" in caller.get("/follow-up/inbox/").content.decode()


def test_only_staff_on_the_case_may_issue_a_receipt(users: Any) -> None:
    case = _record_call(_as(users["intake_officer"]))
    response = _as(users["caseworker"]).post(f"/staff/cases/{case.reference}/receipt/")
    assert response.status_code == 403
    assert "Take this case first" in response.content.decode()
    assert not SourceAccount.objects.exists()


def test_a_web_disclosure_gets_no_second_receipt(
    client: Any, organisation: Any, users: Any
) -> None:
    reference, _receipt = submit(client, organisation)
    staff = _as(users["intake_officer"])
    page = staff.get(f"/staff/cases/{reference}/").content.decode()
    assert "Issue a receipt" not in page
    response = staff.post(f"/staff/cases/{reference}/receipt/", follow=True)
    assert "Only a disclosure recorded by staff can be given a receipt here." in (
        response.content.decode()
    )


def _pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def test_feedback_to_a_letter_writer_is_a_pdf_letter_recorded_on_the_case(users: Any) -> None:
    staff = _as(users["intake_officer"])
    case = _record_letter(staff)
    # Acknowledged today: feedback is due in 3 months, so feedback today meets it.
    assert staff.post(f"/staff/cases/{case.reference}/move/acknowledged/").status_code == 302
    form = staff.get(f"/staff/cases/{case.reference}/follow-up/feedback/").content.decode()
    # The template, filled in, for staff to complete.
    assert (
        f"This is an update on your disclosure {case.reference}, which we received on "
        "2 November 2026."
    ) in form
    assert "Make a letter (PDF) to print and post" in form
    assert "follow-up inbox" not in form.split("How to send it")[1][:600]

    body = (
        f"This is an update on your disclosure {case.reference}, which we received on "
        "2 November 2026.\n\nWhat we have done so far: we have asked the local authority "
        "to visit the home.\n\nWe will tell you when we have finished our work."
    )
    response = staff.post(
        f"/staff/cases/{case.reference}/follow-up/feedback/", {"body": body, "via": "letter"}
    )
    sent = FollowupSent.objects.get()
    assert response["Location"] == f"/staff/cases/{case.reference}/follow-up/sent/{sent.pk}/"
    assert (sent.kind, sent.via, sent.sent_by) == ("feedback", "letter", users["intake_officer"])
    case.refresh_from_db()
    assert case.feedback_given_on == dt.date.today()  # the feedback clock is met
    assert case.feedback_timeliness == "met"  # recorded by the deadline's one authority
    assert b"local authority" not in bytes(sent.body_sealed)  # sealed under the case key
    assert "{reference}" in sent.template_text  # which template it came from

    letter = staff.get(f"/staff/cases/{case.reference}/follow-up/sent/{sent.pk}/letter.pdf")
    assert letter["Content-Type"] == "application/pdf"
    text = _pdf_text(letter.content)
    assert "Example Regulator" in text
    assert f"Our reference: {case.reference}" in text
    assert "An update on your disclosure" in text
    assert (
        "What we have done so far: we have asked the local authority to visit the home."
    ) in text
    assert "Yours sincerely, Example Regulator" in text

    page = staff.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "Feedback – letter (pdf), by intake_officer" in page
    assert AuditEvent.objects.filter(
        action="followup.sent", details__kind="feedback", details__via="letter"
    ).exists()


def test_the_outcome_as_email_text_uses_the_outcomes_own_words(
    users: Any, organisation: Any, walk: Any
) -> None:
    from whistledesk.cases.workflow import disclosure_transition

    referred = organisation.outcomes.get(label="Referred")
    referred.whistleblower_text = "We passed your concerns to the local authority."
    referred.save()
    staff = _as(users["intake_officer"])
    case = _record_letter(staff)
    manager = _as(users["manager"])
    early = manager.post(
        f"/staff/cases/{case.reference}/follow-up/outcome/",
        {"body": "Finished.", "via": "email"},
    )
    assert "Close the case with an outcome before sending the outcome." in early.content.decode()

    case = walk(case, "action", actor=users["manager"])
    disclosure_transition(actor=users["manager"], disclosure=case, to="closed", outcome=referred)
    form = manager.get(f"/staff/cases/{case.reference}/follow-up/outcome/").content.decode()
    body = re.search(r'<textarea[^>]*name="body"[^>]*>\s*(.*?)</textarea>', form, re.S)
    assert body
    text = body.group(1)
    assert "What we did: We passed your concerns to the local authority." in text
    response = manager.post(
        f"/staff/cases/{case.reference}/follow-up/outcome/",
        {"body": text.replace("&#x27;", "'"), "via": "email"},
    )
    shown = manager.get(response["Location"]).content.decode()
    assert "Copy this text into an email" in shown
    assert "What we did: We passed your concerns to the local authority." in shown
    assert FollowupSent.objects.get().via == "email"


def test_a_web_disclosure_is_acknowledged_with_the_organisations_template(
    client: Any, organisation: Any, users: Any
) -> None:
    manager = _as(users["manager"])
    bad = manager.post(
        "/staff/follow-up-wording/",
        {
            "acknowledgement": "Thanks {name}.",
            "feedback": "Update on {reference}.",
            "outcome": "Done: {outcome}.",
        },
    )
    assert "unknown placeholder {name}" in bad.content.decode()
    saved = manager.post(
        "/staff/follow-up-wording/",
        {
            "acknowledgement": "Thank you. We got {reference} and will reply by {feedback_due}.",
            "feedback": "Update on {reference}.",
            "outcome": "Done: {outcome}.",
        },
    )
    assert saved.status_code == 302
    assert _as(users["caseworker"]).get("/staff/follow-up-wording/").status_code == 403

    reference, receipt = submit(client, organisation)
    staff = _as(users["intake_officer"])
    assert staff.post(f"/staff/cases/{reference}/move/acknowledged/").status_code == 302
    case = Disclosure.objects.get(reference=reference)
    due = case.feedback_due_on
    inbox = _caller(receipt).get("/follow-up/inbox/").content.decode()
    assert f"Thank you. We got {reference} and will reply by {due.day} {due:%B %Y}." in inbox
    sent = FollowupSent.objects.get()
    assert (sent.kind, sent.via) == ("acknowledgement", "inbox")
    # A letter for an inbox holder is refused: it goes to their inbox.
    response = staff.post(
        f"/staff/cases/{reference}/follow-up/feedback/", {"body": "Update.", "via": "letter"}
    )
    assert "Select a valid choice" in response.content.decode()
