"""Casework notes are sealed under the case key: staff with the key read them on the case
page; staff without it see a marker; the database file and a dump hold none of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.at_rest import database_bytes
from tests.casefiles.conftest import private_key_of
from whistledesk.accounts.roles import Role
from whistledesk.casefiles.notes import NOTE_UNREADABLE
from whistledesk.cases import actions, assessment, safeguarding, workflow
from whistledesk.cases.models import ActionKind, ReferralBody, Status
from whistledesk.cases.services import disclosure_record

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-staff-password"
# One canary per sealed note.
NOTES = {
    "shared": "Shared-canary Wilhelmina Crabapple night rota",
    "response": "Response-canary Wilhelmina inspection booked",
    "action": "Action-canary advice to Crabapple trustees",
    "given_by": "Given-canary Wilhelmina by telephone",
    "scope": "Scope-canary share name with Crabapple LADO",
    "consent_reason": "Consent-canary LADO interview",
    "concern": "Concern-canary Crabapple child left alone",
    "action_taken": "Taken-canary strategy meeting held",
    "action_taken_by": "By-canary Crabapple duty team",
    "conflict": "Conflict-canary sister of Crabapple manager",
    "reopen": "Reopen-canary new Crabapple evidence",
}


def _sign_in(user: Any) -> Client:
    client = Client()
    r = client.post(
        "/staff/account/sign-in/", {"username": user.get_username(), "password": PASSWORD}
    )
    assert r.status_code == 302
    return client


@pytest.fixture
def staff(make_staff: Any) -> dict[str, Any]:
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return {
        "intake": make_staff("ivy", roles=[Role.INTAKE_OFFICER]),
        "worker": make_staff("cal", roles=[Role.CASEWORKER]),
        "manager": make_staff("meg", roles=[Role.MANAGER]),
        "lead": make_staff("sam", roles=[Role.SAFEGUARDING_LEAD]),
        "other": make_staff("otto", roles=[Role.CASEWORKER]),
        "auditor": make_staff("aud", roles=[Role.AUDITOR]),
    }


def _case_with_every_note(organisation: Any, staff: dict[str, Any]) -> Any:
    """An imported-style case (no case file) taken through every note-writing service."""
    worker, manager, lead = staff["worker"], staff["manager"], staff["lead"]
    wk, mk, lk = private_key_of(worker), private_key_of(manager), private_key_of(lead)
    d = disclosure_record(
        actor=staff["intake"],
        organisation=organisation,
        received_on=dt.date.today() - dt.timedelta(days=3),
        channel="letter",
        service=None,
        qualifying=None,
        anonymous=False,
        summary="Staffing concerns at a children's home",
    )
    d = assessment.disclosure_assign(actor=manager, disclosure=d, handler=worker)
    for to in (Status.ACKNOWLEDGED, Status.ASSESSING):
        d = workflow.disclosure_transition(actor=worker, disclosure=d, to=to)
    d = assessment.disclosure_assess(
        actor=worker,
        disclosure=d,
        categories=["health_safety"],
        public_interest=True,
        within_remit=True,
        service=organisation.services.get(label="Schools"),
        risk_level="medium",
        urgent=False,
    )
    # The first note makes the (empty) case file, sealed to the worker, intake and managers
    consent = actions.consent_record(
        actor=worker,
        disclosure=d,
        given_by=NOTES["given_by"],
        scope=NOTES["scope"],
        given_on=dt.date.today(),
        reason=NOTES["consent_reason"],
        private_key=wk,
    )
    referral = actions.referral_record(
        actor=worker,
        disclosure=d,
        body=ReferralBody.objects.get_or_create(
            name="Northshire children's services", kind="la_childrens_services"
        )[0],
        shared_summary=NOTES["shared"],
        referred_on=dt.date.today(),
        private_key=wk,
    )
    actions.referral_response_record(
        actor=worker,
        referral=referral,
        received_on=dt.date.today(),
        summary=NOTES["response"],
        private_key=wk,
    )
    actions.action_record(
        actor=worker,
        disclosure=d,
        kind=ActionKind.ADVICE,
        summary=NOTES["action"],
        taken_on=dt.date.today(),
        private_key=wk,
    )
    concern = safeguarding.safeguarding_concern_raise(
        actor=worker, disclosure=d, summary=NOTES["concern"], private_key=wk
    )
    # Raising the concern shared the case key with the lead, who can sign it off
    safeguarding.safeguarding_action_confirm(
        actor=lead,
        concern=concern,
        action_taken=NOTES["action_taken"],
        action_taken_by=NOTES["action_taken_by"],
        action_taken_on=dt.date.today(),
        private_key=lk,
    )
    assessment.conflict_record(
        actor=manager, disclosure=d, user=staff["other"], reason=NOTES["conflict"], private_key=mk
    )
    from whistledesk.organisation.models import Outcome

    d = workflow.disclosure_transition(
        actor=worker,
        disclosure=d,
        to=Status.CLOSED,
        outcome=Outcome.objects.filter(organisation=organisation).first(),
    )
    workflow.disclosure_transition(
        actor=manager, disclosure=d, to=Status.ASSESSING, reason=NOTES["reopen"], private_key=mk
    )
    assert consent.pk
    return d


def test_every_note_reads_back_on_the_case_page_for_key_holders_only(
    organisation: Any, staff: dict[str, Any]
) -> None:
    d = _case_with_every_note(organisation, staff)
    url = f"/staff/cases/{d.reference}/"
    # Key holders (handler, manager, the lead) read every note
    for who in ("worker", "manager", "lead"):
        html = _sign_in(staff[who]).get(url).content.decode()
        for text in NOTES.values():
            assert text.replace("'", "&#x27;") in html, (who, text)
        assert NOTE_UNREADABLE.replace("'", "&#x27;") not in html
    # The auditor holds no case key: the page works and reads none of them
    html = _sign_in(staff["auditor"]).get(url).content.decode()
    assert "you do not hold this case&#x27;s key" in html
    for text in NOTES.values():
        assert text not in html
    # Signed in without the key in this browser: asked to sign in again, nothing shown
    client = Client()
    client.force_login(staff["manager"])
    html = client.get(url).content.decode()
    assert 'id="notes-locked"' in html
    assert NOTES["shared"] not in html


def test_writing_a_note_without_the_key_asks_to_sign_in_again(
    organisation: Any, staff: dict[str, Any]
) -> None:
    d = _case_with_every_note(organisation, staff)
    client = Client()
    client.force_login(staff["worker"])  # no key unlocked in this browser
    r = client.post(
        f"/staff/cases/{d.reference}/action/",
        {"kind": "advice", "summary": "x", "taken_on": dt.date.today().isoformat()},
    )
    assert r.status_code == 403
    assert "Sign in again" in r.content.decode()


def _needles() -> list[bytes]:
    return [t.encode("utf-8") for t in NOTES.values()] + [b"Wilhelmina", b"Crabapple"]


def test_stored_database_holds_no_note(organisation: Any, staff: dict[str, Any]) -> None:
    # The SQLite file and its WAL, or a pg_dump (which writes bytea columns as hex)
    d = _case_with_every_note(organisation, staff)
    raw = database_bytes()
    assert d.reference.encode() in raw  # the search works
    for needle in _needles():
        assert needle not in raw
        assert needle.hex().encode() not in raw
