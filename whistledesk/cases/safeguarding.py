"""The safeguarding gate: concerns raised on a case, and the lead's confirmation.

A disclosure that reports a child at immediate risk (the web form's answer, or staff
marking it urgent at intake) opens a concern by itself, in the intake's transaction
(`safeguarding_concern_open_for_risk`): such a case is never closed on trust.

A case with an open concern cannot be closed. The rule is checked by the transition
service and, because `Disclosure.safeguarding_open` mirrors the open concerns, by a
database check constraint that refuses a closed row with an open concern.

The concern and the action taken are notes sealed under the case key (casefiles.notes), so
raising a concern also gives the case key to the safeguarding leads: they must read it to
sign it off, and they are not otherwise entitled to every case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.notes import note_seal, notes_seal
from whistledesk.casefiles.services import casefile_grant
from whistledesk.cases.models import ConcernReason, Disclosure, SafeguardingConcern
from whistledesk.cases.permissions import Perm, require
from whistledesk.core.exceptions import DomainError


def _refresh_open_flag(disclosure: Disclosure) -> None:
    is_open = disclosure.safeguarding_concerns.filter(confirmed_at__isnull=True).exists()
    if is_open != disclosure.safeguarding_open:
        disclosure.safeguarding_open = is_open
        disclosure.save(update_fields=["safeguarding_open", "updated_at"])


def _share_with_leads(actor: Any, disclosure: Disclosure, private_key: bytes) -> None:
    """Seal the case key to every active safeguarding lead of the case's organisation
    without a conflict on the case (never another organisation's leads).

    A lead who has never signed in has no key pair yet: a manager shares the case later.
    """
    leads = (
        User.objects.filter(
            organisation_id=disclosure.organisation_id,
            is_active=True,
            public_key__isnull=False,
            groups__name=Role.SAFEGUARDING_LEAD.value,
        )
        .exclude(pk__in=disclosure.conflicts.values("user_id"))
        .distinct()
    )
    for lead in leads:
        casefile_grant(actor=actor, disclosure=disclosure, user=lead, private_key=private_key)


@transaction.atomic
def safeguarding_concern_raise(
    *, actor: Any, disclosure: Disclosure, summary: str, private_key: bytes | None = None
) -> SafeguardingConcern:
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(actor, Perm.RAISE_CONCERN, locked)
    if locked.is_closed:
        raise DomainError("Reopen the case before raising a safeguarding concern on it.")
    if not summary.strip():
        raise DomainError("Describe the concern without naming anyone.", field="summary")
    sealed = note_seal(
        disclosure=locked, text=summary.strip()[:1000], private_key=private_key, actor=actor
    )
    concern = SafeguardingConcern.objects.create(
        disclosure=locked, summary_sealed=sealed, raised_by=actor
    )
    _share_with_leads(actor, locked, private_key or b"")
    _refresh_open_flag(locked)
    audit_record(
        actor=actor,
        action="safeguarding.concern_raised",
        disclosure_id=locked.pk,
        object_type="safeguarding_concern",
        object_id=concern.pk,
    )
    return concern


# The roles whose holders get the case key when a case opens with a concern on it: the
# lead must read the case to sign the concern off (intake passes it to casefile_create).
SAFEGUARDING_ROLES = (Role.SAFEGUARDING_LEAD,)


@transaction.atomic
def safeguarding_concern_open_for_risk(
    *, actor: Any, disclosure: Disclosure, reason: ConcernReason
) -> SafeguardingConcern:
    """Open a concern because immediate risk was reported at intake. Not a choice: no
    permission is checked (the actor may be the public form), and there is no summary to
    write, the reason says why. Call it in the intake's transaction, after the case file."""
    if reason == ConcernReason.STAFF:
        raise ValueError("a concern raised by staff goes through safeguarding_concern_raise")
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    concern = SafeguardingConcern.objects.create(
        disclosure=locked,
        raised_by=actor if isinstance(actor, User) else None,
        reason=reason,
    )
    _refresh_open_flag(locked)
    disclosure.safeguarding_open = locked.safeguarding_open
    audit_record(
        actor=actor,
        action="safeguarding.concern_raised",
        disclosure_id=locked.pk,
        object_type="safeguarding_concern",
        object_id=concern.pk,
        details={"opened_for": reason.value, "automatic": True},
    )
    return concern


@transaction.atomic
def safeguarding_action_confirm(
    *,
    actor: Any,
    concern: SafeguardingConcern,
    action_taken: str,
    action_taken_by: str,
    action_taken_on: dt.date,
    private_key: bytes | None = None,
) -> SafeguardingConcern:
    """A safeguarding lead records what was done, by whom and when; the concern closes."""
    locked = Disclosure.objects.select_for_update().get(pk=concern.disclosure_id)
    require(actor, Perm.CONFIRM_SAFEGUARDING, locked)
    c = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if c.confirmed_at is not None:
        raise DomainError("This concern has already been confirmed.")
    if not action_taken.strip():
        raise DomainError("Say what safeguarding action was taken.", field="action_taken")
    if not action_taken_by.strip():
        raise DomainError("Say who took the action.", field="action_taken_by")
    if action_taken_on > timezone.localdate():
        raise DomainError("The date cannot be in the future.", field="action_taken_on")
    c.action_taken_sealed, c.action_taken_by_sealed = notes_seal(
        disclosure=locked,
        texts=[action_taken.strip()[:1000], action_taken_by.strip()[:200]],
        private_key=private_key,
        actor=actor,
    )
    c.action_taken_on = action_taken_on
    c.confirmed_by = actor
    c.confirmed_at = timezone.now()
    c.save(
        update_fields=[
            "action_taken_sealed",
            "action_taken_by_sealed",
            "action_taken_on",
            "confirmed_by",
            "confirmed_at",
        ]
    )
    _refresh_open_flag(locked)
    audit_record(
        actor=actor,
        action="safeguarding.action_confirmed",
        disclosure_id=locked.pk,
        object_type="safeguarding_concern",
        object_id=c.pk,
    )
    return c
