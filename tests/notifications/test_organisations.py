"""Emails of two organisations in one installation (ADR 0017, issue 12).

Aldermoor is served under the installation's address with its prefix, Brackenfield at its
own host name. Every email names its own organisation's address, and staff alerts go to
that organisation's staff only. Sent through the outbox (`email_deliver`, as the worker
does) to Django's locmem mailbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.factories import DisclosureFactory, OrganisationFactory
from tests.intake.conftest import submit
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.cases.models import CaseReminder, Disclosure
from whistledesk.notifications.alerts import (
    alerts_disclosure_received,
    alerts_source_message,
    digest_send,
)
from whistledesk.notifications.deadline_alerts import reminders_send
from whistledesk.notifications.models import OutboundEmail
from whistledesk.notifications.outbox import email_deliver
from whistledesk.organisation.tenancy import public_url

pytestmark = pytest.mark.django_db

HOST = "brackenfield.example"
BASE = "https://whistle.example"
PASSWORD = "a-long-staff-password"
ADDRESS = "otter.lantern@private-mail.example"


@pytest.fixture
def orgs(settings: Any) -> tuple[Any, Any]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    settings.WHISTLEDESK_BASE_URL = BASE + "/"
    aldermoor = OrganisationFactory(name="Aldermoor Standards Office", slug="aldermoor")
    brackenfield = OrganisationFactory(
        name="Brackenfield Care Board", slug="brackenfield", host=HOST
    )
    return aldermoor, brackenfield


def _staff(org: Any, username: str, role: Role, email: str) -> Any:
    from django.contrib.auth.models import Group

    for r in Role:
        Group.objects.get_or_create(name=r.value)
    user = user_create(
        actor=None, username=username, password=PASSWORD, roles=[role], organisation=org
    )
    user.email = email
    user.save(update_fields=["email"])
    return user


def _deliver_all() -> dict[str, list[str]]:
    """Send every queued email as the worker would; each recipient's bodies."""
    for pk in OutboundEmail.objects.order_by("pk").values_list("pk", flat=True):
        email_deliver(email_id=pk)
    received: dict[str, list[str]] = {}
    for message in mail.outbox:
        for to in message.to:
            received.setdefault(to, []).append(str(message.body))
    return received


def test_the_address_of_each_organisation(orgs: tuple[Any, Any]) -> None:
    aldermoor, brackenfield = orgs
    assert public_url(aldermoor, "/follow-up/") == "https://whistle.example/aldermoor/follow-up/"
    assert public_url(brackenfield, "/follow-up/") == "https://brackenfield.example/follow-up/"


def test_the_only_organisation_is_at_the_installations_address(
    organisation: Any, settings: Any
) -> None:
    settings.WHISTLEDESK_BASE_URL = "https://whistle.example"
    assert public_url(organisation, "/staff/") == "https://whistle.example/staff/"


def test_new_disclosure_alerts_go_to_its_own_staff_with_its_own_address(
    orgs: tuple[Any, Any], django_capture_on_commit_callbacks: Any
) -> None:
    aldermoor, brackenfield = orgs
    _staff(aldermoor, "ivy", Role.INTAKE_OFFICER, "ivy@aldermoor.example")
    _staff(brackenfield, "ivy", Role.INTAKE_OFFICER, "ivy@brackenfield.example")
    # When a whistleblower sends a disclosure at each organisation, and the worker alerts
    ref_a, _ = submit(Client(), aldermoor, prefix="/aldermoor")
    ref_b, _ = submit(Client(HTTP_HOST=HOST), brackenfield)
    for disclosure in Disclosure.objects.all():
        with django_capture_on_commit_callbacks():
            alerts_disclosure_received(disclosure_id=disclosure.pk)
    received = _deliver_all()
    # Then each office's intake officer hears of its own case only, with its own address
    assert received == {
        "ivy@aldermoor.example": [
            f"A new disclosure has arrived: {ref_a}.\n\n"
            "Sign in to read it: https://whistle.example/aldermoor/staff/account/sign-in/\n\n"
            "You can change which emails you get under Sign-in and security, Email alerts."
        ],
        "ivy@brackenfield.example": [
            f"A new disclosure has arrived: {ref_b}.\n\n"
            "Sign in to read it: https://brackenfield.example/staff/account/sign-in/\n\n"
            "You can change which emails you get under Sign-in and security, Email alerts."
        ],
    }
    # ...and each queued row belongs to its organisation
    assert set(OutboundEmail.objects.values_list("organisation__slug", "to")) == {
        ("aldermoor", "ivy@aldermoor.example"),
        ("brackenfield", "ivy@brackenfield.example"),
    }


def test_a_reply_without_a_handler_goes_to_its_own_managers(
    orgs: tuple[Any, Any], django_capture_on_commit_callbacks: Any
) -> None:
    aldermoor, brackenfield = orgs
    _staff(aldermoor, "mo", Role.MANAGER, "mo@aldermoor.example")
    _staff(brackenfield, "mo", Role.MANAGER, "mo@brackenfield.example")
    case = DisclosureFactory(organisation=brackenfield)
    with django_capture_on_commit_callbacks():
        alerts_source_message(disclosure_id=case.pk)
    assert list(_deliver_all()) == ["mo@brackenfield.example"]


