"""Staff casework pages through Django's test client: what each person sees and can do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.casefiles.conftest import private_key_of
from whistledesk.cases.models import Disclosure, ReferralBody, Status
from whistledesk.cases.safeguarding import safeguarding_concern_raise

pytestmark = pytest.mark.django_db


def _as(client: Any, user: Any) -> Any:
    """Sign in through the form, so the staff key is unlocked as in real use (notes are
    sealed under the case key)."""
    client.logout()
    response = client.post(
        "/staff/account/sign-in/",
        {"username": user.get_username(), "password": "a-long-staff-password"},
    )
    assert response.status_code == 302
    return client


def test_case_page_links_to_the_sealed_file_and_shows_next_step(
    client: Any, new_case: Any, users: Any
) -> None:
    case = new_case(summary="Staffing concerns")
    page = _as(client, users["caseworker"]).get(f"/staff/cases/{case.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    # A disclosure with no sealed case file (e.g. imported) says so instead of linking
    assert "There is no encrypted case file for this disclosure" in html
    assert "Acknowledge" in html
    assert "Staffing concerns" in html


def test_case_page_links_to_the_case_file_and_warns_when_the_handler_cannot_read_it(
    client: Any, new_case: Any, users: Any
) -> None:
    from django.db import transaction

    from whistledesk.casefiles.services import casefile_create

    # Given a case whose file is sealed to intake staff, assigned to a caseworker by someone
    # whose key was not to hand (so the case key could not be shared with the handler)
    case = new_case()
    with transaction.atomic():
        casefile_create(
            actor=users["intake_officer"],
            disclosure=case,
            documents={"narrative": "Something happened."},
            with_source=False,
        )
    Disclosure.objects.filter(pk=case.pk).update(handler=users["caseworker"])
    # When a manager opens the case page
    html = _as(client, users["manager"]).get(f"/staff/cases/{case.reference}/").content.decode()
    # Then it links to the case file and warns that the handler cannot read it yet
    assert f'href="/staff/cases/{case.reference}/content/"' in html
    assert "Read the disclosure and messages" in html
    assert "caseworker cannot read this case file yet" in html


def test_walk_a_case_through_the_pages(
    client: Any, new_case: Any, users: Any, organisation: Any
) -> None:
    c = _as(client, users["caseworker"])
    ref = new_case().reference
    base = f"/staff/cases/{ref}"
    # Only the handler works on a case: the caseworker takes it first.
    assert c.post(f"{base}/move/acknowledged/").status_code == 403
    assert c.post(f"{base}/take/").status_code == 302
    assert c.post(f"{base}/move/acknowledged/").status_code == 302
    assert c.post(f"{base}/move/assessing/").status_code == 302
    school = organisation.services.get(label="Schools")
    r = c.post(
        f"{base}/assess/",
        {
            "categories": ["health_safety", "legal_obligation"],
            "public_interest": "yes",
            "within_remit": "yes",
            "service": school.pk,
            "risk_level": "immediate",
            "setting_name": "St Mary's C of E Primary School",
            "ofsted_urn": "123456",
            "local_authority": "Camden Council",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    d = Disclosure.objects.get(reference=ref)
    assert d.qualifying is True and d.urgent is True and d.local_authority == "Camden"
    assert c.post(f"{base}/move/action/").status_code == 302
    body = ReferralBody.objects.get(kind="la_childrens_services")
    r = c.post(
        f"{base}/refer/",
        {
            "body": body.pk,
            "shared_summary": "Unsafe staffing at night",
            "referred_on": dt.date.today().isoformat(),
            "body_reference": "LA-77",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    referral = d.referrals.get()
    assert c.post(f"{base}/move/awaiting_reassurance/").status_code == 302
    r = c.post(
        f"{base}/referral/{referral.pk}/response/",
        {"received_on": dt.date.today().isoformat(), "summary": "Visit made, staffing fixed"},
    )
    assert r.status_code == 302
    r = c.post(f"{base}/move/closed/", {"outcome": organisation.outcomes.first().pk})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.CLOSED
    page = c.get(f"{base}/").content.decode()
    assert "Visit made, staffing fixed" in page
    assert "LA-77" in page


def test_closing_page_refuses_with_open_concern(
    client: Any, new_case: Any, walk: Any, users: Any, organisation: Any
) -> None:
    # Given a case with an open safeguarding concern
    case = walk(new_case(), Status.ACTION)
    safeguarding_concern_raise(
        actor=users["caseworker"],
        private_key=private_key_of(users["caseworker"]),
        disclosure=case,
        summary="Risk",
    )
    # When the caseworker submits the close form
    r = _as(client, users["caseworker"]).post(
        f"/staff/cases/{case.reference}/move/closed/",
        {"outcome": organisation.outcomes.first().pk},
    )
    # Then the page explains why, and the case is still open
    assert r.status_code == 200
    assert "open safeguarding concern" in r.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACTION


def test_close_without_outcome_is_a_form_error(
    client: Any, new_case: Any, walk: Any, users: Any
) -> None:
    case = walk(new_case(), Status.ACTION)
    r = _as(client, users["caseworker"]).post(f"/staff/cases/{case.reference}/move/closed/")
    assert r.status_code == 200
    assert "Choose an outcome" in r.content.decode()


def test_invalid_move_shows_a_clear_message(client: Any, new_case: Any, users: Any) -> None:
    case = new_case()
    r = _as(client, users["manager"]).post(f"/staff/cases/{case.reference}/move/action/")
    assert r.status_code == 200
    assert "cannot be moved to action under way" in r.content.decode()


def test_safeguarding_lead_confirms_through_the_page(
    client: Any, new_case: Any, walk: Any, users: Any
) -> None:
    case = walk(new_case(), Status.ACTION)
    concern = safeguarding_concern_raise(
        actor=users["caseworker"],
        private_key=private_key_of(users["caseworker"]),
        disclosure=case,
        summary="Risk",
    )
    url = f"/staff/cases/{case.reference}/concern/{concern.pk}/confirm/"
    data = {
        "action_taken": "Child protection enquiry opened",
        "action_taken_by": "LA duty team",
        "action_taken_on": dt.date.today().isoformat(),
    }
    refused = _as(client, users["caseworker"]).post(url, data)
    assert refused.status_code == 403
    assert "safeguarding leads only" in refused.content.decode()
    ok = _as(client, users["safeguarding_lead"]).post(url, data)
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.safeguarding_open is False


@pytest.mark.parametrize(
    ("role", "page", "allowed"),
    [
        ("auditor", "", True),
        ("auditor", "assess/", False),
        ("auditor", "refer/", False),
        ("intake_officer", "refer/", False),
        ("intake_officer", "concern/", False),  # assigned: out of triage
        ("intake_officer", "", True),
        ("safeguarding_lead", "concern/", True),
        ("caseworker", "assign/", False),
        ("manager", "assign/", True),
        ("caseworker", "conflict/", False),
        ("manager", "conflict/", True),
        ("safeguarding_lead", "action/", False),
        ("nobody", "", False),
    ],
)
def test_pages_follow_the_permission_table(
    client: Any, new_case: Any, walk: Any, users: Any, role: str, page: str, allowed: bool
) -> None:
    case = walk(new_case(), Status.ACTION)
    r = _as(client, users[role]).get(f"/staff/cases/{case.reference}/{page}")
    assert r.status_code == (200 if allowed else 403)
    if not allowed:
        assert "You cannot do this" in r.content.decode()


def test_auditor_sees_no_action_links(client: Any, new_case: Any, walk: Any, users: Any) -> None:
    case = walk(new_case(), Status.ACTION)
    html = _as(client, users["auditor"]).get(f"/staff/cases/{case.reference}/").content
    assert b"Record a referral" not in html
    assert b"Close case" not in html


def test_excluded_user_cannot_open_the_case(
    client: Any, new_case: Any, walk: Any, users: Any
) -> None:
    from whistledesk.cases.assessment import conflict_record

    case = walk(new_case(), Status.ACTION)
    conflict_record(
        actor=users["manager"],
        private_key=private_key_of(users["manager"]),
        disclosure=case,
        user=users["caseworker"],
        reason="x",
    )
    r = _as(client, users["caseworker"]).get(f"/staff/cases/{case.reference}/")
    assert r.status_code == 403
    assert "conflict of interest" in r.content.decode()


def test_case_page_says_how_often_the_setting_was_raised_before(
    client: Any, new_case: Any, users: Any
) -> None:
    from whistledesk.cases.assessment import disclosure_set_setting

    today = dt.date.today()
    for days, name, urn in [
        (300, "St Mary's Primary School", ""),
        (200, "ST MARYS PRIMARY SCHOOL LTD", ""),
        (100, "Some other name", "SC 123456"),
        (50, "Unrelated Nursery", ""),
    ]:
        d = new_case(received_on=today - dt.timedelta(days=days))
        disclosure_set_setting(
            actor=users["intake_officer"], disclosure=d, setting_name=name, ofsted_urn=urn
        )
    latest = new_case(received_on=today)
    disclosure_set_setting(
        actor=users["intake_officer"],
        disclosure=latest,
        setting_name="Saint Mary's Primary School",
        ofsted_urn="sc123456",
    )
    html = _as(client, users["caseworker"]).get(f"/staff/cases/{latest.reference}/")
    assert "raised 2 times before" not in html.content.decode()
    assert "raised 1 time before" not in html.content.decode()
    # Two by name ("st" = "saint", "ltd" and punctuation dropped) and one by URN.
    assert "This setting has been raised 3 times before." in html.content.decode()


def test_unknown_case_is_404(client: Any, users: Any) -> None:
    assert _as(client, users["manager"]).get("/staff/cases/WD-NOPE-0000/").status_code == 404
