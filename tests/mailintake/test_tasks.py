"""End to end: `whistledesk worker` (a real process) reads a real IMAP mailbox (dovecot, TLS)
on its schedule, the email becomes an intake in the register, and intake officers get the
usual content-free new-disclosure alert through a real SMTP server (aiosmtpd). The
database (SQLite file or pg_dump) holds nothing of the email in clear.
"""

from __future__ import annotations

from typing import Any

from tests.at_rest import database_bytes
from tests.mailintake.conftest import ImapServer
from tests.notifications.conftest import wait_until
from whistledesk.accounts.roles import Role
from whistledesk.cases.models import Disclosure

EMAIL = (
    b"From: Wren Halloway <wren.halloway@example.org>\r\n"
    b"Subject: Locked doors at Quillbrook Lodge\r\n"
    b"Message-ID: <worker-1@example.org>\r\n"
    b"\r\n"
    b"The fire doors at Quillbrook Lodge were chained shut on Saturday night.\r\n"
)


def test_the_worker_takes_an_email_from_the_mailbox_into_the_register(
    imap_server: ImapServer,
    worker_env: dict[str, str],
    start_worker: Any,
    smtp: Any,
    organisation: Any,
    make_staff: Any,
) -> None:
    mailbox, smtp_port = smtp
    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    officer.email = "ivy@office.example"
    officer.save(update_fields=["email"])
    # Given an email in the office's mailbox
    imap_server.deliver(EMAIL)
    # When a worker runs with the mailbox configured (polled every second here)
    env = {
        **worker_env,
        **imap_server.env(),
        "WHISTLEDESK_IMAP_POLL_SECONDS": "1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
    }
    start_worker("--schedule-every", "1", env=env)
    # Then the email is in the register, once, and out of the inbox
    assert wait_until(lambda: Disclosure.objects.exists(), timeout=120)
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == "email"
    assert wait_until(lambda: imap_server.count("Whistledesk-done") == 1)
    assert imap_server.count("INBOX") == 0
    # ...the intake officer was told, without content
    mailbox.wait_for(1, timeout=120)
    [(rcpt, message, _)] = mailbox.messages
    assert rcpt == ["ivy@office.example"]
    assert message["Subject"] == f"Whistledesk: new disclosure {disclosure.reference}"
    # ...several more polls made no second intake
    assert wait_until(lambda: _polls(disclosure) >= 3, timeout=60)
    assert Disclosure.objects.count() == 1
    # ...and nothing of the email is in the database in clear
    raw = database_bytes()
    assert disclosure.reference.encode() in raw
    for secret in (b"Wren", b"wren.halloway", b"Quillbrook", b"chained shut", b"worker-1@"):
        assert secret not in raw, secret


def _polls(disclosure: Disclosure) -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path="whistledesk.mailintake.tasks.mailbox_poll", status="SUCCESSFUL"
    ).count()
