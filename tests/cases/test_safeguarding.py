"""The safeguarding gate: no path closes a case while a concern is open."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests.casefiles.conftest import private_key_of
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.safeguarding import (
    safeguarding_action_confirm,
    safeguarding_concern_raise,
)
from whistledesk.cases.workflow import disclosure_transition
from whistledesk.core.exceptions import DomainError, NotPermitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(new_case: Any, walk: Any, users: Any) -> Any:
    # Given a case under way with an open safeguarding concern
    case = walk(new_case(), Status.ACTION)
    safeguarding_concern_raise(
        actor=users["caseworker"],
        private_key=private_key_of(users["caseworker"]),
        disclosure=case,
        summary="Child left unsupervised at night.",
    )
    case.refresh_from_db()
    return case


def test_service_refuses_to_close_with_open_concern(flagged: Any, users: Any) -> None:
    # When the caseworker tries to close it
    with pytest.raises(DomainError, match="open safeguarding concern"):
        disclosure_transition(
            actor=users["manager"],
            disclosure=flagged,
            to=Status.CLOSED,
            outcome=flagged.organisation.outcomes.first(),
        )
    # Then it stays open
    flagged.refresh_from_db()
    assert flagged.status == Status.ACTION
    assert flagged.safeguarding_open is True


def test_database_refuses_a_queryset_update_that_closes_it(flagged: Any) -> None:
    # When code bypasses the service with a bulk update
    with pytest.raises(IntegrityError), transaction.atomic():
        Disclosure.objects.filter(pk=flagged.pk).update(
            status=Status.CLOSED, outcome=flagged.organisation.outcomes.first()
        )
    # Then the row is unchanged
    flagged.refresh_from_db()
    assert flagged.status == Status.ACTION


def test_database_refuses_closed_without_outcome(new_case: Any) -> None:
    case = new_case()
    with pytest.raises(IntegrityError), transaction.atomic():
        Disclosure.objects.filter(pk=case.pk).update(status=Status.CLOSED)


def test_database_refuses_a_save_that_closes_it(flagged: Any) -> None:
    flagged.status = Status.CLOSED
    flagged.outcome = flagged.organisation.outcomes.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        flagged.save()


@pytest.mark.parametrize("role", ["caseworker", "manager", "intake_officer", "auditor"])
def test_only_a_safeguarding_lead_can_confirm(flagged: Any, users: Any, role: str) -> None:
    concern = flagged.safeguarding_concerns.get()
    with pytest.raises(NotPermitted, match="safeguarding leads only"):
        safeguarding_action_confirm(
            actor=users[role],
            private_key=private_key_of(users[role]),
            concern=concern,
            action_taken="Referred to children's services",
            action_taken_by="LA duty team",
            action_taken_on=dt.date.today(),
        )


def test_after_lead_confirms_the_case_can_close(flagged: Any, users: Any) -> None:
    concern = flagged.safeguarding_concerns.get()
    confirmed = safeguarding_action_confirm(
        actor=users["safeguarding_lead"],
        private_key=private_key_of(users["safeguarding_lead"]),
        concern=concern,
        action_taken="Strategy meeting held; child moved to a safe placement",
        action_taken_by="Local authority children's services",
        action_taken_on=dt.date.today(),
    )
    assert confirmed.confirmed_by == users["safeguarding_lead"]
    flagged.refresh_from_db()
    assert flagged.safeguarding_open is False
    closed = disclosure_transition(
        actor=users["caseworker"],
        disclosure=flagged,
        to=Status.CLOSED,
        outcome=flagged.organisation.outcomes.first(),
    )
    assert closed.status == Status.CLOSED


def test_confirmation_needs_what_who_and_when(flagged: Any, users: Any) -> None:
    concern = flagged.safeguarding_concerns.get()
    with pytest.raises(DomainError, match="who took"):
        safeguarding_action_confirm(
            actor=users["safeguarding_lead"],
            private_key=private_key_of(users["safeguarding_lead"]),
            concern=concern,
            action_taken="Done",
            action_taken_by=" ",
            action_taken_on=dt.date.today(),
        )
    with pytest.raises(DomainError, match="future"):
        safeguarding_action_confirm(
            actor=users["safeguarding_lead"],
            private_key=private_key_of(users["safeguarding_lead"]),
            concern=concern,
            action_taken="Done",
            action_taken_by="LADO",
            action_taken_on=dt.date.today() + dt.timedelta(days=3),
        )


def test_second_concern_reopens_the_gate(flagged: Any, users: Any) -> None:
    concern = flagged.safeguarding_concerns.get()
    safeguarding_action_confirm(
        actor=users["safeguarding_lead"],
        private_key=private_key_of(users["safeguarding_lead"]),
        concern=concern,
        action_taken="Checked",
        action_taken_by="LADO",
        action_taken_on=dt.date.today(),
    )
    safeguarding_concern_raise(
        actor=users["caseworker"],
        private_key=private_key_of(users["caseworker"]),
        disclosure=flagged,
        summary="A second worry.",
    )
    flagged.refresh_from_db()
    assert flagged.safeguarding_open is True


def test_no_concern_on_a_closed_case(new_case: Any, walk: Any, users: Any) -> None:
    case = walk(new_case(), Status.ACTION)
    case = disclosure_transition(
        actor=users["caseworker"],
        disclosure=case,
        to=Status.CLOSED,
        outcome=case.organisation.outcomes.first(),
    )
    with pytest.raises(DomainError, match="Reopen"):
        safeguarding_concern_raise(
            actor=users["caseworker"],
            private_key=private_key_of(users["caseworker"]),
            disclosure=case,
            summary="Late",
        )


def test_admin_cannot_change_or_bulk_close(flagged: Any, client: Any, make_staff: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    admin_user = get_user_model().objects.create_superuser("root", password="pw-long-enough-1")
    # Being a superuser is not enough to see a case: the access policy wants a role.
    client.force_login(admin_user)
    assert client.get(f"/admin/cases/disclosure/{flagged.pk}/change/").status_code == 403
    admin_user.groups.add(Group.objects.get(name="manager"))
    # The change form is read-only and posting to it changes nothing.
    url = f"/admin/cases/disclosure/{flagged.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="status"' not in page.content
    client.post(url, {"status": "closed", "outcome": flagged.organisation.outcomes.first().pk})
    flagged.refresh_from_db()
    assert flagged.status == Status.ACTION
    # No bulk action can close it either: the only action (delete) is gone.
    listing = client.get("/admin/cases/disclosure/")
    assert b'name="action"' not in listing.content
    client.post(
        "/admin/cases/disclosure/",
        {"action": "delete_selected", "_selected_action": [flagged.pk]},
    )
    assert Disclosure.objects.filter(pk=flagged.pk, status=Status.ACTION).exists()


def test_no_casework_record_is_editable_in_the_admin(client: Any) -> None:
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    from whistledesk.cases import models

    for model in (
        models.SafeguardingConcern,
        models.Referral,
        models.StatusChange,
        models.Consent,
        models.ConflictOfInterest,
        models.CaseAction,
    ):
        assert model not in admin.site._registry, model
    root = get_user_model().objects.create_superuser("root2", password="pw-long-enough-1")
    client.force_login(root)
    assert client.get("/admin/cases/safeguardingconcern/").status_code == 404


def test_referral_directory_is_configurable_in_the_admin(client: Any) -> None:
    from django.contrib.auth import get_user_model

    from whistledesk.cases.models import ReferralBody

    root = get_user_model().objects.create_superuser("root3", password="pw-long-enough-1")
    client.force_login(root)
    r = client.post(
        "/admin/cases/referralbody/add/",
        {
            "name": "Health and Safety Executive",
            "kind": "other_regulator",
            "reassurance_days": 30,
            "active": "on",
        },
    )
    assert r.status_code == 302
    assert ReferralBody.objects.filter(name="Health and Safety Executive").exists()
