"""Hostile input on every staff page: nothing a member of staff (or a stranger) sends may
cause a 500, lose or half-write what was stored, or show a stack trace.

The URL list is walked from the resolver, so a staff page added later is fuzzed too. Each
parameter is replaced by a real value, a value that does not exist and garbage. Django's test
client is used with raise_request_exception=False so an unhandled exception shows up as a 500
status, exactly as a person would see it (the approach of tests/intake/test_hostile_input.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.casefiles.conftest import (
    private_key_of,
    recovery_private_key,  # noqa: F401 - a fixture
)
from whistledesk.accounts.roles import Role
from whistledesk.cases.models import Disclosure, ReferralBody, Status

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
GARBAGE = ["../", "%00", "x" * 300, "%ED%A0%80", "..%2F..%2Fetc"]
HUGE = "A" * 1_000_000
NUL = "before\x00after"
SURROGATE = "lone\ud800surrogate"
# Every field name a staff form uses, each given a hostile value; plus one nobody expects.
FIELD_NAMES = [
    "action",
    "actor",
    "anonymous",
    "body",
    "categories",
    "code",
    "confirm_address",
    "consent",
    "consent_to_forwarding",
    "contact_how",
    "date_from",
    "date_to",
    "disclosure",
    "email",
    "eml",
    "file",
    "handler",
    "identity",
    "identity_shared",
    "kind",
    "lifetime_days",
    "lift_reason",
    "local_authority",
    "name",
    "narrative",
    "ofsted_urn",
    "on",
    "outcome",
    "phone",
    "public_interest",
    "q",
    "raised",
    "raised_times",
    "raised_with",
    "reason",
    "receipt",
    "received_on",
    "reference",
    "risk",
    "risk_level",
    "role",
    "service",
    "setting_area",
    "setting_name",
    "status",
    "summary",
    "text",
    "urgent",
    "user",
    "within_remit",
    "year",
    "referred_on",
    "responded_on",
    "decision",
    "channel",
    "body_id",
    "referral_body",
    "shared_summary",
    "next",
    "page",
    "list",
]
QUERIES = [
    "page=abc",
    "page=-1",
    "page=0",
    "page=99999999999999999999",
    "year=0",
    "year=99999",
    "year=abc",
    "service=x",
    "service=99999999999999999999",
    "status=nonsense",
    "list=nonsense",
    "channel=%00",
    "q=%00",
    "q=%ED%A0%80",
    "q=%FF%FE",
    "date_from=2023-02-30&date_to=0001-01-01",
    "date_from=9999-12-31&date_to=9999-12-31",
    "on=2023-02-30",
    "on=0001-01-01",
    "on=9999-12-31",
    "next=//evil.example/",
    "actor=%00&action=x" + "y" * 5000,
    "year=2023&year=2024&page=1&page=2",
]


# -- helpers ------------------------------------------------------------------------------


def hostile_client() -> Client:
    return Client(raise_request_exception=False)


def text(response: Any) -> str:
    if getattr(response, "streaming", False):
        # A download streamed to the end: an error half-way would cut the file short.
        response._consumed = b"".join(response.streaming_content)
        response.streaming = False
    content = getattr(response, "_consumed", None)
    if content is None:
        content = response.content
    return bytes(content).decode("utf-8", "replace")


def assert_handled(response: Any, where: Any = "") -> None:
    """Below 500, and any page shown is ours: no traceback, no Django debug page."""
    assert response.status_code < 500, (where, response.status_code, text(response)[:1500])
    body = text(response)
    assert "Traceback" not in body, where
    assert "django.core" not in body and "File &quot;" not in body, where


def post_form(client: Client, url: str, data: dict[str, str]) -> Any:
    """A urlencoded POST; a lone surrogate goes out as the bytes a broken client would send."""
    body = "&".join(
        f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in data.items()
    )
    return client.generic(
        "POST", url, data=body.encode(), content_type="application/x-www-form-urlencoded"
    )


def sign_in(user: Any) -> Client:
    """Through the form, so the staff key is unlocked in the session vault, as in real use."""
    client = hostile_client()
    response = client.post(
        "/staff/account/sign-in/", {"username": user.get_username(), "password": PASSWORD}
    )
    assert response.status_code == 302, text(response)[:500]
    return client


def staff_patterns() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every URL under /staff/ as (route, [(converter, name), ...]) from the resolver."""
    out: list[tuple[str, list[tuple[str, str]]]] = []

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith("staff/"):
                params = [(m["conv"] or "str", m["name"]) for m in PARAM.finditer(route)]
                out.append((route, params))

    walk(get_resolver().url_patterns, "")
    return out


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAM.sub(lambda m: values.get(m["name"], "1"), route)


