"""The follow-up inbox's email setting (issue 10 item 8, docs/adr/0011): the whistleblower
is warned plainly, gives an address (any, not only work), sees it back, removes it at any
time; staff never see it anywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.intake.conftest import STAFF_PASSWORD, submit
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import SourceEmail

pytestmark = pytest.mark.django_db

ADDRESS = "otter.lantern@private-mail.example"
RISK = "Anyone who can read this mailbox could learn that you have made a report"


def _inbox(receipt: str) -> Client:
    source = Client()
    assert source.post("/follow-up/", {"receipt": receipt})["Location"] == "/follow-up/inbox/"
    return source


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/follow-up/email/")
    assert response["Location"] == "/follow-up/"


def test_the_inbox_offers_it_and_the_page_warns_before_anything_is_kept(
    client: Client, organisation: Any
) -> None:
    _, receipt = submit(client, organisation)
    source = _inbox(receipt)
    assert 'href="/follow-up/email/"' in source.get("/follow-up/inbox/").content.decode()
    page = source.get("/follow-up/email/").content.decode()
    assert RISK in page
    assert "Do not use a work address that your employer can read" in page
    assert "Our staff cannot see it" in page
    assert "You can remove it at any time" in page
    assert not SourceEmail.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"address": "", "understood": "on"}, "Enter an email address"),
        (
            {"address": "not an address", "understood": "on"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"address": ADDRESS}, "Confirm that you understand the risk before you continue"),
        (
            {"address": "a" * 250 + "@example.org", "understood": "on"},
            "Email address must be 254 characters or fewer",
        ),
    ],
)
def test_bad_input_says_what_to_fix_and_keeps_nothing(
    client: Client, organisation: Any, data: dict[str, str], message: str
) -> None:
    _, receipt = submit(client, organisation)
    response = _inbox(receipt).post("/follow-up/email/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not SourceEmail.objects.exists()


def test_set_shown_back_replaced_and_removed(client: Client, organisation: Any) -> None:
    reference, receipt = submit(client, organisation)
    source = _inbox(receipt)
    # When they give an address and confirm they understand
    response = source.post("/follow-up/email/", {"address": ADDRESS, "understood": "on"})
    assert response["Location"] == "/follow-up/inbox/"
    # Then, signed in again later, they see it back (opened with their receipt)
    page = _inbox(receipt).get("/follow-up/email/").content.decode()
    assert f'id="source-email-current">{ADDRESS}<' in page
    # ...they can replace it
    source.post("/follow-up/email/", {"address": "new@example.net", "understood": "on"})
    assert 'id="source-email-current">new@example.net<' in (
        source.get("/follow-up/email/").content.decode()
    )
    assert SourceEmail.objects.count() == 1
    # ...and remove it
    assert source.post("/follow-up/email/", {"remove": "1"})["Location"] == "/follow-up/inbox/"
    assert not SourceEmail.objects.exists()
    assert 'id="source-email-current"' not in source.get("/follow-up/email/").content.decode()
    # Each change is audited, without the address
    events = list(AuditEvent.objects.filter(action__startswith="source_email.").order_by("seq"))
    assert [(e.action, e.actor_label, e.object_id) for e in events] == [
        ("source_email.set", "source", reference),
        ("source_email.set", "source", reference),
        ("source_email.removed", "source", reference),
    ]
    assert all(ADDRESS not in str(e.details) for e in events)


def test_staff_never_see_the_address(
    client: Client, organisation: Any, make_staff: Any, officer: Any, officer_client: Client
) -> None:
    make_staff("mo", roles=[Role.MANAGER], password=STAFF_PASSWORD)
    reference, receipt = submit(client, organisation)
    _inbox(receipt).post("/follow-up/email/", {"address": ADDRESS, "understood": "on"})
    officer_client.post(f"/staff/cases/{reference}/reply/", {"text": "A question for you."})
    manager = Client()
    manager.post("/staff/account/sign-in/", {"username": "mo", "password": STAFF_PASSWORD})
    for url in [
        "/staff/",
        f"/staff/cases/{reference}/",
        f"/staff/cases/{reference}/content/",
        "/staff/audit/",
        "/staff/account/notifications/",
    ]:
        response = manager.get(url)
        assert response.status_code == 200, url
        assert ADDRESS not in response.content.decode(), url


def test_changes_are_rate_limited_but_removing_never_is(client: Client, organisation: Any) -> None:
    _, receipt = submit(client, organisation)
    source = _inbox(receipt)
    data = {"address": ADDRESS, "understood": "on"}
    for _ in range(20):  # intake.throttle.INBOX_MESSAGES: 20 an hour per client
        assert source.post("/follow-up/email/", data).status_code == 302
    response = source.post("/follow-up/email/", data)
    assert response.status_code == 429
    assert "You have tried too many times" in response.content.decode()
    assert source.post("/follow-up/email/", {"remove": "1"})["Location"] == "/follow-up/inbox/"
    assert not SourceEmail.objects.exists()
