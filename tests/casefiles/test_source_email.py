"""The whistleblower's notice address at rest (docs/adr/0011): a copy of the database (every
row, the raw SQLite files or a pg_dump) does not hold it in clear, no staff key opens it,
and a sealed address moved onto another case does not open."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.at_rest import database_bytes
from tests.casefiles.conftest import private_key_of
from tests.casefiles.test_no_cleartext import _all_values
from tests.intake.conftest import STAFF_PASSWORD, submit
from whistledesk.accounts.roles import Role
from whistledesk.casefiles import services
from whistledesk.casefiles.models import KeyGrant, SourceEmail
from whistledesk.casefiles.source_email import (
    SourceEmailUnavailable,
    source_email_open_for_sending,
    source_email_set,
)
from whistledesk.core import crypto
from whistledesk.notifications.models import OutboundEmail

ADDRESS = "otter.lantern@private-mail.example"


def _give_address(client: Client, organisation: Any) -> str:
    reference, receipt = submit(client, organisation)
    source = Client()
    source.post("/follow-up/", {"receipt": receipt})
    response = source.post("/follow-up/email/", {"address": ADDRESS, "understood": "on"})
    assert response["Location"] == "/follow-up/inbox/"
    return reference


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_does_not_hold_the_address(
    client: Client, organisation: Any, make_staff: Any
) -> None:
    # Given a whistleblower's address, and a staff message that queues their notice
    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=STAFF_PASSWORD)
    reference = _give_address(client, organisation)
    services.message_send_to_source(
        actor=officer,
        disclosure=SourceEmail.objects.get().disclosure,
        text="A question.",
        private_key=private_key_of(officer, STAFF_PASSWORD),
    )
    assert OutboundEmail.objects.filter(to="").count() == 1
    # Then no value of any row, nor the database's bytes, holds it (in any case)
    for needle in (ADDRESS, ADDRESS.upper(), "otter.lantern", "private-mail.example"):
        assert not any(needle.encode() in v for v in _all_values()), needle
        assert needle.lower().encode() not in database_bytes().lower(), needle
    assert reference.encode() in database_bytes()  # the dump is a real one


@pytest.mark.django_db
def test_no_staff_key_opens_it(client: Client, organisation: Any, make_staff: Any) -> None:
    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=STAFF_PASSWORD)
    _give_address(client, organisation)
    row = SourceEmail.objects.get()
    staff_key = private_key_of(officer, STAFF_PASSWORD)
    case_key = crypto.unseal(
        staff_key, bytes(KeyGrant.objects.get(user=officer, scope="case").sealed_key)
    )
    for key in (staff_key, case_key, crypto.conversation_key(case_key)):
        for sealed in (bytes(row.sealed_for_sending), bytes(row.sealed_for_source)):
            with pytest.raises(crypto.DecryptionFailed):
                crypto.unseal(key, sealed)
    # ...only the sending path does
    assert source_email_open_for_sending(row) == ADDRESS


@pytest.mark.django_db
def test_an_address_moved_onto_another_case_does_not_open(
    client: Client, organisation: Any
) -> None:
    _, receipt = submit(client, organisation)
    _, other_receipt = submit(Client(), organisation)
    source_email_set(source=services.source_authenticate(receipt=receipt), address=ADDRESS)
    source_email_set(
        source=services.source_authenticate(receipt=other_receipt), address="b@example.org"
    )
    first, second = SourceEmail.objects.order_by("pk")
    # An attacker who can write the database swaps the sealed addresses
    SourceEmail.objects.filter(pk=second.pk).update(sealed_for_sending=first.sealed_for_sending)
    second.refresh_from_db()
    with pytest.raises(SourceEmailUnavailable):
        source_email_open_for_sending(second)


@pytest.mark.django_db
def test_without_the_sending_key_it_does_not_open(
    client: Client, organisation: Any, settings: Any
) -> None:
    _, receipt = submit(client, organisation)
    source_email_set(source=services.source_authenticate(receipt=receipt), address=ADDRESS)
    # A web server given only the public half can seal, never open
    settings.WHISTLEDESK_SOURCE_EMAIL_PUBLIC_KEY = "f4V6c0VfmPmLSQ5z6RfKcD2xM7nHq9zGfLzcZ2cjTlA="
    settings.WHISTLEDESK_SOURCE_EMAIL_KEY = ""
    with pytest.raises(SourceEmailUnavailable):
        source_email_open_for_sending(SourceEmail.objects.get())


def test_an_unreadable_sending_key_is_reported_by_the_checks(settings: Any) -> None:
    from django.core.checks import run_checks

    settings.WHISTLEDESK_SOURCE_EMAIL_KEY = "not-a-key"
    ids = [m.id for m in run_checks()]
    assert "whistledesk.W010" in ids
    settings.WHISTLEDESK_SOURCE_EMAIL_KEY = "dGVzdC1vbmx5LXNvdXJjZS1lbWFpbC1rZXktMzJieXQ="
    assert "whistledesk.W010" not in [m.id for m in run_checks()]
