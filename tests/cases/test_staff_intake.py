"""Staff intake by letter, email, helpline and tribunal claim: same register, sealed content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import KeyGrant
from whistledesk.casefiles.services import casefile_open
from whistledesk.cases.models import Channel, Disclosure
from whistledesk.cases.staff_intake import MalformedEmail, parse_eml
from whistledesk.core import crypto

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "emails"
PASSWORD = "a-long-staff-password"
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def _open(user: Any, disclosure: Any) -> Any:
    key = crypto.unwrap_private_key(
        bytes(user.encrypted_private_key), PASSWORD, bytes(user.key_salt)
    )
    return casefile_open(actor=user, disclosure=disclosure, private_key=key)


@pytest.fixture
def officer(client: Any, organisation: Any, users: Any) -> Any:
    # The organisation first, so the staff are made as its members (ADR 0017).
    client.force_login(users["intake_officer"])
    return users["intake_officer"]


def _nothing_stored() -> None:
    assert Disclosure.objects.count() == 0
    assert KeyGrant.objects.count() == 0
    assert not AuditEvent.objects.filter(action="disclosure.recorded").exists()


def test_parse_a_real_mail_clients_eml() -> None:
    parsed = parse_eml((DATA / "thunderbird.eml").read_bytes())
    assert parsed.sender == "Zoë Brontësson <zoe.brontesson@example.org>"
    assert parsed.subject == "Concerns about night staffing – Rosé House"
    assert parsed.sent_at == dt.datetime(2023, 3, 14, 9, 41, 27, tzinfo=dt.UTC)
    assert "only one\nmember of staff" in parsed.body
    assert [a.filename for a in parsed.attachments] == ["rota semaine 12 – Rosé.pdf", "notes.txt"]
    assert parsed.attachments[0].data.startswith(b"%PDF-1.4")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ((DATA / "broken_multipart.eml").read_bytes(), "structure is broken"),
        (b"", "empty"),
        (b"Just some words that somebody pasted, not an email.\n", "no sender"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "no sender"),
        (b"From: a@example.org\nSubject: nothing\n\n", "no text and no attachments"),
    ],
)
def test_malformed_emails_are_refused_with_a_reason(data: bytes, why: str) -> None:
    with pytest.raises(MalformedEmail, match=why):
        parse_eml(data)


def test_email_upload_is_registered_and_sealed(client: Any, officer: Any) -> None:
    upload = SimpleUploadedFile(
        "message.eml", (DATA / "thunderbird.eml").read_bytes(), "message/rfc822"
    )
    r = client.post(
        "/staff/record/email/",
        {
            "eml": upload,
            "summary": "Night staffing at a children's home",
            "setting_name": "Rosé House",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    d = Disclosure.objects.get()
    assert r["Location"] == f"/staff/cases/{d.reference}/"
    assert d.channel == Channel.EMAIL
    # The email's own date, not today's.
    assert d.received_on == dt.date(2023, 3, 14)
    assert d.setting_key == "rose house"
    opened = _open(officer, d)
    assert opened.documents["identity"] == "Zoë Brontësson <zoe.brontesson@example.org>"
    assert "Subject: Concerns about night staffing – Rosé House" in opened.documents["email"]
    assert "six children" in opened.documents["email"]
    assert sorted(a.filename for a in opened.attachments) == [
        "notes.txt",
        "rota semaine 12 – Rosé.pdf",
    ]
    # Nothing about the sender reaches a clear column of the register.
    row = Disclosure.objects.filter(pk=d.pk).values().get()
    assert not any("Brontësson" in str(v) or "zoe." in str(v) for v in row.values())


def test_pasted_email_is_accepted(client: Any, officer: Any) -> None:
    raw = (DATA / "thunderbird.eml").read_text(encoding="utf-8")
    r = client.post("/staff/record/email/", {"pasted": raw})
    assert r.status_code == 302
    assert Disclosure.objects.get().channel == Channel.EMAIL


def test_malformed_eml_is_refused_and_nothing_stored(client: Any, officer: Any) -> None:
    upload = SimpleUploadedFile(
        "broken.eml", (DATA / "broken_multipart.eml").read_bytes(), "message/rfc822"
    )
    r = client.post("/staff/record/email/", {"eml": upload, "received_on": "2023-03-14"})
    assert r.status_code == 200
    assert "This is not an email we can read (its structure is broken)" in r.content.decode()
    _nothing_stored()


def test_email_with_a_refused_attachment_stores_nothing(client: Any, officer: Any) -> None:
    raw = (
        b"From: a@example.org\r\nDate: Tue, 14 Mar 2023 09:41:27 +0000\r\nSubject: x\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="run.exe"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAA=\r\n--b--\r\n"
    )
    r = client.post("/staff/record/email/", {"pasted": raw.decode()})
    assert r.status_code == 200
    assert "not a type we accept" in r.content.decode()
    _nothing_stored()


def test_helpline_call_records_the_anonymity_discussion(client: Any, officer: Any) -> None:
    r = client.post(
        "/staff/record/helpline/",
        {
            "received_on": dt.date.today().isoformat(),
            "anonymous": "on",
            "call_notes": "Caller says agency staff are not DBS checked.",
        },
    )
    assert r.status_code == 200
    assert "Enter what was discussed about anonymity and confidentiality" in r.content.decode()
    _nothing_stored()
    r = client.post(
        "/staff/record/helpline/",
        {
            "received_on": dt.date.today().isoformat(),
            "anonymous": "on",
            "call_notes": "Caller says agency staff are not DBS checked.",
            "anonymity_discussion": (
                "Explained we will not share their name; they wish to stay anonymous."
            ),
        },
    )
    assert r.status_code == 302
    d = Disclosure.objects.get()
    assert d.channel == Channel.HELPLINE and d.anonymous
    notes = _open(officer, d).documents["call_notes"]
    assert "not DBS checked" in notes
    assert "Anonymity and confidentiality discussed:\nExplained" in notes


def test_tribunal_claim_needs_consent_and_the_et1(client: Any, officer: Any) -> None:
    base = {"received_on": dt.date.today().isoformat(), "claim_reference": "6001234/2023"}
    r = client.post("/staff/record/tribunal/", base)
    html = r.content.decode()
    assert "Only claims the claimant asked to forward can be recorded." in html
    _nothing_stored()
    et1 = SimpleUploadedFile("ET1.pdf", PDF, "application/pdf")
    r = client.post(
        "/staff/record/tribunal/",
        {**base, "consent_to_forwarding": "on", "claimant_name": "A Claimant", "et1": et1},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    d = Disclosure.objects.get()
    assert d.channel == Channel.TRIBUNAL
    opened = _open(officer, d)
    assert "6001234/2023" in opened.documents["other"]
    assert [a.content_type for a in opened.attachments] == ["application/pdf"]
    # The claim reference could identify the claimant: it is not in any clear column.
    row = Disclosure.objects.filter(pk=d.pk).values().get()
    assert not any("6001234" in str(v) for v in row.values())


def test_letter_with_a_scan(client: Any, officer: Any) -> None:
    scan = SimpleUploadedFile("letter.pdf", PDF, "application/pdf")
    r = client.post(
        "/staff/record/letter/",
        {"received_on": "2023-01-05", "sender_name": "Pat Writer", "scans": [scan]},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    d = Disclosure.objects.get()
    assert d.channel == Channel.LETTER and d.received_on == dt.date(2023, 1, 5)
    assert len(_open(officer, d).attachments) == 1


def test_letter_needs_text_or_a_scan(client: Any, officer: Any) -> None:
    r = client.post("/staff/record/letter/", {"received_on": "2023-01-05"})
    assert "Attach the scanned letter or type what it says." in r.content.decode()
    _nothing_stored()


@pytest.mark.parametrize("role", ["auditor", "safeguarding_lead", "nobody"])
def test_roles_without_intake_cannot_record(client: Any, users: Any, role: str) -> None:
    client.force_login(users[role])
    r = client.post("/staff/record/helpline/", {"call_notes": "x", "anonymity_discussion": "y"})
    assert r.status_code == 403
    assert "record disclosures" in r.content.decode() or "role" in r.content.decode()
    _nothing_stored()
