"""The register through the API: fields, filters, pagination bounds, errors, no free text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.factories import DisclosureFactory
from whistledesk.cases.models import Status

pytestmark = pytest.mark.django_db

REGISTER_KEYS = {
    "reference",
    "received_on",
    "channel",
    "service_id",
    "service",
    "qualifying",
    "anonymous",
    "outcome_id",
    "outcome",
    "status",
    "urgent",
    "safeguarding_open",
    "acknowledged_at",
    "closed_at",
}
DETAIL_KEYS = REGISTER_KEYS | {
    "risk_level",
    "handler",
    "feedback_due_on",
    "next_reassurance_due",
    "transitions",
}


@pytest.fixture
def register(organisation: Any) -> dict[str, Any]:
    """Three disclosures across two years, services and outcomes."""
    schools = organisation.services.get(label="Schools")
    hospitals = organisation.services.get(label="Hospitals")
    referred = organisation.outcomes.get(label="Referred")
    return {
        "a": DisclosureFactory(
            organisation=organisation,
            reference="WD-A",
            received_on=dt.date(2022, 4, 1),
            service=schools,
            outcome=referred,
            status=Status.CLOSED,
        ),
        "b": DisclosureFactory(
            organisation=organisation,
            reference="WD-B",
            received_on=dt.date(2023, 3, 31),
            service=hospitals,
        ),
        "c": DisclosureFactory(
            organisation=organisation, reference="WD-C", received_on=dt.date(2023, 4, 1)
        ),
    }


def refs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["reference"] for r in response.json()["results"]]


def test_list_gives_register_fields_newest_first(api_as: Any, register: Any) -> None:
    response = api_as("auditor").get("/disclosures")
    body = response.json()
    assert body["count"] == 3 and body["next_offset"] is None
    assert refs(response) == ["WD-C", "WD-B", "WD-A"]
    oldest = body["results"][2]
    assert set(oldest) == REGISTER_KEYS
    assert oldest["service"] == "Schools" and oldest["outcome"] == "Referred"
    assert oldest["received_on"] == "2022-04-01" and oldest["status"] == "closed"


def test_filters(api_as: Any, register: Any, organisation: Any) -> None:
    api = api_as("caseworker")
    # A reporting year runs 1 April to 31 March, both ends included.
    assert refs(api.get("/disclosures", year=2022)) == ["WD-B", "WD-A"]
    hospitals = organisation.services.get(label="Hospitals")
    assert refs(api.get("/disclosures", service=hospitals.pk)) == ["WD-B"]
    referred = organisation.outcomes.get(label="Referred")
    assert refs(api.get("/disclosures", outcome=referred.pk)) == ["WD-A"]
    assert refs(api.get("/disclosures", outcome=0)) == ["WD-C", "WD-B"]
    assert refs(api.get("/disclosures", status="closed")) == ["WD-A"]
    assert refs(api.get("/disclosures", year=2022, status="received")) == ["WD-B"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "lots"}, "limit"),
        ({"status": "shredded"}, "status"),
        ({"year": 99999}, "year"),
        ({"outcome": -1}, "outcome"),
    ],
)
def test_bad_parameters_get_a_clear_422(
    api_as: Any, register: Any, params: dict[str, Any], field: str
) -> None:
    response = api_as("caseworker").get("/disclosures", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith(f"{field}: ")
    assert body["errors"][0]["field"] == field
    # The rejected value is not echoed back.
    assert str(next(iter(params.values()))) not in json.dumps(body["errors"])


def test_pages_cover_the_register_once_and_stop(api_as: Any, organisation: Any) -> None:
    for i in range(7):
        DisclosureFactory(organisation=organisation, received_on=dt.date(2022, 5, 1 + i))
    api = api_as("manager")
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        body = api.get("/disclosures", limit=3, offset=offset).json()
        assert len(body["results"]) <= 3
        seen += [r["reference"] for r in body["results"]]
        offset = body["next_offset"]
    assert len(seen) == len(set(seen)) == 7
    # Past the end: an empty page, not an error.
    past = api.get("/disclosures", limit=3, offset=50).json()
    assert past["results"] == [] and past["next_offset"] is None and past["count"] == 7


def test_page_size_is_capped_at_200(api_as: Any, organisation: Any) -> None:
    DisclosureFactory.create_batch(205, organisation=organisation)
    body = api_as("manager").get("/disclosures", limit=200).json()
    assert len(body["results"]) == 200 and body["next_offset"] == 200
    assert len(api_as("manager").get("/disclosures").json()["results"]) == 50


def test_detail(api_as: Any, register: Any) -> None:
    response = api_as("caseworker").get("/disclosures/WD-B")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DETAIL_KEYS
    assert body["service"] == "Hospitals"
    # A caseworker may not act on an unassigned case (they take it first); an intake
    # officer triages it, so acknowledging is the move they may make.
    assert body["transitions"] == []
    triage = api_as("intake_officer").get("/disclosures/WD-B").json()
    assert triage["transitions"] == ["acknowledged"]


def test_detail_of_an_unknown_reference_is_a_json_404(api_as: Any, register: Any) -> None:
    response = api_as("caseworker").get("/disclosures/WD-NOPE")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_paths_and_bad_bodies_get_json(api_as: Any, register: Any) -> None:
    api = api_as("manager")
    response = api.get("/no-such-thing")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    broken = api.client.post(
        "/api/v1/disclosures/WD-B/transition",
        "{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert broken.status_code == 400 and "detail" in broken.json()
    wrong_method = api.client.delete("/api/v1/disclosures/WD-B", headers=api.headers)
    assert wrong_method.status_code == 405


def test_a_conflicted_member_of_staff_cannot_open_the_case(
    api_as: Any, register: Any, users: Any
) -> None:
    from tests.casefiles.conftest import private_key_of
    from whistledesk.cases.assessment import conflict_record

    conflict_record(
        actor=users["manager"],
        disclosure=register["b"],
        user=users["caseworker"],
        reason="Former employee of the setting",
        private_key=private_key_of(users["manager"]),
    )
    response = api_as("caseworker").get("/disclosures/WD-B")
    assert response.status_code == 403
    assert "conflict of interest" in response.json()["detail"]
