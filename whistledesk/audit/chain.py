"""Hashing of audit events: one canonical serialisation, used to write and to verify.

See docs/adr/0003-hash-chained-audit-log.md. Changing anything here invalidates every
existing chain, so the format is fixed: sorted-key JSON, ASCII, no spaces, UTC ISO times
with microseconds, then SHA-256 over `prev_hash + "\n" + payload`.

Two formats exist (the event's `chain_format` says which): 1, the original, and 2 (ADR 0017,
one chain per organisation), which adds `"format":2` and the event's `organisation_id`, so
an event cannot be moved to another organisation's chain without breaking its hash. Events
written before organisations had chains keep format 1 and verify as they always did.
`seq` is the position on the organisation's chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64

# The columns, in order, that a verifier reads back from the database to rebuild a payload.
PAYLOAD_COLUMNS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "actor_roles",
    "action",
    "disclosure_id",
    "object_type",
    "object_id",
    "details",
    "organisation_id",
    "chain_format",
)

CURRENT_FORMAT = 2


def canonical_payload(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    actor_roles: str,
    action: str,
    disclosure_id: int | None,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
    organisation_id: int | None = None,
    chain_format: int = 1,
) -> bytes:
    """The bytes hashed for one event. Format 1 ignores `organisation_id` (it has none)."""
    if chain_format not in (1, 2):
        raise ValueError(f"unknown audit chain format {chain_format!r}")
    extra: dict[str, Any] = (
        {"format": 2, "organisation_id": organisation_id} if chain_format == 2 else {}
    )
    return json.dumps(
        {
            **extra,
            "seq": seq,
            "occurred_at": occurred_at.isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "actor_roles": actor_roles,
            "action": action,
            "disclosure_id": disclosure_id,
            "object_type": object_type,
            "object_id": object_id,
            "details": details,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode()


def link_hash(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + payload).hexdigest()
