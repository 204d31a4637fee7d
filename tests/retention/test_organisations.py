"""Retention in an installation of two organisations (ADR 0017, issue 12): each has its own
policies and holds; `apply_retention` runs every organisation in turn (or the one named);
the retention page shows and changes only the manager's own organisation's cases."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import DisclosureFactory, OrganisationFactory
from tests.retention.conftest import at_noon
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.cases.models import Status
from whistledesk.organisation.models import Outcome
from whistledesk.retention.models import LegalHold, RetentionPolicy, RetentionRecord
from whistledesk.retention.services import legal_hold_place

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"


@pytest.fixture
def orgs() -> tuple[Any, Any]:
    aldermoor = OrganisationFactory(name="Aldermoor Standards Office", slug="aldermoor")
    brackenfield = OrganisationFactory(name="Brackenfield Care Board", slug="brackenfield")
    # Aldermoor keeps closed cases 6 years, Brackenfield 10
    RetentionPolicy.objects.create(organisation=aldermoor, outcome=None, keep_years=6)
    RetentionPolicy.objects.create(organisation=brackenfield, outcome=None, keep_years=10)
    return aldermoor, brackenfield


def _closed(org: Any) -> Any:
    return DisclosureFactory(
        organisation=org,
        received_on=dt.date(2020, 1, 15),
        status=Status.CLOSED,
        outcome=Outcome.objects.filter(organisation=org).first(),
        closed_at=at_noon(dt.date(2020, 5, 10)),
    )


def _manager(org: Any) -> Any:
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return user_create(
        actor=None, username="maggie", password=PASSWORD, roles=[Role.MANAGER], organisation=org
    )


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _destroyed() -> set[str]:
    return set(RetentionRecord.objects.values_list("disclosure__reference", flat=True))


def test_each_organisation_is_destroyed_by_its_own_policy(orgs: tuple[Any, Any]) -> None:
    aldermoor, brackenfield = orgs
    case_a, case_b = _closed(aldermoor), _closed(brackenfield)
    # When retention runs on 1 June 2027 for every organisation
    out = _run("--today", "2027-06-01")
    # Then Aldermoor's case (6 years) is gone, Brackenfield's (10 years) is kept
    assert _destroyed() == {case_a.reference}
    assert "Aldermoor Standards Office (aldermoor):" in out
    assert "Brackenfield Care Board (brackenfield):" in out
    assert f"Destroyed {case_a.reference}" in out
    assert case_b.reference not in out
    # When it runs in 2031, Brackenfield's goes too
    _run("--today", "2031-06-01")
    assert _destroyed() == {case_a.reference, case_b.reference}


def test_one_organisation_named_touches_no_other(orgs: tuple[Any, Any]) -> None:
    aldermoor, brackenfield = orgs
    case_a, case_b = _closed(aldermoor), _closed(brackenfield)
    # When retention runs in 2031 for Brackenfield only
    out = _run("--today", "2031-06-01", "--organisation", "brackenfield")
    # Then only Brackenfield's case is destroyed, though Aldermoor's is due too
    assert _destroyed() == {case_b.reference}
    assert case_a.reference not in out


def test_a_hold_at_one_organisation_keeps_only_its_case(orgs: tuple[Any, Any]) -> None:
    aldermoor, brackenfield = orgs
    case_a, case_b = _closed(aldermoor), _closed(brackenfield)
    legal_hold_place(actor=_manager(aldermoor), disclosure=case_a, reason="Tribunal claim")
    out = _run("--today", "2031-06-01")
    assert _destroyed() == {case_b.reference}
    assert f"Kept {case_a.reference}: on legal hold" in out


def test_an_unknown_organisation_is_a_clear_error(orgs: tuple[Any, Any]) -> None:
    with pytest.raises(CommandError, match=r"No organisation has the slug 'nowhere'"):
        _run("--organisation", "nowhere")
    assert not RetentionRecord.objects.exists()


def test_the_retention_page_shows_and_changes_only_its_own_organisation(
    orgs: tuple[Any, Any],
) -> None:
    aldermoor, brackenfield = orgs
    case_a, case_b = _closed(aldermoor), _closed(brackenfield)
    held_b = legal_hold_place(
        actor=_manager(brackenfield), disclosure=case_b, reason="Brackenfield's own hold"
    )
    browser = Client()
    browser.force_login(_manager(aldermoor))
    # When Aldermoor's manager previews 2031, when both cases would be due
    page = browser.get("/aldermoor/staff/retention/", {"on": "2031-06-01"}).content.decode()
    # Then only Aldermoor's case and holds are there
    assert case_a.reference in page
    assert case_b.reference not in page
    assert "Brackenfield" not in page
    assert "1 case due" in page
    # When they try to hold Brackenfield's case by its reference, or lift its hold
    hold = browser.post(
        "/aldermoor/staff/retention/holds/",
        {"reference": case_b.reference, "reason": "Not ours"},
    )
    lift = browser.post(
        f"/aldermoor/staff/retention/holds/{held_b.pk}/lift/", {"lift_reason": "Not ours"}
    )
    # Then it is "no case", as for a reference that does not exist, and the hold stands
    assert "There is no case with that reference." in hold.content.decode()
    assert lift.status_code == 404
    assert LegalHold.objects.filter(disclosure=case_b, lifted_at__isnull=True).count() == 1
    assert not LegalHold.objects.filter(disclosure=case_a).exists()
