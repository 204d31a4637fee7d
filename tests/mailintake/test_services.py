"""Emails in a real IMAP mailbox (dovecot on loopback, over TLS) become sealed email intakes.

Each test files messages into the mailbox with IMAP APPEND, polls it as the worker does
(`mailbox_poll`), and reads the result as an intake officer would: the register row and the
case file opened with their key. Promises (mailintake.services): every email makes an
intake, even a malformed or an over-limit one; a file that does not clean is listed as
refused; the email leaves the inbox only after its intake is committed; a connection
dropped mid-fetch or before the move loses nothing and duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from tests.casefiles.conftest import private_key_of
from tests.mailintake.conftest import CuttingProxy, ImapServer
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import SealedDocument
from whistledesk.casefiles.services import attachment_open, casefile_open
from whistledesk.cases.models import Disclosure, Status
from whistledesk.mailintake.imap import MailboxUnavailable
from whistledesk.mailintake.models import MailboxMessage
from whistledesk.mailintake.services import mailbox_poll

pytestmark = pytest.mark.django_db

EMAILS = Path(__file__).resolve().parents[1] / "cases" / "emails"
DONE = "Whistledesk-done"

PLAIN = (
    b"From: Rowan Ashdown <rowan.ashdown@example.org>\r\n"
    b"To: disclosures@office.example\r\n"
    b"Subject: Night staffing at Larkspur House\r\n"
    b"Date: Mon, 30 Nov 2026 09:15:00 +0000\r\n"
    b"Message-ID: <plain-1@example.org>\r\n"
    b"\r\n"
    b"Only one member of staff was on shift for eleven children last night.\r\n"
)

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def _with_files() -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Rowan Ashdown <rowan.ashdown@example.org>"
    msg["Subject"] = "Rota attached"
    msg["Message-ID"] = "<files-1@example.org>"
    msg.set_content("The rota is attached, and a program I was sent.")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="rota.pdf")
    msg.add_attachment(
        b"MZ\x90\x00\x03" + b"\x00" * 200,
        maintype="application",
        subtype="octet-stream",
        filename="tool.exe",
    )
    return msg.as_bytes()


@pytest.fixture
def officer(make_staff: Any, organisation: Any) -> Any:
    return make_staff("ivy", roles=[Role.INTAKE_OFFICER])


def _opened(officer: Any, disclosure: Disclosure) -> Any:
    return casefile_open(actor=officer, disclosure=disclosure, private_key=private_key_of(officer))


def test_a_plain_email_becomes_a_sealed_intake_and_leaves_the_inbox(
    imap_server: ImapServer, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Given an email in the office's mailbox
    imap_server.deliver(PLAIN)
    # When the mailbox is polled
    with django_capture_on_commit_callbacks(execute=True):
        result = mailbox_poll(config=imap_server.config())
    # Then it is in the register as an email awaiting an intake officer, received today
    disclosure = Disclosure.objects.get()
    assert result.taken == [disclosure.reference]
    assert disclosure.channel == "email"
    assert disclosure.status == Status.RECEIVED
    assert disclosure.received_on == timezone.localdate()
    # ...with nothing of the email in clear on the register
    assert disclosure.summary == ""
    assert disclosure.setting_name == ""
    # ...its text sealed in the case file the officer can open
    opened = _opened(officer, disclosure)
    assert opened.documents["email"] == (
        "Date: 2026-11-30T09:15:00+00:00\n"
        "Subject: Night staffing at Larkspur House\n\n"
        "Only one member of staff was on shift for eleven children last night.\n"
    )
    # ...and its sender and headers sealed to the identity key, hidden from the officer
    # like a web disclosure's identity (ADR 0004)
    assert opened.identity_hidden
    assert {(d.kind, d.scope) for d in SealedDocument.objects.filter(disclosure=disclosure)} == {
        ("email", "case"),
        ("identity", "identity"),
        ("contact", "identity"),
    }
    # ...the email moved to the done folder, and the stored digest is not the Message-ID
    assert imap_server.count("INBOX") == 0
    assert imap_server.count(DONE) == 1
    row = MailboxMessage.objects.get()
    assert row.disclosure == disclosure
    assert "plain-1" not in row.digest
    # ...one audit event for the intake, with no content
    event = AuditEvent.objects.get(action="mailintake.received")
    assert event.actor_label == "mailbox"
    assert event.details == {"outcome": "taken", "attachments": 0, "attachments_refused": 0}
    # ...and intake officers' new-disclosure alert was queued
    from django_tasks_db.models import DBTaskResult

    assert list(DBTaskResult.objects.values_list("task_path", "args_kwargs")) == [
        (
            "whistledesk.notifications.tasks.disclosure_received",
            {"args": [disclosure.pk], "kwargs": {}},
        )
    ]


def test_a_second_poll_takes_nothing_twice(imap_server: ImapServer, officer: Any) -> None:
    imap_server.deliver(PLAIN)
    mailbox_poll(config=imap_server.config())
    again = mailbox_poll(config=imap_server.config())
    assert again.taken == []
    assert Disclosure.objects.count() == 1


def test_files_that_clean_are_sealed_and_a_refused_one_is_recorded_with_why(
    imap_server: ImapServer, officer: Any
) -> None:
    imap_server.deliver(_with_files())
    mailbox_poll(config=imap_server.config())
    disclosure = Disclosure.objects.get()
    opened = _opened(officer, disclosure)
    # The PDF was cleaned like any upload and sealed
    assert [(a.filename, a.content_type) for a in opened.attachments] == [
        ("rota.pdf", "application/pdf")
    ]
    name, _, data = attachment_open(
        actor=officer, attachment=_attachment(opened), private_key=private_key_of(officer)
    )
    assert name == "rota.pdf"
    assert data.startswith(b"%PDF")
    # The program was refused, and the sealed text says which file and why
    assert (
        "Files refused (not in this case file):\n"
        "- File 2 of 2, tool.exe: The file is not a type we accept." in opened.documents["email"]
    )
    assert MailboxMessage.objects.get().attachments_refused == 1
    event = AuditEvent.objects.get(action="mailintake.received")
    assert event.details == {"outcome": "taken", "attachments": 1, "attachments_refused": 1}
    assert imap_server.count(DONE) == 1


def _attachment(opened: Any) -> Any:
    from whistledesk.casefiles.models import Attachment

    return Attachment.objects.get(pk=opened.attachments[0].id)


def test_a_malformed_message_is_kept_as_it_came(imap_server: ImapServer, officer: Any) -> None:
    # Given a message whose MIME structure is broken
    imap_server.deliver((EMAILS / "broken_multipart.eml").read_bytes())
    mailbox_poll(config=imap_server.config())
    # Then it is still an intake, with its source sealed for an officer to read
    disclosure = Disclosure.objects.get()
    text = _opened(officer, disclosure).documents["email"]
    assert text.startswith("This message could not be read as an email")
    assert text.endswith("This text has no boundary lines at all.\n")
    assert MailboxMessage.objects.get().outcome == "malformed"
    assert imap_server.count("INBOX") == 0
    assert imap_server.count(DONE) == 1


def test_an_email_over_the_size_limit_is_recorded_as_refused_not_lost_not_looping(
    imap_server: ImapServer, officer: Any
) -> None:
    # Given a 26 MB email (the limit is 25 MB)
    huge = (
        b"From: Rowan Ashdown <rowan.ashdown@example.org>\r\n"
        b"Subject: Every photo from the visit\r\n"
        b"Message-ID: <huge-1@example.org>\r\n\r\n" + (b"x" * 998 + b"\r\n") * 26_700
    )
    imap_server.deliver(huge)
    # When the mailbox is polled twice
    mailbox_poll(config=imap_server.config())
    second = mailbox_poll(config=imap_server.config())
    # Then one intake records that it was refused for its size, with its headers
    disclosure = Disclosure.objects.get()
    text = _opened(officer, disclosure).documents["email"]
    assert text.startswith("This email is 25.5 MB, over the 25 MB limit, so it was not taken in.")
    assert "Every photo" not in text  # the headers are sealed to the identity key
    assert MailboxMessage.objects.get().outcome == "too_large"
    # ...the email is kept, in the done folder, and the second poll found nothing to do
    assert imap_server.count("INBOX") == 0
    assert imap_server.count(DONE) == 1
    assert (second.taken, second.already) == ([], 0)


def test_a_connection_cut_mid_fetch_loses_and_duplicates_nothing(
    imap_server: ImapServer, proxy: CuttingProxy, officer: Any
) -> None:
    # Given a 400 KB email, and a connection that drops after 100 KB from the server
    long_text = b"The rota was changed again this week.\r\n" * 10_000
    imap_server.deliver(PLAIN.replace(b"<plain-1@", b"<long-1@") + long_text)
    proxy.cut_after_bytes = 100_000
    # When the mailbox is polled through it
    with pytest.raises(MailboxUnavailable):
        mailbox_poll(config=imap_server.config(port=proxy.port))
    # Then nothing was stored and the email is still in the inbox
    assert Disclosure.objects.count() == 0
    assert MailboxMessage.objects.count() == 0
    assert imap_server.count("INBOX") == 1
    # When the connection holds on the next poll
    proxy.cut_after_bytes = None
    result = mailbox_poll(config=imap_server.config(port=proxy.port))
    # Then it is taken in once, all of it (the text is also kept whole as a file)
    disclosure = Disclosure.objects.get()
    assert result.taken == [disclosure.reference]
    opened = _opened(officer, disclosure)
    assert [a.filename for a in opened.attachments] == ["email.txt"]
    assert imap_server.count("INBOX") == 0
    assert imap_server.count(DONE) == 1


def test_a_connection_lost_after_the_commit_is_moved_next_time_not_taken_twice(
    imap_server: ImapServer, proxy: CuttingProxy, officer: Any
) -> None:
    # Given a connection that drops while the intake is being committed, before the move
    imap_server.deliver(PLAIN)

    def cut(**kwargs: Any) -> None:
        proxy.cut_now()

    post_save.connect(cut, sender=MailboxMessage, dispatch_uid="cut")
    try:
        with pytest.raises(MailboxUnavailable):
            mailbox_poll(config=imap_server.config(port=proxy.port))
    finally:
        post_save.disconnect(dispatch_uid="cut", sender=MailboxMessage)
    # Then the intake is committed, and the email is still in the inbox
    assert Disclosure.objects.count() == 1
    assert imap_server.count("INBOX") == 1
    # When the next poll runs
    result = mailbox_poll(config=imap_server.config(port=proxy.port))
    # Then it recognises the email, moves it, and makes no second intake
    assert (result.taken, result.already) == ([], 1)
    assert Disclosure.objects.count() == 1
    assert imap_server.count("INBOX") == 0
    assert imap_server.count(DONE) == 1


def test_a_wrong_certificate_is_refused(imap_server: ImapServer, officer: Any) -> None:
    # Without the private CA the server's certificate is not trusted: nothing is read.
    imap_server.deliver(PLAIN)
    with pytest.raises(MailboxUnavailable, match="could not connect"):
        mailbox_poll(config=imap_server.config(ca_file=""))
    assert imap_server.count("INBOX") == 1
    assert Disclosure.objects.count() == 0


def test_the_received_date_is_the_servers(imap_server: ImapServer, officer: Any) -> None:
    # The register's date received is when the mailbox got it, not the sender's Date header.
    imap_server.deliver(PLAIN.replace(b"30 Nov 2026", b"01 Jan 2020"))
    mailbox_poll(config=imap_server.config())
    assert Disclosure.objects.get().received_on == timezone.localdate()
    assert timezone.localdate() != dt.date(2020, 1, 1)


def test_the_upload_limits_apply_to_an_emails_files(imap_server: ImapServer, officer: Any) -> None:
    from email.message import EmailMessage

    # Given an email with a file of 11 MB and six text files (uploads: 10 MB, 5 files)
    msg = EmailMessage()
    msg["From"] = "Rowan Ashdown <rowan.ashdown@example.org>"
    msg["Subject"] = "Notes"
    msg.set_content("My notes are attached.")
    big = b"a" * (11 * 1024 * 1024)
    msg.add_attachment(big, maintype="text", subtype="plain", filename="big.txt")
    for n in range(1, 7):
        note = f"Note {n}\n".encode()
        msg.add_attachment(note, maintype="text", subtype="plain", filename=f"note{n}.txt")
    imap_server.deliver(msg.as_bytes())
    mailbox_poll(config=imap_server.config())
    # Then five are sealed and the other two are listed as refused, with why
    opened = _opened(officer, Disclosure.objects.get())
    assert [a.filename for a in opened.attachments] == [f"note{n}.txt" for n in range(1, 6)]
    assert opened.documents["email"].endswith(
        "Files refused (not in this case file):\n"
        "- File 1 of 7, big.txt: The file is larger than 10 MB. Make it smaller or split it, "
        "then attach it again.\n"
        "- File 7 of 7, note6.txt: only 5 files are taken from one email; the email in the "
        "mailbox's done folder still has it."
    )
    assert MailboxMessage.objects.get().attachments_refused == 2
