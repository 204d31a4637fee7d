"""Signposting fixtures: staff by role, the shipped directory loaded, a web case being
assessed by its handler (carl), and a signed-in browser session (key unlocked)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.casefiles.conftest import private_key_of
from whistledesk.accounts.roles import Role

PASSWORD = "a-long-staff-password"


@pytest.fixture(autouse=True)
def _clear_cache(settings: Any) -> None:
    from django.core.cache import cache

    settings.WHISTLEDESK_FAILURE_DELAY = 0
    cache.clear()


@pytest.fixture
def people(make_staff: Any) -> dict[str, Any]:
    """carl handles the cases; everyone else has one role (nobody none)."""
    return {
        "carl": make_staff("carl", roles=[Role.CASEWORKER]),
        "otto": make_staff("otto", roles=[Role.CASEWORKER]),
        "ivy": make_staff("ivy", roles=[Role.INTAKE_OFFICER]),
        "lena": make_staff("lena", roles=[Role.SAFEGUARDING_LEAD]),
        "mara": make_staff("mara", roles=[Role.MANAGER]),
        "audrey": make_staff("audrey", roles=[Role.AUDITOR]),
        "cass": make_staff("cass", roles=[Role.CUSTODIAN]),
        "nobody": make_staff("nobody", roles=[]),
    }


@pytest.fixture
def directory(db: Any) -> str:
    out = io.StringIO()
    call_command("load_prescribed_persons", stdout=out)
    return out.getvalue()


def sign_in(username: str) -> Client:
    """Through the sign-in form, so the person's key is unlocked in this browser."""
    client = Client()
    response = client.post("/staff/account/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, username
    return client


def web_disclosure() -> tuple[Any, str]:
    """A disclosure sent on the public form, with a follow-up inbox: (disclosure, receipt)."""
    from whistledesk.cases.models import Disclosure
    from whistledesk.intake.services import submission_create

    sent = submission_create(
        answers={
            "risk": "no",
            "service": "",
            "setting_name": "Harbour Lending Ltd",
            "setting_area": "Leeds",
            "narrative": "Customers are being sold loans they cannot repay.",
            "raised_before": "no",
            "role": "employee",
            "identity": "anonymous",
        }
    )
    return Disclosure.objects.get(reference=sent.reference), sent.receipt


def to_assessing(disclosure: Any, people: dict[str, Any]) -> Any:
    """The manager assigns carl (sharing the case key), acknowledges and starts assessment."""
    from whistledesk.cases.assessment import disclosure_assign
    from whistledesk.cases.models import Status
    from whistledesk.cases.workflow import disclosure_transition

    mara = people["mara"]
    key = private_key_of(mara)
    disclosure_assign(actor=mara, disclosure=disclosure, handler=people["carl"], private_key=key)
    disclosure = disclosure_transition(
        actor=mara, disclosure=disclosure, to=Status.ACKNOWLEDGED, private_key=key
    )
    return disclosure_transition(actor=mara, disclosure=disclosure, to=Status.ASSESSING)


@pytest.fixture
def web_case(organisation: Any, people: dict[str, Any], directory: str) -> tuple[Any, str]:
    disclosure, receipt = web_disclosure()
    return to_assessing(disclosure, people), receipt
