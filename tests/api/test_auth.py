"""Authentication by personal API token: who gets in, who does not, and what they see."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.utils import timezone

from tests.api.conftest import Api
from whistledesk.accounts.roles import Role
from whistledesk.api.models import ApiToken
from whistledesk.api.services import api_token_create, api_token_revoke
from whistledesk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PATH = "/disclosures"


def assert_unauthorised(response: Any) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer <token>" in response.json()["detail"]


def test_a_valid_token_gets_in(api_as: Any, organisation: Any) -> None:
    assert api_as("caseworker").get(PATH).status_code == 200


def test_no_token_is_refused(anonymous_api: Api, organisation: Any) -> None:
    assert_unauthorised(anonymous_api.get(PATH))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wd_not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "wd_no_scheme",
        "Bearer " + "x" * 5000,
    ],
)
def test_a_wrong_token_is_refused(header: str, organisation: Any, caplog: Any) -> None:
    client = Api(None)
    client.headers = {"Authorization": header}
    assert_unauthorised(client.get(PATH))
    # Nothing of the presented credential reaches a log line.
    assert header.split()[-1] not in caplog.text


def test_a_revoked_token_is_refused(users: Any, token_for: Any, organisation: Any) -> None:
    # Given a token that worked
    token = token_for(users["caseworker"])
    assert Api(token).get(PATH).status_code == 200
    # When its owner revokes it
    api_token_revoke(actor=users["caseworker"], token=ApiToken.objects.get())
    # Then it no longer works
    assert_unauthorised(Api(token).get(PATH))


def test_an_expired_token_is_refused(users: Any, token_for: Any, organisation: Any) -> None:
    token = token_for(users["caseworker"], lifetime_days=1)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_unauthorised(Api(token).get(PATH))


def test_a_deactivated_users_token_is_refused(
    users: Any, token_for: Any, organisation: Any
) -> None:
    from whistledesk.accounts.services import user_deactivate

    token = token_for(users["caseworker"])
    user_deactivate(actor=users["manager"], user=users["caseworker"])
    assert_unauthorised(Api(token).get(PATH))


def test_a_user_whose_roles_were_taken_away_is_forbidden(
    users: Any, token_for: Any, organisation: Any
) -> None:
    token = token_for(users["caseworker"])
    users["caseworker"].groups.clear()
    response = Api(token).get(PATH)
    assert response.status_code == 403
    assert response.json()["detail"] == "Your account has no role. Ask a manager to give you one."


def test_a_token_cannot_be_made_for_someone_without_a_role(users: Any) -> None:
    from whistledesk.core.exceptions import DomainError

    with pytest.raises(DomainError, match="with a role"):
        api_token_create(actor="test", user=users["nobody"], name="x")


def test_a_signed_in_browser_without_a_token_gets_nothing(
    client: Any, users: Any, organisation: Any
) -> None:
    # The session cookie is not a credential for the API (so no CSRF exposure either).
    client.force_login(users["manager"])
    assert_unauthorised(client.get("/api/v1/disclosures"))


def test_only_the_digest_is_stored(users: Any, token_for: Any) -> None:
    token = token_for(users["caseworker"])
    row = ApiToken.objects.get()
    assert token.startswith("wd_") and len(token) >= 43
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.values().get().values())
    assert token not in stored and token[3:] not in stored


def test_use_is_recorded_on_the_token(users: Any, token_for: Any, organisation: Any) -> None:
    token = token_for(users["caseworker"])
    assert ApiToken.objects.get().last_used_at is None
    Api(token).get(PATH)
    assert ApiToken.objects.get().last_used_at is not None


def test_creation_and_revocation_are_audited_without_the_token(users: Any) -> None:
    row, token = api_token_create(actor=users["auditor"], user=users["auditor"], name="stats")
    api_token_revoke(actor=users["auditor"], token=row)
    events = list(AuditEvent.objects.filter(object_type="api_token").order_by("seq"))
    assert [e.action for e in events] == ["api_token.created", "api_token.revoked"]
    assert all(e.actor_id == users["auditor"].pk for e in events)
    assert all(token not in str(e.details) for e in events)


def test_someone_else_cannot_make_or_revoke_my_tokens(users: Any) -> None:
    from whistledesk.core.exceptions import NotPermitted

    with pytest.raises(NotPermitted):
        api_token_create(actor=users["caseworker2"], user=users["caseworker"], name="x")
    row, _ = api_token_create(actor=users["caseworker"], user=users["caseworker"], name="x")
    with pytest.raises(NotPermitted):
        api_token_revoke(actor=users["caseworker2"], token=row)
    # A manager may revoke anyone's (for example a leaked one).
    api_token_revoke(actor=users["manager"], token=row)


def test_a_role_is_enough_whichever_it_is(
    make_staff: Any, token_for: Any, organisation: Any
) -> None:
    # An identity custodian holds a role but may not see the register: in, then refused.
    custodian = make_staff(username="cus", roles=[Role.CUSTODIAN])
    response = Api(token_for(custodian)).get(PATH)
    assert response.status_code == 403
    assert "see the register" in response.json()["detail"]
