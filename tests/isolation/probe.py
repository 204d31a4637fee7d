"""Mechanical probes: every URL pattern, filled with A's ids, asked for at B's address.

`url_patterns()` walks the URLconf (admin apart: tests/isolation/test_admin.py walks its
registry). `variants()` fills each pattern's parameters: an object parameter gets A's id
(or reference) in the probe, and an id that exists nowhere (999999, an unused reference) in
its twin; the probe's answer must equal the twin's (status, redirect and body, once CSRF
tokens, nonces and the id itself are taken out), and no answer may hold any of A's canaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.isolation.conftest import World

MISSING_ID = "999999"
MISSING_REFERENCE = "WD-2099-ZZZZZZ"

# Parameters that name a row of A, by pattern route fragment and parameter name.
# (The same name, `pk`, means a different row under each prefix.)
PK_BY_PREFIX = {
    "staff/identity/requests/": "identity_request",
    "staff/people/": "user",
    "staff/retention/holds/": "hold",
}
OBJECT_PARAMS = {
    "attachment_id": "attachment",
    "referral_id": "referral",
    "concern_id": "concern",
    "sent_id": "sent",
    "reminder_id": "reminder",
    "signpost_id": "signpost",
    "review_id": "review",
    "email_id": "email",
    "token_id": "token",
    "version": "published_version",
}
# Parameters that are not rows: one plausible value each.
PLAIN_VALUES = {
    "slug": "risk",
    "channel": "phone",
    "to": "acknowledged",
    "kind": "feedback",
    "fmt": "csv",
    "key": "services",
    "section": "functions",
    "rest": "cases/",
}


@dataclass
class Probe:
    name: str  # the pattern's name (namespace:name) and route, for the report
    url: str  # with A's ids
    twin: str | None  # the same with ids that exist nowhere (None: nothing of A's named)
    a_values: tuple[str, ...]
    twin_values: tuple[str, ...]


def url_patterns() -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """(name, route, [(param, kind)]) for every non-admin pattern: kind is 'route' or 'regex'."""

    def walk(patterns: list[Any], prefix: str, ns: str) -> Iterator[tuple[str, str, list[Any]]]:
        for p in patterns:
            piece = _piece(p.pattern)
            if isinstance(p, URLResolver):
                sub_ns = f"{ns}{p.namespace}:" if p.namespace else ns
                yield from walk(p.url_patterns, prefix + piece, sub_ns)
            elif isinstance(p, URLPattern):
                yield f"{ns}{p.name or '?'}", prefix + piece, []

    for name, route, _ in walk(get_resolver().url_patterns, "", ""):
        if route.startswith("admin/"):
            continue
        yield name, route, []


def _piece(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        text = str(pattern.regex.pattern).lstrip("^").rstrip("$")
        return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text).replace("\\", "")
    return str(pattern)


def _fill(route: str, world: World, *, twin: bool, b_case: bool) -> tuple[str, list[str]]:
    """The route with every parameter filled; returns the URL and the object values used."""
    used: list[str] = []

    def value(match: re.Match[str]) -> str:
        param = match.group(2)
        start = route[: match.start()]
        if param == "reference":
            if b_case:
                return world.b_reference
            v = MISSING_REFERENCE if twin else world.a_reference
            used.append(v)
            return v
        kind = OBJECT_PARAMS.get(param)
        if param == "pk":
            kind = next((k for pre, k in PK_BY_PREFIX.items() if start.endswith(pre)), "disclosure")
        if kind is not None:
            a_id = world.a_ids.get(kind, world.a_ids["disclosure"])
            v = MISSING_ID if twin else str(a_id)
            used.append(v)
            return v
        if param == "year":
            return str(world.year)
        return PLAIN_VALUES.get(param, "x")

    url = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    return url, used


def probes(world: World) -> list[Probe]:
    out: list[Probe] = []
    for name, route, _ in url_patterns():
        url, a_values = _fill(route, world, twin=False, b_case=False)
        twin, twin_values = _fill(route, world, twin=True, b_case=False)
        label = f"{name} ({route})"
        if not a_values:
            out.append(Probe(label, url, None, (), ()))
            continue
        out.append(Probe(label, url, twin, tuple(a_values), tuple(twin_values)))
        if "<str:reference>" in route and len(a_values) > 1:
            # One of A's rows asked for under B's own case.
            url_b, a_b = _fill(route, world, twin=False, b_case=True)
            twin_b, twin_vb = _fill(route, world, twin=True, b_case=True)
            out.append(Probe(f"{label} under B's case", url_b, twin_b, tuple(a_b), tuple(twin_vb)))
    return out


CSRF_RE = re.compile(r'(name="csrfmiddlewaretoken" value=|csrf[-_]?token"? content=)"[^"]*"', re.I)
NONCE_RE = re.compile(r'nonce="[^"]*"')


def normalise(body: bytes | str, values: tuple[str, ...]) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = CSRF_RE.sub(r'\1"CSRF"', text)
    text = NONCE_RE.sub('nonce="N"', text)
    for v in sorted(values, key=len, reverse=True):
        text = text.replace(v, "{ID}")
    return text


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def answer(response: Any, values: tuple[str, ...]) -> tuple[int, str, str]:
    location = normalise(response.get("Location", ""), values)
    return response.status_code, location, normalise(body_of(response), values)


def leaks_in(text: str, canaries: dict[str, str]) -> list[str]:
    return [what for what, canary in canaries.items() if canary and canary in text]


def first_difference(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"at {i}: {a[max(0, i - 60) : i + 80]!r} vs {b[max(0, i - 60) : i + 80]!r}"
    return f"lengths {len(a)} vs {len(b)}"
