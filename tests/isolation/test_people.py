"""Whistleblowers and staff of A get nothing at B's address but what strangers get.

- A's receipt at B's follow-up page is a wrong receipt.
- A's whistleblower, signed in at A, is not signed in at B.
- A's member of staff (their username and password) cannot sign in at B: the answer is
  the one for a username that exists nowhere; a session signed in at A is anonymous at B.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.isolation.conftest import A_SLUG, B_HOST, PASSWORD, World
from tests.isolation.probe import normalise

pytestmark = pytest.mark.django_db


def _b() -> Client:
    return Client(HTTP_HOST=B_HOST, raise_request_exception=False)


def _same(a: bytes, b: bytes, *values: tuple[str, str]) -> None:
    assert normalise(a, tuple(v for v, _ in values)) == normalise(b, tuple(w for _, w in values))


def test_a_receipt_at_b_is_a_wrong_receipt(world: World) -> None:
    cache.clear()
    mine = _b().post("/follow-up/", {"receipt": world.a_receipt})
    cache.clear()
    wrong = _b().post("/follow-up/", {"receipt": "apple banana cherry damson elder fig"})
    assert mine.status_code == wrong.status_code
    assert mine.get("Location") == wrong.get("Location")
    _same(mine.content, wrong.content, (world.a_receipt, "apple banana cherry damson elder fig"))


def test_a_whistleblower_session_is_nothing_at_b(world: World) -> None:
    cache.clear()
    source = Client(raise_request_exception=False)
    assert source.post(f"/{A_SLUG}/follow-up/", {"receipt": world.a_receipt}).status_code == 302
    assert source.get(f"/{A_SLUG}/follow-up/inbox/").status_code == 200
    for path in ["/follow-up/inbox/", f"/follow-up/files/{world.a_ids['attachment']}/"]:
        mine = source.get(path, HTTP_HOST=B_HOST)
        stranger = _b().get(path)
        assert mine.status_code == stranger.status_code, path
        assert mine.get("Location") == stranger.get("Location"), path
        text = mine.content.decode("utf-8", "replace")
        for what, canary in world.canaries().items():
            assert canary not in text, (path, what)


def test_b_whistleblower_cannot_open_a_file_of_a(world: World) -> None:
    cache.clear()
    source = _b()
    assert source.post("/follow-up/", {"receipt": world.b_receipt}).status_code == 302
    mine = source.get(f"/follow-up/files/{world.a_ids['attachment']}/")
    missing = source.get("/follow-up/files/999999/")
    assert mine.status_code == missing.status_code
    assert b"Xanthorrhoea" not in mine.content


def test_a_staff_cannot_sign_in_at_b(world: World) -> None:
    a_manager = world.a_staff["manager"]
    cache.clear()
    mine = _b().post(
        "/staff/account/sign-in/", {"username": a_manager.username, "password": PASSWORD}
    )
    cache.clear()
    unknown = _b().post(
        "/staff/account/sign-in/", {"username": "nobody_at_all_here", "password": PASSWORD}
    )
    assert mine.status_code == unknown.status_code == 200
    _same(mine.content, unknown.content, (a_manager.username, "nobody_at_all_here"))


def test_a_staff_session_is_anonymous_at_b(world: World) -> None:
    staff = Client(raise_request_exception=False)
    a_manager = world.a_staff["manager"]
    response = staff.post(
        f"/{A_SLUG}/staff/account/sign-in/",
        {"username": a_manager.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert staff.get(f"/{A_SLUG}/staff/").status_code == 200
    for path in ["/staff/", "/staff/people/", "/staff/audit/", "/staff/reports/", "/admin/"]:
        mine = staff.get(path, HTTP_HOST=B_HOST)
        stranger = _b().get(path)
        assert mine.status_code == stranger.status_code, path
        assert mine.get("Location") == stranger.get("Location"), path
