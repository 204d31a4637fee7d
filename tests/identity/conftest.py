"""Fixtures for identity access: custodians, a handler with the case key, a sealed case."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casefiles.conftest import (  # noqa: F401 - pytest fixtures, registered by import
    PASSWORD,
    disclosure,
    private_key_of,
    recovery_private_key,
)
from whistledesk.accounts.roles import Role

NAME = "Ottoline Canaryweather"
IDENTITY = '{"choice": "confidential", "name": "Ottoline Canaryweather"}'
CONTACT = '{"email": "ottoline@example.org", "phone": "", "preferred": "Email"}'
NARRATIVE = "The night staff leave the children alone after ten."


@pytest.fixture
def custodian(make_staff: Any) -> Any:
    return make_staff("cora", roles=[Role.CUSTODIAN])


@pytest.fixture
def custodian2(make_staff: Any) -> Any:
    return make_staff("cuthbert", roles=[Role.CUSTODIAN])


@pytest.fixture
def manager(make_staff: Any) -> Any:
    return make_staff("mona", roles=[Role.MANAGER])


@pytest.fixture
def handler(make_staff: Any) -> Any:
    return make_staff("hal", roles=[Role.CASEWORKER])


@pytest.fixture
def case(
    disclosure: Any,  # noqa: F811
    recovery_private_key: bytes,  # noqa: F811
    custodian: Any,
    custodian2: Any,
    manager: Any,
    handler: Any,
) -> Any:
    """A web disclosure with identity and contact, assigned to `handler` (case key only)."""
    from whistledesk.casefiles.services import casefile_create, casefile_grant

    casefile_create(
        actor="public",
        disclosure=disclosure,
        documents={"narrative": NARRATIVE, "identity": IDENTITY, "contact": CONTACT},
    )
    casefile_grant(
        actor=manager, disclosure=disclosure, user=handler, private_key=private_key_of(manager)
    )
    disclosure.handler = handler
    disclosure.save(update_fields=["handler"])
    return disclosure
