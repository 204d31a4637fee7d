"""Migration audit 0003: the existing chain becomes the first organisation's, unchanged.

Events written before organisations had chains keep their seq, fields and hashes (format 1)
and keep verifying; the next event continues that chain in format 2.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.factories import OrganisationFactory
from whistledesk.audit.models import AuditEvent
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0002_head_row")]
AFTER = [("audit", "0003_per_organisation_chains")]


def _old_events() -> list[tuple[int, str, str]]:
    import hashlib

    rows = []
    prev = "0" * 64
    for seq, action in ((1, "case.received"), (2, "case.closed")):
        payload = (
            f'{{"action":"{action}","actor_id":null,"actor_label":"system","actor_roles":"",'
            '"details":{},"disclosure_id":null,"object_id":"","object_type":"",'
            f'"occurred_at":"2026-11-01T10:00:0{seq}.000000+00:00","seq":{seq}}}'
        )
        h = hashlib.sha256((prev + "\n" + payload).encode()).hexdigest()
        rows.append((seq, action, h))
        prev = h
    return rows


def test_existing_chain_moves_to_the_first_organisation_and_keeps_verifying() -> None:
    first = OrganisationFactory()
    OrganisationFactory()  # a second one, made later: it starts its own chain
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldEvent = old_apps.get_model("audit", "AuditEvent")
    OldHead = old_apps.get_model("audit", "AuditHead")
    OldEvent.objects.all().delete()
    OldHead.objects.all().delete()
    prev = "0" * 64
    for seq, action, h in _old_events():
        OldEvent.objects.create(
            seq=seq,
            occurred_at=datetime(2026, 11, 1, 10, 0, seq, tzinfo=UTC),
            actor_label="system",
            action=action,
            prev_hash=prev,
            hash=h,
        )
        prev = h
    OldHead.objects.create(id=1, last_seq=2, last_hash=prev)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    # Then the old events are the first organisation's, unchanged, and verify
    rows = list(
        AuditEvent.objects.order_by("seq").values_list(
            "organisation_id", "seq", "action", "hash", "chain_format"
        )
    )
    assert rows == [(first.pk, s, a, h, 1) for s, a, h in _old_events()]
    assert verify_chain(organisation=first).ok
    # And the next event continues that chain (seq 3, format 2), and it still verifies
    with transaction.atomic():
        event = audit_record(actor="system", action="case.reopened", organisation=first)
    assert (event.seq, event.chain_format, event.prev_hash) == (3, 2, _old_events()[1][2])
    result = verify_chain(organisation=first)
    assert result.ok and result.verified == 3, result.problem
