"""Fixtures for case files: a disclosure, staff with keys, a recovery key and its secret."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command

from whistledesk.accounts.roles import Role
from whistledesk.core import crypto

PASSWORD = "a-long-staff-password"


@pytest.fixture
def disclosure(organisation: Any) -> Any:
    from tests.factories import DisclosureFactory

    return DisclosureFactory(organisation=organisation)


@pytest.fixture
def recovery_private_key(organisation: Any) -> bytes:
    """Runs `create_recovery_key` (for the only organisation) and returns the private key
    it printed."""
    from whistledesk.casefiles.management.commands.create_recovery_key import (
        decode_private_key,
    )

    out = io.StringIO()
    call_command("create_recovery_key", stdout=out)
    match = re.search(r"Recovery key: (\S+)", out.getvalue())
    assert match
    return decode_private_key(match.group(1))


@pytest.fixture
def intake_officer(make_staff: Any) -> Any:
    return make_staff("ivy", roles=[Role.INTAKE_OFFICER])


@pytest.fixture
def caseworker(make_staff: Any) -> Any:
    return make_staff("carl", roles=[Role.CASEWORKER])


def private_key_of(user: Any, password: str = PASSWORD) -> bytes:
    return crypto.unwrap_private_key(
        bytes(user.encrypted_private_key), password, bytes(user.key_salt)
    )
