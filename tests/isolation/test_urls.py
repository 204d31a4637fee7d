"""Every URL of the installation, with A's ids, asked for at B's address by everyone of B.

Given organisation A (a full case, by slug) and organisation B (at its own host name)
When each of B's staff (every role, and a superuser), B's whistleblower and an anonymous
     visitor GETs and POSTs (empty, then a plausible form) every URL pattern filled with A's
     ids, and the same pattern filled with ids that exist nowhere
Then no answer is a 500, none holds a text of A, each answer for A's id equals the answer
     for the missing id, and nothing of A changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.isolation.conftest import B_HOST, PASSWORD, World, snapshot_of
from tests.isolation.probe import (
    Probe,
    answer,
    body_of,
    first_difference,
    leaks_in,
    normalise,
    probes,
)

pytestmark = pytest.mark.django_db

WHO = [
    "intake_officer",
    "caseworker",
    "safeguarding_lead",
    "manager",
    "custodian",
    "auditor",
    "superuser",
    "whistleblower",
    "anonymous",
]
# Posting these would end the session the probes run in; they name nothing of A's.
NO_POST = {
    "accounts:logout",
    "accounts:sign_out_everywhere",
    "intake:inbox_sign_out",
    "accounts:login",
    "logout",
    "sign_out_everywhere",
    "inbox_sign_out",
    "login",
}


def plausible_form(world: World) -> dict[str, Any]:
    today = dt.date.today().isoformat()
    return {
        "text": "A probe's text from B.",
        "reason": "A probe's reason from B, long enough to be accepted.",
        "note": "A probe's note from B.",
        "remind_on": today,
        "referred_on": today,
        "shared_summary": "A probe's summary from B.",
        "confirm": "yes",
        "action": "continue",
        "name": "probe",
        "decision": "approve",
        "handler": str(world.b_staff["caseworker"].pk),
        "roles": "caseworker",
        "response": "A probe's response.",
        "reference": world.a_reference,
    }


class SlugClient(Client):
    """A client for B at its slug (`/b-org/...`) rather than its host name."""

    def __init__(self, prefix: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.prefix = prefix

    def get(self, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().get(self.prefix + path, *args, **kwargs)

    def post(self, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().post(self.prefix + path, *args, **kwargs)


def client_for(world: World, who: str, address: str = "host") -> Client:
    client: Client
    if address == "host":
        client = Client(HTTP_HOST=B_HOST, raise_request_exception=False)
    else:
        client = SlugClient(f"/{world.org_b.slug}", raise_request_exception=False)
    if who == "anonymous":
        return client
    if who == "whistleblower":
        response = client.post("/follow-up/", {"receipt": world.b_receipt})
        assert response.status_code == 302, response.content[:1000]
        return client
    user = world.b_staff[who]
    response = client.post(
        "/staff/account/sign-in/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, (who, response.content[:1000])
    return client


def _forget_messages(client: Client) -> None:
    """Drop flash messages an earlier probe left (they would show on the next page only)."""
    client.cookies.pop("messages", None)
    if "sessionid" in client.cookies:
        session = client.session
        if "_messages" in session:
            del session["_messages"]
            session.save()


def _request(client: Client, method: str, url: str, data: dict[str, Any] | None) -> Any:
    cache.clear()  # no throttle carries from one probe to the next
    _forget_messages(client)
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


def check_probe(
    client: Client,
    probe: Probe,
    method: str,
    data: dict[str, Any] | None,
    world: World,
    who: str,
) -> list[str]:
    problems: list[str] = []
    where = f"{probe.name} | {who} | {method}{' form' if data else ''}"
    canaries = world.canaries()
    # A's reference is a canary unless the URL itself carries it (then the twin decides).
    if world.a_reference not in probe.url:
        canaries["A's reference"] = world.a_reference
    response = _request(client, method, probe.url, data)
    raw = body_of(response).decode("utf-8", "replace") + response.get("Location", "")
    if response.status_code >= 500:
        problems.append(f"{where} | {response.status_code} on {probe.url}")
    for what in leaks_in(
        raw.replace(world.a_reference, "") if world.a_reference in probe.url else raw, canaries
    ):
        problems.append(f"{where} | leaks {what} on {probe.url}")
    if probe.twin is not None:
        twin = _request(client, method, probe.twin, data)
        # The URL itself (and a reference) may be echoed: take them out; a bare number not.
        mine = answer(response, (probe.url, *(v for v in probe.a_values if not v.isdigit())))
        other = answer(twin, (probe.twin, *(v for v in probe.twin_values if not v.isdigit())))
        if mine[0] != other[0]:
            problems.append(
                f"{where} | status {mine[0]} for A's id vs {other[0]} for a missing one "
                f"({probe.url})"
            )
        elif mine[1] != other[1]:
            problems.append(f"{where} | redirect {mine[1]!r} vs {other[1]!r} ({probe.url})")
        elif mine[2] != other[2]:
            problems.append(
                f"{where} | body differs from a missing id's ({probe.url}): "
                + first_difference(mine[2], other[2])
            )
    return problems


@pytest.mark.parametrize(
    "who,address",
    [(who, "host") for who in WHO] + [("manager", "slug"), ("whistleblower", "slug")],
)
def test_nothing_of_a_reaches_b(world: World, who: str, address: str) -> None:
    # B at its host name (every role), and at its slug (a manager, a whistleblower).
    before = snapshot_of(world)
    client = client_for(world, who, address)
    form = plausible_form(world)
    problems: list[str] = []
    for probe in probes(world):
        problems += check_probe(client, probe, "GET", None, world, who)
        if probe.name.split(" ")[0] in NO_POST:
            continue
        problems += check_probe(client, probe, "POST", None, world, who)
        if probe.twin is not None:
            problems += check_probe(client, probe, "POST", form, world, who)
    after = snapshot_of(world)
    for label in sorted(before):
        if before[label] != after.get(label):
            problems.append(f"- | {who} | - | A's {label} rows changed while B was probed")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_probe_list_covers_every_object_url(world: World) -> None:
    # The walk found the object URLs (a guard against a walk that finds nothing).
    names = [p.name for p in probes(world) if p.twin is not None]
    assert len(names) > 30
    assert any("casefile_download" in n for n in names)
    assert any("source_file" in n for n in names)
    assert normalise('<input name="csrfmiddlewaretoken" value="abc">', ()) == (
        '<input name="csrfmiddlewaretoken" value="CSRF">'
    )