@pytest.fixture
def world(
    organisation: Any,
    users: dict[str, Any],
    new_case: Any,
    walk: Any,
    recovery_private_key: Any,  # noqa: F811 - the fixture imported above
) -> dict[str, Any]:
    """A case with a sealed file, a referral, a concern, an identity request, a hold, a
    token: a real value for every URL parameter."""
    from whistledesk.api.services import api_token_create
    from whistledesk.casefiles.services import casefile_create, casefile_grant
    from whistledesk.cases.safeguarding import safeguarding_concern_raise
    from whistledesk.identity.services import identity_access_request
    from whistledesk.retention.services import legal_hold_place

    case = new_case()
    casefile_create(
        actor=users["intake_officer"],
        disclosure=case,
        documents={"narrative": "The night staff leave.", "identity": '{"name": "Olly"}'},
        with_source=False,
    )
    manager, caseworker = users["manager"], users["caseworker"]
    casefile_grant(
        actor=users["intake_officer"],
        disclosure=case,
        user=caseworker,
        private_key=private_key_of(users["intake_officer"]),
    )
    Disclosure.objects.filter(pk=case.pk).update(handler=caseworker)
    case.refresh_from_db()
    case = walk(case, Status.AWAITING_REASSURANCE)
    concern = safeguarding_concern_raise(
        actor=caseworker,
        private_key=private_key_of(caseworker),
        disclosure=case,
        summary="A child may be at risk.",
    )
    request = identity_access_request(
        actor=caseworker,
        disclosure=case,
        reason="To arrange a call with the source.",
        private_key=private_key_of(caseworker),
    )
    hold = legal_hold_place(actor=manager, disclosure=case, reason="Tribunal claim pending.")
    token, _ = api_token_create(actor=manager, user=manager, name="fuzz")
    values = {
        "reference": case.reference,
        "referral_id": str(case.referrals.first().pk),
        "concern_id": str(concern.pk),
        "pk": str(request.pk),
        "attachment_id": "1",
        "token_id": str(token.pk),
        "to": "closed",
        "channel": "helpline",
        "year": "2023",
        "fmt": "csv",
    }
    return {"case": case, "values": values, "hold": hold, "concern": concern}


def variants(route: str, params: list[tuple[str, str]], values: dict[str, str]) -> list[str]:
    """The URL with real values, then each parameter in turn missing or garbage."""
    urls = [fill(route, values)]
    for conv, name in params:
        bad = ["99999999", "0"] if conv == "int" else ["WD-0000-DOESNOTEXIST", *GARBAGE]
        if name == "fmt":
            bad = ["exe", "csv.", "CSV"]
        for value in bad:
            urls.append(fill(route, {**values, name: value}))
    return urls


ROLES = [role.value for role in Role] + ["nobody", "anonymous"]


@pytest.fixture
def clients(users: dict[str, Any]) -> Iterator[dict[str, Client]]:
    out = {who: sign_in(users[who]) for who in ROLES if who != "anonymous"}
    out["anonymous"] = hostile_client()
    yield out


# -- every URL, every method, every role --------------------------------------------------


def test_the_walk_finds_the_staff_pages() -> None:
    routes = {route for route, _ in staff_patterns()}
    assert "staff/cases/<str:reference>/assess/" in routes
    assert "staff/cases/<str:reference>/content/" in routes
    assert "staff/cases/<str:reference>/reply/" in routes
    assert len(routes) > 30


