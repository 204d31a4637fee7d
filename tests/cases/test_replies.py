"""Replies are seen (issue 10 item 4): a whistleblower's reply shows on the dashboard's
"Replies waiting", as a marker on the register and the case page, until a key holder
reads it on the sealed case file page; loading the register clears nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.intake.conftest import STAFF_PASSWORD, submit
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import Direction, Message
from whistledesk.cases.assessment import disclosure_assign
from whistledesk.cases.models import ConflictOfInterest, Disclosure
from whistledesk.cases.permissions import Perm, allowed_cases, can_act_on

pytestmark = pytest.mark.django_db

MARKER = "Reply waiting"


def _signed_in(username: str) -> Client:
    """A staff browser signed in through the form, so their case key is unlocked."""
    staff = Client()
    response = staff.post(
        "/staff/account/sign-in/", {"username": username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    return staff


def _reply(receipt: str, text: str = "Ward 7, on the night shift.") -> None:
    source = Client()
    assert source.post("/follow-up/", {"receipt": receipt})["Location"] == "/follow-up/inbox/"
    assert source.post("/follow-up/inbox/", {"text": text})["Location"] == "/follow-up/inbox/"


def _listed(staff: Client, tab: str) -> set[str]:
    page = staff.get(f"/staff/?list={tab}").content.decode()
    return set(re.findall(r'href="/staff/cases/(WD-[^/"]+)/"', page))


def _marked_rows(staff: Client) -> set[str]:
    """References whose register row carries the marker."""
    page = staff.get("/staff/?list=all").content.decode()
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S)
    return {
        m.group(1)
        for row in rows
        if MARKER in row and (m := re.search(r'href="/staff/cases/(WD-[^/"]+)/"', row))
    }


@pytest.fixture
def staff(make_staff: Any) -> dict[str, Any]:
    """Made before the disclosures arrive, so intake officers and managers hold their keys."""
    people = {
        "ivy": [Role.INTAKE_OFFICER],
        "cara": [Role.CASEWORKER],
        "carl": [Role.CASEWORKER],
        "sam": [Role.SAFEGUARDING_LEAD],
        "mo": [Role.MANAGER],
        "mia": [Role.MANAGER],
        "aud": [Role.AUDITOR],
    }
    return {
        name: make_staff(name, roles=roles, password=STAFF_PASSWORD)
        for name, roles in people.items()
    }


def test_a_reply_waits_on_the_dashboard_until_a_key_holder_reads_it(
    client: Client, organisation: Any, staff: dict[str, Any]
) -> None:
    # Given a web disclosure, and the whistleblower replying through the follow-up inbox
    reference, receipt = submit(client, organisation)
    other, _ = submit(Client(), organisation)
    _reply(receipt)
    ivy = _signed_in("ivy")

    # Then it is in Replies waiting, marked on the register row and on the case page
    assert _listed(ivy, "replies_waiting") == {reference}
    assert _marked_rows(ivy) == {reference}
    case_page = ivy.get(f"/staff/cases/{reference}/").content.decode()
    assert 'id="replies-waiting"' in case_page
    assert "sent a message (with any files) that nobody has read yet" in case_page
    assert other not in _marked_rows(ivy)

    # When staff only load the register and the case page again, nothing is cleared
    ivy.get("/staff/")
    ivy.get(f"/staff/cases/{reference}/")
    assert _listed(ivy, "replies_waiting") == {reference}

    # When a key holder opens the sealed case file, the reply is read for the whole office
    assert ivy.get(f"/staff/cases/{reference}/content/").status_code == 200
    mo = _signed_in("mo")
    assert _listed(mo, "replies_waiting") == set()
    assert _marked_rows(mo) == set()
    case_page = mo.get(f"/staff/cases/{reference}/").content.decode()
    assert 'id="replies-waiting"' not in case_page
    assert "The whistleblower's latest reply was read by ivy on" in case_page

    # ...and the clearing is an audit event saying how many replies it cleared
    event = AuditEvent.objects.filter(action="message.read_by_staff").latest("seq")
    assert event.actor_label == "ivy"
    assert event.details == {"messages": 1, "newly_read": 1}

    # A second reply lights it again
    _reply(receipt, "One more thing.")
    assert _listed(mo, "replies_waiting") == {reference}


def test_replies_waiting_lists_only_cases_the_viewer_may_read(
    client: Client, organisation: Any, staff: dict[str, Any]
) -> None:
    # Given three cases with a reply: unassigned, handled by cara, and one mia is conflicted on
    unassigned, receipt1 = submit(client, organisation)
    caras, receipt2 = submit(Client(), organisation)
    conflicted, receipt3 = submit(Client(), organisation)
    for receipt in (receipt1, receipt2, receipt3):
        _reply(receipt)
    disclosure_assign(
        actor=staff["mo"],
        disclosure=Disclosure.objects.get(reference=caras),
        handler=staff["cara"],
    )
    ConflictOfInterest.objects.create(
        disclosure=Disclosure.objects.get(reference=conflicted),
        user=staff["mia"],
        recorded_by=staff["mo"],
    )

    # Then each person's list holds what the access policy lets them read
    expected = {
        "ivy": {unassigned, conflicted},  # intake officers: unassigned cases
        "cara": {caras},  # a caseworker: their own
        "carl": set(),  # another caseworker: none
        "sam": {unassigned, caras, conflicted},  # safeguarding leads: any
        "mo": {unassigned, caras, conflicted},
        "mia": {unassigned, caras},  # a conflict hides the case
    }
    for name, refs in expected.items():
        assert _listed(_signed_in(name), "replies_waiting") == refs, name

    # An auditor reads no content: no such list on their dashboard, and none if asked for
    auditor = _signed_in("aud")
    assert "list=replies_waiting" not in auditor.get("/staff/").content.decode()
    assert _listed(auditor, "replies_waiting") == set()


@pytest.mark.parametrize("name", ["ivy", "cara", "carl", "sam", "mo", "mia", "aud"])
def test_the_list_query_agrees_with_the_access_policy(
    client: Client, organisation: Any, staff: dict[str, Any], name: str
) -> None:
    refs = [submit(client if i == 0 else Client(), organisation)[0] for i in range(3)]
    cases = list(Disclosure.objects.filter(reference__in=refs).order_by("reference"))
    disclosure_assign(actor=staff["mo"], disclosure=cases[1], handler=staff["cara"])
    ConflictOfInterest.objects.create(
        disclosure=cases[2], user=staff["mia"], recorded_by=staff["mo"]
    )
    user = staff[name]
    listed = set(allowed_cases(user, Perm.OPEN_CONTENT, Disclosure.objects.all()))
    allowed = {d for d in Disclosure.objects.all() if can_act_on(user, Perm.OPEN_CONTENT, d)}
    assert listed == allowed


def test_the_register_marker_costs_no_query_per_row(
    client: Client, organisation: Any, staff: dict[str, Any]
) -> None:
    """No N+1: a page of many marked rows takes as many queries as a page of one."""
    reference, _ = submit(client, organisation)
    template = Disclosure.objects.get(reference=reference)

    def add_replies(n: int) -> None:
        for i in range(n):
            copy = Disclosure.objects.get(pk=template.pk)
            copy.pk = None
            copy.reference = f"WD-COPY-{Disclosure.objects.count()}-{i}"
            copy.save()
            Message.objects.create(
                disclosure=copy, direction=Direction.FROM_SOURCE, ciphertext=b"x"
            )

    ivy = _signed_in("ivy")
    add_replies(1)
    with CaptureQueriesContext(connection) as few:
        assert ivy.get("/staff/?list=all").status_code == 200
    add_replies(20)
    with CaptureQueriesContext(connection) as many:
        page = ivy.get("/staff/?list=all").content.decode()
    assert page.count(MARKER) == 21
    assert len(many.captured_queries) == len(few.captured_queries)
