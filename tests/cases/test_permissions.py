"""Role x action matrix: each role does exactly what the table says, through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.casefiles.conftest import private_key_of
from whistledesk.accounts.roles import Role
from whistledesk.cases import actions, assessment, safeguarding
from whistledesk.cases.models import ReferralBody, Status
from whistledesk.cases.workflow import disclosure_transition
from whistledesk.core.exceptions import NotPermitted

pytestmark = pytest.mark.django_db

IN, C, S, M, A, X = (
    "intake_officer",
    "caseworker",
    "safeguarding_lead",
    "manager",
    "auditor",
    "custodian",
)

# action -> (status the case must be in first, roles allowed). Written out independently of
# cases.permissions so a change to the table shows up here as a failure. A case in
# RECEIVED is unassigned (triage: intake officers acknowledge, a caseworker must take it
# first); any later one was walked there by the caseworker `C`, who took it (its handler).
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "acknowledge": (Status.RECEIVED, {IN, M}),
    "start_assessment": (Status.ACKNOWLEDGED, {C, M}),
    "assess": (Status.ASSESSING, {C, M}),
    "assign_other": (Status.ASSESSING, {M}),
    "take_case": (Status.RECEIVED, {C, M}),
    "record_conflict": (Status.ASSESSING, {M}),
    "refer": (Status.ACTION, {C, M}),
    "record_action": (Status.ACTION, {C, M}),
    "record_consent": (Status.ACTION, {C, M}),
    "raise_concern": (Status.ACTION, {C, S, M}),
    "confirm_safeguarding": (Status.ACTION, {S}),
    "close": (Status.ACTION, {C, M}),
    "reopen": (Status.CLOSED, {M}),
}
ROLES = [IN, C, S, M, A, X, "nobody"]


def _do(action: str, actor: Any, case: Any, users: Any) -> Any:
    today = dt.date.today()
    outcome = case.organisation.outcomes.first()
    calls: dict[str, Callable[[], Any]] = {
        "acknowledge": lambda: disclosure_transition(
            actor=actor, disclosure=case, to=Status.ACKNOWLEDGED
        ),
        "start_assessment": lambda: disclosure_transition(
            actor=actor, disclosure=case, to=Status.ASSESSING
        ),
        "assess": lambda: assessment.disclosure_assess(
            actor=actor,
            disclosure=case,
            categories=["criminal_offence"],
            public_interest=True,
            within_remit=True,
            service=case.organisation.services.first(),
            risk_level="high",
            urgent=False,
        ),
        "assign_other": lambda: assessment.disclosure_assign(
            actor=actor, disclosure=case, handler=users["caseworker2"]
        ),
        "take_case": lambda: assessment.disclosure_assign(
            actor=actor, disclosure=case, handler=actor
        ),
        "record_conflict": lambda: assessment.conflict_record(
            actor=actor,
            private_key=private_key_of(actor),
            disclosure=case,
            user=users["caseworker2"],
            reason="Former colleague",
        ),
        "refer": lambda: actions.referral_record(
            actor=actor,
            private_key=private_key_of(actor),
            disclosure=case,
            body=ReferralBody.objects.get(kind="police"),
            shared_summary="Allegation of assault.",
            referred_on=today,
        ),
        "record_action": lambda: actions.action_record(
            actor=actor,
            private_key=private_key_of(actor),
            disclosure=case,
            kind="advice",
            summary="Advised",
            taken_on=today,
        ),
        "record_consent": lambda: actions.consent_record(
            actor=actor,
            private_key=private_key_of(actor),
            disclosure=case,
            given_by="the whistleblower",
            scope="share name with the LADO",
            given_on=today,
            reason="LADO needs to interview",
        ),
        "raise_concern": lambda: safeguarding.safeguarding_concern_raise(
            actor=actor, private_key=private_key_of(actor), disclosure=case, summary="Risk of harm"
        ),
        "confirm_safeguarding": lambda: safeguarding.safeguarding_action_confirm(
            actor=actor,
            private_key=private_key_of(actor),
            concern=case.safeguarding_concerns.get(),
            action_taken="Checked",
            action_taken_by="LADO",
            action_taken_on=today,
        ),
        "close": lambda: disclosure_transition(
            actor=actor, disclosure=case, to=Status.CLOSED, outcome=outcome
        ),
        "reopen": lambda: disclosure_transition(
            actor=actor,
            private_key=private_key_of(actor),
            disclosure=case,
            to=Status.ASSESSING,
            reason="New evidence",
        ),
    }
    return calls[action]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_role_action_matrix(role: str, action: str, new_case: Any, walk: Any, users: Any) -> None:
    status, allowed = EXPECTED[action]
    case = new_case()
    if status == Status.CLOSED:
        case = walk(case, Status.ACTION)
        case = disclosure_transition(
            actor=users[C],
            disclosure=case,
            to=Status.CLOSED,
            outcome=case.organisation.outcomes.first(),
        )
    elif status != Status.RECEIVED:
        case = walk(case, status)
    if action == "confirm_safeguarding":
        safeguarding.safeguarding_concern_raise(
            actor=users[C], private_key=private_key_of(users[C]), disclosure=case, summary="Risk"
        )
    actor = users[role]
    if role in allowed:
        _do(action, actor, case, users)
    else:
        with pytest.raises(NotPermitted):
            _do(action, actor, case, users)


def test_caseworker_cannot_change_a_case_assigned_to_someone_else(
    new_case: Any, walk: Any, users: Any
) -> None:
    case = walk(new_case(), Status.ACTION)
    assessment.disclosure_assign(actor=users[M], disclosure=case, handler=users["caseworker2"])
    with pytest.raises(NotPermitted, match="assigned to another"):
        actions.action_record(
            actor=users[C],
            private_key=private_key_of(users[C]),
            disclosure=case,
            kind="advice",
            summary="Advised",
            taken_on=dt.date.today(),
        )


def test_excluded_user_can_neither_be_assigned_nor_act(
    new_case: Any, walk: Any, users: Any
) -> None:
    from whistledesk.core.exceptions import DomainError

    case = walk(new_case(), Status.ACTION)
    assessment.conflict_record(
        actor=users[M],
        private_key=private_key_of(users[M]),
        disclosure=case,
        user=users[C],
        reason="Related to the setting's head",
    )
    with pytest.raises(DomainError, match="conflict of interest"):
        assessment.disclosure_assign(actor=users[M], disclosure=case, handler=users[C])
    with pytest.raises(NotPermitted, match="conflict of interest"):
        safeguarding.safeguarding_concern_raise(
            actor=users[C], private_key=private_key_of(users[C]), disclosure=case, summary="x"
        )


def test_conflict_unassigns_the_current_handler(new_case: Any, walk: Any, users: Any) -> None:
    case = walk(new_case(), Status.ACTION)
    assessment.disclosure_assign(actor=users[M], disclosure=case, handler=users[C])
    assessment.conflict_record(
        actor=users[M],
        private_key=private_key_of(users[M]),
        disclosure=case,
        user=users[C],
        reason="Family",
    )
    case.refresh_from_db()
    assert case.handler is None


@pytest.mark.parametrize("role", [Role.SAFEGUARDING_LEAD, Role.AUDITOR, Role.INTAKE_OFFICER])
def test_only_caseworkers_and_managers_can_be_assigned(
    role: Role, new_case: Any, walk: Any, users: Any
) -> None:
    from whistledesk.core.exceptions import DomainError

    case = walk(new_case(), Status.ASSESSING)
    with pytest.raises(DomainError, match="not a caseworker or manager"):
        assessment.disclosure_assign(actor=users[M], disclosure=case, handler=users[role.value])
