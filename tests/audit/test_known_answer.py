"""Known answers for the audit hash: the format is fixed for ever (ADR 0003).

The expected bytes and hex are typed out here, not computed by the code under test, so a
change to the serialisation (key order, spacing, time format) or a field dropped from the
hash (say `object_type`) fails these tests instead of silently starting a new format.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from django.db import transaction

from whistledesk.audit.chain import GENESIS_HASH, canonical_payload, link_hash
from whistledesk.audit.models import AuditEvent, AuditHead
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import verify_chain

FIXED_PAYLOAD = (
    b'{"action":"case.status_changed","actor_id":42,"actor_label":"alice",'
    b'"actor_roles":"caseworker,manager","details":{"from":"acknowledged","n":3,'
    b'"to":"assessing"},"disclosure_id":1001,"object_id":"WD-2026-0001",'
    b'"object_type":"disclosure","occurred_at":"2026-11-30T09:52:01.123456+00:00","seq":7}'
)
# SHA-256("000...0" + "\n" + FIXED_PAYLOAD), and the same after a non-genesis parent.
FIXED_HASH_AFTER_GENESIS = "0d056902500c4ff1f22290795810ebb7789af494a6fef7ec51e044e3fe2841a1"
FIXED_HASH_AFTER_ABAB = "3b284b9dc654e3c4113ccad3276a8b83d08f2171550106193363c7c4fd47bbce"


def _fixed_payload(**change: object) -> bytes:
    fields: dict = {
        "seq": 7,
        "occurred_at": datetime(2026, 11, 30, 9, 52, 1, 123456, tzinfo=UTC),
        "actor_id": 42,
        "actor_label": "alice",
        "actor_roles": "caseworker,manager",
        "action": "case.status_changed",
        "disclosure_id": 1001,
        "object_type": "disclosure",
        "object_id": "WD-2026-0001",
        # Given in another order than the serialisation's: keys are sorted.
        "details": {"to": "assessing", "from": "acknowledged", "n": 3},
    }
    fields.update(change)
    return canonical_payload(**fields)


def test_canonical_payload_of_a_fixed_event_is_pinned() -> None:
    assert _fixed_payload() == FIXED_PAYLOAD


def test_hash_of_a_fixed_event_is_pinned() -> None:
    assert link_hash(GENESIS_HASH, _fixed_payload()) == FIXED_HASH_AFTER_GENESIS
    assert link_hash("ab" * 32, _fixed_payload()) == FIXED_HASH_AFTER_ABAB
    # The literal is SHA-256 over prev_hash, a newline and the payload (checked by hashlib).
    assert (
        hashlib.sha256(GENESIS_HASH.encode() + b"\n" + FIXED_PAYLOAD).hexdigest()
        == FIXED_HASH_AFTER_GENESIS
    )


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 8},
        {"occurred_at": datetime(2026, 11, 30, 9, 52, 1, 123457, tzinfo=UTC)},
        {"actor_id": 43},
        {"actor_label": "alicf"},
        {"actor_roles": "caseworker"},
        {"action": "case.closed"},
        {"disclosure_id": 1002},
        {"object_type": "message"},
        {"object_id": "WD-2026-0002"},
        {"details": {"to": "assessing", "from": "acknowledged", "n": 4}},
    ],
    ids=lambda c: next(iter(c)),
)
def test_every_field_is_in_the_hash(change: dict) -> None:
    assert link_hash(GENESIS_HASH, _fixed_payload(**change)) != FIXED_HASH_AFTER_GENESIS


@pytest.mark.django_db
def test_recorded_event_hashes_to_the_typed_out_serialisation() -> None:
    # Given an event written by audit_record as the first in the chain
    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()
    with transaction.atomic():
        event = audit_record(
            actor="public",
            action="disclosure.recorded",
            disclosure_id=5,
            object_type="disclosure",
            object_id="WD-1",
            details={"channel": "web"},
        )
    # When its payload is written out by hand, as a third-party verifier would
    when = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    payload = (
        '{"action":"disclosure.recorded","actor_id":null,"actor_label":"public",'
        '"actor_roles":"","details":{"channel":"web"},"disclosure_id":5,"object_id":"WD-1",'
        f'"object_type":"disclosure","occurred_at":"{when}","seq":{event.seq}}}'
    )
    expected = hashlib.sha256(("0" * 64 + "\n" + payload).encode()).hexdigest()
    # Then the stored hash is that one, and the verifier agrees
    stored = AuditEvent.objects.get(seq=event.seq)
    assert stored.hash == expected
    assert verify_chain().ok
