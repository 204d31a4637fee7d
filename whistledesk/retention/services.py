"""Writes for retention settings and legal holds. Each is audited in its own transaction.

Destruction itself is in `destruction.py`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record
from whistledesk.cases.models import Disclosure
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.retention.models import LegalHold, RetentionPolicy, RetentionRecord

REASON_MAX = 300


class HoldRefused(DomainError):
    """A legal hold cannot be placed or lifted as asked."""


def _require_manager(actor: Any, what: str) -> None:
    if not (hasattr(actor, "has_role") and actor.has_role(Role.MANAGER)):
        raise NotPermitted(f"Only a manager can {what}.")


def _clean_reason(reason: str, *, field: str = "reason") -> str:
    reason = reason.strip()
    if not reason:
        raise HoldRefused("Give a reason.", field=field)
    if len(reason) > REASON_MAX:
        raise HoldRefused(f"Keep the reason under {REASON_MAX} characters.", field=field)
    return reason


@transaction.atomic
def retention_policy_save(*, actor: Any, policy: RetentionPolicy) -> RetentionPolicy:
    """Create or change a policy (the admin calls this)."""
    created = policy.pk is None
    try:
        policy.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    policy.save()
    audit_record(
        actor=actor,
        action="retention.policy_created" if created else "retention.policy_changed",
        object_type="retention_policy",
        object_id=policy.pk,
        details={
            "outcome_id": policy.outcome_id,
            "keep_years": policy.keep_years,
            "unassessed_keep_years": policy.unassessed_keep_years,
        },
    )
    return policy


@transaction.atomic
def retention_policy_delete(*, actor: Any, policy: RetentionPolicy) -> None:
    pk, outcome_id = policy.pk, policy.outcome_id
    policy.delete()
    audit_record(
        actor=actor,
        action="retention.policy_deleted",
        object_type="retention_policy",
        object_id=pk,
        details={"outcome_id": outcome_id},
    )


@transaction.atomic
def legal_hold_place(*, actor: Any, disclosure: Disclosure, reason: str) -> LegalHold:
    """Stop a case being destroyed until the hold is lifted (a manager, with a reason)."""
    _require_manager(actor, "place a legal hold")
    reason = _clean_reason(reason)
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if RetentionRecord.objects.filter(disclosure=locked).exists():
        raise HoldRefused(
            f"The content of {locked.reference} has already been destroyed under the "
            "retention policy: there is nothing left to hold."
        )
    if LegalHold.objects.filter(disclosure=locked, lifted_at__isnull=True).exists():
        raise HoldRefused(f"{locked.reference} is already on legal hold.")
    hold = LegalHold.objects.create(
        disclosure=locked, reason=reason, placed_by=actor, placed_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="retention.hold_placed",
        disclosure_id=locked.pk,
        object_type="legal_hold",
        object_id=hold.pk,
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Any, hold: LegalHold, reason: str) -> LegalHold:
    _require_manager(actor, "lift a legal hold")
    reason = _clean_reason(reason, field="lift_reason")
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise HoldRefused("This legal hold has already been lifted.")
    locked.lifted_by = actor
    locked.lifted_at = timezone.now()
    locked.lift_reason = reason
    locked.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    audit_record(
        actor=actor,
        action="retention.hold_lifted",
        disclosure_id=locked.disclosure_id,
        object_type="legal_hold",
        object_id=locked.pk,
    )
    return locked
