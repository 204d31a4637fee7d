"""The API at B's address: B's tokens see B's cases only; A's token is an unknown token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.isolation.conftest import A_SLUG, B_HOST, World
from tests.isolation.probe import MISSING_REFERENCE, normalise

pytestmark = pytest.mark.django_db

ROLES = ["intake_officer", "caseworker", "safeguarding_lead", "manager", "custodian", "auditor"]


def _api(token: str, *, host: str = B_HOST) -> tuple[Client, dict[str, str]]:
    return (
        Client(HTTP_HOST=host, enforce_csrf_checks=True, raise_request_exception=False),
        {"Authorization": f"Bearer {token}"},
    )


def _same(a: Any, b: Any, a_value: str, b_value: str) -> None:
    assert a.status_code == b.status_code, (a.status_code, b.status_code, a.content[:500])
    assert normalise(a.content, (a_value,)) == normalise(b.content, (b_value,))


@pytest.mark.parametrize("who", ROLES)
def test_b_token_lists_and_reads_b_only(world: World, who: str) -> None:
    client, headers = _api(world.b_tokens[who])
    listing = client.get("/api/v1/disclosures", headers=headers)
    assert listing.status_code in (200, 403), listing.content[:500]
    text = listing.content.decode()
    assert world.a_reference not in text
    for canary in world.canaries().values():
        assert canary not in text
    # A's case by its reference: the answer for a reference that exists nowhere.
    mine = client.get(f"/api/v1/disclosures/{world.a_reference}", headers=headers)
    missing = client.get(f"/api/v1/disclosures/{MISSING_REFERENCE}", headers=headers)
    assert mine.status_code != 500
    _same(mine, missing, world.a_reference, MISSING_REFERENCE)
    body = json.dumps({"to": "acknowledged", "reason": "probe"})
    mine = client.post(
        f"/api/v1/disclosures/{world.a_reference}/transition", body,
        content_type="application/json", headers=headers,
    )
    missing = client.post(
        f"/api/v1/disclosures/{MISSING_REFERENCE}/transition", body,
        content_type="application/json", headers=headers,
    )
    _same(mine, missing, world.a_reference, MISSING_REFERENCE)


def test_a_token_at_b_is_an_unknown_token(world: World) -> None:
    # Given A's manager's token, which works at A's address
    client, headers = _api(world.a_token, host="testserver")
    assert client.get(f"/{A_SLUG}/api/v1/disclosures", headers=headers).status_code == 200
    # When it is sent to B's address
    for path in ["/api/v1/disclosures", f"/api/v1/disclosures/{world.a_reference}",
                 f"/api/v1/reports/annual/{world.year}", "/api/v1/taxonomy"]:
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
