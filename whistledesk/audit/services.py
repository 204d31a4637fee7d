"""Writing audit events. Call `audit_record` inside the transaction of the change it records.

Each organisation has its own chain (ADR 0017): an event goes on the chain of
1. the organisation of its disclosure (`disclosure_id`), else
2. the organisation of its actor (a staff account), else
3. the organisation the request, command or task is for (`tenancy.current()`), else
4. the installation's only organisation.
A caller that knows better (an account made by a command for a named organisation) passes
`organisation=` itself.
With several organisations and none of these, the event concerns no organisation and goes
on the installation's own chain (`organisation` null). Only that organisation's head row is
locked while appending, so one organisation's writes never wait on another's chain.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from whistledesk.audit.chain import CURRENT_FORMAT, GENESIS_HASH, canonical_payload, link_hash
from whistledesk.audit.guard import check_details
from whistledesk.audit.models import AuditEvent, AuditHead

SYSTEM_ACTOR = "system"


def _actor_fields(actor: Any) -> tuple[int | None, str, str]:
    if actor is None or isinstance(actor, str):
        return None, actor or SYSTEM_ACTOR, ""
    roles = ",".join(sorted(actor.groups.values_list("name", flat=True)))
    return actor.pk, actor.get_username(), roles


def audit_organisation_id(*, actor: Any, disclosure_id: int | None) -> int | None:
    """Which organisation's chain an event goes on (see the module docstring)."""
    from whistledesk.organisation import tenancy

    if disclosure_id is not None:
        from whistledesk.cases.models import Disclosure

        org_id = (
            Disclosure.objects.filter(pk=disclosure_id)
            .values_list("organisation_id", flat=True)
            .first()
        )
        if org_id is not None:
            return int(org_id)
    actor_org = getattr(actor, "organisation_id", None)
    if actor_org is not None:
        return int(actor_org)
    current = tenancy.current()
    if current is not None:
        return int(current.pk)
    sole = tenancy.sole_organisation()
    return int(sole.pk) if sole is not None else None


def audit_record(
    *,
    actor: Any,
    action: str,
    disclosure_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
    organisation: Any = None,
) -> AuditEvent:
    """Append one event to the chain. `actor` is a User, a label such as "public", or None.

    `details` must hold no sensitive content (no identity, narrative or receipt): keys that
    look like it, long free text and floats raise `AuditDetailsRejected` (see guard.py).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    details = dict(details or {})
    check_details(details)
    actor_id, actor_label, actor_roles = _actor_fields(actor)
    organisation_id = (
        int(organisation.pk)
        if organisation is not None
        else audit_organisation_id(actor=actor, disclosure_id=disclosure_id)
    )
    # Lock this organisation's head row: its appends are serialised so every event links to
    # exactly one parent; other organisations' heads are not touched.
    # (organisation_id None is the installation's chain: Django matches it with IS NULL.)
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        organisation_id=organisation_id,  # type: ignore[misc]
        defaults={"last_seq": 0, "last_hash": GENESIS_HASH},
    )
    occurred_at = datetime.now(UTC)
    event = AuditEvent(
        organisation_id=organisation_id,
        chain_format=CURRENT_FORMAT,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_label=actor_label,
        actor_roles=actor_roles,
        action=action,
        disclosure_id=disclosure_id,
        object_type=object_type,
        object_id=str(object_id),
        details=details,
        prev_hash=head.last_hash,
        hash="pending",
    )
    # The position is part of the hash, so it is taken from the head, not the database.
    event.seq = head.last_seq + 1
    event.hash = link_hash(
        head.last_hash,
        canonical_payload(
            seq=event.seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=actor_label,
            actor_roles=actor_roles,
            action=action,
            disclosure_id=disclosure_id,
            object_type=object_type,
            object_id=event.object_id,
            details=details,
            organisation_id=organisation_id,
            chain_format=CURRENT_FORMAT,
        ),
    )
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event
