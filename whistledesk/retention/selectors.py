"""Reads for retention: what would be destroyed on a given date and why, and the holds.

Nothing here reads case content: only the register's reference, dates and outcome.

Cost: one query for the policies, one for the candidates (closed, not yet destroyed, old
enough for the shortest policy, with an EXISTS for an active hold), one for active holds.
The exact anniversary check runs in Python over that bounded set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from whistledesk.cases.models import Disclosure, Status
from whistledesk.organisation.models import Organisation
from whistledesk.retention.models import LegalHold, RetentionRecord
from whistledesk.retention.policy import Policies, Rule, anniversary, closed_on, is_due, kept_until

# The preview page lists at most this many due cases (the command handles them all).
PREVIEW_LIMIT = 500


@dataclass(frozen=True)
class RetentionItem:
    """A closed case and the rule that makes it due. No content, only register facts."""

    disclosure_id: int
    reference: str
    received_on: dt.date
    outcome: str
    closed_on: dt.date | None  # None: not recorded (imported); counted from received_on
    rule: Rule
    kept_until: dt.date
    on_hold: bool

    @property
    def keep_years(self) -> int:
        return self.rule.keep_years


@dataclass
class RetentionPreview:
    today: dt.date
    configured: bool
    due: list[RetentionItem] = field(default_factory=list)
    held: list[RetentionItem] = field(default_factory=list)
    due_count: int = 0
    destroyed_count: int = 0

    @property
    def truncated(self) -> bool:
        return self.due_count > len(self.due)


def _candidates(
    *, organisation: Organisation, policies: Policies, today: dt.date
) -> QuerySet[Disclosure]:
    """Closed, not destroyed, and old enough for the shortest period (a necessary bound)."""
    # A case can be due only if it closed (or, unrecorded, was received) at least the
    # shortest period before today; two days' slack covers 29 February and time zones.
    latest = anniversary(today, -policies.shortest_years) + dt.timedelta(days=2)
    latest_at = timezone.make_aware(dt.datetime.combine(latest, dt.time.min))
    qs = Disclosure.objects.filter(
        Q(closed_at__lt=latest_at) | Q(closed_at__isnull=True, received_on__lte=latest),
        organisation=organisation,
        status=Status.CLOSED,
        retention_record__isnull=True,
    )
    if policies.default is None:
        qs = qs.filter(outcome_id__in=list(policies.by_outcome))
    active_hold = LegalHold.objects.filter(disclosure=OuterRef("pk"), lifted_at__isnull=True)
    return (
        qs.annotate(on_hold=Exists(active_hold))
        .select_related("outcome")
        .only(
            "id",
            "reference",
            "received_on",
            "closed_at",
            "outcome__label",
            "qualifying",
            "assessed_at",
            "status",
        )
        .order_by("received_on", "id")
    )


def retention_due(
    *, organisation: Organisation, today: dt.date, policies: Policies | None = None
) -> Iterator[RetentionItem]:
    """Every closed case whose retention period ended before `today`, held ones included."""
    policies = policies if policies is not None else Policies.of(organisation.pk)
    if not policies:
        return
    for d in _candidates(organisation=organisation, policies=policies, today=today).iterator(
        chunk_size=2000
    ):
        rule = policies.rule_for(d)
        if rule is None:
            continue
        until = kept_until(d, rule.keep_years)
        if not is_due(until, today):
            continue
        yield RetentionItem(
            disclosure_id=d.pk,
            reference=d.reference,
            received_on=d.received_on,
            outcome=d.outcome.label if d.outcome else "",
            closed_on=closed_on(d),
            rule=rule,
            kept_until=until,
            on_hold=d.on_hold,  # type: ignore[attr-defined]
        )


def retention_preview(
    *, organisation: Organisation, today: dt.date, limit: int = PREVIEW_LIMIT
) -> RetentionPreview:
    policies = Policies.of(organisation.pk)
    preview = RetentionPreview(today=today, configured=bool(policies))
    for item in retention_due(organisation=organisation, today=today, policies=policies):
        if item.on_hold:
            preview.held.append(item)
            continue
        preview.due_count += 1
        if len(preview.due) < limit:
            preview.due.append(item)
    preview.destroyed_count = RetentionRecord.objects.filter(
        disclosure__organisation=organisation
    ).count()
    return preview


def legal_hold_list_active(*, organisation: Organisation) -> QuerySet[LegalHold]:
    return (
        LegalHold.objects.filter(lifted_at__isnull=True, disclosure__organisation=organisation)
        .select_related("disclosure", "placed_by")
        .order_by("-placed_at", "-id")
    )


def disclosure_is_destroyed(*, disclosure: Disclosure) -> bool:
    """For case pages: the content of this case was destroyed under retention."""
    return RetentionRecord.objects.filter(disclosure=disclosure).exists()
