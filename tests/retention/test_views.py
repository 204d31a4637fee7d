"""The staff retention page: managers see what is due and what is held, and place and lift
holds; nobody else gets in."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.retention.models import LegalHold

URL = "/staff/retention/"


@pytest.fixture
def manager_client(client: Any, manager: Any) -> Any:
    client.force_login(manager)
    return client


def test_preview_lists_due_cases_without_their_content(
    manager_client: Any, closed_case: Any, default_policy: Any
) -> None:
    due = closed_case(summary="Night staffing at Thistledown Court")
    response = manager_client.get(URL, {"on": "2026-05-11"})
    text = response.content.decode()
    assert response.status_code == 200
    assert due.reference in text
    assert "1 case due" in text
    assert "10 May 2026" in text  # kept until
    assert "Thistledown" not in text


def test_preview_before_the_date_lists_nothing(
    manager_client: Any, closed_case: Any, default_policy: Any
) -> None:
    closed_case()
    assert "0 cases due" in manager_client.get(URL, {"on": "2026-05-10"}).content.decode()


def test_without_a_policy_the_page_says_nothing_will_be_destroyed(
    manager_client: Any, closed_case: Any
) -> None:
    closed_case()
    assert 'id="no-policy"' in manager_client.get(URL).content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.MANAGER], ids=str)
def test_other_roles_are_refused(
    client: Any, make_staff: Any, organisation: Any, role: Role
) -> None:
    client.force_login(make_staff("someone", roles=[role]))
    assert client.get(URL).status_code == 403
    assert client.post(reverse("retention:hold_place"), {}).status_code == 403


def test_place_and_lift_a_hold(manager_client: Any, closed_case: Any, default_policy: Any) -> None:
    case = closed_case()
    # When a manager places a hold by reference
    response = manager_client.post(
        reverse("retention:hold_place"),
        {"reference": case.reference.lower(), "reason": "Tribunal claim pending"},
        follow=True,
    )
    text = response.content.decode()
    assert f"{case.reference} is now on legal hold" in text
    # Then it is listed as held (and would otherwise be due), not as due
    text = manager_client.get(URL, {"on": "2030-01-01"}).content.decode()
    assert "Tribunal claim pending" in text and "Otherwise due" in text
    assert "0 cases due" in text
    hold = LegalHold.objects.get(disclosure=case)
    # When the hold is lifted with a reason
    response = manager_client.post(
        reverse("retention:hold_lift", args=[hold.pk]), {"lift_reason": "Withdrawn"}, follow=True
    )
    assert "is lifted" in response.content.decode()
    assert "1 case due" in manager_client.get(URL, {"on": "2030-01-01"}).content.decode()
    actions = list(
        AuditEvent.objects.filter(disclosure_id=case.pk).values_list("action", flat=True)
    )
    assert actions == ["retention.hold_placed", "retention.hold_lifted"]


def test_clear_messages_for_mistakes(
    manager_client: Any, closed_case: Any, default_policy: Any
) -> None:
    case = closed_case()
    place = reverse("retention:hold_place")
    text = manager_client.post(place, {"reference": "NOPE-1", "reason": "x"}).content.decode()
    assert "There is no case with that reference" in text
    manager_client.post(place, {"reference": case.reference, "reason": "First"})
    text = manager_client.post(place, {"reference": case.reference, "reason": "Again"}).content
    assert b"already on legal hold" in text
    hold = LegalHold.objects.get(disclosure=case)
    lift = reverse("retention:hold_lift", args=[hold.pk])
    response = manager_client.post(lift, {"lift_reason": ""}, follow=True)
    assert "Give a reason for lifting" in response.content.decode()
    assert LegalHold.objects.get(pk=hold.pk).active


def test_managers_find_the_page_in_the_menu(
    manager_client: Any, client: Any, make_staff: Any
) -> None:
    assert f'href="{URL}"' in manager_client.get(URL).content.decode()
    client.force_login(make_staff("carl", roles=[Role.CASEWORKER]))
    assert f'href="{URL}"' not in client.get(reverse("reports:annual")).content.decode()
