"""The casework state machine: which status may follow which, who may move it, and the rules.

Every status change goes through `disclosure_transition`, which checks the source state,
the actor's permission on the case (cases.permissions), the rules of the target state,
saves, records the case's status history and writes the audit event in one transaction.

Acknowledging is one of these moves, made with a button (a POST), never by opening a page.
For a web disclosure (one with a follow-up inbox) it also puts the acknowledgement in the
whistleblower's inbox, in the same transaction: the message is sealed under the case key,
so it needs the actor's private key.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.accounts.keyring import KeyLocked
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.notes import note_seal
from whistledesk.casefiles.selectors import has_source_inbox
from whistledesk.cases.deadlines import deadline_acknowledged
from whistledesk.cases.models import Disclosure, Status, StatusChange
from whistledesk.cases.permissions import Perm, require
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.followup_wording import followup_message
from whistledesk.organisation.models import Outcome

S = Status

# (from, to) -> the permission needed. Anything not listed is not a transition.
TRANSITIONS: dict[tuple[Status, Status], Perm] = {
    (S.RECEIVED, S.ACKNOWLEDGED): Perm.ACKNOWLEDGE,
    (S.ACKNOWLEDGED, S.ASSESSING): Perm.PROGRESS,
    (S.ASSESSING, S.ACTION): Perm.PROGRESS,
    (S.ACTION, S.AWAITING_REASSURANCE): Perm.PROGRESS,
    (S.AWAITING_REASSURANCE, S.ACTION): Perm.PROGRESS,
    (S.ASSESSING, S.CLOSED): Perm.CLOSE,
    (S.ACTION, S.CLOSED): Perm.CLOSE,
    (S.AWAITING_REASSURANCE, S.CLOSED): Perm.CLOSE,
    (S.CLOSED, S.ASSESSING): Perm.REOPEN,
}

# The label of the button that makes each move, for the case page.
TRANSITION_LABELS: dict[tuple[Status, Status], str] = {
    (S.RECEIVED, S.ACKNOWLEDGED): "Acknowledge",
    (S.ACKNOWLEDGED, S.ASSESSING): "Start assessment",
    (S.ASSESSING, S.ACTION): "Start action",
    (S.ACTION, S.AWAITING_REASSURANCE): "Await reassurance",
    (S.AWAITING_REASSURANCE, S.ACTION): "Back to action",
    (S.ASSESSING, S.CLOSED): "Close case",
    (S.ACTION, S.CLOSED): "Close case",
    (S.AWAITING_REASSURANCE, S.CLOSED): "Close case",
    (S.CLOSED, S.ASSESSING): "Reopen case",
}


def acknowledgement_text(disclosure: Disclosure) -> str:
    """What the whistleblower reads in their inbox when their disclosure is acknowledged:
    the organisation's acknowledgement template (organisation/followup_wording.py)."""
    return followup_message(disclosure.organisation, "acknowledgement", disclosure)


class TransitionRefused(DomainError):
    """The move is not allowed from this state or its conditions are not met."""


def transitions_from(status: str) -> list[Status]:
    return [to for (frm, to) in TRANSITIONS if frm == status]


def _check_rules(disclosure: Disclosure, to: Status, reason: str, outcome: Outcome | None) -> None:
    if to == S.ACTION and disclosure.status == S.ASSESSING and disclosure.qualifying is None:
        raise TransitionRefused("Record the assessment before starting action.")
    if (
        to == S.AWAITING_REASSURANCE
        and not disclosure.referrals.filter(response_received_on__isnull=True).exists()
    ):
        raise TransitionRefused("Record a referral that is awaiting a response first.")
    if to == S.CLOSED:
        if disclosure.qualifying is None:
            raise TransitionRefused("Record the assessment before closing the case.")
        if disclosure.qualifying and disclosure.service_id is None:
            raise TransitionRefused("Choose the service before closing the case.")
        chosen = outcome or disclosure.outcome
        if chosen is None:
            raise TransitionRefused("Choose an outcome to close the case.", field="outcome")
        if chosen.organisation_id != disclosure.organisation_id or not chosen.active:
            raise TransitionRefused("Choose an outcome from the list.", field="outcome")
        if disclosure.safeguarding_concerns.filter(confirmed_at__isnull=True).exists():
            raise TransitionRefused(
                "This case has an open safeguarding concern. A safeguarding lead must record "
                "the action taken before it can be closed."
            )
    if disclosure.status == S.CLOSED and not reason.strip():
        raise TransitionRefused("Give a reason for reopening the case.", field="reason")


@transaction.atomic
def disclosure_transition(
    *,
    actor: Any,
    disclosure: Disclosure,
    to: Status | str,
    reason: str = "",
    outcome: Outcome | None = None,
    private_key: bytes | None = None,
) -> Disclosure:
    """Move a case to status `to`. Closing needs `outcome` (or one already set).

    A reason (reopening needs one) is a note sealed under the case key, so it needs the
    actor's `private_key`; a move without a reason does not.
    """
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    try:
        target = Status(to)
    except ValueError as exc:
        raise TransitionRefused("That is not a status.") from exc
    current = Status(locked.status)
    perm = TRANSITIONS.get((current, target))
    if perm is None:
        raise TransitionRefused(
            f"A case that is {current.label.lower()} cannot be moved to {target.label.lower()}."
        )
    require(actor, perm, locked)
    _check_rules(locked, target, reason, outcome)
    # A web disclosure's acknowledgement is a message sealed under the case key.
    write_acknowledgement = target == S.ACKNOWLEDGED and has_source_inbox(locked)
    if write_acknowledgement and private_key is None:
        raise KeyLocked()

    now = timezone.now()
    fields = ["status", "updated_at"]
    if target == S.ACKNOWLEDGED:
        locked.acknowledged_at = now
        fields += ["acknowledged_at", *deadline_acknowledged(locked, timezone.localdate(now))]
    if target == S.CLOSED:
        if outcome is not None:
            locked.outcome = outcome
        locked.closed_at = now
        fields += ["outcome", "closed_at"]
    if current == S.CLOSED:
        locked.closed_at = None
        fields.append("closed_at")
    locked.status = target
    locked.save(update_fields=fields)
    if write_acknowledgement and private_key is not None:  # (None was refused above)
        # Recorded on the case like any follow-up message (cases.followup).
        from whistledesk.cases.followup import followup_message_send

        followup_message_send(
            actor=actor,
            disclosure=locked,
            kind="acknowledgement",
            body=acknowledgement_text(locked),
            private_key=private_key,
        )
    StatusChange.objects.create(
        disclosure=locked,
        from_status=current,
        to_status=target,
        reason_sealed=note_seal(
            disclosure=locked, text=reason.strip(), private_key=private_key, actor=actor
        ),
        actor=actor,
    )
    details: dict[str, Any] = {"from": current.value, "to": target.value}
    if target == S.CLOSED:
        details["outcome_id"] = locked.outcome_id
    audit_record(
        actor=actor,
        action="disclosure.status_changed",
        disclosure_id=locked.pk,
        object_type="disclosure",
        object_id=locked.reference,
        details=details,
    )
    return locked
