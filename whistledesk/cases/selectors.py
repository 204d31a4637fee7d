"""Reads of the register for staff pages. Every list is bounded, indexed and paginated."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from whistledesk.cases.assessment import normalise_setting, normalise_urn
from whistledesk.cases.clock import acknowledgement_due
from whistledesk.cases.models import Disclosure, ReferralBody, Status
from whistledesk.organisation.models import Organisation

OPEN_STATUSES = [s for s in Status if s != Status.CLOSED]
# Feedback shows as due this many days before the 3-month deadline.
FEEDBACK_WARNING_DAYS = 14


class DashboardList(enum.StrEnum):
    """The dashboard's tabs. Each is one indexed query (see Disclosure.Meta.indexes)."""

    ALL = "all"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    URGENT = "urgent"
    ACK_DUE = "ack_due"
    FEEDBACK_DUE = "feedback_due"
    REASSURANCE_OVERDUE = "reassurance_overdue"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    DashboardList.ALL: "All disclosures",
    DashboardList.MINE: "My cases",
    DashboardList.UNASSIGNED: "Unassigned",
    DashboardList.URGENT: "Urgent",
    DashboardList.ACK_DUE: "Acknowledgement due",
    DashboardList.FEEDBACK_DUE: "Feedback due",
    DashboardList.REASSURANCE_OVERDUE: "Reassurance overdue",
}


@dataclass(frozen=True)
class DisclosureFilters:
    year: int | None = None
    service_id: int | None = None
    outcome_id: int | None = None  # 0 means "not yet decided"
    status: str | None = None
    search: str = ""


def _apply_filters(
    qs: QuerySet[Disclosure], organisation: Organisation, filters: DisclosureFilters
) -> QuerySet[Disclosure]:
    if filters.year is not None:
        start, end = organisation.period_for_year(filters.year)
        qs = qs.filter(received_on__gte=start, received_on__lte=end)
    if filters.service_id is not None:
        qs = qs.filter(service_id=filters.service_id)
    if filters.outcome_id == 0:
        qs = qs.filter(outcome__isnull=True)
    elif filters.outcome_id is not None:
        qs = qs.filter(outcome_id=filters.outcome_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    term = filters.search.strip()[:100]
    if term:
        # Clear fields only: the reference, the setting's name or key, or its Ofsted URN.
        q = Q(reference__iexact=term) | Q(setting_name__icontains=term)
        key = normalise_setting(term)
        if key:
            q |= Q(setting_key__startswith=key)
        urn = normalise_urn(term)
        if urn:
            q |= Q(ofsted_urn=urn)
        qs = qs.filter(q)
    return qs


def disclosure_list(
    *,
    organisation: Organisation,
    filters: DisclosureFilters,
    which: DashboardList = DashboardList.ALL,
    user: Any = None,
    today: dt.date | None = None,
) -> QuerySet[Disclosure]:
    today = today or timezone.localdate()
    qs = Disclosure.objects.filter(organisation=organisation).select_related(
        "service", "outcome", "handler"
    )
    order: list[str] = ["-received_on", "-id"]
    if which == DashboardList.MINE:
        qs = qs.filter(handler=user, status__in=OPEN_STATUSES)
    elif which == DashboardList.UNASSIGNED:
        qs = qs.filter(handler__isnull=True, status__in=OPEN_STATUSES)
    elif which == DashboardList.URGENT:
        qs = qs.filter(urgent=True, status__in=OPEN_STATUSES)
    elif which == DashboardList.ACK_DUE:
        # Every unacknowledged case, oldest (most overdue) first.
        qs = qs.filter(status=Status.RECEIVED)
        order = ["received_on", "id"]
    elif which == DashboardList.FEEDBACK_DUE:
        qs = qs.filter(
            status__in=OPEN_STATUSES,
            feedback_given_on__isnull=True,
            feedback_due_on__lte=today + dt.timedelta(days=FEEDBACK_WARNING_DAYS),
        )
        order = ["feedback_due_on", "id"]
    elif which == DashboardList.REASSURANCE_OVERDUE:
        qs = qs.filter(next_reassurance_due__lt=today, status__in=OPEN_STATUSES)
        order = ["next_reassurance_due", "id"]
    return _apply_filters(qs, organisation, filters).order_by(*order)


def disclosure_years(*, organisation: Organisation) -> list[int]:
    """The reporting years that have at least one disclosure, newest first."""
    first = Disclosure.objects.filter(organisation=organisation).order_by("received_on").first()
    last = Disclosure.objects.filter(organisation=organisation).order_by("-received_on").first()
    if first is None or last is None:
        return []
    # Two indexed lookups rather than a DISTINCT over every date: cheap at any size.
    return list(
        range(
            organisation.year_of(last.received_on), organisation.year_of(first.received_on) - 1, -1
        )
    )


def disclosure_get(*, reference: str) -> Disclosure | None:
    return (
        Disclosure.objects.select_related("organisation", "service", "outcome", "handler")
        .filter(reference=reference)
        .first()
    )


def related_disclosures(*, disclosure: Disclosure) -> QuerySet[Disclosure]:
    """Earlier disclosures about the same setting: same normalised name, or same Ofsted URN."""
    q = Q()
    if disclosure.setting_key:
        q |= Q(setting_key=disclosure.setting_key)
    if disclosure.ofsted_urn:
        q |= Q(ofsted_urn=disclosure.ofsted_urn)
    if not q:
        return Disclosure.objects.none()
    return (
        Disclosure.objects.filter(q, organisation_id=disclosure.organisation_id)
        .filter(
            Q(received_on__lt=disclosure.received_on)
            | Q(received_on=disclosure.received_on, id__lt=disclosure.pk)
        )
        .select_related("service", "outcome")
        .order_by("-received_on", "-id")
    )


def case_detail(*, disclosure: Disclosure) -> dict[str, Any]:
    """Everything the case page shows, in a bounded number of queries."""
    return {
        "referrals": list(disclosure.referrals.select_related("body", "consent")),
        "actions": list(disclosure.actions.select_related("recorded_by")),
        "consents": list(disclosure.consents.all()),
        "concerns": list(
            disclosure.safeguarding_concerns.select_related("raised_by", "confirmed_by")
        ),
        "conflicts": list(disclosure.conflicts.select_related("user")),
        "history": list(disclosure.status_changes.select_related("actor")),
        "acknowledgement_due": acknowledgement_due(disclosure.received_on),
    }


def referral_body_list() -> list[ReferralBody]:
    return list(ReferralBody.objects.filter(active=True).order_by("name"))
