"""Action services: consent, referrals with the reassurance clock, and other actions.

Their free text is sealed under the case key (casefiles.notes): each service takes the
actor's `private_key` (from `staff_private_key(request)`); without it, KeyLocked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.casefiles.identity_keys import holds_identity_key, identity_documents_exist
from whistledesk.casefiles.notes import note_seal, notes_seal
from whistledesk.cases.deadlines import deadline_feedback_given
from whistledesk.cases.models import (
    ActionKind,
    CaseAction,
    Consent,
    Disclosure,
    Referral,
    ReferralBody,
    Status,
)
from whistledesk.cases.permissions import Perm, require
from whistledesk.core.exceptions import DomainError

# Actions belong to cases that have been assessed and are not closed.
_OPEN_FOR_ACTION = (Status.ASSESSING, Status.ACTION, Status.AWAITING_REASSURANCE)


def _lock_for_action(actor: Any, disclosure: Disclosure, perm: Perm) -> Disclosure:
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(actor, perm, locked)
    if locked.status not in _OPEN_FOR_ACTION:
        raise DomainError(
            f"A case that is {locked.get_status_display().lower()} takes no actions. "
            "Start the assessment first" + (" (or reopen it)." if locked.is_closed else ".")
        )
    return locked


def _check_date(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError("The date cannot be in the future.", field=field)


def _refresh_reassurance_due(disclosure: Disclosure) -> None:
    """Keep the dashboard's denormalised 'next reassurance due' in step with the referrals."""
    due = disclosure.referrals.filter(response_received_on__isnull=True).aggregate(
        m=Min("reassurance_due")
    )["m"]
    if due != disclosure.next_reassurance_due:
        disclosure.next_reassurance_due = due
        disclosure.save(update_fields=["next_reassurance_due", "updated_at"])


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    disclosure: Disclosure,
    given_by: str,
    scope: str,
    given_on: dt.date,
    reason: str,
    private_key: bytes | None = None,
) -> Consent:
    """Record the whistleblower's consent (who gave it, to what, when, why)."""
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(actor, Perm.RECORD_CONSENT, locked)
    for name, value in (("given_by", given_by), ("scope", scope), ("reason", reason)):
        if not value.strip():
            raise DomainError("Say who gave consent, to what and why.", field=name)
    _check_date(given_on, "given_on")
    sealed = notes_seal(
        disclosure=locked,
        texts=[given_by.strip()[:200], scope.strip()[:300], reason.strip()[:300]],
        private_key=private_key,
        actor=actor,
    )
    consent = Consent.objects.create(
        disclosure=locked,
        given_by_sealed=sealed[0],
        scope_sealed=sealed[1],
        given_on=given_on,
        reason_sealed=sealed[2],
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="consent.recorded",
        disclosure_id=locked.pk,
        object_type="consent",
        object_id=consent.pk,
    )
    return consent


