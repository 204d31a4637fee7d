"""API fixtures: staff per role, tokens, and a client that sends one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.cases import conftest as casework
from whistledesk.accounts.roles import Role
from whistledesk.api.services import api_token_create

new_case = casework.new_case
walk = casework.walk
referral_directory = casework.referral_directory


@pytest.fixture
def users(organisation: Any, make_staff: Any) -> dict[str, Any]:
    """One member of staff per role (as the casework tests), made inside the organisation:
    a token works only where its owner's account belongs (ADR 0017)."""
    out = {role.value: make_staff(username=role.value, roles=[role]) for role in Role}
    out["caseworker2"] = make_staff(username="caseworker2", roles=[Role.CASEWORKER])
    out["nobody"] = make_staff(username="nobody", roles=[])
    return out


@pytest.fixture
def token_for(db: Any) -> Any:
    def make(user: Any, **kwargs: Any) -> str:
        _, token = api_token_create(
            actor=user, user=user, name=kwargs.pop("name", "test"), **kwargs
        )
        return token

    return make


class Api:
    """A test client that authenticates with a bearer token and decodes JSON."""

    def __init__(self, token: str | None) -> None:
        # enforce_csrf_checks: token requests must not need a CSRF token.
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def api_as(token_for: Any, users: dict[str, Any]) -> Any:
    """api_as("manager") -> an Api client holding a token of that role's user."""

    def make(who: str | Any) -> Api:
        user = users[who] if isinstance(who, str) else who
        if user.groups.exists():
            return Api(token_for(user))
        # No token is issued to an account without a role: give it one while the token is
        # made, as if the role had been taken away afterwards.
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name="auditor"))
        user._role_cache = None
        token = token_for(user)
        user.groups.clear()
        user._role_cache = None
        return Api(token)

    return make


@pytest.fixture
def anonymous_api() -> Api:
    return Api(None)
