"""Issue 4, item 5: the safeguarding gate has no way around it through the API either."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.casefiles.conftest import private_key_of
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Status
from whistledesk.cases.safeguarding import safeguarding_action_confirm, safeguarding_concern_raise

pytestmark = pytest.mark.django_db

GATE_MESSAGE = (
    "This case has an open safeguarding concern. A safeguarding lead must record "
    "the action taken before it can be closed."
)


@pytest.fixture
def flagged(new_case: Any, walk: Any, users: Any) -> Any:
    # Given a case under way with an open safeguarding concern
    case = walk(new_case(), Status.ACTION)
    safeguarding_concern_raise(
        actor=users["caseworker"],
        disclosure=case,
        summary="Child left unsupervised at night.",
        private_key=private_key_of(users["caseworker"]),
    )
    case.refresh_from_db()
    return case


def close(api: Any, case: Any, organisation: Any) -> Any:
    outcome = organisation.outcomes.get(label="Referred")
    return api.post(
        f"/disclosures/{case.reference}/transition", {"to": "closed", "outcome": outcome.pk}
    )


@pytest.mark.parametrize("role", ["caseworker", "manager"])
def test_closing_with_an_open_concern_is_refused(
    api_as: Any, flagged: Any, organisation: Any, role: str
) -> None:
    # When someone allowed to close cases tries to close it through the API
    response = close(api_as(role), flagged, organisation)
    # Then it is refused with the service's own message, and nothing changed
    assert response.status_code == 409
    assert response.json() == {"detail": GATE_MESSAGE, "field": None}
    flagged.refresh_from_db()
    assert flagged.status == Status.ACTION and flagged.outcome is None
    assert not AuditEvent.objects.filter(
        action="disclosure.status_changed", disclosure_id=flagged.pk, details__to="closed"
    ).exists()
    # And the case still says why it cannot be closed
    detail = api_as(role).get(f"/disclosures/{flagged.reference}").json()
    assert detail["safeguarding_open"] is True


def test_closing_is_allowed_once_the_lead_confirms(
    api_as: Any, flagged: Any, organisation: Any, users: Any
) -> None:
    # Given the safeguarding lead has recorded the action taken (through the service)
    safeguarding_action_confirm(
        actor=users["safeguarding_lead"],
        concern=flagged.safeguarding_concerns.get(),
        action_taken="Referred to children's services, who visited the home",
        action_taken_by="LA duty team",
        action_taken_on=dt.date.today(),
        private_key=private_key_of(users["safeguarding_lead"]),
    )
    # When the caseworker closes the case through the API
    response = close(api_as("caseworker"), flagged, organisation)
    # Then it closes, with the outcome, audited as the caseworker
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    assert response.json()["safeguarding_open"] is False
    flagged.refresh_from_db()
    assert flagged.status == Status.CLOSED and flagged.outcome.label == "Referred"
    event = AuditEvent.objects.get(
        action="disclosure.status_changed", disclosure_id=flagged.pk, details__to="closed"
    )
    assert event.actor_id == users["caseworker"].pk


def test_closing_needs_an_outcome_from_the_list(api_as: Any, new_case: Any, walk: Any) -> None:
    case = walk(new_case(), Status.ACTION)
    api = api_as("manager")
    missing = api.post(f"/disclosures/{case.reference}/transition", {"to": "closed"})
    assert missing.status_code == 409
    assert missing.json() == {"detail": "Choose an outcome to close the case.", "field": "outcome"}
    unknown = api.post(
        f"/disclosures/{case.reference}/transition", {"to": "closed", "outcome": 999999}
    )
    assert unknown.status_code == 422
    assert unknown.json() == {"detail": "There is no outcome with that id.", "field": "outcome"}


def test_a_move_the_workflow_does_not_have_is_refused(api_as: Any, new_case: Any) -> None:
    case = new_case()
    response = api_as("manager").post(f"/disclosures/{case.reference}/transition", {"to": "closed"})
    assert response.status_code == 409
    assert response.json()["detail"] == "A case that is received cannot be moved to closed."


def test_a_reason_cannot_be_sealed_through_the_api(
    api_as: Any, new_case: Any, walk: Any, organisation: Any
) -> None:
    # The reason is a note sealed under the case key; a token carries no key.
    case = walk(new_case(), Status.ACTION)
    response = api_as("caseworker").post(
        f"/disclosures/{case.reference}/transition",
        {
            "to": "closed",
            "outcome": organisation.outcomes.first().pk,
            "reason": "The council confirmed the visit",
        },
    )
    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    assert "case page" in response.json()["detail"]
    case.refresh_from_db()
    assert case.status == Status.ACTION
