"""Casework fixtures: one user per role, and a helper that walks a case to a status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.casefiles.conftest import private_key_of
from whistledesk.accounts.roles import Role


@pytest.fixture
def users(organisation: Any, make_staff: Any) -> dict[str, Any]:
    """One member of staff per role, keyed by role value, plus 'nobody' with no role: all
    staff of `organisation` (made first, so they are its members: ADR 0017)."""
    out = {role.value: make_staff(username=role.value, roles=[role]) for role in Role}
    out["caseworker2"] = make_staff(username="caseworker2", roles=[Role.CASEWORKER])
    out["nobody"] = make_staff(username="nobody", roles=[])
    return out


@pytest.fixture
def new_case(organisation: Any, users: dict[str, Any]) -> Any:
    from whistledesk.cases.services import disclosure_record

    def make(**kwargs: Any) -> Any:
        args = {
            "actor": users["intake_officer"],
            "organisation": organisation,
            "received_on": dt.date.today() - dt.timedelta(days=2),
            "channel": "helpline",
            "service": None,
            "qualifying": None,
            "anonymous": False,
        }
        args.update(kwargs)
        return disclosure_record(**args)

    return make


@pytest.fixture
def walk(organisation: Any, users: dict[str, Any]) -> Any:
    """Move a case through the workflow up to `status`, as a caseworker."""
    from whistledesk.cases.actions import referral_record
    from whistledesk.cases.assessment import disclosure_assess, disclosure_assign
    from whistledesk.cases.models import ReferralBody, Status
    from whistledesk.cases.workflow import disclosure_transition

    order = [Status.ACKNOWLEDGED, Status.ASSESSING, Status.ACTION, Status.AWAITING_REASSURANCE]

    def go(disclosure: Any, status: str, actor: Any = None) -> Any:
        actor = actor or users["caseworker"]
        if disclosure.handler_id is None and not actor.has_role(Role.MANAGER):
            # Only the handler (or a manager) works on a case: a caseworker takes it first.
            disclosure = disclosure_assign(actor=actor, disclosure=disclosure, handler=actor)
        for step in order:
            if disclosure.status == status:
                break
            if step == Status.ACTION:
                disclosure = disclosure_assess(
                    actor=actor,
                    disclosure=disclosure,
                    categories=["health_safety"],
                    public_interest=True,
                    within_remit=True,
                    service=organisation.services.get(label="Schools"),
                    risk_level="medium",
                    urgent=False,
                )
            if step == Status.AWAITING_REASSURANCE:
                referral_record(
                    actor=actor,
                    private_key=private_key_of(actor),
                    disclosure=disclosure,
                    body=ReferralBody.objects.get(kind="la_childrens_services"),
                    shared_summary="Concerns about staffing levels at the setting.",
                    referred_on=dt.date.today(),
                )
            # Acknowledging a web disclosure writes to its inbox, under the case key.
            key = private_key_of(actor) if step == Status.ACKNOWLEDGED else None
            disclosure = disclosure_transition(
                actor=actor, disclosure=disclosure, to=step, private_key=key
            )
        return disclosure

    return go


@pytest.fixture(autouse=True)
def referral_directory(db: Any) -> None:
    """The seeded directory, restored if an earlier transactional test's flush emptied it."""
    from whistledesk.cases.models import ReferralBody

    for name, kind in [
        ("Local authority children's services", "la_childrens_services"),
        ("Local authority designated officer (LADO)", "lado"),
        ("Police", "police"),
        ("Ofsted", "ofsted"),
        ("Care Quality Commission", "cqc"),
    ]:
        ReferralBody.objects.get_or_create(name=name, defaults={"kind": kind})
