"""Done means (issue 10): a new web disclosure sends a content-free alert that a test reads
from a real SMTP server. The whistleblower uses the public form and the follow-up inbox
through Django's test client; a real `whistledesk worker` process sends through a real SMTP
server (aiosmtpd) on loopback; the test reads what arrived.

Every kind of alert is sent for a case with a canary value in every clear and sealed field
(name, email, setting, area, service, narrative, reply); none may reach any message.
"""

from __future__ import annotations

import datetime as dt
from email.message import Message
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.intake.conftest import CANARY_EMAIL, CANARY_NAME, CANARY_SENTENCE, submit
from tests.notifications.conftest import wait_until
from whistledesk.accounts.roles import Role
from whistledesk.cases.models import Disclosure
from whistledesk.notifications.models import EmailStatus, OutboundEmail, PeriodicJob
from whistledesk.organisation.models import ServiceCategory

CANARY_SERVICE = "Marzipan Lighthouse Service"
CANARY_REPLY = "Ninety-nine velvet otters guard the boiler room"
CANARIES = [
    CANARY_NAME,
    CANARY_EMAIL,
    CANARY_SENTENCE,
    "Thistlewood",  # the setting's name
    "Camden",  # its area
    CANARY_SERVICE,
    CANARY_REPLY,
    "purple walrus",
    "Quillfeather",
]


def _text(message: Message) -> str:
    parts = [str(message["Subject"])]
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            parts.append(payload.decode(part.get_content_charset() or "utf-8"))
    return "\n".join(parts)


@pytest.fixture
def people(make_staff: Any) -> dict[str, Any]:
    made = {}
    for name, role in [
        ("ivy", Role.INTAKE_OFFICER),
        ("sam", Role.SAFEGUARDING_LEAD),
        ("cara", Role.CASEWORKER),
        ("mo", Role.MANAGER),
        ("aud", Role.AUDITOR),
    ]:
        user = make_staff(name, roles=[role])
        user.email = f"{name}@office.example"
        user.save(update_fields=["email"])
        made[name] = user
    return made


def test_every_alert_reaches_the_right_people_and_carries_no_content(
    worker_env: dict[str, str],
    start_worker: Any,
    smtp: Any,
    organisation: Any,
    people: dict[str, Any],
    client: Client,
) -> None:
    mailbox, port = smtp
    cache.clear()
    service = ServiceCategory.objects.create(
        organisation=organisation, label=CANARY_SERVICE, position=9
    )
    # Given a whistleblower who names themselves, says a child is at immediate risk and
    # picks the canary service
    reference, receipt = submit(
        client, organisation, risk="yes", identity="confidential", service=str(service.pk)
    )
    disclosure = Disclosure.objects.get(reference=reference)
    assert disclosure.safeguarding_open
    # ...a handler is on the case, and the whistleblower replies through the inbox
    Disclosure.objects.filter(pk=disclosure.pk).update(handler=people["cara"])
    source = Client()
    assert source.post("/follow-up/", {"receipt": receipt})["Location"] == "/follow-up/inbox/"
    reply = source.post("/follow-up/inbox/", {"text": CANARY_REPLY})
    assert reply["Location"] == "/follow-up/inbox/"
    # ...the case was received 10 days ago (acknowledgement overdue) and the digest is due
    Disclosure.objects.filter(pk=disclosure.pk).update(
        received_on=timezone.localdate() - dt.timedelta(days=10)
    )
    PeriodicJob.objects.create(
        name="daily-digest", next_run_at=timezone.now() - dt.timedelta(minutes=1)
    )

    # When a worker runs, sending through the SMTP server on loopback
    env = {**worker_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    start_worker("--schedule-every", "1", env=env)
    mailbox.wait_for(7, timeout=120)
    assert wait_until(lambda: not OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists())

    # Then each person got what their role asks for by default, once
    received = sorted(
        (rcpt[0].split("@")[0], str(message["Subject"])) for rcpt, message, _ in mailbox.messages
    )
    assert received == sorted(
        [
            ("sam", f"Whistledesk: urgent disclosure {reference}"),
            ("ivy", f"Whistledesk: new disclosure {reference}"),
            ("mo", f"Whistledesk: new disclosure {reference}"),
            ("cara", f"Whistledesk: new message on {reference}"),
            ("ivy", "Whistledesk: 1 deadline(s) due or overdue"),
            ("mo", "Whistledesk: 1 deadline(s) due or overdue"),
            ("cara", "Whistledesk: 1 deadline(s) due or overdue"),
        ]
    )
    # ...each carries the reference and the sign-in link, and nothing of the case
    for _, message, raw in mailbox.messages:
        text = _text(message)
        assert reference in text
        assert "Sign in to read it: http://127.0.0.1:8000/staff/account/sign-in/" in text
        for canary in CANARIES:
            assert canary.lower() not in text.lower(), (canary, text)
            assert canary.lower().encode() not in raw.lower()
