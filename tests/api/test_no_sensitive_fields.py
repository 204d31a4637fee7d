"""Responses hold the register's structured fields only: no case file, no free text."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casefiles.conftest import private_key_of
from whistledesk.casefiles.services import casefile_create
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.safeguarding import safeguarding_concern_raise

pytestmark = pytest.mark.django_db

CANARIES = {
    "summary": "Canary-summary-Q7",
    "setting": "Canary Setting Q7",
    "narrative": "Canary narrative: the manager locks children in the quiet room Q7",
    "identity": "Ann Canary-Q7",
    "concern": "Canary concern Q7",
}


@pytest.fixture
def rich_case(new_case: Any, walk: Any, users: Any) -> Any:
    # Given a case with a sealed case file, clear free text and casework notes
    case = new_case(summary=CANARIES["summary"])
    # (recorded by the caseworker, as a helpline call: they keep a key to it)
    casefile_create(
        actor=users["caseworker"],
        disclosure=case,
        documents={"narrative": CANARIES["narrative"], "identity": CANARIES["identity"]},
    )
    Disclosure.objects.filter(pk=case.pk).update(
        setting_name=CANARIES["setting"], local_authority="Canaryshire Q7"
    )
    case = walk(case, Status.ACTION)
    safeguarding_concern_raise(
        actor=users["caseworker"],
        disclosure=case,
        summary=CANARIES["concern"],
        private_key=private_key_of(users["caseworker"]),
    )
    return case


def assert_clean(text: str) -> None:
    for what, canary in CANARIES.items():
        assert canary not in text, what
    assert "Q7" not in text


def test_list_detail_and_transition_hold_no_content(
    api_as: Any, rich_case: Any, organisation: Any
) -> None:
    api = api_as("manager")
    # When staff read the case through every endpoint that returns it
    listed = api.get("/disclosures")
    detail = api.get(f"/disclosures/{rich_case.reference}")
    moved = api.post(f"/disclosures/{rich_case.reference}/transition", {"to": "closed"})
    # Then they get the register fields and nothing written in the case
    assert listed.status_code == 200 and detail.status_code == 200
    assert detail.json()["safeguarding_open"] is True
    for response in (listed, detail, moved):
        assert_clean(response.content.decode())


def test_the_schema_offers_no_content_fields(client: Any, users: Any) -> None:
    client.force_login(users["manager"])
    schema = client.get("/api/v1/openapi.json").json()
    properties = {
        name
        for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    }
    for sensitive in ("summary", "narrative", "identity", "setting_name", "notes", "receipt"):
        assert sensitive not in properties
