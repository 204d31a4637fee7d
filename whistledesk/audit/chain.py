"""Hashing of audit events: one canonical serialisation, used to write and to verify.

See docs/adr/0003-hash-chained-audit-log.md. Changing anything here invalidates every
existing chain, so the format is fixed: sorted-key JSON, ASCII, no spaces, UTC ISO times
with microseconds, then SHA-256 over `prev_hash + "\n" + payload`.
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
)


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
) -> bytes:
    return json.dumps(
        {
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
