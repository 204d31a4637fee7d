"""One organisation's appends never wait on another's chain (ADR 0017).

Real database, two connections: one holds organisation B's head row locked (as an append to
B does for the length of its transaction), the other appends to A with a short lock
timeout. A's append goes through; an append to B in the same conditions times out, which
shows the lock held was real. PostgreSQL only: SQLite locks the whole database for any
write, so there no two writers ever run at once, whatever the rows.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection, transaction

from tests.factories import OrganisationFactory
from whistledesk.audit.models import AuditEvent, AuditHead
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import verify_chain

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks all)"
    ),
]


def _hold_lock(org_id: int, locked: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            AuditHead.objects.select_for_update().get(organisation_id=org_id)
            locked.set()
            release.wait(timeout=30)
    finally:
        connection.close()


def _append_with_lock_timeout(org: object, action: str) -> float:
    started = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET LOCAL lock_timeout = '2s'")
        audit_record(actor="system", action=action, organisation=org)
    return time.monotonic() - started


def test_a_appends_while_b_head_is_locked() -> None:
    a, b = OrganisationFactory(slug="alpha"), OrganisationFactory(slug="beta")
    for org in (a, b):
        with transaction.atomic():
            audit_record(actor="system", action="test.first", organisation=org)
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(b.pk, locked, release))
    holder.start()
    try:
        assert locked.wait(timeout=10)
        # When A appends while B's head is locked by another connection, Then it goes through
        took = _append_with_lock_timeout(a, "test.while_b_locked")
        assert took < 2
        # ...whereas an append to B waits on that lock until it times out
        with pytest.raises(OperationalError) as exc:
            _append_with_lock_timeout(b, "test.blocked")
        assert "lock timeout" in str(exc.value)
    finally:
        release.set()
        holder.join(timeout=30)
        close_old_connections()
    assert list(
        AuditEvent.objects.filter(organisation=a).order_by("seq").values_list("action", flat=True)
    ) == ["test.first", "test.while_b_locked"]
    assert list(
        AuditEvent.objects.filter(organisation=b).order_by("seq").values_list("action", flat=True)
    ) == ["test.first"]
    assert verify_chain(organisation=a).ok and verify_chain(organisation=b).ok
