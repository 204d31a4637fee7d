"""The state machine: allowed moves, clear refusals, closing rules, reopening."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.casefiles.conftest import private_key_of
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.notes import note_open
from whistledesk.cases.models import Status, StatusChange
from whistledesk.cases.workflow import TRANSITIONS, disclosure_transition
from whistledesk.core.exceptions import DomainError, NotPermitted

pytestmark = pytest.mark.django_db


def test_full_path_records_history_and_audit(new_case: Any, walk: Any, users: Any) -> None:
    case = walk(new_case(), Status.AWAITING_REASSURANCE)
    outcome = case.organisation.outcomes.get(label="Referred")
    case = disclosure_transition(
        actor=users["caseworker"], disclosure=case, to=Status.CLOSED, outcome=outcome
    )
    assert case.status == Status.CLOSED
    assert case.outcome == outcome
    assert case.closed_at is not None
    assert case.acknowledged_at is not None
    assert case.feedback_due_on is not None
    moves = list(StatusChange.objects.filter(disclosure=case).values_list("to_status", flat=True))
    assert moves == ["acknowledged", "assessing", "action", "awaiting_reassurance", "closed"]
    events = AuditEvent.objects.filter(disclosure_id=case.pk, action="disclosure.status_changed")
    assert events.count() == 5
    assert events.last().details["to"] == "closed"


NOT_ALLOWED = [(a, b) for a in Status for b in Status if (a, b) not in TRANSITIONS]


@pytest.mark.parametrize(("start", "target"), NOT_ALLOWED)
def test_moves_not_in_the_table_are_refused(
    start: Status, target: Status, new_case: Any, users: Any
) -> None:
    case = new_case()
    type(case).objects.filter(pk=case.pk).update(
        status=start,
        qualifying=True,
        outcome=case.organisation.outcomes.first() if start == Status.CLOSED else None,
    )
    case.refresh_from_db()
    with pytest.raises(DomainError) as err:
        disclosure_transition(
            actor=users["manager"],
            private_key=private_key_of(users["manager"]),
            disclosure=case,
            to=target,
            reason="x",
        )
    assert "cannot be moved to" in err.value.message
    case.refresh_from_db()
    assert case.status == start


def test_unknown_status_is_refused_clearly(new_case: Any, users: Any) -> None:
    with pytest.raises(DomainError, match="not a status"):
        disclosure_transition(actor=users["caseworker"], disclosure=new_case(), to="lost")


def test_close_needs_an_outcome(new_case: Any, walk: Any, users: Any) -> None:
    case = walk(new_case(), Status.ACTION)
    with pytest.raises(DomainError, match="Choose an outcome"):
        disclosure_transition(actor=users["caseworker"], disclosure=case, to=Status.CLOSED)
    case.refresh_from_db()
    assert case.status == Status.ACTION


def test_close_refuses_another_organisations_outcome(new_case: Any, walk: Any, users: Any) -> None:
    from tests.factories import OrganisationFactory

    other = OrganisationFactory(name="Elsewhere")
    case = walk(new_case(), Status.ACTION)
    with pytest.raises(DomainError, match="from the list"):
        disclosure_transition(
            actor=users["caseworker"],
            disclosure=case,
            to=Status.CLOSED,
            outcome=other.outcomes.first(),
        )


def test_start_action_needs_assessment(new_case: Any, walk: Any, users: Any) -> None:
    case = walk(new_case(), Status.ASSESSING)
    with pytest.raises(DomainError, match="Record the assessment"):
        disclosure_transition(actor=users["caseworker"], disclosure=case, to=Status.ACTION)


def test_awaiting_reassurance_needs_an_open_referral(new_case: Any, walk: Any, users: Any) -> None:
    case = walk(new_case(), Status.ACTION)
    with pytest.raises(DomainError, match="referral"):
        disclosure_transition(
            actor=users["caseworker"], disclosure=case, to=Status.AWAITING_REASSURANCE
        )


def test_reopen_needs_a_manager_and_a_reason(new_case: Any, walk: Any, users: Any) -> None:
    case = walk(new_case(), Status.ACTION)
    case = disclosure_transition(
        actor=users["caseworker"],
        disclosure=case,
        to=Status.CLOSED,
        outcome=case.organisation.outcomes.first(),
    )
    with pytest.raises(NotPermitted, match="managers only"):
        disclosure_transition(
            actor=users["caseworker"],
            private_key=private_key_of(users["caseworker"]),
            disclosure=case,
            to=Status.ASSESSING,
            reason="new facts",
        )
    with pytest.raises(DomainError, match="reason"):
        disclosure_transition(actor=users["manager"], disclosure=case, to=Status.ASSESSING)
    case = disclosure_transition(
        actor=users["manager"],
        private_key=private_key_of(users["manager"]),
        disclosure=case,
        to=Status.ASSESSING,
        reason="New information",
    )
    assert case.status == Status.ASSESSING
    assert case.closed_at is None
    # The reason is kept sealed under the case key, and the manager reads it back
    change = StatusChange.objects.filter(disclosure=case).last()
    assert b"New information" not in bytes(change.reason_sealed)
    assert (
        note_open(
            disclosure=case,
            token=change.reason_sealed,
            private_key=private_key_of(users["manager"]),
            actor=users["manager"],
        )
        == "New information"
    )


def test_acknowledging_starts_the_feedback_clock(new_case: Any, users: Any) -> None:
    case = disclosure_transition(
        actor=users["intake_officer"], disclosure=new_case(), to=Status.ACKNOWLEDGED
    )
    today = dt.date.today()
    assert case.feedback_due_on is not None
    assert 89 <= (case.feedback_due_on - today).days <= 92


