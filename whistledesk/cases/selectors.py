"""Reads of the register for staff pages. Every list is bounded, indexed and paginated."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from whistledesk.accounts.roles import Role
from whistledesk.casefiles.notes import NotesReader, notes_attach
from whistledesk.cases.assessment import normalise_setting, normalise_urn
from whistledesk.cases.clock import acknowledgement_due
from whistledesk.cases.deadline_selectors import with_next_due
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.permissions import Perm, allowed_cases, has_perm, register_visible
from whistledesk.cases.replies import replies_waiting, with_replies_flag
from whistledesk.organisation import tenancy
from whistledesk.organisation.models import Organisation

OPEN = ~Q(status=Status.CLOSED)
# A piece of a reference worth searching for: 3 or more of its characters.
_REFERENCE_PART = re.compile(r"[0-9A-Z-]{3,40}")
# Feedback shows as due this many days before the 3-month deadline.
FEEDBACK_WARNING_DAYS = 14


_LIST_RELATED = ("service", "outcome", "handler")


class DashboardList(enum.StrEnum):
    """The dashboard's tabs. Each is one indexed query (see Disclosure.Meta.indexes)."""

    ALL = "all"
    # Cases waiting for a safeguarding lead: an unconfirmed concern, opened by hand or
    # because a child was reported at immediate risk. First on a lead's dashboard.
    IMMEDIATE_RISK = "immediate_risk"
    MINE = "mine"
    # Cases the viewer may read with a whistleblower message or file nobody has read yet.
    REPLIES_WAITING = "replies_waiting"
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
    DashboardList.IMMEDIATE_RISK: "Immediate risk",
    DashboardList.MINE: "My cases",
    DashboardList.REPLIES_WAITING: "Replies waiting",
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
        # Clear fields only (docs/adr/0002, "What staff can search"): any part of the
        # reference ("7F3K" finds WD-7F3K-9ABC; a scan of the narrow reference index), the
        # Ofsted URN, or the start of the setting's normalised name ("st marys" finds
        # "St Mary's ...", as typed by staff or by the whistleblower on the web form).
        # Sealed content (the narrative, identity, notes) cannot be searched: no key here.
        q = Q(reference=term.upper())
        fragment = re.sub(r"\s+", "", term.upper())
        if _REFERENCE_PART.fullmatch(fragment):
            q |= Q(reference__contains=fragment)
        urn = normalise_urn(term)
        if urn:
            q |= Q(ofsted_urn=urn)
        key = normalise_setting(term)
        if key:
            # A range, not LIKE: it uses the index on both SQLite and PostgreSQL.
            q |= Q(setting_key__gte=key, setting_key__lt=key + "\x7f")
        # As a subquery on its own: the planner then unions the three index lookups instead
        # of walking the whole organisation in date order testing each row.
        qs = qs.filter(pk__in=Disclosure.objects.filter(q, organisation=organisation).values("pk"))
    return qs


def disclosure_list(
    *,
    organisation: Organisation,
    filters: DisclosureFilters,
    user: Any,
    which: DashboardList = DashboardList.ALL,
    today: dt.date | None = None,
) -> QuerySet[Disclosure]:
    """The register rows `user` may see (cases.permissions.register_visible), one list."""
    today = today or timezone.localdate()
    qs = register_visible(user, Disclosure.objects.filter(organisation=organisation))
    order: list[str] = ["-received_on", "-id"]
    if which == DashboardList.MINE:
        qs = qs.filter(OPEN, handler=user)
    elif which == DashboardList.REPLIES_WAITING:
        # Only replies this person may open (cases.permissions), longest waiting first.
        qs = replies_waiting(allowed_cases(user, Perm.OPEN_CONTENT, qs))
        order = ["waiting_since", "id"]
    elif which == DashboardList.UNASSIGNED:
        qs = qs.filter(OPEN, handler__isnull=True)
    elif which == DashboardList.IMMEDIATE_RISK:
        # Longest waiting first. The check constraint keeps closed cases out already.
        qs = qs.filter(OPEN, safeguarding_open=True)
        order = ["received_on", "id"]
    elif which == DashboardList.URGENT:
        qs = qs.filter(OPEN, urgent=True)
    elif which == DashboardList.ACK_DUE:
        # Every unacknowledged case, oldest (most overdue) first.
        qs = qs.filter(status=Status.RECEIVED)
        order = ["received_on", "id"]
    elif which == DashboardList.FEEDBACK_DUE:
        qs = qs.filter(
            OPEN,
            feedback_given_on__isnull=True,
            feedback_due_on__lte=today + dt.timedelta(days=FEEDBACK_WARNING_DAYS),
        )
        order = ["feedback_due_on", "id"]
    elif which == DashboardList.REASSURANCE_OVERDUE:
        qs = qs.filter(OPEN, next_reassurance_due__lt=today)
        order = ["next_reassurance_due", "id"]
    return _apply_filters(qs, organisation, filters).order_by(*order)


