"""verify_audit names the first broken link when rows are tampered with in the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from whistledesk.audit.models import AuditEvent, AuditHead
from whistledesk.audit.services import audit_record
from whistledesk.audit.verify import Anchor, verify_chain

# Every chain is an organisation's (ADR 0017): these tamper with the only one's.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("organisation")]


def _append(n: int, actor: Any = "system") -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit_record(
                    actor=actor,
                    action="case.status_changed",
                    disclosure_id=100 + i,
                    object_type="disclosure",
                    object_id=100 + i,
                    details={"from": "received", "to": "acknowledged", "n": i},
                )
            )
    return events


def _verify(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as exc:
        _verify(*args)
    return str(exc.value)


def test_untouched_log_verifies_and_names_the_head() -> None:
    # Given an untouched log of five events
    events = _append(5)
    # When it is verified, Then all five pass and the head is the last event
    out = _verify()
    assert f"5 events verified, head 5:{events[-1].hash}" in out


def test_empty_log_verifies() -> None:
    assert "0 events verified" in _verify()


@pytest.mark.parametrize(
    "change",
    [
        {"action": "case.closed"},
        {"details": {"from": "received", "to": "closed", "n": 2}},
        {"actor_label": "someone-else"},
        {"disclosure_id": 999},
        {"object_id": "999"},
        {"actor_roles": "custodian"},
        {"object_type": "message"},
    ],
    ids=["action", "details", "actor_label", "disclosure", "object", "roles", "object_type"],
)
def test_edited_event_is_named(change: dict[str, Any]) -> None:
    _append(5)
    # When someone with database access edits the third event
    AuditEvent.objects.filter(seq=3).update(**change)
    # Then verification fails at exactly that event
    message = _verify_fails()
    assert "edited event: hash mismatch at seq 3" in message
    assert verify_chain().broken_seq == 3


def test_edited_actor_user_is_named(make_staff: Any) -> None:
    alice = make_staff(username="alice")
    bob = make_staff(username="bob")
    first_seq = AuditEvent.objects.count() + 1
    _append(3, actor=alice)
    AuditEvent.objects.filter(seq=first_seq + 1).update(actor=bob)
    assert f"hash mismatch at seq {first_seq + 1}" in _verify_fails()


def test_edit_with_raw_sql_is_named() -> None:
    _append(4)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["forged", 2])
    assert "hash mismatch at seq 2" in _verify_fails()


def test_rehashed_edit_breaks_the_next_link() -> None:
    # An attacker who knows the algorithm recomputes the edited row's own hash...
    from whistledesk.audit.chain import canonical_payload, link_hash

    _append(4)
    e = AuditEvent.objects.get(seq=2)
    e.action = "forged"
    e.hash = link_hash(
        e.prev_hash,
        canonical_payload(
            seq=e.seq,
            occurred_at=e.occurred_at,
            actor_id=e.actor_id,
            actor_label=e.actor_label,
            actor_roles=e.actor_roles,
            action=e.action,
            disclosure_id=e.disclosure_id,
            object_type=e.object_type,
            object_id=e.object_id,
            details=e.details,
            organisation_id=e.organisation_id,
            chain_format=e.chain_format,
        ),
    )
    AuditEvent.objects.filter(seq=2).update(action=e.action, hash=e.hash)
    # ...but the next event still links to the original, so the break is at seq 3
    message = _verify_fails()
    assert "prev_hash mismatch at seq 3" in message


def test_deleted_middle_event_is_named() -> None:
    _append(5)
    AuditEvent.objects.filter(seq=3).delete()
    message = _verify_fails()
    assert "gap in sequence 2 -> 4 (seq 3 missing)" in message


def test_deleted_first_event_is_named() -> None:
    _append(3)
    AuditEvent.objects.filter(seq=1).delete()
    assert "gap in sequence 0 -> 2" in _verify_fails()


def test_reordered_events_are_named() -> None:
    _append(5)
    # Swap seq 2 and 3 (seq is the primary key, so go through a free value).
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET seq = 1000 WHERE seq = 2")
        cur.execute("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
        cur.execute("UPDATE audit_auditevent SET seq = 3 WHERE seq = 1000")
    message = _verify_fails()
    assert "reordered events: seq 2 links to the event now at seq 3" in message


def test_deleted_last_event_is_named_as_truncation() -> None:
    _append(5)
    AuditEvent.objects.filter(seq=5).delete()
    message = _verify_fails()
    assert "truncated tail: the head names seq 5 but the last event is seq 4" in message


def test_forged_head_is_named() -> None:
    _append(3)
    AuditHead.objects.all().update(last_hash="f" * 64)
    assert "head mismatch" in _verify_fails()


def test_anchor_still_on_the_chain_is_confirmed() -> None:
    events = _append(3)
    anchor = f"2:{events[1].hash}"
    _append(2)
    out = _verify("--anchor", anchor)
    assert "5 events verified" in out
    assert "1 anchor(s) confirmed" in out


def test_history_rewritten_behind_an_anchor_is_named() -> None:
    # Given an anchor published at seq 3
    events = _append(3)
    anchor = Anchor(seq=3, hash=events[2].hash)
    # When the whole log is wiped and rebuilt consistently (every hash recomputed)
    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()
    _append(4)
    assert verify_chain().ok  # self-consistent, so only the anchor can tell
    # Then the anchor exposes the rewrite
    message = _verify_fails("--anchor", str(anchor))
    assert f"anchor {anchor} does not match" in message


def test_anchor_beyond_the_end_is_named() -> None:
    events = _append(3)
    AuditEvent.objects.filter(seq=3).delete()
    AuditHead.objects.all().update(last_seq=2, last_hash=events[1].hash)
    message = _verify_fails("--anchor", f"3:{events[2].hash}")
    assert "beyond the last event" in message


def test_malformed_anchor_is_a_clear_error() -> None:
    assert "An anchor is SEQ:HASH" in _verify_fails("--anchor", "not-an-anchor")


def test_audit_anchor_prints_the_head() -> None:
    import json
    from io import StringIO

    events = _append(2)
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    assert out.getvalue().splitlines()[0] == f"2:{events[-1].hash}"
    out = StringIO()
    call_command("audit_anchor", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["seq"] == 2 and data["hash"] == events[-1].hash and data["occurred_at"]
    # and the printed anchor is accepted by the verifier
    assert "anchor(s) confirmed" in _verify("--anchor", f"2:{events[-1].hash}")


def test_verify_streams_in_chunks(django_assert_max_num_queries: Any) -> None:
    # A long log is read in chunks, not loaded whole; check the walk is not per-row queries.
    _append(30)
    with django_assert_max_num_queries(5):
        assert verify_chain().ok


def test_deleted_head_row_fails() -> None:
    # Given a log of three events
    _append(3)
    # When someone deletes the head row
    AuditHead.objects.all().delete()
    # Then verification fails and says the head is missing (it used to pass, "0 events")
    message = _verify_fails()
    assert "missing head: the head row is gone but events 1-3 exist" in message
    assert verify_chain().kind == "head"


def test_head_wound_back_over_remaining_events_fails() -> None:
    # Given five events
    events = _append(5)
    # When the head is wound back consistently to seq 3 while events 4 and 5 remain
    AuditHead.objects.all().update(last_seq=3, last_hash=events[2].hash)
    # Then verification names the events beyond the head (it used to pass, "3 events")
    message = _verify_fails()
    assert "events beyond the head: the head names seq 3 but events 4-5 exist" in message
    assert verify_chain().broken_seq == 4


def test_head_naming_an_earlier_event_with_a_wrong_hash_fails() -> None:
    events = _append(4)
    AuditHead.objects.all().update(last_seq=4, last_hash=events[2].hash)
    assert "head mismatch" in _verify_fails()


def test_event_appended_during_a_run_is_not_a_break() -> None:
    # Given a verifier that read the head at seq 3 (simulated by winding it back for the
    # walk) while an honest append moved it on before the final check
    from whistledesk.audit import verify as verify_module

    _append(3)
    real = verify_module._events_beyond_the_head

    def append_then_check(org_id: int | None, head_seq: int) -> tuple[int, int] | None:
        _append(1)  # commits event 4 and moves the head to 4
        return real(org_id, head_seq)

    verify_module._events_beyond_the_head = append_then_check  # type: ignore[assignment]
    try:
        result = verify_chain()
    finally:
        verify_module._events_beyond_the_head = real  # type: ignore[assignment]
    # Then the run passes with what it walked; event 4 is left for the next run
    assert result.ok and result.verified == 3
    assert "4 events verified" in _verify()
