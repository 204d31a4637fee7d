"""A web Send derives its keys before it takes the audit chain's lock (docs/adr/0003).

The lock (the audit head row on PostgreSQL, the write lock on SQLite) serialises every
writer of the installation, so nothing slow may run while it is held. This test pauses a
real Send inside its Argon2id derivation and has another connection append an audit event
meanwhile: when the derivation ran under the lock, that append could not happen until the
Send had finished, and the test fails.
"""

from __future__ import annotations

import threading
from typing import Any

import nacl.pwhash
import pytest
from django.db import close_old_connections, connection, transaction
from django.test import Client

from tests.intake.conftest import walk
from whistledesk.audit.models import AuditEvent
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 8.0  # seconds; a pass takes milliseconds, a failure waits this long once


def test_another_writer_appends_while_a_send_is_deriving(
    organisation: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a whistleblower's completed form, ready to send
    browser = Client()
    walk(browser, organisation)
    deriving = threading.Event()
    appended = threading.Event()
    seen: dict[str, Any] = {}
    real_kdf = nacl.pwhash.argon2id.kdf

    def paused_kdf(*args: Any, **kwargs: Any) -> bytes:
        # The real derivation runs; the Send's first one is held open until another
        # connection has appended an audit event (or WAIT passes).
        if threading.current_thread().name == "send" and not deriving.is_set():
            deriving.set()
            seen["appended_while_deriving"] = appended.wait(WAIT)
        return real_kdf(*args, **kwargs)

    monkeypatch.setattr(nacl.pwhash.argon2id, "kdf", paused_kdf)

    def send() -> None:
        try:
            seen["response"] = browser.post("/report/check/", {})
        finally:
            connection.close()

    sender = threading.Thread(target=send, name="send")
    # When the Send is under way and deriving its receipt's keys
    sender.start()
    assert deriving.wait(WAIT), "the Send never derived a key"
    # Then this connection can append to the audit chain at once
    with transaction.atomic():
        audit_record(actor="system", action="test.concurrent_append")
    appended.set()
    sender.join(timeout=60)
    close_old_connections()
    assert seen.get("appended_while_deriving") is True
    # and the Send itself succeeded, on one unbroken chain
    assert seen["response"]["Location"] == "/report/sent/"
    assert AuditEvent.objects.filter(action="casefile.created").count() == 1
    result = verify_chain()
    assert result.ok, result.problem


def test_another_writer_appends_while_a_reply_file_is_cleaned(
    organisation: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.intake.conftest import submit
    from whistledesk.casefiles import attachments

    # Given a whistleblower signed in to their inbox, replying with a file
    _, receipt = submit(Client(), organisation)
    inbox = Client()
    assert inbox.post("/follow-up/", {"receipt": receipt})["Location"] == "/follow-up/inbox/"
    cleaning = threading.Event()
    appended = threading.Event()
    seen: dict[str, Any] = {}
    real_clean = attachments.clean_attachment

    def paused_clean(upload: Any, **kwargs: Any) -> Any:
        # The file is really cleaned; first, another connection gets a chance to append.
        if threading.current_thread().name == "reply" and not cleaning.is_set():
            cleaning.set()
            seen["appended_while_cleaning"] = appended.wait(WAIT)
        return real_clean(upload, **kwargs)

    monkeypatch.setattr(attachments, "clean_attachment", paused_clean)

    def reply() -> None:
        try:
            seen["response"] = inbox.post(
                "/follow-up/inbox/",
                {"text": "More detail.", "file": SimpleUploadedFile("rota.txt", b"rota")},
            )
        finally:
            connection.close()

    replier = threading.Thread(target=reply, name="reply")
    # When the reply's file is being cleaned
    replier.start()
    assert cleaning.wait(WAIT), "the reply's file was never cleaned"
    # Then this connection can append to the audit chain at once
    with transaction.atomic():
        audit_record(actor="system", action="test.concurrent_append")
    appended.set()
    replier.join(timeout=60)
    close_old_connections()
    assert seen.get("appended_while_cleaning") is True
    assert seen["response"]["Location"] == "/follow-up/inbox/"
    assert verify_chain().ok
