"""Each endpoint against each role: the API grants what cases.permissions grants, no more."""

from __future__ import annotations

from typing import Any

import pytest

from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Status

pytestmark = pytest.mark.django_db

ROLES = [
    "intake_officer",
    "caseworker",
    "safeguarding_lead",
    "manager",
    "custodian",
    "auditor",
    "nobody",
]
READERS = {"intake_officer", "caseworker", "safeguarding_lead", "manager", "auditor"}


@pytest.fixture
def case(new_case: Any) -> Any:
    return new_case()


def expected(allowed: set[str], role: str) -> int:
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_reading_the_register(api_as: Any, case: Any, role: str) -> None:
    api = api_as(role)
    assert api.get("/disclosures").status_code == expected(READERS, role)
    assert api.get(f"/disclosures/{case.reference}").status_code == expected(READERS, role)
    assert api.get("/taxonomy").status_code == expected(READERS, role)


@pytest.mark.parametrize("role", ROLES)
def test_annual_report_is_for_every_staff_role(api_as: Any, organisation: Any, role: str) -> None:
    # As on the report page: published figures only, so any role; an account without a
    # role has no business with the API at all.
    allowed = READERS | {"custodian"}
    assert api_as(role).get("/reports/annual/2022").status_code == expected(allowed, role)


@pytest.mark.parametrize("role", ROLES)
def test_acknowledging(api_as: Any, case: Any, role: str) -> None:
    response = api_as(role).post(
        f"/disclosures/{case.reference}/transition", {"to": "acknowledged"}
    )
    # The case is unassigned: intake officers triage it; a caseworker must take it first.
    allowed = {"intake_officer", "manager"}
    assert response.status_code == expected(allowed, role), response.content
    case.refresh_from_db()
    assert case.status == (Status.ACKNOWLEDGED if role in allowed else Status.RECEIVED)
    changed = AuditEvent.objects.filter(action="disclosure.status_changed", disclosure_id=case.pk)
    assert changed.exists() == (role in allowed)
    if role not in allowed:
        start = {"nobody": "Your account has no role", "caseworker": "Take this case first"}
        assert response.json()["detail"].startswith(
            start.get(role, "Your role does not allow you to")
        )


@pytest.mark.parametrize("role", ROLES)
def test_closing(api_as: Any, case: Any, walk: Any, organisation: Any, role: str) -> None:
    case = walk(case, Status.ACTION)
    outcome = organisation.outcomes.get(label="Referred")
    response = api_as(role).post(
        f"/disclosures/{case.reference}/transition", {"to": "closed", "outcome": outcome.pk}
    )
    allowed = {"caseworker", "manager"}
    assert response.status_code == expected(allowed, role), response.content
    case.refresh_from_db()
    assert (case.status == Status.CLOSED) == (role in allowed)
    if role in allowed:
        assert response.json()["status"] == "closed"
        assert response.json()["outcome"] == "Referred"


def test_a_caseworker_cannot_move_another_caseworkers_case(
    api_as: Any, case: Any, walk: Any, users: Any
) -> None:
    case = walk(case, Status.ACTION)
    case.handler = users["caseworker"]
    case.save(update_fields=["handler"])
    response = api_as("caseworker2").post(
        f"/disclosures/{case.reference}/transition", {"to": "awaiting_reassurance"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "This case is assigned to another member of staff."


@pytest.mark.parametrize("role", ROLES)
def test_reopening_is_for_managers_and_needs_a_reason(
    api_as: Any, case: Any, walk: Any, organisation: Any, users: Any, role: str
) -> None:
    from whistledesk.cases.workflow import disclosure_transition

    case = walk(case, Status.ACTION)
    disclosure_transition(
        actor=users["manager"],
        disclosure=case,
        to=Status.CLOSED,
        outcome=organisation.outcomes.first(),
    )
    response = api_as(role).post(f"/disclosures/{case.reference}/transition", {"to": "assessing"})
    if role == "manager":
        # The role may, but the rule stands: a reopening needs a written reason.
        assert response.status_code == 409
        assert response.json()["detail"] == "Give a reason for reopening the case."
    else:
        assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.CLOSED