@transaction.atomic
def referral_record(
    *,
    actor: Any,
    disclosure: Disclosure,
    body: ReferralBody,
    shared_summary: str,
    referred_on: dt.date,
    reassurance_due: dt.date | None = None,
    body_reference: str = "",
    identity_shared: bool = False,
    consent: Consent | None = None,
    private_key: bytes | None = None,
) -> Referral:
    """Pass the concern to a body. Sharing the whistleblower's identity needs their
    recorded consent on this case (EU 2019/1937 Art 16; the seed's confidentiality)."""
    locked = _lock_for_action(actor, disclosure, Perm.REFER)
    if not body.active:
        raise DomainError("Choose a body from the directory.", field="body")
    if not shared_summary.strip():
        raise DomainError("Say what was shared.", field="shared_summary")
    _check_date(referred_on, "referred_on")
    if identity_shared:
        if consent is None or consent.disclosure_id != locked.pk:
            raise DomainError(
                "The whistleblower's identity can only be shared with their recorded consent. "
                "Record their consent first.",
                field="consent",
            )
        if consent.withdrawn_on is not None:
            raise DomainError("That consent has been withdrawn.", field="consent")
        # Nobody shares what they have not been allowed to see: identity access is granted
        # by a custodian (docs/adr/0004-identity-custodian.md).
        if identity_documents_exist(locked) and not holds_identity_key(
            user=actor, disclosure=locked
        ):
            raise DomainError(
                "You do not have access to the whistleblower's identity. Ask a custodian "
                "for access on the case file page before sharing it.",
                field="identity_shared",
            )
    else:
        consent = None
    due = reassurance_due or referred_on + dt.timedelta(days=body.reassurance_days)
    if due < referred_on:
        raise DomainError("Reassurance cannot be due before the referral.", field="reassurance_due")
    referral = Referral.objects.create(
        disclosure=locked,
        body=body,
        shared_summary_sealed=note_seal(
            disclosure=locked,
            text=shared_summary.strip()[:1000],
            private_key=private_key,
            actor=actor,
        ),
        identity_shared=identity_shared,
        consent=consent,
        referred_on=referred_on,
        body_reference=body_reference.strip()[:100],
        reassurance_due=due,
        recorded_by=actor,
    )
    _refresh_reassurance_due(locked)
    audit_record(
        actor=actor,
        action="referral.recorded",
        disclosure_id=locked.pk,
        object_type="referral",
        object_id=referral.pk,
        details={
            "body_id": body.pk,
            "identity_shared": identity_shared,
            "reassurance_due": due.isoformat(),
        },
    )
    return referral


@transaction.atomic
def referral_response_record(
    *,
    actor: Any,
    referral: Referral,
    received_on: dt.date,
    summary: str,
    body_reference: str = "",
    private_key: bytes | None = None,
) -> Referral:
    """Record the body's reassurance (or other response) to a referral."""
    locked = _lock_for_action(actor, referral.disclosure, Perm.REFER)
    ref = Referral.objects.select_for_update().get(pk=referral.pk, disclosure=locked)
    if ref.response_received_on is not None:
        raise DomainError("A response is already recorded for this referral.")
    if not summary.strip():
        raise DomainError("Summarise the response.", field="summary")
    _check_date(received_on, "received_on")
    if received_on < ref.referred_on:
        raise DomainError("The response cannot be before the referral.", field="received_on")
    ref.response_received_on = received_on
    ref.response_summary_sealed = note_seal(
        disclosure=locked, text=summary.strip()[:1000], private_key=private_key, actor=actor
    )
    if body_reference.strip():
        ref.body_reference = body_reference.strip()[:100]
    ref.save(update_fields=["response_received_on", "response_summary_sealed", "body_reference"])
    _refresh_reassurance_due(locked)
    audit_record(
        actor=actor,
        action="referral.response_recorded",
        disclosure_id=locked.pk,
        object_type="referral",
        object_id=ref.pk,
    )
    return ref


@transaction.atomic
def action_record(
    *,
    actor: Any,
    disclosure: Disclosure,
    kind: ActionKind | str,
    summary: str,
    taken_on: dt.date,
    recipient: str = "",
    private_key: bytes | None = None,
) -> CaseAction:
    """Record a representation, advice, a request for information, or feedback given."""
    locked = _lock_for_action(actor, disclosure, Perm.RECORD_ACTION)
    if kind not in ActionKind.values:
        raise DomainError("Choose what kind of action this was.", field="kind")
    if not summary.strip():
        raise DomainError("Summarise the action.", field="summary")
    if kind == ActionKind.REPRESENTATION and not recipient.strip():
        raise DomainError("Say who the representation was made to.", field="recipient")
    _check_date(taken_on, "taken_on")
    action = CaseAction.objects.create(
        disclosure=locked,
        kind=kind,
        recipient=recipient.strip()[:200],
        summary_sealed=note_seal(
            disclosure=locked, text=summary.strip()[:1000], private_key=private_key, actor=actor
        ),
        taken_on=taken_on,
        recorded_by=actor,
    )
    if kind == ActionKind.FEEDBACK:
        # The first feedback settles the deadline (met or late), whatever follows.
        deadline_feedback_given(locked, taken_on)
    audit_record(
        actor=actor,
        action="case_action.recorded",
        disclosure_id=locked.pk,
        object_type="case_action",
        object_id=action.pk,
        details={"kind": str(kind)},
    )
    return action
