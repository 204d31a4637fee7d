"""The pages: hidden identity and the request form, the custodians' queue, the ledger."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.casefiles.conftest import private_key_of
from tests.identity.conftest import NAME, PASSWORD
from whistledesk.identity.models import IdentityAccessRequest, RequestStatus

pytestmark = pytest.mark.django_db

REASON = "Need to check they are the agency worker the police asked about."


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/staff/account/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_handler_asks_custodian_approves_handler_sees_identity(case: Any) -> None:
    hal, cora = _signed_in("hal"), _signed_in("cora")
    page = hal.get(f"/staff/cases/{case.reference}/content/").content.decode()
    # Given the identity is hidden from the handler, with a way to ask
    assert "Identity hidden" in page and NAME not in page
    assert f'action="/staff/identity/ask/{case.reference}/"' in page
    # When they ask without a reason, they are told what to do
    response = hal.post(f"/staff/identity/ask/{case.reference}/", {"reason": ""})
    assert response.status_code == 400
    assert "Enter why you need to know who they are" in response.content.decode()
    # And with a reason, the request goes to the custodians
    response = hal.post(f"/staff/identity/ask/{case.reference}/", {"reason": REASON})
    assert response["Location"] == f"/staff/cases/{case.reference}/content/"
    assert "A custodian will decide" in hal.get(response["Location"]).content.decode()
    request = IdentityAccessRequest.objects.get()
    queue = cora.get("/staff/identity/").content.decode()
    assert REASON in queue and case.reference in queue
    # When the custodian approves
    response = cora.post(f"/staff/identity/requests/{request.pk}/", {"action": "approve"})
    assert response.status_code == 302
    # Then the handler sees the name in the case file
    page = hal.get(f"/staff/cases/{case.reference}/content/").content.decode()
    assert NAME in page and "Identity hidden" not in page


def test_refusal_reason_is_shown_to_the_requester(case: Any, handler: Any) -> None:
    from whistledesk.identity.services import identity_access_request

    request = identity_access_request(
        actor=handler, private_key=private_key_of(handler), disclosure=case, reason=REASON
    )
    cora = _signed_in("cora")
    url = f"/staff/identity/requests/{request.pk}/"
    # A refusal without a reason is sent back with the message
    response = cora.post(url, {"action": "refuse", "reason": ""})
    assert response.status_code == 400
    assert "Give a reason for refusing" in response.content.decode()
    cora.post(url, {"action": "refuse", "reason": "The referral does not need the name."})
    hal = _signed_in("hal")
    mine = hal.get("/staff/identity/").content.decode()
    assert "Refused" in mine and "The referral does not need the name." in mine
    page = hal.get(f"/staff/cases/{case.reference}/content/").content.decode()
    assert "The referral does not need the name." in page and NAME not in page


def test_own_request_cannot_be_approved_on_the_page(
    case: Any, make_staff: Any, manager: Any
) -> None:
    from tests.identity.conftest import private_key_of
    from whistledesk.accounts.roles import Role
    from whistledesk.casefiles.services import casefile_grant
    from whistledesk.identity.services import identity_access_request

    both = make_staff("bea", roles=[Role.CASEWORKER, Role.CUSTODIAN])
    casefile_grant(actor=manager, disclosure=case, user=both, private_key=private_key_of(manager))
    case.handler = both  # only the handler (or a manager) may ask
    case.save(update_fields=["handler"])
    request = identity_access_request(
        actor=both, private_key=private_key_of(both), disclosure=case, reason=REASON
    )
    bea = _signed_in("bea")
    assert "Your own request" in bea.get("/staff/identity/").content.decode()
    response = bea.post(f"/staff/identity/requests/{request.pk}/", {"action": "approve"})
    assert response.status_code == 400
    assert "cannot decide your own request" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_other_staff_cannot_see_a_request(case: Any, handler: Any, make_staff: Any) -> None:
    from whistledesk.identity.services import identity_access_request

    request = identity_access_request(
        actor=handler, private_key=private_key_of(handler), disclosure=case, reason=REASON
    )
    make_staff("olly", roles=[])
    olly = Client()
    olly.post("/staff/account/sign-in/", {"username": "olly", "password": PASSWORD})
    assert olly.get(f"/staff/identity/requests/{request.pk}/").status_code == 404
    assert REASON not in olly.get("/staff/identity/").content.decode()


def test_requester_withdraws_on_the_page(case: Any, handler: Any) -> None:
    from whistledesk.identity.services import identity_access_request

    request = identity_access_request(
        actor=handler, private_key=private_key_of(handler), disclosure=case, reason=REASON
    )
    hal = _signed_in("hal")
    response = hal.post(f"/staff/identity/requests/{request.pk}/", {"action": "withdraw"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


def test_approving_needs_an_unlocked_key(case: Any, handler: Any, custodian: Any) -> None:
    from whistledesk.identity.services import identity_access_request

    request = identity_access_request(
        actor=handler, private_key=private_key_of(handler), disclosure=case, reason=REASON
    )
    client = Client()
    client.force_login(custodian)  # signed in, but no key in this browser's vault
    response = client.post(f"/staff/identity/requests/{request.pk}/", {"action": "approve"})
    assert response.status_code == 403
    assert "Sign in again" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_ledger_page(case: Any, handler: Any) -> None:
    from whistledesk.identity.models import WebFormConsent

    hal = _signed_in("hal")
    page = hal.get(f"/staff/identity/ledger/{case.reference}/").content.decode()
    assert 'id="ledger-empty"' in page
    WebFormConsent.objects.create(disclosure=case)
    page = hal.get(f"/staff/identity/ledger/{case.reference}/").content.decode()
    assert "Consent given" in page and "The whistleblower" in page
    # Someone with no role on casework is refused
    from whistledesk.accounts.models import User

    User.objects.create_user("nobody", password=PASSWORD)
    nobody = Client()
    nobody.post("/staff/account/sign-in/", {"username": "nobody", "password": PASSWORD})
    response = nobody.get(f"/staff/identity/ledger/{case.reference}/")
    assert response.status_code == 403
