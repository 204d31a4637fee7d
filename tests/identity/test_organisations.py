"""Custodians decide only their own organisation's identity requests (ADR 0017).

Two organisations with the same usernames (a person who works for two has two accounts):
beta's custodian never sees alpha's requests, and opening or deciding one answers 404,
exactly as a request that does not exist.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.casefiles.conftest import private_key_of
from tests.factories import DisclosureFactory, OrganisationFactory
from tests.identity.conftest import CONTACT, IDENTITY, NARRATIVE
from tests.pages import without_csrf
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.casefiles.models import KeyGrant
from whistledesk.casefiles.services import casefile_create, casefile_grant
from whistledesk.core.exceptions import NotPermitted
from whistledesk.identity import services
from whistledesk.identity.models import IdentityAccessRequest, RequestStatus

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
REASON = "Need to check they are the agency worker the police asked about."


def _staff(org: Any, username: str, roles: list[Role]) -> Any:
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return user_create(
        actor=None, username=username, password=PASSWORD, roles=roles, organisation=org
    )


def _signed_in(slug: str, username: str) -> Client:
    client = Client()
    response = client.post(
        f"/{slug}/staff/account/sign-in/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:2000]
    return client


@pytest.fixture
def alpha_request() -> dict[str, Any]:
    alpha, beta = OrganisationFactory(slug="alpha"), OrganisationFactory(slug="beta")
    people: dict[str, Any] = {}
    for org in (alpha, beta):
        for name, role in (("cora", Role.CUSTODIAN), ("mona", Role.MANAGER)):
            people[f"{org.slug}.{name}"] = _staff(org, name, [role])
    hal = _staff(alpha, "hal", [Role.CASEWORKER])
    case = DisclosureFactory(organisation=alpha)
    casefile_create(
        actor="public",
        disclosure=case,
        documents={"narrative": NARRATIVE, "identity": IDENTITY, "contact": CONTACT},
    )
    mona = people["alpha.mona"]
    casefile_grant(actor=mona, disclosure=case, user=hal, private_key=private_key_of(mona))
    case.handler = hal
    case.save(update_fields=["handler"])
    request = services.identity_access_request(
        actor=hal, disclosure=case, reason=REASON, private_key=private_key_of(hal)
    )
    return {"case": case, "request": request, **people}


def test_beta_custodian_never_sees_alpha_requests_and_cannot_decide_one(
    alpha_request: dict[str, Any],
) -> None:
    case, request = alpha_request["case"], alpha_request["request"]
    beta_cora = _signed_in("beta", "cora")
    # Beta's queue shows nothing of alpha's request
    queue = beta_cora.get("/beta/staff/identity/")
    assert queue.status_code == 200
    assert REASON not in queue.content.decode()
    assert case.reference not in queue.content.decode()
    # Opening or deciding it answers 404, as for a request that does not exist
    missing = beta_cora.get("/beta/staff/identity/requests/999999/")
    opened = beta_cora.get(f"/beta/staff/identity/requests/{request.pk}/")
    assert (missing.status_code, opened.status_code) == (404, 404)
    # (the staff error page carries the sign-out form's CSRF token, new on each page)
    assert without_csrf(opened.content) == without_csrf(missing.content)
    decided = beta_cora.post(f"/beta/staff/identity/requests/{request.pk}/", {"action": "approve"})
    assert decided.status_code == 404
    # Nor can beta's custodian reach alpha's case through ask or the ledger
    assert beta_cora.get(f"/beta/staff/identity/ledger/{case.reference}/").status_code == 404
    assert beta_cora.get(f"/beta/staff/identity/ask/{case.reference}/").status_code == 404
    # Nor through the service
    with pytest.raises(NotPermitted):
        services.identity_access_approve(
            actor=alpha_request["beta.cora"],
            request=request,
            private_key=private_key_of(alpha_request["beta.cora"]),
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    # The identity key is held by alpha's custodian only: typed-out usernames
    holders = sorted(
        (g.user.organisation.slug, g.user.username)
        for g in KeyGrant.objects.filter(disclosure=case, scope="identity")
    )
    assert holders == [("alpha", "cora")]


def test_alpha_custodian_sees_and_decides_alpha_request(alpha_request: dict[str, Any]) -> None:
    request = alpha_request["request"]
    alpha_cora = _signed_in("alpha", "cora")
    queue = alpha_cora.get("/alpha/staff/identity/").content.decode()
    assert REASON in queue and alpha_request["case"].reference in queue
    response = alpha_cora.post(
        f"/alpha/staff/identity/requests/{request.pk}/", {"action": "approve"}
    )
    assert response.status_code == 302
    assert IdentityAccessRequest.objects.get(pk=request.pk).status == RequestStatus.APPROVED
