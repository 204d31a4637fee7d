"""A whistleblower who asks is emailed "You have a new message" when staff write to them
(issue 10 item 8, docs/adr/0011): through the outbox and a real `whistledesk worker`, to a
real SMTP server (aiosmtpd) on loopback, content-free, and never again once they remove
the address."""

from __future__ import annotations

from email.message import Message
from typing import Any

from django.test import Client

from tests.intake.conftest import CANARY_EMAIL, CANARY_NAME, CANARY_SENTENCE, submit
from tests.notifications.conftest import wait_until
from whistledesk.accounts.roles import Role
from whistledesk.notifications.models import EmailStatus, OutboundEmail

PASSWORD = "a-long-staff-password"
ADDRESS = "otter.lantern@private-mail.example"
BODY = "You have a new message. Sign in with your receipt at http://127.0.0.1:8000/follow-up/"


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def _staff_browser(username: str) -> Client:
    staff = Client()
    response = staff.post("/staff/account/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return staff


def _inbox(receipt: str) -> Client:
    source = Client()
    assert source.post("/follow-up/", {"receipt": receipt})["Location"] == "/follow-up/inbox/"
    return source


def test_staff_messages_email_the_address_the_whistleblower_gave_and_nothing_else(
    worker_env: dict[str, str],
    start_worker: Any,
    smtp: Any,
    organisation: Any,
    make_staff: Any,
    client: Client,
) -> None:
    mailbox, port = smtp
    make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=PASSWORD)
    # Given a whistleblower who asks for emails in their follow-up inbox
    reference, receipt = submit(client, organisation, identity="confidential")
    source = _inbox(receipt)
    response = source.post("/follow-up/email/", {"address": ADDRESS, "understood": "on"})
    assert response["Location"] == "/follow-up/inbox/"

    # When staff acknowledge the disclosure and write a question (two messages)
    ivy = _staff_browser("ivy")
    assert ivy.post(f"/staff/cases/{reference}/move/acknowledged/").status_code == 302
    reply = ivy.post(f"/staff/cases/{reference}/reply/", {"text": "Which ward, please?"})
    assert reply.status_code == 302
    # ...one notice is queued for both, with no address on the queued row
    queued = OutboundEmail.objects.get()
    assert queued.to == ""
    assert ADDRESS not in queued.subject + queued.body

    # ...and a worker sends through the SMTP server on loopback
    env = {**worker_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    start_worker(env=env)
    mailbox.wait_for(1, timeout=120)
    assert wait_until(lambda: OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 1)

    # Then exactly this arrives at the address, and nothing of the case or the office
    [(rcpt, message, raw)] = mailbox.messages
    assert rcpt == [ADDRESS]
    assert message["To"] == ADDRESS
    assert message["Subject"] == "You have a new message"
    assert _body(message).strip() == BODY
    # (The From address is the office's own, DEFAULT_FROM_EMAIL: the page warns of it.)
    assert "whistledesk" not in (str(message["Subject"]) + _body(message)).lower()
    for word in [
        reference,
        organisation.name,
        "Which ward",
        CANARY_NAME,
        CANARY_EMAIL,
        CANARY_SENTENCE,
        "disclosure",
        "whistleblow",
    ]:
        assert word.lower().encode() not in raw.lower(), word

    # When staff write again after that email went, another one goes
    ivy.post(f"/staff/cases/{reference}/reply/", {"text": "And which shift?"})
    mailbox.wait_for(2, timeout=120)
    assert [m[0] for m in mailbox.messages] == [[ADDRESS], [ADDRESS]]

    # When the whistleblower removes the address, the record of its emails goes with it,
    # and staff messages queue nothing more
    assert wait_until(lambda: OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 2)
    assert source.post("/follow-up/email/", {"remove": "1"})["Location"] == "/follow-up/inbox/"
    assert not OutboundEmail.objects.exists()
    ivy.post(f"/staff/cases/{reference}/reply/", {"text": "Thank you."})
    assert not OutboundEmail.objects.exists()


def test_local_mode_prints_a_stand_in_never_the_address(
    db: Any, client: Client, organisation: Any, make_staff: Any, settings: Any, capsys: Any
) -> None:
    """Without a mail server the email goes to the worker's console, which is a log."""
    from whistledesk.notifications.outbox import email_deliver

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    make_staff("ivy", roles=[Role.INTAKE_OFFICER], password=PASSWORD)
    reference, receipt = submit(client, organisation)
    _inbox(receipt).post("/follow-up/email/", {"address": ADDRESS, "understood": "on"})
    _staff_browser("ivy").post(f"/staff/cases/{reference}/reply/", {"text": "A question."})
    capsys.readouterr()
    assert email_deliver(email_id=OutboundEmail.objects.get().pk) is None
    printed = capsys.readouterr().out
    assert "To: whistleblower@address-withheld.invalid" in printed
    assert ADDRESS not in printed
