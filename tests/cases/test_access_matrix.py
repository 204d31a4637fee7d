"""Who may see and do what with a case, through every path a person uses (issue 8).

Each member of staff below HOLDS A KEY to the case (granted before their situation
changed), so every refusal here is the access policy's, not a missing key: a key is
necessary, never sufficient. The expected HTTP answers are typed out by hand, row by row,
and are not derived from cases.permissions.

Case A is a web disclosure with a file and a follow-up inbox, assigned to "hana" (after
"rhea", from whom it was reassigned) and acknowledged. Case U is another web disclosure
with a file, received and not yet assigned (triage).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.casefiles.conftest import private_key_of
from tests.intake.conftest import CANARY_SENTENCE
from tests.intake.conftest import walk as answer_the_form
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.api.services import api_token_create
from whistledesk.casefiles.models import Attachment, Message
from whistledesk.casefiles.services import casefile_grant
from whistledesk.cases.assessment import conflict_record, disclosure_assign
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.workflow import disclosure_transition

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"

# situation -> (username, roles at creation, case). After the keys are granted, "remy" is
# changed to auditor only and "dora" is deactivated (see `world`).
SITUATIONS: dict[str, tuple[str, list[Role], str]] = {
    "handler": ("hana", [Role.CASEWORKER], "A"),
    "other_cw": ("otto", [Role.CASEWORKER], "A"),  # another caseworker
    "conflicted": ("conor", [Role.MANAGER], "A"),  # a manager with a recorded conflict
    "reassigned": ("rhea", [Role.CASEWORKER], "A"),  # the handler before hana
    "role_removed": ("remy", [Role.CASEWORKER], "A"),  # was a caseworker, now auditor only
    "deactivated": ("dora", [Role.CASEWORKER], "A"),  # signed in, then deactivated
    "auditor": ("audrey", [Role.AUDITOR], "A"),
    "custodian": ("cass", [Role.CUSTODIAN], "A"),
    "intake": ("ivy", [Role.INTAKE_OFFICER], "A"),  # the case is assigned: out of triage
    "manager": ("mara", [Role.MANAGER], "A"),
    "lead": ("lena", [Role.SAFEGUARDING_LEAD], "A"),  # a safeguarding lead
    "intake_triage": ("ivy", [Role.INTAKE_OFFICER], "U"),  # the case is unassigned
    "cw_triage": ("otto", [Role.CASEWORKER], "U"),  # a caseworker, the case unassigned
}

# The paths, in the order they are tried (the two writes last). "move" is the next move of
# the case: A acknowledged -> assessing, U received -> acknowledged.
COLUMNS = [
    "case",  # GET  /staff/cases/REF/           the case page (register entry, casework)
    "content",  # GET  /staff/cases/REF/content/   the sealed case file
    "download",  # GET  /staff/cases/REF/files/N/   a file the whistleblower sent
    "assess",  # GET  /staff/cases/REF/assess/
    "assign",  # GET  /staff/cases/REF/assign/
    "conflict",  # GET  /staff/cases/REF/conflict/
    "consent",  # GET  /staff/cases/REF/consent/
    "refer",  # GET  /staff/cases/REF/refer/
    "action",  # GET  /staff/cases/REF/action/
    "concern",  # GET  /staff/cases/REF/concern/
    "move",  # GET  /staff/cases/REF/move/<next>/
    "ledger",  # GET  /staff/identity/ledger/REF/
    "ask",  # GET  /staff/identity/ask/REF/
    "admin",  # GET  /admin/cases/disclosure/PK/change/ (read-only admin)
    "api detail",  # GET  /api/v1/disclosures/REF
    "reply",  # POST /staff/cases/REF/reply/         a message to the whistleblower
    "api move",  # POST /api/v1/disclosures/REF/transition {"to": <next>}
]

# fmt: off
EXPECTED: dict[str, list[int]] = {
    #               cas cnt dwn ass asg cnf cns ref act cnc mov led ask adm apD rep apM
    "handler":       [200,200,200,200,403,403,200,200,200,200,200,200,200,200,200,302,200],
    "other_cw":      [200,403,403,403,403,403,403,403,403,403,403,200,403,200,200,403,403],
    "conflicted":    [403,403,403,403,403,403,403,403,403,403,403,403,403,403,403,403,403],
    "reassigned":    [200,403,403,403,403,403,403,403,403,403,403,200,403,200,200,403,403],
    "role_removed":  [200,403,403,403,403,403,403,403,403,403,403,200,403,200,200,403,403],
    "deactivated":   [302,302,302,302,302,302,302,302,302,302,302,302,302,302,401,302,401],
    "auditor":       [200,403,403,403,403,403,403,403,403,403,403,200,403,200,200,403,403],
    "custodian":     [403,403,403,403,403,403,403,403,403,403,403,200,403,403,403,403,403],
    "intake":        [200,403,403,403,403,403,403,403,403,403,403,200,403,200,200,403,403],
    "manager":       [200,200,200,200,200,200,200,200,200,200,200,200,200,200,200,302,200],
    "lead":          [200,200,200,403,403,403,403,403,403,200,403,200,403,200,200,403,403],
    # The intake officer acknowledges on the page; the API holds no key to write the
    # acknowledgement into a web disclosure's inbox, so it says so (422).
    "intake_triage": [200,200,200,403,403,403,403,403,403,200,200,200,403,200,200,302,422],
    "cw_triage":     [200,403,403,403,403,403,403,403,403,403,403,200,403,200,200,403,403],
}
# fmt: on
# Where a 200 shows the sealed narrative, and so where it may appear at all.
SHOWS_CONTENT = {"content"}


def _send_with_a_file(organisation: Any) -> Disclosure:
    cache.clear()  # the public form's rate limits
    public = Client()
    answer_the_form(public, organisation)
    public.post(
        "/report/files/",
        {"action": "upload", "file": SimpleUploadedFile("rota.txt", b"night rota")},
    )
    public.post("/report/files/", {"action": "continue"})
    assert public.post("/report/check/", {})["Location"] == "/report/sent/"
    return Disclosure.objects.order_by("-pk").first()  # type: ignore[return-value]


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post(
        "/staff/account/sign-in/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, username
    return client


@pytest.fixture
def world(organisation: Any, make_staff: Any) -> dict[str, Any]:
    roles_of = {username: roles for username, roles, _ in SITUATIONS.values()}
    people = {username: make_staff(username, roles=roles) for username, roles in roles_of.items()}
    # Given two web disclosures, sealed to the intake officer and the managers at arrival
    a, u = _send_with_a_file(organisation), _send_with_a_file(organisation)
    mara, key = people["mara"], private_key_of(people["mara"])
    # A: assigned to rhea, then reassigned to hana (each given the key on assignment)
    disclosure_assign(actor=mara, disclosure=a, handler=people["rhea"], private_key=key)
    disclosure_assign(actor=mara, disclosure=a, handler=people["hana"], private_key=key)
    for username in ["otto", "remy", "dora", "audrey", "cass", "lena"]:
        casefile_grant(actor=mara, disclosure=a, user=people[username], private_key=key)
    casefile_grant(actor=mara, disclosure=u, user=people["otto"], private_key=key)
    conflict_record(
        actor=mara, disclosure=a, user=people["conor"], reason="Knows the owner", private_key=key
    )
    a = disclosure_transition(actor=mara, disclosure=a, to=Status.ACKNOWLEDGED, private_key=key)
    # Everyone may reach the Django admin, so the disclosure admin's own decision shows.
    User.objects.update(is_staff=True)
    tokens = {
        name: api_token_create(actor=p, user=p, name="matrix")[1] for name, p in people.items()
    }
    signed_in = {"dora": _sign_in("dora")}  # before she is deactivated
    # remy's role is changed to auditor only; dora is deactivated (as the admin did)
    remy = people["remy"]
    remy.groups.set([Group.objects.get(name=Role.AUDITOR.value)])
    dora = people["dora"]
    dora.is_active = False
    dora.save(update_fields=["is_active"])
    return {"people": people, "A": a, "U": u, "tokens": tokens, "clients": signed_in}


def _requests(case: Disclosure, nxt: str) -> dict[str, tuple[str, str, dict[str, Any]]]:
    ref = case.reference
    file = Attachment.objects.get(disclosure=case, message__isnull=True)
    base = f"/staff/cases/{ref}"
    return {
        "case": ("get", f"{base}/", {}),
        "content": ("get", f"{base}/content/", {}),
        "download": ("get", f"{base}/files/{file.pk}/", {}),
        "assess": ("get", f"{base}/assess/", {}),
        "assign": ("get", f"{base}/assign/", {}),
        "conflict": ("get", f"{base}/conflict/", {}),
        "consent": ("get", f"{base}/consent/", {}),
        "refer": ("get", f"{base}/refer/", {}),
        "action": ("get", f"{base}/action/", {}),
        "concern": ("get", f"{base}/concern/", {}),
        "move": ("get", f"{base}/move/{nxt}/", {}),
        "ledger": ("get", f"/staff/identity/ledger/{ref}/", {}),
        "ask": ("get", f"/staff/identity/ask/{ref}/", {}),
        "admin": ("get", f"/admin/cases/disclosure/{case.pk}/change/", {}),
        "api detail": ("api-get", f"/api/v1/disclosures/{ref}", {}),
        "reply": ("post", f"{base}/reply/", {"text": "Which ward was this on, please?"}),
        "api move": ("api-post", f"/api/v1/disclosures/{ref}/transition", {"to": nxt}),
    }


@pytest.mark.parametrize("situation", list(EXPECTED))
def test_who_may_see_and_do_what(world: dict[str, Any], situation: str) -> None:
    username, _, which = SITUATIONS[situation]
    person = world["people"][username]
    case = world[which]
    client = world["clients"].get(username) or _sign_in(username)
    bearer = {"Authorization": f"Bearer {world['tokens'][username]}"}
    nxt = "assessing" if which == "A" else "acknowledged"
    # When they try every path
    got: dict[str, int] = {}
    for column, (how, url, data) in _requests(case, nxt).items():
        if how == "get":
            response = client.get(url)
        elif how == "post":
            response = client.post(url, data)
        elif how == "api-get":
            response = Client().get(url, headers=bearer)
        else:
            response = Client().post(
                url, json.dumps(data), content_type="application/json", headers=bearer
            )
        got[column] = response.status_code
        if column == "reply":
            replied = response.get("Location") == f"/staff/cases/{case.reference}/content/"
        # The narrative never shows anywhere but in a case file they may open
        if not (column in SHOWS_CONTENT and response.status_code == 200):
            assert CANARY_SENTENCE not in response.content.decode(errors="replace"), column
    # Then each answer is the one typed out above
    assert got == dict(zip(COLUMNS, EXPECTED[situation], strict=True))
    # And a message reached the whistleblower only from those allowed to write
    sent = Message.objects.filter(author=person, disclosure=case).exists()
    assert sent == replied == (situation in {"handler", "manager", "intake_triage"})


def test_a_conflict_hides_the_register_row_on_the_page_and_in_the_api(
    world: dict[str, Any],
) -> None:
    # Given conor (a manager) recorded as conflicted on A, and mara, a manager who is not
    a, u = world["A"].reference, world["U"].reference
    expected = {"conor": {u}, "mara": {a, u}}  # typed out: who sees which register row
    for username, visible in expected.items():
        # When each opens the register page and lists the register through the API
        page = (world["clients"].get(username) or _sign_in(username)).get("/staff/")
        bearer = {"Authorization": f"Bearer {world['tokens'][username]}"}
        listed = Client().get("/api/v1/disclosures", headers=bearer).json()
        # Then the conflicted case is nowhere in either, and the other case is
        html = page.content.decode()
        assert {ref for ref in (a, u) if ref in html} == visible, username
        assert {row["reference"] for row in listed["results"]} == visible, username
        assert listed["count"] == len(visible), username
