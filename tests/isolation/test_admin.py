"""The admin, as B's superuser at B's address: every registered model, A's rows unseen.

Given B's superuser signed in at B's host
When they open every registered model's list, and the change, history and delete pages of
     a row of A (and of a primary key that exists nowhere)
Then no page is a 500, no list holds a text of A, and A's row answers as the missing one.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from tests.isolation.conftest import B_HOST, PASSWORD, World, snapshot_of
from tests.isolation.probe import MISSING_ID, body_of, first_difference, leaks_in, normalise

pytestmark = pytest.mark.django_db


def _superuser(world: World) -> Client:
    client = Client(HTTP_HOST=B_HOST, raise_request_exception=False)
    user = world.b_staff["superuser"]
    response = client.post(
        "/staff/account/sign-in/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _a_row(model: Any, snapshot: dict[str, list[Any]]) -> Any:
    rows = snapshot.get(model._meta.label) or []
    return rows[0]["id"] if rows and "id" in rows[0] else (rows[0].get("pk") if rows else None)


def test_admin_shows_nothing_of_a_to_b_superuser(world: World) -> None:
    client = _superuser(world)
    assert client.get("/admin/").status_code == 200
    before = snapshot_of(world)
    canaries = {**world.canaries(), "A's reference": world.a_reference}
    problems: list[str] = []
    for model in admin.site._registry:
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        listing = client.get(base)
        where = f"admin {meta.label}"
        if listing.status_code >= 500:
            problems.append(f"{where} | changelist | {listing.status_code}")
        for what in leaks_in(body_of(listing).decode("utf-8", "replace"), canaries):
            problems.append(f"{where} | changelist | leaks {what}")
        pk = _a_row(model, before)
        if pk is None:
            continue
        for page in ["change/", "history/", "delete/"]:
            mine = client.get(f"{base}{pk}/{page}")
            missing = client.get(f"{base}{MISSING_ID}/{page}")
            values_a = (f"{base}{pk}/", f"“{pk}”", f'"{pk}"')
            values_m = (f"{base}{MISSING_ID}/", f"“{MISSING_ID}”", f'"{MISSING_ID}"')
            a = (
                mine.status_code,
                normalise(mine.get("Location", ""), values_a),
                normalise(body_of(mine), values_a),
            )
            m = (
                missing.status_code,
                normalise(missing.get("Location", ""), values_m),
                normalise(body_of(missing), values_m),
            )
            if mine.status_code >= 500:
                problems.append(f"{where} | {page} | {mine.status_code}")
            for what in leaks_in(body_of(mine).decode("utf-8", "replace"), canaries):
                problems.append(f"{where} | {page} | leaks {what}")
            if a[0] != m[0]:
                problems.append(f"{where} | {page} | status {a[0]} for A's row vs {m[0]}")
            elif a != m:
                problems.append(f"{where} | {page} | differs: {first_difference(a[2], m[2])}")
    after = snapshot_of(world)
    for label in sorted(before):
        if before[label] != after.get(label):
            problems.append(f"admin | superuser | A's {label} rows changed")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
