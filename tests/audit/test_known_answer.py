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


# Format 2 (ADR 0017, one chain per organisation): the same fields plus "format":2 and the
# organisation's id, so an event cannot be moved to another organisation's chain.
FIXED_PAYLOAD_V2 = (
    b'{"action":"case.status_changed","actor_id":42,"actor_label":"alice",'
    b'"actor_roles":"caseworker,manager","details":{"from":"acknowledged","n":3,'
    b'"to":"assessing"},"disclosure_id":1001,"format":2,"object_id":"WD-2026-0001",'
    b'"object_type":"disclosure","occurred_at":"2026-11-30T09:52:01.123456+00:00",'
    b'"organisation_id":3,"seq":7}'
)
FIXED_V2_HASH_AFTER_GENESIS = "78b4dacdf0247bc2606076708ac8e480e7e7814b53e14e74d0a29a8559cdeace"
FIXED_V2_HASH_AFTER_ABAB = "c737b9e1d26160e0a30c6287aa0583a34459de2f1f6a2e7cd81b215c01558f92"


def test_format_2_payload_and_hash_are_pinned() -> None:
    payload = _fixed_payload(organisation_id=3, chain_format=2)
    assert payload == FIXED_PAYLOAD_V2
    assert link_hash(GENESIS_HASH, payload) == FIXED_V2_HASH_AFTER_GENESIS
    assert link_hash("ab" * 32, payload) == FIXED_V2_HASH_AFTER_ABAB


def test_format_1_ignores_the_organisation() -> None:
    # Events written before organisations had chains keep verifying as they always did
    assert _fixed_payload(organisation_id=3, chain_format=1) == FIXED_PAYLOAD
    assert _fixed_payload(organisation_id=4, chain_format=2) != FIXED_PAYLOAD_V2


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        _fixed_payload(chain_format=3)


@pytest.mark.django_db
def test_recorded_event_hashes_to_the_typed_out_serialisation() -> None:
    # Given an organisation, and an event written by audit_record as the first on its chain
    from tests.factories import OrganisationFactory

    org = OrganisationFactory()
    AuditEvent.objects.filter(organisation=org).delete()
    AuditHead.objects.filter(organisation=org).delete()
    with transaction.atomic():
        event = audit_record(
            actor="public",
            action="disclosure.recorded",
            disclosure_id=5,
            object_type="disclosure",
            object_id="WD-1",
            details={"channel": "web"},
            organisation=org,
        )
    # When its payload is written out by hand, as a third-party verifier would
    when = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    payload = (
        '{"action":"disclosure.recorded","actor_id":null,"actor_label":"public",'
        '"actor_roles":"","details":{"channel":"web"},"disclosure_id":5,"format":2,'
        f'"object_id":"WD-1","object_type":"disclosure","occurred_at":"{when}",'
        f'"organisation_id":{org.pk},"seq":1}}'
    )
    expected = hashlib.sha256(("0" * 64 + "\n" + payload).encode()).hexdigest()
    # Then the stored hash is that one, and the verifier agrees
    stored = AuditEvent.objects.get(organisation=org, seq=1)
    assert stored.hash == expected
    assert stored.chain_format == 2
    assert verify_chain(organisation=org).ok