def awaiting_safeguarding_count(*, organisation: Organisation) -> int:
    """How many open cases wait for a safeguarding lead's confirmation (an indexed count)."""
    return Disclosure.objects.filter(
        OPEN, organisation=organisation, safeguarding_open=True
    ).count()


def dashboard_tabs(*, user: Any) -> list[DashboardList]:
    """The dashboard's tabs in order: a safeguarding lead's own list comes first."""
    tabs = list(DashboardList)
    if not has_perm(user, Perm.OPEN_CONTENT):
        tabs.remove(DashboardList.REPLIES_WAITING)  # nothing they could read (auditors)
    if user.has_role(Role.SAFEGUARDING_LEAD):
        tabs.remove(DashboardList.IMMEDIATE_RISK)
        tabs.insert(0, DashboardList.IMMEDIATE_RISK)
    return tabs


def disclosure_years(*, organisation: Organisation) -> list[int]:
    """The reporting years from the first disclosure to the latest, newest first."""
    dates = Disclosure.objects.filter(organisation=organisation).values_list(
        "received_on", flat=True
    )
    # Two indexed lookups rather than a DISTINCT over every date: cheap at any size.
    first = dates.order_by("received_on").first()
    last = dates.order_by("-received_on").first()
    if first is None or last is None:
        return []
    return list(range(organisation.year_of(last), organisation.year_of(first) - 1, -1))


class IdFirstPaginator(Paginator):
    """Pages by first selecting the page's ids, then fetching those rows.

    The id query walks the index alone, so a deep page (a large OFFSET) does not read
    every skipped row from the table (a "deferred join"). Both queries name the organisation.
    """

    def __init__(self, object_list: Any, per_page: int, *, organisation: Organisation) -> None:
        super().__init__(object_list, per_page)
        self.organisation_id = organisation.pk

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        qs = cast(QuerySet[Disclosure], self.object_list)
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        # The register's "Due" column is computed in this query (cases.deadline_selectors).
        rows = with_next_due(
            with_replies_flag(
                Disclosure.objects.filter(organisation_id=self.organisation_id, pk__in=ids)
            ).select_related(*_LIST_RELATED)
        )
        by_id = {d.pk: d for d in rows}
        return Page([by_id[i] for i in ids if i in by_id], number, self)


_UNNAMED: Any = object()


def disclosure_get(
    *, organisation: Organisation | None = _UNNAMED, reference: str
) -> Disclosure | None:
    """The case of `organisation` with this reference (None: not found, also when it is
    another organisation's). References are unique within an organisation only.

    Callers name the organisation (a view: `request.organisation`). A caller that does not
    yet gets the one the request or task is for (organisation/tenancy.py); none: nothing.
    """
    if organisation is _UNNAMED:
        organisation = tenancy.current()
    if organisation is None:
        return None
    return (
        Disclosure.objects.select_related("organisation", "service", "outcome", "handler")
        .filter(organisation=organisation, reference=reference)
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


def case_detail(*, disclosure: Disclosure, notes: NotesReader | None = None) -> dict[str, Any]:
    """Everything the case page shows, in a bounded number of queries.

    The sealed notes are opened with `notes` (one key for the whole page) into plain
    attributes (`r.shared_summary`, `c.reason`...); without it they read NOTE_UNREADABLE.
    """
    reader = notes or NotesReader(key=None)
    rows: dict[str, list[Any]] = {
        "referrals": list(disclosure.referrals.select_related("body", "consent")),
        "actions": list(disclosure.actions.select_related("recorded_by")),
        "consents": list(disclosure.consents.all()),
        "concerns": list(
            disclosure.safeguarding_concerns.select_related("raised_by", "confirmed_by")
        ),
        "conflicts": list(disclosure.conflicts.select_related("user")),
        "history": list(disclosure.status_changes.select_related("actor")),
    }
    for name, fields in SEALED_NOTES.items():
        notes_attach(rows[name], reader, fields)
    return {**rows, "acknowledgement_due": acknowledgement_due(disclosure.received_on)}


# Which sealed notes each list on the case page carries (`<field>_sealed` columns).
SEALED_NOTES: dict[str, tuple[str, ...]] = {
    "referrals": ("shared_summary", "response_summary"),
    "actions": ("summary",),
    "consents": ("given_by", "scope", "reason"),
    "concerns": ("summary", "action_taken", "action_taken_by"),
    "conflicts": ("reason",),
    "history": ("reason",),
}
