"""A stolen database reveals nothing a whistleblower typed.

Canary values (a name, an email address and a sentence) go in through the public form
and the follow-up inbox; then the raw SQLite files (database and write-ahead log) or a
PostgreSQL dump are searched for them, byte for byte.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.at_rest import database_bytes
from tests.intake.conftest import CANARY_EMAIL, CANARY_NAME, CANARY_SENTENCE, submit

pytestmark = pytest.mark.django_db(transaction=True)

CANARY_REPLY = "Octarine lanterns hang in the Thistlewood stairwell."


@pytest.fixture
def _role_groups(transactional_db: Any) -> None:
    from django.contrib.auth.models import Group

    from whistledesk.accounts.roles import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def _fill(organisation: Any) -> tuple[bytes, list[bytes]]:
    # Given a confidential disclosure with a name, email and narrative, and a reply
    reference, receipt = submit(Client(), organisation, identity="confidential")
    source = Client()
    source.post("/follow-up/", {"receipt": receipt})
    assert source.post("/follow-up/inbox/", {"text": CANARY_REPLY}).status_code == 302
    canaries = [CANARY_NAME, CANARY_EMAIL, CANARY_SENTENCE, CANARY_REPLY, receipt]
    # The same values in the encodings a dump could hold them in
    encoded = [c.encode("utf-8") for c in canaries] + [c.encode("utf-16-le") for c in canaries]
    return reference.encode(), encoded


def test_stored_database_holds_no_canary(organisation: Any, _role_groups: None) -> None:
    # The SQLite file and its WAL, or a pg_dump (which writes bytea columns as hex)
    reference, needles = _fill(organisation)
    raw = database_bytes()
    assert reference in raw  # the search works: the clear register column is found
    # The setting's name is a clear, searchable register column on purpose (ADR 0002,
    # issue 8): the narrative that mentions it stays sealed (CANARY_SENTENCE below).
    assert b"Thistlewood House" in raw
    for needle in needles:
        assert needle not in raw
    for needle in needles[:5]:
        assert needle.hex().encode() not in raw
