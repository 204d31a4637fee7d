"""Destroying a closed case's content and identity once its retention period is over.

What goes, per case, in one transaction:
- every row of the content apps (`CONTENT_APPS`) that points at the disclosure - the sealed
  documents (identity, contact, narrative...), messages, attachments, the identity key, every
  key grant (staff, recovery, whistleblower), the whistleblower's account, identity access
  requests and web-form consent - found through the disclosure's foreign keys, so models
  added to those apps later go too;
- the free-text clear fields listed in `BLANKED` (the register summary, the setting, the
  body's reference, an action's recipient, legal hold reasons), set to "" with a queryset
  update;
- the sealed casework notes listed in `SEALED` (referral and action notes, safeguarding
  notes, consent wording, reasons: ciphertext under the case key), set to b"". Once the key
  grants are gone they could not be opened anyway; emptying them leaves nothing to attack.

What stays: the register row and its reporting fields (reference, received_on, channel,
service, qualifying, anonymous, outcome, status, dates, assessment flags), the audit log, and
a `RetentionRecord`. The annual report reads only those, so past years' reports are the same.

Once every sealed copy of the case key is gone, any copy of the ciphertext left behind (a
backup, a filesystem block) can no longer be opened; VACUUM afterwards (see
docs/operations.md) removes the bytes from the live database file as far as the engine allows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.cases.models import Disclosure, Status
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import Organisation
from whistledesk.retention.models import LegalHold, RetentionRecord
from whistledesk.retention.policy import Policies, closed_on, is_due, kept_until
from whistledesk.retention.selectors import RetentionItem, retention_due

# Apps whose every row about a disclosure is content, key material or identity access
# (requests, consent from the web form): deleted whole.
CONTENT_APPS = frozenset({"casefiles", "identity"})

# Free text kept in clear beside the register: blanked, the row itself kept (its dates and
# flags may matter to casework history and the report).
BLANKED: dict[str, tuple[str, ...]] = {
    "cases.Disclosure": (
        "summary",
        "setting_name",
        "setting_key",
        "ofsted_urn",
        "local_authority",
    ),
    "cases.Referral": ("body_reference",),
    "cases.CaseAction": ("recipient",),
    "retention.LegalHold": ("reason", "lift_reason"),
    # The signposting message as sent (the body named stays on the row).
    "signposting.Signpost": ("text",),
}

# Casework notes sealed under the case key (casefiles.notes): emptied, the row kept.
SEALED: dict[str, tuple[str, ...]] = {
    "cases.Referral": ("shared_summary_sealed", "response_summary_sealed"),
    "cases.CaseAction": ("summary_sealed",),
    "cases.SafeguardingConcern": (
        "summary_sealed",
        "action_taken_sealed",
        "action_taken_by_sealed",
    ),
    "cases.StatusChange": ("reason_sealed",),
    "cases.ConflictOfInterest": ("reason_sealed",),
    "cases.Consent": ("given_by_sealed", "scope_sealed", "reason_sealed"),
    "cases.FeedbackExtension": ("reason_sealed",),
    "cases.CaseReminder": ("note_sealed",),
    "cases.FollowupSent": ("body_sealed",),
    # The call notes shared with the caller and their correction, sealed for their receipt.
    "cases.CallNotesReview": ("notes_ciphertext", "correction_ciphertext"),
}


class DestructionRefused(DomainError):
    """This case cannot be destroyed now. The message names the case by reference only."""


def content_relations() -> list[Any]:
    """The reverse foreign keys from content-app models to `Disclosure`."""
    return [
        f
        for f in Disclosure._meta.get_fields(include_hidden=True)
        if f.is_relation
        and f.auto_created
        and not f.concrete
        and (f.one_to_many or f.one_to_one)
        and f.related_model is not None
        and f.related_model._meta.app_label in CONTENT_APPS
    ]


def _delete_content(disclosure_id: int) -> int:
    """Delete every content row of the case. Returns the number of rows deleted."""
    pending = [
        rel.related_model._base_manager.filter(**{rel.field.name: disclosure_id})
        for rel in content_relations()
    ]
    total = 0
    # A content model may protect another (e.g. a request pointing at a grant): delete what
    # can go, then retry the rest. Django checks protection before deleting anything.
    while pending:
        blocked = []
        for qs in pending:
            try:
                total += qs.delete()[0]
            except (ProtectedError, RestrictedError):
                blocked.append(qs)
        if len(blocked) == len(pending):
            names = ", ".join(sorted(qs.model.__name__ for qs in blocked))
            raise DestructionRefused(f"Other records still point at its {names} rows.")
        pending = blocked
    return total


def _disclosure_fk(model: type[models.Model]) -> str:
    if model is Disclosure:
        return "pk"
    for f in model._meta.get_fields():
        if f.many_to_one and f.related_model is Disclosure:
            return f.name
    raise LookupError(f"{model.__name__} has no foreign key to Disclosure")


def _blank_free_text(disclosure_id: int) -> int:
    """Set the `BLANKED` fields to "" and the `SEALED` ones to b"". Returns the rows touched."""
    rows = 0
    for fields, empty in ((BLANKED, ""), (SEALED, b"")):
        for label, names in fields.items():
            model = apps.get_model(label)
            present = {f.name for f in model._meta.get_fields()}
            # A field removed from a model has nothing left to blank.
            values = {name: empty for name in names if name in present}
            if values:
                qs = model._base_manager.filter(**{_disclosure_fk(model): disclosure_id})
                rows += qs.update(**values)
    return rows


def disclosure_destroy(*, actor: Any, disclosure_id: int, today: dt.date) -> RetentionRecord:
    """Destroy one case's content and identity, if it is (still) due on `today`.

    Everything is checked again under a row lock: a hold placed or a case reopened since the
    preview stops it.
    """
    with transaction.atomic():
        d = Disclosure.objects.select_for_update().get(pk=disclosure_id)
        if d.status != Status.CLOSED:
            raise DestructionRefused(f"{d.reference} is not closed.")
        if RetentionRecord.objects.filter(disclosure=d).exists():
            raise DestructionRefused(f"{d.reference} has already been destroyed.")
        if LegalHold.objects.filter(disclosure=d, lifted_at__isnull=True).exists():
            raise DestructionRefused(f"{d.reference} is on legal hold.")
        rule = Policies.of(d.organisation_id).rule_for(d)
        if rule is None:
            raise DestructionRefused(f"No retention policy covers {d.reference}.")
        until = kept_until(d, rule.keep_years)
        if not is_due(until, today):
            raise DestructionRefused(f"{d.reference} is kept until {until:%d %B %Y}.")

        deleted = _delete_content(d.pk)
        blanked = _blank_free_text(d.pk)
        record = RetentionRecord.objects.create(
            disclosure=d,
            destroyed_at=timezone.now(),
            policy=rule.policy,
            keep_years=rule.keep_years,
            closed_on=closed_on(d),
            kept_until=until,
            rows_deleted=deleted,
        )
        audit_record(
            actor=actor,
            action="retention.destroyed",
            disclosure_id=d.pk,
            object_type="disclosure",
            object_id=d.reference,
            details={
                "policy_id": rule.policy.pk,
                "keep_years": rule.keep_years,
                "kept_until": until.isoformat(),
                "as_of": today.isoformat(),
                "rows_deleted": deleted,
                "rows_blanked": blanked,
            },
        )
    return record


def affected_tables() -> list[str]:
    tables = {rel.related_model._meta.db_table for rel in content_relations()}
    tables |= {apps.get_model(label)._meta.db_table for label in [*BLANKED, *SEALED]}
    return sorted(tables)


def database_reclaim() -> str:
    """Rewrite the storage of the tables destruction touched. Returns what was done.

    SQLite: VACUUM rebuilds the file from live rows (freed pages are also zeroed as they are
    freed: PRAGMA secure_delete), then the WAL is checkpointed and truncated. PostgreSQL:
    VACUUM marks dead rows' space reusable; it does not overwrite it (docs/operations.md).
    """
    if connection.in_atomic_block:
        # VACUUM cannot run inside a transaction (e.g. a caller's, or a test's).
        return "skipped (inside a transaction)"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return "VACUUM and WAL checkpoint (SQLite)"
        if connection.vendor == "postgresql":
            for table in affected_tables():
                cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
            return "VACUUM of the affected tables (PostgreSQL)"
    return f"nothing ({connection.vendor} is not supported)"


@dataclass
class RetentionRun:
    today: dt.date
    dry_run: bool
    destroyed: list[RetentionItem] = field(default_factory=list)
    held: list[RetentionItem] = field(default_factory=list)
    refused: list[tuple[RetentionItem, str]] = field(default_factory=list)
    reclaimed: str = ""


def retention_apply(
    *, actor: Any, organisation: Organisation, today: dt.date, dry_run: bool = False
) -> RetentionRun:
    """Destroy every due case not on hold, each in its own transaction (or only list them).

    One case that cannot be destroyed does not stop the others; it is reported instead.
    """
    run = RetentionRun(today=today, dry_run=dry_run)
    # Read the whole list first: writing while a cursor is open over the same table would
    # hold SQLite's read snapshot for the whole run.
    items = list(retention_due(organisation=organisation, today=today))
    for item in items:
        if item.on_hold:
            run.held.append(item)
        elif dry_run:
            run.destroyed.append(item)
        else:
            try:
                disclosure_destroy(actor=actor, disclosure_id=item.disclosure_id, today=today)
            except DestructionRefused as exc:
                run.refused.append((item, exc.message))
            else:
                run.destroyed.append(item)
    if run.destroyed and not dry_run:
        run.reclaimed = database_reclaim()
    return run
