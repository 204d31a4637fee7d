"""Email: settings from the environment, GOV.UK Notify, and failures retried then shown."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.mail import EmailMessage, get_connection
from django.test import Client

from tests.live_server import free_port
from tests.notifications.conftest import ROOT, wait_until
from whistledesk.accounts.roles import Role
from whistledesk.notifications.messages import Composed
from whistledesk.notifications.models import AlertKind, EmailStatus, OutboundEmail
from whistledesk.notifications.outbox import email_queue
from whistledesk.notifications.tasks import email_send

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "django.core.mail.backends.console.EmailBackend"),
        ({"EMAIL_HOST": "smtp.example.org"}, "django.core.mail.backends.smtp.EmailBackend"),
        (
            {"NOTIFY_API_KEY": "k", "NOTIFY_EMAIL_TEMPLATE_ID": TEMPLATE_ID},
            "whistledesk.notifications.notify_backend.NotifyEmailBackend",
        ),
    ],
)
def test_the_backend_follows_the_environment(
    env: dict[str, str], backend: str, tmp_path: Any
) -> None:
    base = {
        k: v for k, v in __import__("os").environ.items() if not k.startswith(("EMAIL_", "NOTIFY_"))
    }
    base.update(
        {
            "DJANGO_SETTINGS_MODULE": "whistledesk.config.settings.local",
            "WHISTLEDESK_DATA_DIR": str(tmp_path),
            "EMAIL_PORT": "2525",
            "EMAIL_USE_TLS": "1",
            "DEFAULT_FROM_EMAIL": "alerts@office.example",
        }
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)",
        ],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [backend, "2525", "True", "alerts@office.example"]


class _NotifyStub(BaseHTTPRequestHandler):
    received: list[tuple[str, str, dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.path, self.headers.get("Authorization", ""), body))
        answer = json.dumps({"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def notify_server() -> Iterator[str]:
    _NotifyStub.received = []
    server = HTTPServer(("127.0.0.1", free_port()), _NotifyStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_notify_backend_sends_through_the_notify_api(settings: Any, notify_server: str) -> None:
    settings.NOTIFY_API_KEY = f"whistledesk_test-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = notify_server
    connection = get_connection("whistledesk.notifications.notify_backend.NotifyEmailBackend")
    sent = connection.send_messages(
        [
            EmailMessage(
                subject="Whistledesk: new disclosure WD-1", body="Sign in", to=["a@b.example"]
            )
        ]
    )
    assert sent == 1
    [(path, auth, body)] = _NotifyStub.received
    assert path == "/v2/notifications/email"
    assert auth.startswith("Bearer ")  # a JWT signed with the key's secret
    assert body == {
        "email_address": "a@b.example",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "Whistledesk: new disclosure WD-1", "body": "Sign in"},
    }


def test_a_failing_server_is_retried_then_shown_to_managers_and_sent_again(
    worker_env: dict[str, str], start_worker: Any, smtp: Any, make_staff: Any, organisation: Any
) -> None:
    mailbox, port = smtp
    manager = make_staff("mo", roles=[Role.MANAGER])
    # Given an email queued while the mail server is unreachable (nothing listens there)
    email = email_queue(
        organisation=organisation,
        kind=AlertKind.NEW_DISCLOSURE,
        to="ivy@office.example",
        composed=Composed(subject="Whistledesk: new disclosure WD-RETRY", body="Sign in"),
        enqueue=lambda pk: email_send.enqueue(pk),
    )
    dead = {**worker_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(free_port())}
    dead["WHISTLEDESK_EMAIL_RETRY_SECONDS"] = "0.3"
    worker = start_worker("--no-scheduler", "--interval", "0.2", env=dead)
    # When every attempt fails (with back-off between them)
    assert wait_until(
        lambda: OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.FAILED, timeout=120
    )
    worker.terminate()
    worker.wait(timeout=30)
    failed = OutboundEmail.objects.get(pk=email.pk)
    assert failed.attempts == 5
    assert failed.last_error == "ConnectionRefusedError"
    # Then managers see it under "Email problems"
    client = Client()
    client.force_login(manager)
    page = client.get("/staff/account/notifications/").content.decode()
    assert "Email problems" in page
    assert "Whistledesk: new disclosure WD-RETRY" in page
    assert "Failed after 5 attempts (ConnectionRefusedError)" in page
    # ...and once the mail server is back, "Send again" delivers it
    response = client.post(f"/staff/account/notifications/emails/{email.pk}/retry/")
    assert response.status_code == 302
    start_worker(
        "--no-scheduler",
        env={**worker_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)},
    )
    mailbox.wait_for(1)
    assert [str(m["Subject"]) for _, m, _ in mailbox.messages] == [
        "Whistledesk: new disclosure WD-RETRY"
    ]
    assert wait_until(lambda: OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENT)
    assert (
        "None: every email has been sent"
        in client.get("/staff/account/notifications/").content.decode()
    )


def test_only_managers_may_send_again(make_staff: Any, client: Client, organisation: Any) -> None:
    email = OutboundEmail.objects.create(
        organisation=organisation,
        kind=AlertKind.NEW_DISCLOSURE,
        to="x@y.example",
        subject="s",
        body="b",
        status=EmailStatus.FAILED,
        attempts=5,
    )
    client.force_login(make_staff("cara", roles=[Role.CASEWORKER]))
    assert client.post(f"/staff/account/notifications/emails/{email.pk}/retry/").status_code == 403
    assert "Email problems" not in client.get("/staff/account/notifications/").content.decode()
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.FAILED


def test_an_email_left_claimed_by_a_dead_worker_is_sent_by_another(
    worker_env: dict[str, str], start_worker: Any, smtp: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    mailbox, port = smtp
    # Given an email claimed by a worker that died before sending it (no task left for it)
    email = OutboundEmail.objects.create(
        kind=AlertKind.NEW_DISCLOSURE,
        to="ivy@office.example",
        subject="Whistledesk: new disclosure WD-STUCK",
        body="Sign in",
        status=EmailStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - dt.timedelta(minutes=5),
    )
    # When a worker's reaper finds it (timeout 3 s here)
    start_worker(
        "--schedule-every",
        "1",
        env={**worker_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)},
    )
    # Then it is sent, once
    mailbox.wait_for(1)
    assert wait_until(lambda: OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENT)
    time.sleep(3)
    assert [str(m["Subject"]) for _, m, _ in mailbox.messages] == [
        "Whistledesk: new disclosure WD-STUCK"
    ]


@pytest.mark.parametrize(("role", "shown"), [(Role.MANAGER, True), (Role.CASEWORKER, False)])
def test_the_dashboard_tells_managers_of_failed_emails(
    role: Role, shown: bool, make_staff: Any, client: Client, organisation: Any
) -> None:
    client.force_login(make_staff("someone", roles=[role]))
    assert "Email problems" not in client.get("/staff/").content.decode()
    OutboundEmail.objects.create(
        organisation=organisation,
        kind=AlertKind.NEW_DISCLOSURE,
        to="x@y.example",
        subject="s",
        body="b",
        status=EmailStatus.FAILED,
        attempts=5,
    )
    page = client.get("/staff/").content.decode()
    assert ("1 email could not be sent" in page) is shown
