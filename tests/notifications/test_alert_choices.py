"""Each person chooses their alerts on /staff/account/notifications/, starting from defaults
per role; the daily digest lists the deadlines of the cases each person looks after."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import DisclosureFactory
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Status
from whistledesk.notifications.alerts import alerts_disclosure_received, digest_lines
from whistledesk.notifications.models import OutboundEmail
from whistledesk.organisation.models import Outcome

URL = "/staff/account/notifications/"

# Typed out from the issue: new disclosure for intake officers and managers; immediate risk
# for safeguarding leads; replies for the handler (caseworkers, and managers who cover cases
# without one); the digest for the people with deadlines to watch; reassurance chasers for
# the handler, managers and safeguarding leads; a reminder to whoever set it, any role.
DEFAULTS = {
    Role.INTAKE_OFFICER: {"new_disclosure", "daily_digest", "case_reminder"},
    Role.CASEWORKER: {"source_message", "daily_digest", "reassurance_overdue", "case_reminder"},
    Role.SAFEGUARDING_LEAD: {"immediate_risk", "reassurance_overdue", "case_reminder"},
    Role.MANAGER: {
        "new_disclosure",
        "source_message",
        "daily_digest",
        "reassurance_overdue",
        "case_reminder",
    },
    Role.CUSTODIAN: {"case_reminder"},
    Role.AUDITOR: {"case_reminder"},
}


def _checked(page: str) -> set[str]:
    return set(re.findall(r'name="kinds" type="checkbox" value="([a-z_]+)" checked', page))


@pytest.mark.parametrize("role", list(DEFAULTS))
def test_defaults_follow_the_role(role: Role, make_staff: Any, client: Client) -> None:
    client.force_login(make_staff("someone", roles=[role]))
    page = client.get(URL)
    assert page.status_code == 200
    assert _checked(page.content.decode()) == DEFAULTS[role]


def test_a_person_changes_their_choices_and_alerts_follow(
    make_staff: Any, client: Client, organisation: Any, django_capture_on_commit_callbacks: Any
) -> None:
    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    officer.email = "ivy@office.example"
    officer.save(update_fields=["email"])
    client.force_login(officer)
    # When the intake officer turns off new disclosures and turns on urgent ones
    response = client.post(URL, {"kinds": ["immediate_risk"]})
    assert response["Location"] == URL
    assert _checked(client.get(URL).content.decode()) == {"immediate_risk"}
    assert AuditEvent.objects.filter(action="notifications.alerts_chosen").count() == 1
    # Then a new disclosure sends them nothing, an urgent one sends the urgent alert only
    calm = DisclosureFactory(organisation=organisation)
    with django_capture_on_commit_callbacks():
        alerts_disclosure_received(disclosure_id=calm.pk)
    assert OutboundEmail.objects.count() == 0
    urgent = DisclosureFactory(organisation=organisation, immediate_risk_answer="yes")
    with django_capture_on_commit_callbacks():
        alerts_disclosure_received(disclosure_id=urgent.pk)
    assert list(OutboundEmail.objects.values_list("to", "kind")) == [
        ("ivy@office.example", "immediate_risk")
    ]


def test_an_unknown_choice_is_refused_with_a_message(make_staff: Any, client: Client) -> None:
    client.force_login(make_staff("ivy", roles=[Role.INTAKE_OFFICER]))
    response = client.post(URL, {"kinds": ["everything"]})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_the_page_needs_sign_in(client: Client, db: Any) -> None:
    assert client.get(URL)["Location"].startswith("/staff/account/sign-in/")


def test_digest_lists_what_is_due_for_each_person(make_staff: Any, organisation: Any) -> None:
    today = dt.date(2026, 6, 10)
    cara = make_staff("cara", roles=[Role.CASEWORKER])
    mo = make_staff("mo", roles=[Role.MANAGER])
    make = DisclosureFactory
    make(
        organisation=organisation,
        reference="WD-A",
        status=Status.RECEIVED,
        received_on=dt.date(2026, 6, 1),
    )  # acknowledgement due 8 June: overdue
    make(
        organisation=organisation,
        reference="WD-B",
        status=Status.RECEIVED,
        received_on=dt.date(2026, 6, 9),
    )  # due 16 June: beyond the 3-day horizon
    make(
        organisation=organisation,
        reference="WD-C",
        status=Status.ACKNOWLEDGED,
        received_on=dt.date(2026, 3, 1),
        feedback_due_on=dt.date(2026, 6, 12),
        handler=cara,
    )
    make(
        organisation=organisation,
        reference="WD-D",
        status=Status.ACTION,
        received_on=dt.date(2026, 1, 1),
        feedback_due_on=dt.date(2026, 4, 1),
        feedback_given_on=dt.date(2026, 3, 1),
        next_reassurance_due=dt.date(2026, 6, 5),
    )
    make(
        organisation=organisation,
        reference="WD-E",
        status=Status.CLOSED,
        outcome=Outcome.objects.filter(organisation=organisation).first(),
        closed_at=timezone.now(),
        received_on=dt.date(2026, 1, 1),
        feedback_due_on=dt.date(2026, 4, 1),
        handler=cara,
    )

    def lines(user: Any) -> list[tuple[str, str, str]]:
        return [(x.reference, x.what, x.due_on) for x in digest_lines(user=user, today=today)]

    assert lines(mo) == [
        ("WD-D", "Reassurance", "2026-06-05"),
        ("WD-A", "Acknowledgement", "2026-06-08"),
        ("WD-C", "Feedback", "2026-06-12"),
    ]
    assert lines(cara) == [("WD-C", "Feedback", "2026-06-12")]
