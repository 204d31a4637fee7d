"""The follow-up inbox: sign in with the receipt, status, messages both ways, throttling."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.intake.conftest import submit
from whistledesk.casefiles.models import Message

pytestmark = pytest.mark.django_db


def _sign_in(receipt: str) -> Client:
    source = Client()
    response = source.post("/follow-up/", {"receipt": receipt})
    assert response["Location"] == "/follow-up/inbox/", response.content[:2000]
    return source


def test_receipt_opens_inbox_showing_received(client: Any, organisation: Any) -> None:
    reference, receipt = submit(client, organisation)
    source = _sign_in(receipt)
    page = source.get("/follow-up/inbox/").content.decode()
    assert reference in page
    assert ">Received<" in page
    assert "No messages yet" in page


def test_staff_opening_acknowledges_and_reply_reaches_the_source(
    client: Any, organisation: Any, officer_client: Any
) -> None:
    reference, receipt = submit(client, organisation)
    # Staff open the case: the whistleblower now sees "Acknowledged"
    assert officer_client.get(f"/staff/cases/{reference}/").status_code == 200
    officer_client.post(
        f"/staff/cases/{reference}/reply/", {"text": "Which ward was this on, please?"}
    )
    source = _sign_in(receipt)
    page = source.get("/follow-up/inbox/").content.decode()
    assert ">Acknowledged<" in page
    assert "Which ward was this on, please?" in page
    # The source answers, with a file
    response = source.post(
        "/follow-up/inbox/",
        {"text": "Ward 7, on the night shift.", "file": SimpleUploadedFile("rota.txt", b"rota")},
    )
    assert response["Location"] == "/follow-up/inbox/"
    assert "Ward 7, on the night shift." in source.get("/follow-up/inbox/").content.decode()
    staff_page = officer_client.get(f"/staff/cases/{reference}/").content.decode()
    assert "Ward 7, on the night shift." in staff_page
    assert "rota.txt" in staff_page
    assert Message.objects.count() == 2


def test_inbox_needs_sign_in_and_sign_out_ends_it(client: Any, organisation: Any) -> None:
    _, receipt = submit(client, organisation)
    assert Client().get("/follow-up/inbox/")["Location"] == "/follow-up/"
    source = _sign_in(receipt)
    assert source.post("/follow-up/sign-out/")["Location"] == "/follow-up/"
    assert source.get("/follow-up/inbox/")["Location"] == "/follow-up/"


def test_empty_reply_is_explained(client: Any, organisation: Any) -> None:
    _, receipt = submit(client, organisation)
    source = _sign_in(receipt)
    response = source.post("/follow-up/inbox/", {"text": ""})
    assert response.status_code == 400
    assert "Write a message or attach a file" in response.content.decode()


def test_wrong_receipt_is_refused_then_throttled(client: Any, organisation: Any) -> None:
    from whistledesk.intake.throttle import RECEIPT_FAILURES

    _, receipt = submit(client, organisation)
    guesser = Client()
    for _ in range(RECEIPT_FAILURES.per_client):
        response = guesser.post("/follow-up/", {"receipt": "apple banana cherry date egg fig"})
        assert response.status_code == 400
        assert "We could not find a disclosure with that receipt" in response.content.decode()
    # Now even the right receipt is refused from this client until the window passes
    response = guesser.post("/follow-up/", {"receipt": receipt})
    assert response.status_code == 429
    body = response.content.decode()
    assert "You have tried too many times. Try again in" in body
    assert "minute" in body


def test_throttle_is_per_client_and_stores_no_address(client: Any, organisation: Any) -> None:
    from whistledesk.intake.models import ThrottleCounter
    from whistledesk.intake.throttle import RECEIPT_FAILURES

    _, receipt = submit(client, organisation)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(RECEIPT_FAILURES.per_client):
        guesser.post("/follow-up/", {"receipt": "wrong wrong wrong wrong wrong wrong"})
    # Another client is not affected
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.post("/follow-up/", {"receipt": receipt}).status_code == 302
    # And no counter holds the address (tests/intake/test_throttle_at_rest.py: nor a dump)
    keys = list(ThrottleCounter.objects.values_list("key", flat=True))
    assert keys
    assert not any("203.0.113.9" in k for k in keys)


def test_wrong_receipt_is_slowed(client: Any, organisation: Any, settings: Any) -> None:
    settings.WHISTLEDESK_FAILURE_DELAY = 0.5
    started = time.monotonic()
    Client().post("/follow-up/", {"receipt": "not a receipt at all"})
    assert time.monotonic() - started >= 0.5


def test_over_long_receipt_is_refused_before_any_hashing(client: Any, organisation: Any) -> None:
    response = Client().post("/follow-up/", {"receipt": "word " * 1000})
    assert response.status_code == 400
    assert "Enter your receipt exactly as it was shown to you" in response.content.decode()
