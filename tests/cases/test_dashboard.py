"""The dashboard lists: each shows the cases a member of staff must act on, and no others."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.casefiles.conftest import private_key_of
from whistledesk.cases.actions import action_record, referral_record
from whistledesk.cases.assessment import disclosure_assign, disclosure_set_setting
from whistledesk.cases.models import Disclosure, ReferralBody, Status

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _refs(client: Any, query: str) -> set[str]:
    html = client.get(f"/staff/?{query}").content.decode()
    return {r for r in Disclosure.objects.values_list("reference", flat=True) if r in html}


@pytest.fixture
def cases(new_case: Any, walk: Any, users: Any) -> dict[str, Any]:
    out = {
        "old_unacknowledged": new_case(received_on=TODAY - dt.timedelta(days=9)),
        "mine": walk(new_case(), Status.ASSESSING),
        "urgent": new_case(urgent=True),
    }
    disclosure_assign(actor=users["manager"], disclosure=out["mine"], handler=users["caseworker"])
    # Walked by a manager, so they stay unassigned (a caseworker would take them first).
    overdue = walk(new_case(), Status.ACTION, users["manager"])
    referral_record(
        actor=users["manager"],
        private_key=private_key_of(users["manager"]),
        disclosure=overdue,
        body=ReferralBody.objects.get(kind="ofsted"),
        shared_summary="Concerns passed on",
        referred_on=TODAY - dt.timedelta(days=60),
        reassurance_due=TODAY - dt.timedelta(days=1),
    )
    out["reassurance_overdue"] = overdue
    feedback = walk(
        new_case(received_on=TODAY - dt.timedelta(days=100)), Status.ASSESSING, users["manager"]
    )
    Disclosure.objects.filter(pk=feedback.pk).update(feedback_due_on=TODAY + dt.timedelta(days=3))
    out["feedback_due"] = feedback
    return out


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        ("mine", {"mine"}),
        ("urgent", {"urgent"}),
        ("ack_due", {"old_unacknowledged", "urgent"}),
        ("reassurance_overdue", {"reassurance_overdue"}),
        ("feedback_due", {"feedback_due"}),
        ("unassigned", {"old_unacknowledged", "urgent", "reassurance_overdue", "feedback_due"}),
    ],
)
def test_each_list_shows_its_cases(
    client: Any, cases: dict[str, Any], users: Any, tab: str, expected: set[str]
) -> None:
    client.force_login(users["caseworker"])
    assert _refs(client, f"list={tab}") == {cases[k].reference for k in expected}


def test_feedback_given_leaves_the_feedback_list(
    client: Any, cases: dict[str, Any], users: Any
) -> None:
    action_record(
        actor=users["manager"],
        private_key=private_key_of(users["manager"]),
        disclosure=cases["feedback_due"],
        kind="feedback",
        summary="Told them the matter was referred",
        taken_on=TODAY,
    )
    client.force_login(users["caseworker"])
    assert _refs(client, "list=feedback_due") == set()


def test_response_received_leaves_the_overdue_list(
    client: Any, cases: dict[str, Any], users: Any
) -> None:
    from whistledesk.cases.actions import referral_response_record

    referral = cases["reassurance_overdue"].referrals.get()
    referral_response_record(
        actor=users["manager"],
        private_key=private_key_of(users["manager"]),
        referral=referral,
        received_on=TODAY,
        summary="Assured",
    )
    client.force_login(users["caseworker"])
    assert _refs(client, "list=reassurance_overdue") == set()


def test_search_by_reference_setting_and_urn(
    client: Any, cases: dict[str, Any], users: Any
) -> None:
    disclosure_set_setting(
        actor=users["manager"],
        disclosure=cases["urgent"],
        setting_name="Oakfield Children's Home",
        ofsted_urn="SC 654321",
    )
    client.force_login(users["auditor"])
    target = {cases["urgent"].reference}
    assert _refs(client, "q=oakfield") == target
    assert _refs(client, "q=SC654321") == target
    assert _refs(client, f"q={cases['mine'].reference.lower()}") == {cases["mine"].reference}


def test_filter_by_status(client: Any, cases: dict[str, Any], users: Any) -> None:
    client.force_login(users["manager"])
    assert _refs(client, "status=action") == {cases["reassurance_overdue"].reference}


def test_lists_are_paginated(client: Any, new_case: Any, users: Any) -> None:
    for _ in range(55):
        new_case()
    client.force_login(users["manager"])
    first = client.get("/staff/")
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/staff/?page=2")
    assert second.content.decode().count("/staff/cases/WD-") == 5


def test_a_member_of_staff_with_no_role_sees_nothing(
    client: Any, cases: dict[str, Any], users: Any
) -> None:
    client.force_login(users["nobody"])
    r = client.get("/staff/")
    assert r.status_code == 403
    assert cases["urgent"].reference not in r.content.decode()
