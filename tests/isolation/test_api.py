"""The API at B's address: B's tokens see B's cases only; A's token is an unknown token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.isolation.conftest import A_SLUG, B_HOST, World, snapshot_of
from tests.isolation.probe import MISSING_REFERENCE, normalise

pytestmark = pytest.mark.django_db

ROLES = ["intake_officer", "caseworker", "safeguarding_lead", "manager", "custodian", "auditor"]


def _api(token: str, *, host: str = B_HOST) -> tuple[Client, dict[str, str]]:
    return (
        Client(HTTP_HOST=host, enforce_csrf_checks=True, raise_request_exception=False),
        {"Authorization": f"Bearer {token}"},
    )


def _differs(where: str, a: Any, b: Any, a_value: str, b_value: str) -> list[str]:
    if a.status_code >= 500:
        return [f"{where} | {a.status_code}"]
    if a.status_code != b.status_code:
        return [
            f"{where} | status {a.status_code} for A's case vs {b.status_code} for a "
            f"missing one: {a.content[:160]!r}"
        ]
    if normalise(a.content, (a_value,)) != normalise(b.content, (b_value,)):
        return [f"{where} | body differs from a missing case's: {a.content[:160]!r}"]
    return []


@pytest.mark.parametrize("who", ROLES)
def test_b_token_lists_and_reads_b_only(world: World, who: str) -> None:
    problems: list[str] = []
    client, headers = _api(world.b_tokens[who])
    listing = client.get("/api/v1/disclosures", headers=headers)
    if listing.status_code not in (200, 403):
        problems.append(f"list_disclosures | {who} | status {listing.status_code}")
    text = listing.content.decode()
    canaries = {**world.canaries(), "A's reference": world.a_reference}
    for what, canary in canaries.items():
        if canary in text:
            problems.append(f"list_disclosures | {who} | leaks {what}")
    # A's case by its reference: the answer for a reference that exists nowhere.
    mine = client.get(f"/api/v1/disclosures/{world.a_reference}", headers=headers)
    missing = client.get(f"/api/v1/disclosures/{MISSING_REFERENCE}", headers=headers)
    problems += _differs(
        f"get_disclosure | {who} | GET", mine, missing, world.a_reference, MISSING_REFERENCE
    )
    body = json.dumps({"to": "acknowledged", "reason": "probe"})
    mine = client.post(
        f"/api/v1/disclosures/{world.a_reference}/transition",
        body,
        content_type="application/json",
        headers=headers,
    )
    missing = client.post(
        f"/api/v1/disclosures/{MISSING_REFERENCE}/transition",
        body,
        content_type="application/json",
        headers=headers,
    )
    problems += _differs(
        f"transition_disclosure | {who} | POST", mine, missing, world.a_reference, MISSING_REFERENCE
    )
    assert not problems, "\n".join(problems)


def test_b_tokens_change_nothing_of_a(world: World) -> None:
    before = snapshot_of(world)
    body = json.dumps({"to": "acknowledged", "reason": "probe"})
    for token in world.b_tokens.values():
        client, headers = _api(token)
        for to in ["acknowledged", "assessing", "closed", "awaiting_reassurance"]:
            client.post(
                f"/api/v1/disclosures/{world.a_reference}/transition",
                body.replace("acknowledged", to),
                content_type="application/json",
                headers=headers,
            )
    after = snapshot_of(world)
    changed = [label for label in before if before[label] != after.get(label)]
    assert not changed, changed


def test_a_token_at_b_is_an_unknown_token(world: World) -> None:
    # Given A's manager's token, which works at A's address
    client, headers = _api(world.a_token, host="testserver")
    assert client.get(f"/{A_SLUG}/api/v1/disclosures", headers=headers).status_code == 200
    # When it is sent to B's address
    for path in [
        "/api/v1/disclosures",
        f"/api/v1/disclosures/{world.a_reference}",
        f"/api/v1/reports/annual/{world.year}",
        "/api/v1/taxonomy",
    ]:
        client, headers = _api(world.a_token)
        mine = client.get(path, headers=headers)
        unknown_client, unknown = _api("wd_" + "x" * 40)
        other = unknown_client.get(path, headers=unknown)
        # Then B answers as it does to a token it never issued
        assert mine.status_code == other.status_code, (path, mine.content[:500])
        assert mine.content == other.content, path


def test_b_token_at_a_is_an_unknown_token(world: World) -> None:
    client, headers = _api(world.b_tokens["manager"], host="testserver")
    mine = client.get(f"/{A_SLUG}/api/v1/disclosures", headers=headers)
    other = client.get(
        f"/{A_SLUG}/api/v1/disclosures", headers={"Authorization": "Bearer wd_" + "y" * 40}
    )
    assert mine.status_code == other.status_code
    assert mine.content == other.content
    assert world.b_reference not in mine.content.decode()
