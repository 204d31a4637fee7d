"""Hostile input on the staff API: malformed JSON, wrong types, huge bodies, unknown keys,
odd tokens, odd paths and query strings. Every answer is below 500 and JSON with a `detail`
that says what is wrong (the approach of tests/intake/test_hostile_input.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

REFS = ["WD-0000-DOESNOTEXIST", "..%2F", "%00", "x" * 300, "%ED%A0%80", "%FF"]
PATHS = [
    "/disclosures",
    "/disclosures/{ref}",
    "/disclosures/{ref}/transition",
    "/taxonomy",
    "/reports/annual/2023",
    "/reports/annual/0",
    "/reports/annual/99999",
    "/reports/annual/-1",
    "/reports/annual/99999999999999999999",
    "/reports/annual/abc",
    "/nothing-here",
]
QUERIES = [
    "limit=abc",
    "limit=-1",
    "limit=0",
    "limit=99999999999999999999",
    "offset=-1",
    "offset=99999999999999999999",
    "year=0",
    "year=99999",
    "year=abc",
    "service=x",
    "service=99999999999999999999",
    "outcome=-1",
    "status=nonsense",
    "status=%00",
    "year=%ED%A0%80",
    "unknown=1&year=2023&year=2024",
]
BODIES: list[bytes] = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"closed"',
    b"\xff\xfe\x00",
    b'{"to": "\\ud800"}',
    b'{"to": 5}',
    b'{"to": "nonsense"}',
    b'{"to": null}',
    b'{"to": ["closed"]}',
    b'{"to": "closed", "outcome": "abc"}',
    b'{"to": "closed", "outcome": 99999999999999999999}',
    b'{"to": "closed", "outcome": -1}',
    b'{"to": "closed", "outcome": 1.5}',
    b'{"to": "closed", "reason": 7}',
    b'{"to": "closed", "surprise": true}',
    b'{"to": "acknowledged\\u0000"}',
    b'{"to": "acknowledged", "reason": "' + b"A" * 1_000_000 + b'"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
]
TOKENS = [
    "",
    "Bearer",
    "Bearer ",
    "Bearer wd_",
    "Bearer wd_" + "x" * 10_000,
    "Bearer \x00",
    "Bearer wd_abc\x00def",
    "Basic dXNlcjpwYXNz",
    "bearer  wd_lower",
    "Token wd_abc",
    "Bearer wd_é",
]


def client() -> Client:
    return Client(raise_request_exception=False)


def assert_json_detail(response: Any, where: Any) -> dict[str, Any]:
    assert response.status_code < 500, (where, response.status_code, response.content[:500])
    if response.status_code in (301, 302):
        return {}
    assert response["Content-Type"].startswith("application/json"), (where, response.content[:300])
    data = json.loads(response.content)
    assert isinstance(data, dict), where
    if response.status_code >= 400:
        assert isinstance(data.get("detail"), str) and data["detail"], (where, data)
        assert "Traceback" not in data["detail"], where
    return data


def urls(reference: str) -> list[str]:
    out = []
    for path in PATHS:
        if "{ref}" in path:
            out += [f"/api/v1{path.format(ref=r)}" for r in [reference, *REFS]]
        else:
            out.append(f"/api/v1{path}")
    return out


@pytest.fixture
def headers(token_for: Any, users: dict[str, Any]) -> dict[str, dict[str, str]]:
    out = {
        who: {"HTTP_AUTHORIZATION": f"Bearer {token_for(users[who])}"}
        for who in ["manager", "caseworker", "auditor", "intake_officer"]
    }
    out["anonymous"] = {}
    return out


@pytest.mark.parametrize("who", ["manager", "caseworker", "auditor", "intake_officer", "anonymous"])
def test_every_api_url_every_method_with_odd_paths(
    new_case: Any, headers: dict[str, dict[str, str]], who: str
) -> None:
    ref = new_case().reference
    failures = []
    for url in urls(ref):
        for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]:
            response = client().generic(method, url, **headers[who])
            try:
                if method == "HEAD":
                    assert response.status_code < 500, (method, url, response.status_code)
                else:
                    assert_json_detail(response, (method, url))
            except AssertionError as exc:
                failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("query", QUERIES)
def test_odd_query_strings_get_a_clear_json_error(
    new_case: Any, headers: dict[str, dict[str, str]], query: str
) -> None:
    new_case()
    for path in ["/api/v1/disclosures", "/api/v1/taxonomy", "/api/v1/reports/annual/2023"]:
        response = client().get(f"{path}?{query}", **headers["manager"])
        assert_json_detail(response, (path, query))


@pytest.mark.parametrize("body", BODIES, ids=[repr(b[:30]) for b in BODIES])
@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "multipart/form-data"])
def test_malformed_bodies_get_a_clear_json_error_and_change_nothing(
    new_case: Any, headers: dict[str, dict[str, str]], body: bytes, content_type: str
) -> None:
    from whistledesk.cases.models import Disclosure

    case = new_case()
    response = client().generic(
        "POST",
        f"/api/v1/disclosures/{case.reference}/transition",
        data=body,
        content_type=content_type,
        **headers["caseworker"],
    )
    data = assert_json_detail(response, body[:40])
    if response.status_code >= 400:
        # Nothing moved
        assert Disclosure.objects.get(pk=case.pk).status == case.status, data


@pytest.mark.parametrize("token", TOKENS, ids=[repr(t[:20]) for t in TOKENS])
def test_bad_tokens_in_odd_formats_get_401_json(new_case: Any, token: str) -> None:
    new_case()
    for url in ["/api/v1/disclosures", "/api/v1/taxonomy"]:
        extra = {"HTTP_AUTHORIZATION": token} if token else {}
        response = client().get(url, **extra)
        data = assert_json_detail(response, token[:20])
        assert response.status_code == 401, data
        assert "API token" in data["detail"]
