"""Issue 5's retention test: past annual reports are byte-identical before and after
destruction, and no destroyed content remains in the database file (or a dump)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.casefiles.test_no_cleartext import _raw_database_bytes
from tests.factories import DisclosureFactory
from whistledesk.accounts.roles import Role
from whistledesk.casefiles import services as casefiles
from whistledesk.casefiles.attachments import UploadedAttachment
from whistledesk.casefiles.models import (
    Attachment,
    KeyGrant,
    Message,
    SealedDocument,
    SourceAccount,
)
from whistledesk.cases.models import Channel, Disclosure, Status
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory
from whistledesk.reports.renderers import FORMATS, render_text
from whistledesk.reports.selectors import annual_report_get
from whistledesk.retention.models import RetentionPolicy, RetentionRecord

CANARY = "Canary sentence: Perpetua Fennimore moved the fire doors at Larkspur Lodge"
FILE_TEXT = b"Larkspur Lodge rota, canary attachment bytes"


def _render_every_report(organisation: Organisation) -> dict[tuple[int, str], str]:
    years = sorted(
        {organisation.year_of(d) for d in Disclosure.objects.values_list("received_on", flat=True)}
    )
    assert len(years) >= 3
    return {
        (year, fmt): render_text(annual_report_get(organisation=organisation, year=year), fmt)
        for year in years
        for fmt in FORMATS
    }


def _web_case(organisation: Organisation, received_on: dt.date, i: int) -> Disclosure:
    """A case from the secure web form, with sealed content and a file, then closed."""
    d = DisclosureFactory(
        organisation=organisation,
        received_on=received_on,
        channel=Channel.WEB,
        qualifying=bool(i % 2),
        anonymous=i == 0,
        service=ServiceCategory.objects.filter(organisation=organisation).first(),
        summary=f"Fire safety at Larkspur Lodge ({i})",
        setting_name="Larkspur Lodge",
    )
    receipt = casefiles.casefile_create(
        actor="public",
        disclosure=d,
        documents={
            "identity": f"{CANARY} {i}",
            "contact": "perpetua@example.org",
            "narrative": CANARY,
        },
        attachments=[UploadedAttachment("rota.txt", FILE_TEXT)],
    )
    source = casefiles.source_authenticate(receipt=receipt or "")
    casefiles.message_from_source(source=source, text=CANARY)
    outcome = Outcome.objects.filter(organisation=organisation).first()
    Disclosure.objects.filter(pk=d.pk).update(
        status=Status.CLOSED,
        outcome=outcome,
        closed_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(15))),
    )
    return d


def _as_stored(blob: bytes) -> bytes:
    """How a binary value appears in the raw bytes searched: as is in the SQLite file, in
    hex in a pg_dump (bytea's text form)."""
    from django.db import connection

    return blob if connection.vendor == "sqlite" else blob.hex().encode()


def _stored_secrets() -> list[bytes]:
    """Every stored ciphertext and key blob of the case files, as the database holds them."""
    blobs: list[bytes] = []
    for model, fields in (
        (SealedDocument, ["ciphertext"]),
        (Message, ["ciphertext"]),
        (Attachment, ["ciphertext", "meta_ciphertext"]),
        (KeyGrant, ["sealed_key"]),
        (SourceAccount, ["encrypted_private_key", "public_key"]),
    ):
        for row in model.objects.values_list(*fields):
            blobs += [_as_stored(bytes(v)) for v in row]
    return blobs


@pytest.mark.django_db(transaction=True)
def test_past_reports_are_byte_identical_and_no_content_remains(make_staff: Any) -> None:
    # Given the demo register and web cases with sealed content, closed years ago
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("create_recovery_key", stdout=io.StringIO())
    make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    organisation = Organisation.objects.get()
    web = [
        _web_case(organisation, dt.date(2019, 6, 3) + dt.timedelta(days=40 * i), i)
        for i in range(4)
    ]
    RetentionPolicy.objects.create(organisation=organisation, outcome=None, keep_years=6)
    secrets = _stored_secrets()
    assert len(secrets) > 20
    raw = _raw_database_bytes()
    assert all(s in raw for s in secrets)  # the search sees them before destruction
    before = _render_every_report(organisation)

    # When retention runs as of a date when every case is past its period
    out = io.StringIO()
    call_command("apply_retention", "--today", "2031-01-01", stdout=out, stderr=io.StringIO())
    destroyed = RetentionRecord.objects.count()
    assert destroyed == Disclosure.objects.count() == 26 + 17 + len(web)

    # Then every past report, in every format, is byte-for-byte the same
    after = _render_every_report(organisation)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key
    # And none of the destroyed content is left in the database file (or a dump)
    raw = _raw_database_bytes()
    assert web[0].reference.encode() in raw  # the register row is still there
    for secret in secrets:
        assert secret not in raw
    for text in (CANARY.encode(), b"Larkspur", FILE_TEXT, b"perpetua@example.org"):
        assert text not in raw


def test_sqlite_connections_zero_what_they_delete(db: Any) -> None:
    # Some SQLite builds (Debian's) zero deleted content by default, others do not: the
    # setting makes it so everywhere.
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
