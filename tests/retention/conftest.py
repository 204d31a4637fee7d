"""Fixtures for retention: closed cases with policies, a manager, sealed content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from whistledesk.accounts.roles import Role
from whistledesk.cases.models import Status
from whistledesk.organisation.models import Outcome
from whistledesk.retention.models import RetentionPolicy


@pytest.fixture
def manager(make_staff: Any) -> Any:
    return make_staff("maggie", roles=[Role.MANAGER])


@pytest.fixture
def outcome_referred(organisation: Any) -> Outcome:
    return Outcome.objects.get(organisation=organisation, label="Referred")


@pytest.fixture
def outcome_no_action(organisation: Any) -> Outcome:
    return Outcome.objects.get(organisation=organisation, label="No action")


@pytest.fixture
def default_policy(organisation: Any) -> RetentionPolicy:
    return RetentionPolicy.objects.create(organisation=organisation, outcome=None, keep_years=6)


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def closed_case(organisation: Any, outcome_referred: Outcome) -> Callable[..., Any]:
    """A closed disclosure; `closed_on=None` leaves the closure date unrecorded (imported)."""
    from tests.factories import DisclosureFactory

    def make(
        closed_on: dt.date | None = dt.date(2020, 5, 10),
        received_on: dt.date = dt.date(2020, 1, 15),
        outcome: Outcome | None = None,
        **kwargs: Any,
    ) -> Any:
        return DisclosureFactory(
            organisation=organisation,
            received_on=received_on,
            status=Status.CLOSED,
            outcome=outcome or outcome_referred,
            closed_at=at_noon(closed_on) if closed_on else None,
            **kwargs,
        )

    return make


@pytest.fixture
def recovery_key(db: Any) -> None:
    import io

    call_command("create_recovery_key", stdout=io.StringIO())
