"""A stolen database reveals nothing a whistleblower typed.

Canary values (a name, an email address and a sentence) go in through the public form
and the follow-up inbox; then the raw SQLite files (database and write-ahead log) or a
PostgreSQL dump are searched for them, byte for byte.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

import pytest
from django.db import connection
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


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite file test"
)
def test_sqlite_files_hold_no_canary(organisation: Any, _role_groups: None) -> None:
    reference, needles = _fill(organisation)
    raw = database_bytes()  # the file and its WAL
    assert reference in raw  # the search works: the clear register column is found
    assert b"Thistlewood House" not in raw  # the setting's name is sealed too
    for needle in needles:
        assert needle not in raw


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only"
)
def test_postgresql_dump_holds_no_canary(organisation: Any, _role_groups: None) -> None:
    reference, needles = _fill(organisation)
    s = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--host",
            s.get("HOST") or "127.0.0.1",
            "--port",
            str(s.get("PORT") or 5432),
            "--username",
            s.get("USER") or "postgres",
            "--no-password",
            s["NAME"],
        ],
        capture_output=True,
        check=True,
        timeout=120,
        env={**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""},
    ).stdout
    assert reference in dump  # the search works: the clear register column is found
    for needle in needles:
        assert needle not in dump
    # bytea columns are dumped as hex: search that form too
    for needle in needles[:5]:
        assert needle.hex().encode() not in dump
