"""The staff API with two organisations (ADR 0017): a request is for the organisation of its
address (/<slug>/api/v1/... or the organisation's host); a token works only there, where its
owner's account belongs. Another organisation's token is refused exactly like an unknown
one, and another organisation's case is answered exactly like a reference that does not
exist.

The register: A has A-1 and A-2 (Schools, received 1 June 2022), B has B-1 (Hospitals,
received 1 June 2022).
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import DisclosureFactory, OrganisationFactory
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.api.models import ApiToken
from whistledesk.api.services import api_token_create
from whistledesk.cases.models import Disclosure, Status
from whistledesk.organisation.models import Organisation, ServiceCategory

pytestmark = pytest.mark.django_db


class OrgApi:
    """A token client for one organisation's address: its /<slug>/ prefix or its host."""

    def __init__(self, org: Organisation, token: str, *, host: str = "") -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.prefix = "" if host else f"/{org.slug}"
        self.extra = {"HTTP_HOST": host} if host else {}
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(
            f"{self.prefix}/api/v1{path}", params, headers=self.headers, **self.extra
        )

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"{self.prefix}/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
            **self.extra,
        )


@pytest.fixture
def two(organisation: Organisation) -> dict[str, Any]:
    org_a = organisation
    org_b = OrganisationFactory(name="Second Regulator")
    out: dict[str, Any] = {"a": org_a, "b": org_b}
    for key, org in (("a", org_a), ("b", org_b)):
        # The same username in both: an account belongs to its organisation.
        user = user_create(
            actor=None,
            username="manager",
            password="a-long-staff-password",
            roles=[Role.MANAGER],
            organisation=org,
        )
        out[f"{key}_user"] = user
        out[f"{key}_token"] = api_token_create(actor=user, user=user, name="export")[1]
    for reference, org, service in (
        ("A-1", org_a, "Schools"),
        ("A-2", org_a, "Schools"),
        ("B-1", org_b, "Hospitals"),
    ):
        DisclosureFactory(
            organisation=org,
            reference=reference,
            received_on=dt.date(2022, 6, 1),
            service=ServiceCategory.objects.get(organisation=org, label=service),
        )
    return out


def test_each_organisations_token_reads_its_own_register(two: dict[str, Any]) -> None:
    b = OrgApi(two["b"], two["b_token"]).get("/disclosures")
    assert b.status_code == 200
    assert (b.json()["count"], [r["reference"] for r in b.json()["results"]]) == (1, ["B-1"])
    a = OrgApi(two["a"], two["a_token"]).get("/disclosures")
    assert sorted(r["reference"] for r in a.json()["results"]) == ["A-1", "A-2"]


@pytest.mark.parametrize("path", ["/disclosures", "/disclosures/B-1", "/reports/annual/2022"])
def test_a_token_at_another_organisations_address_is_refused_like_an_unknown_one(
    two: dict[str, Any], path: str
) -> None:
    # Given A's valid token, presented at B's address
    foreign = OrgApi(two["b"], two["a_token"]).get(path)
    unknown = OrgApi(two["b"], "wd_not-a-real-token").get(path)
    # Then it is refused exactly as a token that does not exist
    assert foreign.status_code == unknown.status_code == 401
    assert foreign.content == unknown.content
    assert foreign["WWW-Authenticate"] == unknown["WWW-Authenticate"]
    # And the token was not used at all
    assert ApiToken.objects.get(user=two["a_user"]).last_used_at is None


def test_another_organisations_case_is_not_found_like_a_missing_one(
    two: dict[str, Any],
) -> None:
    api_b = OrgApi(two["b"], two["b_token"])
    missing = api_b.get("/disclosures/NO-SUCH")
    other = api_b.get("/disclosures/A-1")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    moved = api_b.post("/disclosures/A-1/transition", {"to": "acknowledged"})
    assert moved.status_code == 404 and moved.content == missing.content
    assert Disclosure.objects.get(reference="A-1").status == Status.RECEIVED
    # The owner reaches it at its own address
    assert OrgApi(two["a"], two["a_token"]).get("/disclosures/A-1").status_code == 200


def test_the_report_and_taxonomy_are_the_organisations_own(two: dict[str, Any]) -> None:
    api_b = OrgApi(two["b"], two["b_token"])
    report = api_b.get("/reports/annual/2022").json()
    assert (report["organisation"], report["received"]) == ("Second Regulator", 1)
    assert report["by_service"] == [
        {"label": "Schools", "count": 0},
        {"label": "Hospitals", "count": 1},
        {"label": "Other", "count": 0},
    ]
    assert OrgApi(two["a"], two["a_token"]).get("/reports/annual/2022").json()["received"] == 2
    services = api_b.get("/taxonomy").json()["services"]
    assert sorted(s["id"] for s in services) == sorted(
        ServiceCategory.objects.filter(organisation=two["b"]).values_list("pk", flat=True)
    )


def test_at_the_organisations_own_host(two: dict[str, Any], settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["b.example.org", "testserver"]
    Organisation.objects.filter(pk=two["b"].pk).update(host="b.example.org")
    own = OrgApi(two["b"], two["b_token"], host="b.example.org").get("/disclosures")
    assert [r["reference"] for r in own.json()["results"]] == ["B-1"]
    foreign = OrgApi(two["b"], two["a_token"], host="b.example.org").get("/disclosures")
    assert foreign.status_code == 401


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_token_command_works_inside_the_organisation_named(two: dict[str, Any]) -> None:
    org_a, org_b = two["a"], two["b"]
    token, _ = run("--organisation", org_b.slug, "create", "manager", "--name", "nightly")
    token = token.strip()
    # Made for B's manager: it works at B's address, not at A's
    assert OrgApi(org_b, token).get("/disclosures").status_code == 200
    assert OrgApi(org_a, token).get("/disclosures").status_code == 401
    listing_a, _ = run("--organisation", org_a.slug, "list", "manager")
    assert "nightly" not in listing_a and "export" in listing_a
    # A's token cannot be revoked through B
    a_token_id = ApiToken.objects.get(user=two["a_user"]).pk
    with pytest.raises(CommandError, match=f"There is no API token {a_token_id} in Second"):
        run("--organisation", org_b.slug, "revoke", str(a_token_id))
    assert ApiToken.objects.get(pk=a_token_id).revoked_at is None
    with pytest.raises(CommandError, match="several organisations .*--organisation SLUG"):
        run("list", "manager")
    with pytest.raises(CommandError, match="No organisation has the slug 'nope'"):
        run("--organisation", "nope", "list", "manager")
