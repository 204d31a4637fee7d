"""Per-case reminders: a person with access to a case sets a date and a short note for
themselves; the worker emails them a content-free reminder on that date
(notifications.deadline_alerts), and they mark it done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.casefiles.notes import note_seal
from whistledesk.cases.models import CaseReminder, Disclosure
from whistledesk.cases.models.deadlines import REMINDER_NOTE_MAX
from whistledesk.cases.permissions import Perm, require
from whistledesk.core.exceptions import DomainError


@transaction.atomic
def reminder_set(
    *,
    actor: Any,
    disclosure: Disclosure,
    remind_on: dt.date,
    note: str,
    private_key: bytes | None = None,
    today: dt.date | None = None,
) -> CaseReminder:
    today = today or timezone.localdate()
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(actor, Perm.SET_REMINDER, locked)
    if remind_on < today:
        raise DomainError("Choose today or a later date.", field="remind_on")
    note = note.strip()
    if not note:
        raise DomainError("Write a short note of what to do.", field="note")
    if len(note) > REMINDER_NOTE_MAX:
        raise DomainError(
            f"Keep the note to {REMINDER_NOTE_MAX} characters or fewer.", field="note"
        )
    reminder = CaseReminder.objects.create(
        disclosure=locked,
        user=actor,
        remind_on=remind_on,
        note_sealed=note_seal(disclosure=locked, text=note, private_key=private_key, actor=actor),
    )
    audit_record(
        actor=actor,
        action="case_reminder.set",
        disclosure_id=locked.pk,
        object_type="case_reminder",
        object_id=reminder.pk,
        details={"remind_on": remind_on.isoformat()},
    )
    return reminder


@transaction.atomic
def reminder_done(*, actor: Any, reminder: CaseReminder) -> CaseReminder:
    """Mark one's own reminder done (others' reminders are theirs to close)."""
    locked = (
        CaseReminder.objects.select_for_update().select_related("disclosure").get(pk=reminder.pk)
    )
    require(actor, Perm.VIEW_CASE, locked.disclosure)
    if locked.user_id != actor.pk:
        raise DomainError("Only the person who set a reminder can mark it done.")
    if locked.done_at is not None:
        raise DomainError("This reminder is already done.")
    locked.done_at = timezone.now()
    locked.save(update_fields=["done_at"])
    audit_record(
        actor=actor,
        action="case_reminder.done",
        disclosure_id=locked.disclosure_id,
        object_type="case_reminder",
        object_id=locked.pk,
    )
    return locked
