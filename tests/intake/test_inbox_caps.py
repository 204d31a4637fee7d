"""The follow-up inbox is capped per case: messages per hour and per day, bytes of files.

Found on commit e08412f: 8 messages with 2 MB files went through in 1.4 s. The caps are
counted from the case's own rows, so they hold whatever address the sender uses and never
touch another case's whistleblower.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.intake.conftest import submit
from whistledesk.casefiles.models import Attachment, Direction, Message

pytestmark = pytest.mark.django_db

TWO_MB = 2 * 1024 * 1024


def _sign_in(receipt: str, address: str = "192.0.2.10") -> Client:
    source = Client(REMOTE_ADDR=address)
    response = source.post("/follow-up/", {"receipt": receipt})
    assert response["Location"] == "/follow-up/inbox/", response.content[:2000]
    return source


def _send(source: Client, text: str, file_bytes: int = 0) -> Any:
    data: dict[str, Any] = {"text": text}
    if file_bytes:
        data["file"] = SimpleUploadedFile("notes.txt", b"n" * file_bytes, "text/plain")
    return source.post("/follow-up/inbox/", data)


def _from_source() -> int:
    return Message.objects.filter(direction=Direction.FROM_SOURCE).count()


def test_a_burst_of_messages_with_files_is_stopped_at_the_hourly_cap(
    client: Any, organisation: Any
) -> None:
    # Given a whistleblower signed in to their inbox (default caps: 6 an hour)
    _, receipt = submit(client, organisation)
    source = _sign_in(receipt)
    # When they send 8 messages with 2 MB files as fast as they can
    statuses = [_send(source, f"message {n}", TWO_MB).status_code for n in range(8)]
    # Then the first 6 go through and the rest are refused with a clear message
    assert statuses == [302] * 6 + [429, 429]
    assert _from_source() == 6
    page = _send(source, "one more").content.decode()
    assert "You have sent 6 messages in the last hour, the most we accept for one case" in page
    assert "We have them all. Send this one in 60 minutes." in page
    # And the text they typed is offered back, not lost
    assert "one more" in page


def test_the_cap_follows_the_case_not_the_address(
    client: Any, organisation: Any, settings: Any
) -> None:
    settings.WHISTLEDESK_INBOX_MESSAGES_PER_HOUR = 2
    _, receipt = submit(client, organisation)
    _, other_receipt = submit(Client(), organisation)
    first = _sign_in(receipt, "192.0.2.10")
    assert [_send(first, f"m{n}").status_code for n in range(2)] == [302, 302]
    # The same case from another address is refused too
    elsewhere = _sign_in(receipt, "198.51.100.7")
    assert _send(elsewhere, "from a phone").status_code == 429
    # Another case's whistleblower behind the same address is not affected
    neighbour = _sign_in(other_receipt, "192.0.2.10")
    assert _send(neighbour, "my own case").status_code == 302


def test_the_daily_cap_counts_the_last_24_hours(
    client: Any, organisation: Any, settings: Any
) -> None:
    settings.WHISTLEDESK_INBOX_MESSAGES_PER_HOUR = 10
    settings.WHISTLEDESK_INBOX_MESSAGES_PER_DAY = 3
    _, receipt = submit(client, organisation)
    source = _sign_in(receipt)
    assert [_send(source, f"m{n}").status_code for n in range(3)] == [302] * 3
    # Two of them were sent 23 hours ago: the window still holds all three
    early = timezone.now() - dt.timedelta(hours=23)
    ids = list(Message.objects.filter(direction=Direction.FROM_SOURCE).values_list("pk")[:2])
    Message.objects.filter(pk__in=[i for (i,) in ids]).update(created_at=early)
    page = _send(source, "fourth").content.decode()
    assert "You have sent 3 messages in the last 24 hours" in page
    assert "Send this one in 60 minutes." in page
    # A day after the first ones, there is room again
    Message.objects.filter(pk__in=[i for (i,) in ids]).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    assert _send(source, "fourth").status_code == 302


def test_files_are_capped_in_total_per_case(
    client: Any, organisation: Any, settings: Any
) -> None:
    settings.WHISTLEDESK_INBOX_FILE_MB_PER_CASE = 5
    _, receipt = submit(client, organisation)
    source = _sign_in(receipt)
    assert _send(source, "first", TWO_MB).status_code == 302
    assert _send(source, "second", TWO_MB).status_code == 302
    response = _send(source, "third", TWO_MB)
    assert response.status_code == 429
    page = response.content.decode()
    assert "You have sent 4 MB of files for this case; the most we accept is 5 MB in all" in page
    assert "room for 1.0 MB more" in page
    assert Attachment.objects.count() == 2
    # A message without a file still goes through
    assert _send(source, "no file this time").status_code == 302
