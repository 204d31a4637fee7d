"""Writes: load the directory, set the organisation's message, record a signpost on a case.

Each takes `actor=` and writes its audit event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.accounts.keyring import KeyLocked
from whistledesk.audit.services import audit_record
from whistledesk.casefiles.selectors import has_source_inbox
from whistledesk.casefiles.services import message_send_to_source
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.permissions import Perm, require
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.organisation.models import Organisation
from whistledesk.signposting.directory_file import BodyEntry, DirectoryFile
from whistledesk.signposting.message import template_problems
from whistledesk.signposting.models import (
    Delivery,
    DirectorySource,
    PrescribedPerson,
    Signpost,
    SignpostMessage,
)
from whistledesk.signposting.selectors import signpost_text

# Like the other casework actions: once assessment has started, until the case is closed.
OPEN_FOR_SIGNPOSTING = (Status.ASSESSING, Status.ACTION, Status.AWAITING_REASSURANCE)
_ENTRY_FIELDS = ("name", "matters", "website", "email", "phone", "note")


@dataclass(frozen=True)
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    restored: int = 0  # withdrawn before, back in the file
    withdrawn: int = 0  # left the file, kept because a case names it
    deleted: int = 0  # left the file, named by no case

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.restored or self.withdrawn or self.deleted)


def _apply(person: PrescribedPerson, entry: BodyEntry, position: int) -> bool:
    changed = person.position != position
    person.position = position
    for name in _ENTRY_FIELDS:
        if getattr(person, name) != getattr(entry, name):
            setattr(person, name, getattr(entry, name))
            changed = True
    return changed


@transaction.atomic
def directory_load(*, actor: Any, directory: DirectoryFile) -> LoadResult:
    """Make the stored directory match the file (matched by key). Loading the same file
    again changes nothing and records nothing."""
    now = timezone.now()
    existing = {p.key: p for p in PrescribedPerson.objects.select_for_update()}
    counts = dict.fromkeys(("created", "updated", "unchanged", "restored", "withdrawn"), 0)
    for position, entry in enumerate(directory.bodies):
        person = existing.pop(entry.key, None)
        if person is None:
            person = PrescribedPerson(key=entry.key)
            _apply(person, entry, position)
            person.save()
            counts["created"] += 1
            continue
        changed = _apply(person, entry, position)
        if person.withdrawn_at is not None:
            person.withdrawn_at = None
            counts["restored"] += 1
        elif changed:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        person.save()
    referenced = set(
        Signpost.objects.filter(body__in=existing.values()).values_list("body_id", flat=True)
    )
    deleted = 0
    for person in existing.values():
        if person.pk in referenced:
            if person.withdrawn_at is None:
                person.withdrawn_at = now
                person.save(update_fields=["withdrawn_at", "updated_at"])
                counts["withdrawn"] += 1
        else:
            person.delete()
            deleted += 1
    result = LoadResult(**counts, deleted=deleted)
    source = DirectorySource.objects.select_for_update().first()
    source_changed = source is None or (
        source.last_checked,
        source.source,
        source.file_sha256,
    ) != (directory.last_checked, directory.source, directory.sha256)
    if not result.changed and not source_changed:
        return result
    if source is None:
        source = DirectorySource()
    source.last_checked = directory.last_checked
    source.source = directory.source
    source.file_sha256 = directory.sha256
    source.loaded_at = now
    source.save()
    audit_record(
        actor=actor,
        action="signposting.directory_loaded",
        object_type="prescribed_persons",
        object_id=directory.sha256[:16],
        details={
            "last_checked": directory.last_checked.isoformat(),
            "bodies": len(directory.bodies),
            "created": result.created,
            "updated": result.updated,
            "restored": result.restored,
            "withdrawn": result.withdrawn,
            "deleted": result.deleted,
        },
    )
    return result


@transaction.atomic
def signpost_message_set(*, actor: Any, organisation: Organisation, text: str) -> SignpostMessage:
    """Store the organisation's wording of the signposting message (managers)."""
    require(actor, Perm.CONFIGURE_SIGNPOSTING)
    if actor.organisation_id != organisation.pk:
        raise NotPermitted("Managers change their own organisation's message only.")
    text = text.strip().replace("\r\n", "\n")
    problems = template_problems(text)
    if problems:
        raise DomainError("Message: " + "; ".join(problems) + ".", field="text")
    message, _ = SignpostMessage.objects.update_or_create(
        organisation=organisation, defaults={"text": text, "updated_by": actor}
    )
    audit_record(
        actor=actor,
        action="signposting.message_changed",
        object_type="organisation",
        object_id=organisation.pk,
        details={"characters": len(text)},
    )
    return message


@transaction.atomic
def signpost_record(
    *, actor: Any, disclosure: Disclosure, body: PrescribedPerson, private_key: bytes | None
) -> Signpost:
    """Record that the concern is outside our prescribed matters and point the whistleblower
    to `body`. With a follow-up inbox the message goes there (sealed under the case key, so
    the actor's `private_key` is needed); otherwise the text is kept for staff to send."""
    locked = Disclosure.objects.select_for_update().get(
        pk=disclosure.pk, organisation_id=disclosure.organisation_id
    )
    require(actor, Perm.SIGNPOST, locked)
    if locked.status not in OPEN_FOR_SIGNPOSTING:
        raise DomainError(
            f"A case that is {locked.get_status_display().lower()} cannot be signposted. "
            + ("Reopen it first." if locked.is_closed else "Start the assessment first.")
        )
    if body.withdrawn_at is not None:
        raise DomainError("That body is no longer in the directory. Choose another.", field="body")
    earlier = Signpost.objects.filter(disclosure=locked, body=body).first()
    if earlier is not None:
        raise DomainError(
            f"This case was already signposted to {body.name} on "
            f"{timezone.localtime(earlier.recorded_at):%-d %B %Y}.",
            field="body",
        )
    text = signpost_text(disclosure=locked, body=body)
    signpost = Signpost(disclosure=locked, body=body, recorded_by=actor)
    if has_source_inbox(locked):
        if private_key is None:
            raise KeyLocked()
        signpost.delivery = Delivery.INBOX
        signpost.message = message_send_to_source(
            actor=actor, disclosure=locked, text=text, private_key=private_key
        )
    else:
        signpost.delivery = Delivery.STAFF
        signpost.text = text
    signpost.save()
    audit_record(
        actor=actor,
        action="signposting.signposted",
        disclosure_id=locked.pk,
        object_type="signpost",
        object_id=signpost.pk,
        details={"prescribed_person": body.key, "delivery": signpost.delivery},
    )
    return signpost
