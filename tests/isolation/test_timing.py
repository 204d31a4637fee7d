"""B's pages do not grow with A: the same queries whether A has 5 disclosures or 505.

A crude stand-in for timing: a page that read A's rows (to filter them out in Python, or
to count them) would run more or different queries, or take visibly longer, as A grows.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.isolation.conftest import B_HOST, PASSWORD, World

pytestmark = pytest.mark.django_db

PAGES = ["/staff/", "/staff/reports/management/", "/staff/audit/", "/staff/people/"]


def _measure(client: Client, path: str) -> tuple[int, float, list[str]]:
    cache.clear()
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    took = time.perf_counter() - start
    assert response.status_code in (200, 302, 403), (path, response.status_code)
    return len(queries), took, [q["sql"] for q in queries.captured_queries]


def _grow_a(world: World, n: int = 500) -> None:
    from whistledesk.cases.models import Channel, Disclosure
    from whistledesk.cases.references import new_reference

    today = dt.date.today()
    Disclosure.objects.bulk_create(
        Disclosure(
            organisation=world.org_a,
            reference=new_reference(),
            received_on=today,
            channel=Channel.EMAIL,
            qualifying=True,
            anonymous=False,
        )
        for _ in range(n)
    )


def test_b_pages_do_not_scale_with_a(world: World) -> None:
    client = Client(HTTP_HOST=B_HOST)
    user = world.b_staff["manager"]
    assert (
        client.post(
            "/staff/account/sign-in/", {"username": user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    before = {path: _measure(client, path) for path in PAGES}
    _grow_a(world)
    after = {path: _measure(client, path) for path in PAGES}
    for path in PAGES:
        assert before[path][0] == after[path][0], (path, before[path][0], after[path][0])
        # Obvious size only: 500 more rows of A must not make B's page several times slower.
        assert after[path][1] < max(0.5, 4 * before[path][1]), (
            path,
            before[path][1:2],
            after[path][1:2],
        )


def test_b_sign_in_does_not_scale_with_a(world: World) -> None:
    user = world.b_staff["caseworker"]

    def sign_in() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = Client(HTTP_HOST=B_HOST).post(
                "/staff/account/sign-in/", {"username": user.username, "password": PASSWORD}
            )
        assert response.status_code == 302
        return len(queries)

    before = sign_in()
    _grow_a(world)
    assert sign_in() == before
