"""A stolen database reveals no identity, narrative, message, file name or receipt."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from tests.at_rest import database_bytes
from tests.casefiles.conftest import private_key_of
from tests.casefiles.test_attachments import jpeg_with_gps
from whistledesk.casefiles import services
from whistledesk.casefiles.attachments import UploadedAttachment

CANARIES = {
    "identity": "Zebedee Quillfeather",
    "contact": "zebedee.quill@example.org",
    "narrative": "The quokka sanctuary hid the incident ledger",
}
REPLY = "Thank you, Quillfeather-reply-canary"
ANSWER = "Answer-canary: the ledger is in the vault"
FILENAME = "Quillfeather-evidence.jpg"


def _all_values() -> list[bytes]:
    """Every value of every column of every table, as bytes."""
    values: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        values.append(bytes(value))
                    elif isinstance(value, bytes):
                        values.append(value)
                    elif value is not None:
                        values.append(str(value).encode())
    return values


def _fill(disclosure: Any, officer: Any) -> str:
    receipt = services.casefile_create(
        actor="public",
        disclosure=disclosure,
        documents=CANARIES,
        attachments=[UploadedAttachment(FILENAME, jpeg_with_gps())],
    )
    assert receipt
    services.message_send_to_source(
        actor=officer, disclosure=disclosure, text=REPLY, private_key=private_key_of(officer)
    )
    source = services.source_authenticate(receipt=receipt)
    services.message_from_source(source=source, text=ANSWER)
    services.message_list_for_source(source=source)
    return receipt


def _secrets(receipt: str) -> list[bytes]:
    texts = [*CANARIES.values(), REPLY, ANSWER, FILENAME, "Quillfeather", "quokka"]
    texts += [receipt, receipt.replace(" ", "-"), receipt.replace(" ", "")]
    return [t.encode() for t in texts] + [t.lower().encode() for t in texts]


def test_no_column_of_any_table_holds_content_or_the_receipt(
    disclosure: Any, intake_officer: Any, recovery_private_key: bytes
) -> None:
    # Given a disclosure with identity, narrative, a file and messages both ways
    receipt = _fill(disclosure, intake_officer)
    # When every column of every table is read back
    values = _all_values()
    assert any(disclosure.reference.encode() in v for v in values)  # the scan sees clear text
    # Then none of it appears in clear
    for secret in _secrets(receipt):
        assert not any(secret in v for v in values), secret


def _raw_database_bytes() -> bytes:
    return database_bytes()


@pytest.mark.django_db(transaction=True)
def test_database_file_or_dump_holds_no_content_or_receipt(
    organisation: Any, make_staff: Any
) -> None:
    from tests.factories import DisclosureFactory
    from whistledesk.accounts.roles import Role

    # Given a committed disclosure with content, a file and messages both ways
    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    disclosure = DisclosureFactory(organisation=organisation)
    receipt = _fill(disclosure, officer)
    # When the raw database file (SQLite) or a dump (PostgreSQL) is searched
    raw = _raw_database_bytes()
    # Then the search can see clear columns (the register's reference is there)
    assert disclosure.reference.encode() in raw
    # But finds no content and no receipt
    for secret in _secrets(receipt):
        assert secret not in raw, secret
