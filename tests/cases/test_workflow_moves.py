"""Every (from, to) pair of statuses, through the page and the API, and GETs that change
nothing. The allowed moves are typed out here, not read from cases.workflow.TRANSITIONS,
so a move added to (or dropped from) the code's table fails this test."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from tests.casefiles.conftest import private_key_of
from tests.factories import DisclosureFactory
from whistledesk.api.services import api_token_create
from whistledesk.cases.models import Disclosure, Referral, ReferralBody, Status, StatusChange

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
STATUSES = [
    "received",
    "acknowledged",
    "assessing",
    "action",
    "awaiting_reassurance",
    "closed",
]
ALLOWED = {
    ("received", "acknowledged"),
    ("acknowledged", "assessing"),
    ("assessing", "action"),
    ("action", "awaiting_reassurance"),
    ("awaiting_reassurance", "action"),
    ("assessing", "closed"),
    ("action", "closed"),
    ("awaiting_reassurance", "closed"),
    ("closed", "assessing"),  # reopening, by a manager, with a written reason
}
PAIRS = [(a, b) for a in STATUSES for b in STATUSES]


def _case_in(status: str, organisation: Any, manager: Any) -> Disclosure:
    """A case in `status` that meets every rule of every move (assessed, a service and an
    outcome chosen, a referral awaiting its response), so only the move itself decides."""
    outcome = organisation.outcomes.first()
    case = DisclosureFactory(
        organisation=organisation,
        status=status,
        qualifying=True,
        service=organisation.services.first(),
        outcome=outcome,
        received_on=dt.date.today(),
    )
    Referral.objects.create(
        disclosure=case,
        body=ReferralBody.objects.first(),
        referred_on=dt.date.today(),
        reassurance_due=dt.date.today() + dt.timedelta(days=30),
        recorded_by=manager,
    )
    return case


@pytest.fixture
def manager(make_staff: Any) -> Any:
    from whistledesk.accounts.roles import Role

    return make_staff("mara", roles=[Role.MANAGER])


@pytest.fixture
def signed_in(manager: Any) -> Client:
    client = Client()
    response = client.post("/staff/account/sign-in/", {"username": "mara", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_allowed_moves_through_the_page(
    organisation: Any, manager: Any, signed_in: Client
) -> None:
    form = {"outcome": organisation.outcomes.first().pk, "reason": "New evidence arrived."}
    refused = []
    for frm, to in PAIRS:
        case = _case_in(frm, organisation, manager)
        response = signed_in.post(f"/staff/cases/{case.reference}/move/{to}/", form)
        case.refresh_from_db()
        moved = response.status_code == 302 and case.status == to
        if (frm, to) in ALLOWED:
            assert moved, (frm, to, response.status_code, response.content.decode()[:2000])
            assert StatusChange.objects.filter(disclosure=case, to_status=to).exists()
        else:
            assert case.status == frm and response.status_code == 200, (frm, to)
            refused.append((frm, to))
    assert len(refused) == 36 - 9


def test_allowed_moves_through_the_api(organisation: Any, manager: Any) -> None:
    _, token = api_token_create(actor=manager, user=manager, name="moves")
    headers = {"Authorization": f"Bearer {token}"}
    outcome = organisation.outcomes.first().pk
    for frm, to in PAIRS:
        case = _case_in(frm, organisation, manager)
        response = Client().post(
            f"/api/v1/disclosures/{case.reference}/transition",
            json.dumps({"to": to, "outcome": outcome}),
            content_type="application/json",
            headers=headers,
        )
        case.refresh_from_db()
        if (frm, to) == ("closed", "assessing"):
            # Reopening needs a written reason, sealed under the case key: the page's move.
            assert response.status_code == 409 and case.status == frm
            assert "reason" in response.json()["detail"]
        elif (frm, to) in ALLOWED:
            assert response.status_code == 200 and case.status == to, (frm, to)
        else:
            assert response.status_code == 409 and case.status == frm, (frm, to)


def test_no_get_changes_a_case(organisation: Any, make_staff: Any) -> None:
    """GET every staff case URL (as people allowed to act) and the disclosure row is as it
    was: opening a case file no longer acknowledges it; only the button does."""
    from tests.cases.test_access_matrix import _send_with_a_file
    from whistledesk.accounts.roles import Role
    from whistledesk.casefiles.models import Attachment

    make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    make_staff("mara", roles=[Role.MANAGER])
    case = _send_with_a_file(organisation)
    before = model_to_dict(Disclosure.objects.get(pk=case.pk))
    ref, file = case.reference, Attachment.objects.get(disclosure=case)
    urls = [
        f"/staff/cases/{ref}/",
        f"/staff/cases/{ref}/content/",
        f"/staff/cases/{ref}/files/{file.pk}/",
        f"/staff/cases/{ref}/reply/",
        f"/staff/cases/{ref}/take/",
        *(f"/staff/cases/{ref}/{page}/" for page in _FORM_PAGES),
        *(f"/staff/cases/{ref}/move/{status}/" for status in STATUSES),
        f"/staff/casework/{ref}/",  # the old address, redirected
        f"/staff/identity/ask/{ref}/",
        f"/staff/identity/ledger/{ref}/",
        f"/admin/cases/disclosure/{case.pk}/change/",
        "/staff/",
    ]
    for username in ["ivy", "mara"]:
        client = Client()
        client.post("/staff/account/sign-in/", {"username": username, "password": PASSWORD})
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code in {200, 403, 405}, (username, url)
    after = model_to_dict(Disclosure.objects.get(pk=case.pk))
    assert after == before
    assert after["status"] == Status.RECEIVED and after["acknowledged_at"] is None
    assert not StatusChange.objects.exists()


_FORM_PAGES = ["assess", "assign", "conflict", "consent", "refer", "action", "concern"]


def test_a_private_key_is_needed_to_acknowledge_a_web_disclosure(
    organisation: Any, make_staff: Any
) -> None:
    """The acknowledgement is sealed under the case key; without the key nothing moves."""
    from tests.cases.test_access_matrix import _send_with_a_file
    from whistledesk.accounts.keyring import KeyLocked
    from whistledesk.accounts.roles import Role
    from whistledesk.casefiles.models import Message
    from whistledesk.cases.workflow import disclosure_transition

    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    case = _send_with_a_file(organisation)
    with pytest.raises(KeyLocked):
        disclosure_transition(actor=ivy, disclosure=case, to=Status.ACKNOWLEDGED)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and not Message.objects.exists()
    disclosure_transition(
        actor=ivy, disclosure=case, to=Status.ACKNOWLEDGED, private_key=private_key_of(ivy)
    )
    assert Message.objects.get().author == ivy


def test_a_caseworker_acts_on_an_unassigned_case_only_after_taking_it(
    organisation: Any, manager: Any, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role

    caseworker = make_staff("carl", roles=[Role.CASEWORKER])
    carl = Client()
    carl.post("/staff/account/sign-in/", {"username": "carl", "password": PASSWORD})
    _, token = api_token_create(actor=caseworker, user=caseworker, name="carl")
    api = {"Authorization": f"Bearer {token}"}
    received = _case_in("received", organisation, manager)
    assessing = _case_in("assessing", organisation, manager)
    outcome = organisation.outcomes.first().pk
    assessment = {
        "categories": ["health_safety"],
        "public_interest": "yes",
        "within_remit": "yes",
        "service": organisation.services.first().pk,
        "risk_level": "low",
    }
    # Given unassigned cases the caseworker cannot read, when they acknowledge, assess,
    # move on or close them, on the page or through the API, they are refused
    tries = [
        (received, "move/acknowledged/", {}),
        (assessing, "assess/", assessment),
        (assessing, "move/action/", {}),
        (assessing, "move/closed/", {"outcome": outcome}),
    ]
    for case, page, data in tries:
        response = carl.post(f"/staff/cases/{case.reference}/{page}", data)
        assert response.status_code == 403, page
        assert "Take this case first" in response.content.decode()
    for case, to in [(received, "acknowledged"), (assessing, "action"), (assessing, "closed")]:
        response = Client().post(
            f"/api/v1/disclosures/{case.reference}/transition",
            json.dumps({"to": to, "outcome": outcome}),
            content_type="application/json",
            headers=api,
        )
        assert response.status_code == 403, to
    received.refresh_from_db()
    assessing.refresh_from_db()
    assert (received.status, assessing.status) == (Status.RECEIVED, Status.ASSESSING)
    assert assessing.risk_level == ""
    # Once they take it, it is theirs to work on
    assert carl.post(f"/staff/cases/{assessing.reference}/take/").status_code == 302
    assert carl.post(f"/staff/cases/{assessing.reference}/move/action/").status_code == 302
