"""Helpers for report tests: an organisation with a known taxonomy and quick disclosures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory


@pytest.fixture
def org(organisation: Organisation) -> Organisation:
    """The factory organisation: services Schools, Hospitals, Other; outcomes Referred
    (further action) and No action."""
    return organisation


def service(org: Organisation, label: str) -> ServiceCategory:
    return ServiceCategory.objects.get(organisation=org, label=label)


def outcome(org: Organisation, label: str) -> Outcome:
    return Outcome.objects.get(organisation=org, label=label)


@pytest.fixture
def add(org: Organisation) -> Callable[..., list[Any]]:
    """add(n, on=date, service="Schools", outcome="Referred", **fields) -> disclosures."""
    from tests.factories import DisclosureFactory

    def make(
        n: int = 1,
        *,
        on: dt.date = dt.date(2022, 6, 1),
        service_label: str | None = "Schools",
        outcome_label: str | None = "Referred",
        **fields: Any,
    ) -> list[Any]:
        return [
            DisclosureFactory(
                organisation=org,
                received_on=on,
                service=service(org, service_label) if service_label else None,
                outcome=outcome(org, outcome_label) if outcome_label else None,
                **fields,
            )
            for _ in range(n)
        ]

    return make