def test_the_digest_and_reminders_run_for_every_organisation(
    orgs: tuple[Any, Any], django_capture_on_commit_callbacks: Any
) -> None:
    aldermoor, brackenfield = orgs
    cara_a = _staff(aldermoor, "cara", Role.CASEWORKER, "cara@aldermoor.example")
    cara_b = _staff(brackenfield, "cara", Role.CASEWORKER, "cara@brackenfield.example")
    today = dt.date(2026, 11, 30)
    case_a = DisclosureFactory(organisation=aldermoor, handler=cara_a)
    case_b = DisclosureFactory(organisation=brackenfield, handler=cara_b)
    for case, who in ((case_a, cara_a), (case_b, cara_b)):
        CaseReminder.objects.create(disclosure=case, user=who, remind_on=today)
    # When the worker's daily digest and reminder jobs run (no organisation chosen)
    with django_capture_on_commit_callbacks():
        assert digest_send(today=today) == 2
        assert reminders_send(today=today) == 2
    received = _deliver_all()
    # Then each caseworker gets their own organisation's cases, with its own address
    assert sorted(received) == ["cara@aldermoor.example", "cara@brackenfield.example"]
    for body in received["cara@aldermoor.example"]:
        assert case_a.reference in body
        assert case_b.reference not in body
        assert "https://whistle.example/aldermoor/staff/account/sign-in/" in body
    for body in received["cara@brackenfield.example"]:
        assert case_b.reference in body
        assert case_a.reference not in body
        assert "https://brackenfield.example/staff/account/sign-in/" in body


def test_a_whistleblowers_notice_names_their_own_organisations_inbox(
    orgs: tuple[Any, Any],
) -> None:
    aldermoor, brackenfield = orgs
    _staff(aldermoor, "ivy", Role.INTAKE_OFFICER, "ivy@aldermoor.example")
    _staff(brackenfield, "ivy", Role.INTAKE_OFFICER, "ivy@brackenfield.example")
    for org, prefix, host in ((aldermoor, "/aldermoor", "testserver"), (brackenfield, "", HOST)):
        # Given a whistleblower at each organisation who asks for emails
        _, receipt = submit(Client(HTTP_HOST=host), org, prefix=prefix, identity="confidential")
        source = Client(HTTP_HOST=host)
        assert source.post(f"{prefix}/follow-up/", {"receipt": receipt}).status_code == 302
        response = source.post(
            f"{prefix}/follow-up/email/", {"address": ADDRESS, "understood": "on"}
        )
        assert response.status_code == 302
        # When that organisation's intake officer writes to them (a staff page, under
        # the organisation's own prefix or host)
        staff = Client(HTTP_HOST=host)
        signed_in = staff.post(
            f"{prefix}/staff/account/sign-in/", {"username": "ivy", "password": PASSWORD}
        )
        assert signed_in.status_code == 302
        reference = Disclosure.objects.get(organisation=org).reference
        staff.post(f"{prefix}/staff/cases/{reference}/move/acknowledged/")
        reply = staff.post(f"{prefix}/staff/cases/{reference}/reply/", {"text": "Which ward?"})
        assert reply.status_code == 302
    # Then each notice names the inbox of the whistleblower's own organisation
    bodies = _deliver_all()[ADDRESS]
    assert bodies == [
        "You have a new message. Sign in with your receipt at "
        "https://whistle.example/aldermoor/follow-up/\n",
        "You have a new message. Sign in with your receipt at "
        "https://brackenfield.example/follow-up/\n",
    ]


def test_managers_see_and_send_again_only_their_own_organisations_failed_emails(
    orgs: tuple[Any, Any],
) -> None:
    from whistledesk.notifications.models import EmailStatus

    aldermoor, brackenfield = orgs
    mo_a = _staff(aldermoor, "mo", Role.MANAGER, "mo@aldermoor.example")
    failed_b = OutboundEmail.objects.create(
        organisation=brackenfield,
        kind="new_disclosure",
        to="ivy@brackenfield.example",
        subject="Whistledesk: new disclosure WD-B",
        body="b",
        status=EmailStatus.FAILED,
        attempts=5,
    )
    browser = Client()
    browser.force_login(mo_a)
    # When Aldermoor's manager opens their dashboard and alerts page, and tries to send
    # Brackenfield's failed email again
    dashboard = browser.get("/aldermoor/staff/").content.decode()
    settings_page = browser.get("/aldermoor/staff/account/notifications/").content.decode()
    again = browser.post(
        f"/aldermoor/staff/account/notifications/emails/{failed_b.pk}/retry/", follow=True
    )
    # Then they see nothing of it, and it is "not waiting", as an email that does not exist
    assert "could not be sent" not in dashboard
    assert "WD-B" not in settings_page
    assert "That email is not waiting to be sent again." in again.content.decode()
    assert OutboundEmail.objects.get(pk=failed_b.pk).status == EmailStatus.FAILED
