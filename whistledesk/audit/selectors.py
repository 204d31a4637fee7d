"""Reading the audit log: the head (for anchors), filtered lists, a case's history, export.

Every read names the organisation whose chain it reads (ADR 0017): one organisation's
auditor never sees another's events, not even their count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Subquery

from whistledesk.audit.chain import GENESIS_HASH
from whistledesk.audit.models import AuditEvent, AuditHead, on_chain


@dataclass(frozen=True)
class HeadAnchor:
    """The newest event, for publishing: an outside party keeps `seq:hash` and can later
    ask `verify_audit --anchor` whether the chain still passes through it."""

    seq: int
    hash: str
    occurred_at: dt.datetime | None

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def audit_head(*, organisation: Any) -> HeadAnchor:
    """The head of `organisation`'s chain (None: the installation's own chain)."""
    org_id = None if organisation is None else organisation.pk
    head = AuditHead.objects.filter(on_chain(org_id)).first()
    if head is None or head.last_seq == 0:
        return HeadAnchor(seq=0, hash=GENESIS_HASH, occurred_at=None)
    occurred_at = (
        AuditEvent.objects.filter(on_chain(org_id), seq=head.last_seq)
        .values_list("occurred_at", flat=True)
        .first()
    )
    return HeadAnchor(seq=head.last_seq, hash=head.last_hash, occurred_at=occurred_at)


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    disclosure_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_event_list(
    *, organisation: Any, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """`organisation`'s events, newest first. Only the indexed columns are filtered; the page
    is paginated by the view."""
    f = filters or AuditFilters()
    qs = AuditEvent.objects.filter(organisation=organisation).order_by("-seq")
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    if f.actor:
        qs = qs.filter(actor_label=f.actor)
    if f.disclosure_id is not None:
        qs = qs.filter(disclosure_id=f.disclosure_id)
    if f.date_from:
        qs = qs.filter(occurred_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(occurred_at__date__lte=f.date_to)
    return qs


def audit_events_for_disclosure(disclosure_id: int) -> QuerySet[AuditEvent]:
    """A case's history, oldest first, for the case page (`audit/_case_history.html`): the
    events of that case on its own organisation's chain."""
    from whistledesk.cases.models import Disclosure

    case_org = Disclosure.objects.filter(pk=disclosure_id).values("organisation_id")[:1]
    return AuditEvent.objects.filter(
        disclosure_id=disclosure_id, organisation_id=Subquery(case_org)
    ).order_by("seq")


EXPORT_COLUMNS = (
    "seq",
    "occurred_at",
    "actor_label",
    "actor_roles",
    "action",
    "disclosure_id",
    "object_type",
    "object_id",
    "details",
    "prev_hash",
    "hash",
)


def audit_export_rows(
    *, organisation: Any, filters: AuditFilters | None = None
) -> Iterator[tuple[object, ...]]:
    """Oldest first and streamed, so an export of the whole log never sits in memory.

    The export carries the hashes, so an auditor can re-verify it outside the system.
    """
    qs = audit_event_list(organisation=organisation, filters=filters).order_by("seq")
    yield from qs.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)


def throttle_alarms_since(when: dt.datetime, *, organisation: Any = None) -> list[AuditEvent]:
    """Rate-limit alarms (intake.throttle) raised since `when` on `organisation`'s chain
    (default: the organisation the request is for), newest first, at most five: the staff
    dashboard's notice that the public service is unusually busy."""
    from whistledesk.organisation import tenancy

    org = organisation if organisation is not None else tenancy.current()
    alarms = AuditEvent.objects.filter(
        organisation=org, action="throttle.alarm", occurred_at__gte=when
    )
    return list(alarms.order_by("-seq")[:5])
