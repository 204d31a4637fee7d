"""No browser or proxy may keep a copy of a staff page: every staff, admin and API URL,
walked from the resolver (so a page added later is covered), answers with
`Cache-Control: no-store` for every role, signed in or not, whatever its status code.

The pages that matter most (the two-factor set-up page with its TOTP seed, a sealed case,
the register, the audit log and its CSV export, the API token page) are named as well, so
the walk cannot pass by never reaching them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.casefiles.conftest import recovery_private_key  # noqa: F401 - a fixture
from tests.cases.test_hostile_staff_input import (  # noqa: F401 - world is a fixture
    fill,
    hostile_client,
    sign_in,
    world,
)

pytestmark = pytest.mark.django_db

PRIVATE_PREFIXES = ("staff/", "admin/", "api/")


def private_routes() -> list[str]:
    """Every URL route under /staff/, /admin/ and /api/, from the resolver."""
    out: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith(PRIVATE_PREFIXES):
                out.append(route)

    walk(get_resolver().url_patterns, "")
    return out


def no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_walk_reaches_staff_admin_and_api_pages() -> None:
    routes = private_routes()
    assert "staff/account/two-factor/set-up/" in routes
    assert "staff/audit/" in routes
    assert any(r.startswith("admin/") for r in routes)
    assert any(r.startswith("api/v1/") for r in routes)
    assert len(routes) > 60


@pytest.mark.parametrize("who", ["manager", "caseworker", "anonymous"])
def test_every_staff_admin_and_api_url_says_no_store(
    world: dict[str, Any],  # noqa: F811 - the fixture imported above
    users: dict[str, Any],
    who: str,
) -> None:
    # Given a member of staff (or nobody) and every private URL with real values
    client = hostile_client() if who == "anonymous" else sign_in(users[who])
    missing = []
    for route in private_routes():
        # (The admin's few regular-expression routes become nonsense addresses: a 404,
        # which must not be stored either.)
        url = fill(route, world["values"])
        # When the page is asked for
        response = client.get(url)
        # Then whatever it answers may not be stored
        if not no_store(response):
            missing.append(f"{url} {response.status_code} {response.get('Cache-Control')!r}")
    assert not missing, "\n".join(missing)


def test_the_most_sensitive_staff_pages_say_no_store(
    world: dict[str, Any],  # noqa: F811 - the fixture imported above
    users: dict[str, Any],
) -> None:
    manager = sign_in(users["manager"])
    reference = world["case"].reference
    caseworker = sign_in(users["caseworker"])
    pages = [
        (manager, "/staff/account/two-factor/set-up/", 'id="manual-key"'),
        (manager, "/staff/audit/", None),
        (manager, "/staff/audit/export.csv", None),
        (manager, "/staff/", None),
        (manager, "/staff/account/api-tokens/", None),
        (caseworker, f"/staff/cases/{reference}/content/", "The night staff leave."),
    ]
    for client, url, shown in pages:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, (url, response.status_code)
        if shown:
            assert shown in body.decode(), url
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_public_information_pages_may_be_cached(client: Client, organisation: Any) -> None:
    for url in ["/", "/privacy/", "/accessibility/", "/cookies/", "/whistleblowing-policy/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not no_store(response), url
