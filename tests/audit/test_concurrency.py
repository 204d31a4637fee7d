"""Concurrent appends are serialised on the head row: the chain never forks."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from whistledesk.audit.models import AuditEvent
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

PER_THREAD = 15


def _writer(name: str, errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        for i in range(PER_THREAD):
            with transaction.atomic():
                audit_record(actor=name, action="test.concurrent", details={"i": i})
    except BaseException as exc:  # noqa: BLE001 - reported to the main thread
        errors.append(exc)
    finally:
        connection.close()


def test_two_writers_never_fork_the_chain() -> None:
    # Given two threads, each with its own database connection, appending at the same time
    errors: list[BaseException] = []
    start = threading.Barrier(2)
    threads = [threading.Thread(target=_writer, args=(n, errors, start)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    assert not errors, errors
    # Then every event is on one unbroken chain, each linking to exactly one parent
    result = verify_chain()
    assert result.ok, result.problem
    assert result.verified == 2 * PER_THREAD
    prevs = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == len(set(prevs))
