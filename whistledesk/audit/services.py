"""Writing audit events. Call `audit_record` inside the transaction of the change it records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from whistledesk.audit.chain import GENESIS_HASH, canonical_payload, link_hash
from whistledesk.audit.guard import check_details
from whistledesk.audit.models import AuditEvent, AuditHead

SYSTEM_ACTOR = "system"


def _actor_fields(actor: Any) -> tuple[int | None, str, str]:
    if actor is None or isinstance(actor, str):
        return None, actor or SYSTEM_ACTOR, ""
    roles = ",".join(sorted(actor.groups.values_list("name", flat=True)))
    return actor.pk, actor.get_username(), roles


def audit_record(
    *,
    actor: Any,
    action: str,
    disclosure_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
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
    # Lock the head row: appends are serialised so every event links to exactly one parent.
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
    )
    occurred_at = datetime.now(UTC)
    event = AuditEvent(
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
    # The sequence number is part of the hash, so it is taken from the head, not the database.
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
        ),
    )
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event