@pytest.mark.parametrize("who", ROLES)
def test_every_staff_url_handles_every_method_for_every_role(
    world: dict[str, Any], clients: dict[str, Client], who: str
) -> None:
    client = clients[who]
    failures = []
    for route, params in staff_patterns():
        for url in variants(route, params, world["values"]):
            if "sign-out" in url:
                continue  # would end this client's session for the rest of the walk
            for method in ["get", "head", "post", "put", "delete"]:
                try:
                    response = getattr(client, method)(url)
                    assert_handled(response, (who, method, url))
                except AssertionError as exc:
                    failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("value", [HUGE, NUL, SURROGATE, "2023-02-30", "0001-01-01", "9999-12-31"])
def test_every_staff_form_handles_hostile_values_in_every_field(
    world: dict[str, Any], clients: dict[str, Client], value: str
) -> None:
    failures = []
    data = {name: value for name in FIELD_NAMES}
    data["unexpected_field"] = value
    for who in ["manager", "caseworker", "intake_officer", "custodian", "safeguarding_lead"]:
        client = clients[who]
        for route, _ in staff_patterns():
            url = fill(route, world["values"])
            if "sign-out" in url:
                continue
            try:
                assert_handled(post_form(client, url, data), (who, url, value[:20]))
            except AssertionError as exc:
                failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


def test_invalid_utf8_in_form_bodies_and_query_strings(
    world: dict[str, Any], clients: dict[str, Client]
) -> None:
    failures = []
    for who in ["manager", "caseworker", "auditor"]:
        client = clients[who]
        for route, _ in staff_patterns():
            url = fill(route, world["values"])
            if "sign-out" in url:
                continue
            body = b"&".join(n.encode() + b"=%FF%FE%00\xff\xfe" for n in FIELD_NAMES)
            for response in [
                client.generic(
                    "POST", url, data=body, content_type="application/x-www-form-urlencoded"
                ),
                client.generic("POST", url, data=b"\xff\xfe\x00garbage", content_type="text/plain"),
                client.get(url + "?q=%FF%FE&page=%ED%A0%80&year=%00"),
            ]:
                try:
                    assert_handled(response, (who, url))
                except AssertionError as exc:
                    failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("query", QUERIES)
def test_list_pages_handle_odd_query_strings(
    world: dict[str, Any], clients: dict[str, Client], query: str
) -> None:
    failures = []
    for who in ["manager", "auditor", "caseworker"]:
        for route, _params in staff_patterns():
            url = fill(route, world["values"])
            if "sign-out" in url:
                continue
            try:
                assert_handled(clients[who].get(f"{url}?{query}"), (who, url, query))
            except AssertionError as exc:
                failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


# -- real forms: double submits, odd dates, closed and destroyed cases, a locked key -------


