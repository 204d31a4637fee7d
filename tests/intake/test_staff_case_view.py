"""The staff case file page: decrypts, acknowledges, shows due dates, downloads, replies."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.intake.conftest import CANARY_NAME, CANARY_SENTENCE, submit, walk
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Disclosure, Status

pytestmark = pytest.mark.django_db


def test_case_page_shows_decrypted_answers_and_due_dates(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    reference, _ = submit(client, organisation, identity="confidential", risk="yes")
    page = officer_client.get(f"/staff/cases/{reference}/").content.decode()
    assert CANARY_SENTENCE in page
    # Identity is sealed to custodians only (issue 5 item 2): the officer asks for it.
    assert CANARY_NAME not in page
    assert "Identity hidden" in page
    assert "Thistlewood House" in page
    assert "Urgent" in page
    received = Disclosure.objects.get().received_on
    due = received + dt.timedelta(days=7)
    assert f'id="ack-due">{due.day} {due:%B %Y}' in page
    assert 'id="feedback-due"' in page


def test_opening_acknowledges_once_and_is_audited(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    reference, _ = submit(client, organisation)
    officer_client.get(f"/staff/cases/{reference}/")
    officer_client.get(f"/staff/cases/{reference}/")
    d = Disclosure.objects.get()
    assert d.status == Status.ACKNOWLEDGED
    assert AuditEvent.objects.filter(action="disclosure.acknowledged").count() == 1
    assert AuditEvent.objects.filter(action="casefile.read").count() == 2


def test_register_leads_to_the_case_file(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    reference, _ = submit(client, organisation)
    page = officer_client.get("/staff/").content.decode()
    # The register links to the casework page, which links to the sealed case file
    link = re.search(rf'href="([^"]+)">{reference}<', page)
    assert link
    casework = officer_client.get(link.group(1)).content.decode()
    assert f'href="/staff/cases/{reference}/"' in casework


def test_file_download_is_audited_and_an_attachment(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    walk(client, organisation)
    client.post(
        "/report/files/",
        {"action": "upload", "file": SimpleUploadedFile("note.txt", b"night rota")},
    )
    client.post("/report/files/", {"action": "continue"})
    client.post("/report/check/", {})
    d = Disclosure.objects.get()
    page = officer_client.get(f"/staff/cases/{d.reference}/").content.decode()
    assert "note.txt" in page
    from whistledesk.casefiles.models import Attachment

    a = Attachment.objects.get()
    response = officer_client.get(f"/staff/cases/{d.reference}/files/{a.pk}/")
    assert response.content == b"night rota"
    assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action="casefile.attachment_read").exists()


def test_signed_in_without_unlocked_key_is_asked_to_sign_in_again(
    client: Any, organisation: Any, officer: Any
) -> None:
    from django.test import Client

    reference, _ = submit(client, organisation)
    staff = Client()
    staff.force_login(officer)  # a session with no unlocked key
    response = staff.get(f"/staff/cases/{reference}/")
    assert response.status_code == 403
    assert "Sign in again" in response.content.decode()
    assert Disclosure.objects.get().status == Status.RECEIVED  # not acknowledged


def test_staff_without_a_key_to_the_case_are_told(
    client: Any, organisation: Any, make_staff: Any
) -> None:
    from django.test import Client

    from whistledesk.accounts.roles import Role

    reference, _ = submit(client, organisation)
    make_staff("carl", roles=[Role.CASEWORKER], password="another-long-password")
    staff = Client()
    staff.post("/staff/account/sign-in/", {"username": "carl", "password": "another-long-password"})
    response = staff.get(f"/staff/cases/{reference}/")
    assert response.status_code == 403
    assert "You do not have a key to this case file" in response.content.decode()
    assert CANARY_SENTENCE not in response.content.decode()


def test_public_cannot_see_case_pages(client: Any, organisation: Any) -> None:
    reference, _ = submit(client, organisation)
    response = client.get(f"/staff/cases/{reference}/")
    assert response.status_code == 302
    assert "/staff/account/sign-in/" in response["Location"]
