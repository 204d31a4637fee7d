"""Reads of the register for staff pages. Every list is bounded and paginated."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from whistledesk.cases.models import Disclosure
from whistledesk.organisation.models import Organisation


@dataclass(frozen=True)
class DisclosureFilters:
    year: int | None = None
    service_id: int | None = None
    outcome_id: int | None = None  # 0 means "not yet decided"


def disclosure_list(
    *, organisation: Organisation, filters: DisclosureFilters
) -> QuerySet[Disclosure]:
    qs = Disclosure.objects.filter(organisation=organisation).select_related("service", "outcome")
    if filters.year is not None:
        start, end = organisation.period_for_year(filters.year)
        qs = qs.filter(received_on__gte=start, received_on__lte=end)
    if filters.service_id is not None:
        qs = qs.filter(service_id=filters.service_id)
    if filters.outcome_id == 0:
        qs = qs.filter(outcome__isnull=True)
    elif filters.outcome_id is not None:
        qs = qs.filter(outcome_id=filters.outcome_id)
    return qs.order_by("-received_on", "-id")


def disclosure_years(*, organisation: Organisation) -> list[int]:
    """The reporting years that have at least one disclosure, newest first."""
    dates = Disclosure.objects.filter(organisation=organisation).dates("received_on", "day")
    # A few thousand distinct days at most: folding them in Python is cheap and portable.
    return sorted({organisation.year_of(d) for d in dates}, reverse=True)
