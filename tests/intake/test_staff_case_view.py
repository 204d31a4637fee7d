"""The staff case file page: decrypts, shows due dates, downloads, replies; acknowledging is
a button on the case page, never a side effect of opening a page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.intake.conftest import CANARY_NAME, CANARY_SENTENCE, submit, walk
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Disclosure, Status

pytestmark = pytest.mark.django_db


def test_case_page_shows_decrypted_answers_and_due_dates(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    reference, _ = submit(client, organisation, identity="confidential", risk="yes")
    page = officer_client.get(f"/staff/cases/{reference}/content/").content.decode()
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


def test_opening_acknowledges_nothing_and_the_button_acknowledges_once(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    reference, receipt = submit(client, organisation)
    # Given the case file is opened twice (a GET, by a person or a link checker)
    officer_client.get(f"/staff/cases/{reference}/content/")
    officer_client.get(f"/staff/cases/{reference}/content/")
    # Then nothing changed: still received, no acknowledgement, both reads audited
    d = Disclosure.objects.get()
    assert d.status == Status.RECEIVED and d.acknowledged_at is None
    assert not AuditEvent.objects.filter(action="disclosure.status_changed").exists()
    assert AuditEvent.objects.filter(action="casefile.read").count() == 2
    # The case page offers the button; pressing it is the workflow move, with its history
    page = officer_client.get(f"/staff/cases/{reference}/").content.decode()
    assert f'action="/staff/cases/{reference}/move/acknowledged/"' in page
    assert officer_client.post(f"/staff/cases/{reference}/move/acknowledged/").status_code == 302
    d.refresh_from_db()
    assert d.status == Status.ACKNOWLEDGED and d.acknowledged_at is not None
    assert d.status_changes.get().to_status == Status.ACKNOWLEDGED
    assert AuditEvent.objects.filter(action="disclosure.status_changed").count() == 1
    # And the acknowledgement is in the whistleblower's inbox
    source = Client()
    source.post("/follow-up/", {"receipt": receipt})
    assert f"We have received your disclosure {reference}" in (
        source.get("/follow-up/inbox/").content.decode()
    )
    # A second press is refused: the case is no longer "received"
    again = officer_client.post(f"/staff/cases/{reference}/move/acknowledged/")
    assert again.status_code == 200 and "cannot be moved" in again.content.decode()
    assert AuditEvent.objects.filter(action="disclosure.status_changed").count() == 1


def test_register_leads_to_the_case_file(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    reference, _ = submit(client, organisation)
    page = officer_client.get("/staff/").content.decode()
    # The register links to the case page, which links to the sealed case file, which
    # links back to the case
    link = re.search(rf'href="([^"]+)">{reference}<', page)
    assert link and link.group(1) == f"/staff/cases/{reference}/"
    casework = officer_client.get(link.group(1)).content.decode()
    assert f'href="/staff/cases/{reference}/content/"' in casework
    casefile = officer_client.get(f"/staff/cases/{reference}/content/").content.decode()
    assert f'href="/staff/cases/{reference}/" class="govuk-back-link"' in casefile


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
    page = officer_client.get(f"/staff/cases/{d.reference}/content/").content.decode()
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
    response = staff.get(f"/staff/cases/{reference}/content/")
    assert response.status_code == 403
    assert "Sign in again" in response.content.decode()
    assert Disclosure.objects.get().status == Status.RECEIVED  # not acknowledged


def test_staff_without_a_key_to_the_case_are_told(
    client: Any, organisation: Any, make_staff: Any
) -> None:
    from django.test import Client

    from whistledesk.accounts.roles import Role

    reference, _ = submit(client, organisation)
    # A manager appointed after the case arrived: allowed to read it, but holds no key yet
    make_staff("carl", roles=[Role.MANAGER], password="another-long-password")
    staff = Client()
    staff.post("/staff/account/sign-in/", {"username": "carl", "password": "another-long-password"})
    response = staff.get(f"/staff/cases/{reference}/content/")
    assert response.status_code == 403
    assert "You do not have a key to this case file" in response.content.decode()
    assert CANARY_SENTENCE not in response.content.decode()


def test_public_cannot_see_case_pages(client: Any, organisation: Any) -> None:
    reference, _ = submit(client, organisation)
    response = client.get(f"/staff/cases/{reference}/content/")
    assert response.status_code == 302
    assert "/staff/account/sign-in/" in response["Location"]


def test_an_email_case_file_shows_the_email_not_an_empty_what_happened(
    organisation: Any, officer: Any, officer_client: Any
) -> None:
    from django.db import transaction

    from tests.factories import DisclosureFactory
    from whistledesk.casefiles.services import casefile_create

    # Given a disclosure recorded from an email: its text is the email, no narrative
    d = DisclosureFactory(organisation=organisation, channel="email")
    with transaction.atomic():
        casefile_create(
            actor=officer,
            disclosure=d,
            documents={"email": "From: a nurse\n\nThe night rota leaves ward 7 alone."},
            with_source=False,
        )
    page = officer_client.get(f"/staff/cases/{d.reference}/content/").content.decode()
    # Then the page shows the email under its own heading, and no empty "What happened"
    assert "What happened" not in page
    assert 'id="narrative"' not in page
    assert "Email (" in page and "The night rota leaves ward 7 alone." in page