def valid_posts(world: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(role, url, a form that passes validation) for every staff form that writes."""
    from whistledesk.organisation.models import Outcome

    case = world["case"]
    v = world["values"]
    ref = v["reference"]
    users = world["users"]
    base = f"/staff/cases/{ref}"
    today = dt.date.today().isoformat()
    body = ReferralBody.objects.get(kind="lado").pk
    outcome = Outcome.objects.filter(organisation_id=case.organisation_id).first()
    service = case.organisation.services.first()
    return [
        (
            "caseworker",
            f"{base}/action/",
            {"kind": "advice", "summary": "Advice.", "taken_on": today},
        ),
        ("caseworker", f"{base}/concern/", {"summary": "Another worry."}),
        (
            "safeguarding_lead",
            f"{base}/concern/{v['concern_id']}/confirm/",
            {"action_taken": "Called.", "action_taken_by": "Duty team", "action_taken_on": today},
        ),
        (
            "caseworker",
            f"{base}/refer/",
            {"body": body, "shared_summary": "Staffing.", "referred_on": today},
        ),
        (
            "caseworker",
            f"{base}/referral/{v['referral_id']}/response/",
            {"received_on": today, "summary": "They visited."},
        ),
        (
            "caseworker",
            f"{base}/consent/",
            {"given_by": "Them", "scope": "Share", "given_on": today, "reason": "To refer."},
        ),
        ("manager", f"{base}/assign/", {"handler": users["caseworker"].pk}),
        ("manager", f"{base}/conflict/", {"user": users["caseworker2"].pk, "reason": "Knows them"}),
        ("caseworker", f"{base}/take/", {}),
        (
            "caseworker",
            f"{base}/assess/",
            {
                "categories": ["health_safety"],
                "public_interest": "yes",
                "within_remit": "yes",
                "service": service.pk if service else "",
                "risk_level": "medium",
            },
        ),
        (
            "caseworker",
            f"{base}/move/closed/",
            {"outcome": outcome.pk if outcome else "", "reason": "Done."},
        ),
        ("caseworker", f"/staff/cases/{ref}/reply/", {"text": "Thank you for telling us."}),
        ("caseworker", f"/staff/identity/ask/{ref}/", {"reason": "To call them back."}),
        (
            "custodian",
            f"/staff/identity/requests/{v['pk']}/",
            {"action": "approve", "reason": "Ok"},
        ),
        ("manager", "/staff/retention/holds/", {"reference": ref, "reason": "A claim."}),
        ("manager", f"/staff/retention/holds/{world['hold'].pk}/lift/", {"lift_reason": "Over."}),
        ("manager", "/staff/account/api-tokens/", {"name": "Again", "lifetime_days": "30"}),
        ("manager", f"/staff/account/api-tokens/{v['token_id']}/revoke/", {}),
        (
            "intake_officer",
            "/staff/record/helpline/",
            {
                "received_on": today,
                "call_notes": "A call.",
                "anonymity_discussion": "Anonymous.",
            },
        ),
    ]


def close(world: dict[str, Any]) -> None:
    """The safeguarding action recorded, so the case may be closed."""
    from whistledesk.cases.safeguarding import safeguarding_action_confirm

    lead = world["users"]["safeguarding_lead"]
    safeguarding_action_confirm(
        actor=lead,
        concern=world["concern"],
        action_taken="Called the duty team.",
        action_taken_by="Duty team",
        action_taken_on=dt.date.today(),
        private_key=private_key_of(lead),
    )


@pytest.fixture
def full_world(world: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    return {**world, "users": users}


def test_every_form_posted_twice_is_handled_and_stores_one_thing_per_press(
    full_world: dict[str, Any], clients: dict[str, Client]
) -> None:
    # Given real, valid forms; When each is sent twice (a double click or a resent page)
    failures = []
    for who, url, data in valid_posts(full_world):
        for attempt in (1, 2):
            try:
                assert_handled(clients[who].post(url, data), (who, url, attempt))
            except AssertionError as exc:
                failures.append(str(exc)[:300])
    # Then neither press is a server error
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("day", ["2023-02-30", "0001-01-01", "9999-12-31", "31/12/9999", "0"])
def test_odd_dates_in_date_fields_say_what_to_fix(
    full_world: dict[str, Any], clients: dict[str, Client], day: str
) -> None:
    failures = []
    for who, url, data in valid_posts(full_world):
        dated = {
            k: (day if k.endswith("_on") or k == "received_on" else v) for k, v in data.items()
        }
        if dated == data:
            continue
        try:
            response = clients[who].post(url, dated)
            assert_handled(response, (who, url, day))
            assert response.status_code != 302 or day == "0001-01-01", (who, url, day, "saved")
        except AssertionError as exc:
            failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


def test_forms_posted_after_the_case_is_closed(
    full_world: dict[str, Any], clients: dict[str, Client], walk: Any
) -> None:
    from whistledesk.cases.workflow import disclosure_transition
    from whistledesk.organisation.models import Outcome

    case = full_world["case"]
    outcome = Outcome.objects.filter(organisation_id=case.organisation_id).first()
    close(full_world)
    disclosure_transition(
        actor=full_world["users"]["caseworker"], disclosure=case, to=Status.CLOSED, outcome=outcome
    )
    failures = []
    for who, url, data in valid_posts(full_world):
        try:
            assert_handled(clients[who].post(url, data), (who, url))
            assert_handled(clients[who].get(url), (who, url))
        except AssertionError as exc:
            failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


def test_forms_posted_after_the_case_is_destroyed(
    full_world: dict[str, Any], clients: dict[str, Client]
) -> None:
    from whistledesk.cases.workflow import disclosure_transition
    from whistledesk.organisation.models import Outcome
    from whistledesk.retention.destruction import disclosure_destroy
    from whistledesk.retention.models import LegalHold, RetentionPolicy

    case = full_world["case"]
    outcome = Outcome.objects.filter(organisation_id=case.organisation_id).first()
    close(full_world)
    disclosure_transition(
        actor=full_world["users"]["caseworker"], disclosure=case, to=Status.CLOSED, outcome=outcome
    )
    LegalHold.objects.filter(disclosure=case).delete()
    RetentionPolicy.objects.create(organisation=case.organisation, outcome=None, keep_years=1)
    disclosure_destroy(actor="system", disclosure_id=case.pk, today=dt.date(2999, 1, 1))
    failures = []
    for who, url, data in valid_posts(full_world):
        try:
            assert_handled(clients[who].post(url, data), (who, url))
            assert_handled(clients[who].get(url), (who, url))
        except AssertionError as exc:
            failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


def test_a_session_without_the_vault_cookie_is_told_to_sign_in_again(
    full_world: dict[str, Any], clients: dict[str, Client]
) -> None:
    from whistledesk.core.session_vault import COOKIE_NAME

    failures = []
    for who, url, data in valid_posts(full_world):
        client = clients[who]
        # Given a signed-in member of staff whose key is locked (the vault cookie is gone)
        if COOKIE_NAME in client.cookies:
            del client.cookies[COOKIE_NAME]
        try:
            assert_handled(client.get(url), (who, url))
            assert_handled(client.post(url, data), (who, url))
        except AssertionError as exc:
            failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures[:20])


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.txt", "hello")
    return out.getvalue()


EML = (
    b"From: Someone <someone@example.org>\r\nTo: us@example.org\r\nSubject: A worry\r\n"
    b"Date: Mon, 6 Mar 2023 10:00:00 +0000\r\n\r\n"
)
UPLOADS = {
    "eml 5 MB": ("email", "eml", "big.eml", EML + b"x" * 5_000_000),
    "eml binary garbage": ("email", "eml", "junk.eml", bytes(range(256)) * 200),
    "eml that is a zip": ("email", "eml", "mail.eml", _zip()),
    "eml with a NUL filename": ("email", "eml", "a\x00b.eml", EML + b"hi"),
    "ET1 that is not a PDF": ("tribunal", "et1", "et1.pdf", b"MZ\x90\x00 not a pdf at all"),
    "ET1 that is a zip": ("tribunal", "et1", "et1.pdf", _zip()),
    "ET1 empty": ("tribunal", "et1", "et1.pdf", b""),
    "scan that is garbage": ("letter", "scans", "scan.jpg", b"\xff\xd8\xff garbage"),
}


@pytest.mark.parametrize("case", list(UPLOADS), ids=list(UPLOADS))
def test_bad_uploads_when_recording_say_what_to_fix_and_store_nothing(
    full_world: dict[str, Any], clients: dict[str, Client], case: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    channel, field, name, data = UPLOADS[case]
    before = Disclosure.objects.count()
    form = {
        "received_on": dt.date.today().isoformat(),
        "claim_reference": "1234567/2023",
        "consent_to_forwarding": "on",
        field: SimpleUploadedFile(name.replace("\x00", ""), data),
    }
    response = clients["intake_officer"].post(f"/staff/record/{channel}/", form)
    assert_handled(response, case)
    if response.status_code == 302:
        # Accepted (an email with a body of noise is still an email): one disclosure
        assert Disclosure.objects.count() == before + 1
    else:
        body = text(response)
        assert "There is a problem" in body, body[:2000]
        assert Disclosure.objects.count() == before
