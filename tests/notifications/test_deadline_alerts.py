"""Reassurance chasers and case reminders, sent by a real `whistledesk worker` through a real
SMTP server on loopback (aiosmtpd): to the right people, once, and content-free."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.casefiles.conftest import private_key_of
from tests.cases.conftest import referral_directory  # noqa: F401  (autouse: the referral bodies)
from tests.notifications.conftest import wait_until
from tests.notifications.test_alerts_end_to_end import _text
from whistledesk.accounts.roles import Role
from whistledesk.cases.actions import referral_record
from whistledesk.cases.assessment import disclosure_assess, disclosure_assign
from whistledesk.cases.models import CaseReminder, Referral, ReferralBody, Status
from whistledesk.cases.reminders import reminder_set
from whistledesk.cases.services import disclosure_record
from whistledesk.cases.workflow import disclosure_transition
from whistledesk.notifications.alerts import digest_lines
from whistledesk.notifications.messages import DigestLine
from whistledesk.notifications.models import EmailStatus, OutboundEmail, PeriodicJob

SECRET_NOTE = "Quillfeather said the manager shreds the rota"
SECRET_SETTING = "Thistlewood Children's Home"


@pytest.fixture
def people(make_staff: Any) -> dict[str, Any]:
    made = {}
    for name, role in [
        ("cara", Role.CASEWORKER),
        ("sam", Role.SAFEGUARDING_LEAD),
        ("mo", Role.MANAGER),
        ("ivy", Role.INTAKE_OFFICER),
    ]:
        user = make_staff(name, roles=[role])
        user.email = f"{name}@office.example"
        user.save(update_fields=["email"])
        made[name] = user
    return made


def _case_with_referral(
    organisation: Any, cara: Any, *, urgent: bool, reassurance_due: dt.date
) -> Any:
    case = disclosure_record(
        actor=cara,
        organisation=organisation,
        received_on=dt.date(2026, 9, 1),
        channel="phone",
        service=None,
        qualifying=None,
        anonymous=False,
        setting_name=SECRET_SETTING,
    )
    case = disclosure_assign(actor=cara, disclosure=case, handler=cara)
    for step in (Status.ACKNOWLEDGED, Status.ASSESSING):
        case = disclosure_transition(actor=cara, disclosure=case, to=step)
    case = disclosure_assess(
        actor=cara,
        disclosure=case,
        categories=["health_safety"],
        public_interest=True,
        within_remit=True,
        service=organisation.services.get(label="Schools"),
        risk_level="high",
        urgent=urgent,
    )
    case = disclosure_transition(actor=cara, disclosure=case, to=Status.ACTION)
    referral_record(
        actor=cara,
        private_key=private_key_of(cara),
        disclosure=case,
        body=ReferralBody.objects.get(kind="la_childrens_services"),
        shared_summary=SECRET_NOTE,
        referred_on=dt.date(2026, 9, 10),
        reassurance_due=reassurance_due,
    )
    return case


def test_chasers_and_reminders_reach_the_right_people_once(
    worker_env: dict[str, str],
    start_worker: Any,
    smtp: Any,
    organisation: Any,
    people: dict[str, Any],
) -> None:
    mailbox, port = smtp
    cara, mo = people["cara"], people["mo"]
    # Given two cases handled by Cara whose reassurance dates have passed without a response
    # (the second urgent), one whose date has not come, and one already answered
    plain = _case_with_referral(
        organisation, cara, urgent=False, reassurance_due=dt.date(2026, 10, 29)
    )
    urgent = _case_with_referral(
        organisation, cara, urgent=True, reassurance_due=dt.date(2026, 11, 2)
    )
    _case_with_referral(organisation, cara, urgent=False, reassurance_due=dt.date(2099, 1, 1))
    answered = _case_with_referral(
        organisation, cara, urgent=False, reassurance_due=dt.date(2026, 10, 1)
    )
    Referral.objects.filter(disclosure=answered).update(response_received_on=dt.date(2026, 9, 30))
    # ...a reminder Mo set for 15 October on the first case, and one for 2099
    reminder = reminder_set(
        actor=mo,
        disclosure=plain,
        remind_on=dt.date(2026, 10, 15),
        note=SECRET_NOTE,
        private_key=private_key_of(mo),
        today=dt.date(2026, 10, 1),
    )
    reminder_set(
        actor=mo,
        disclosure=plain,
        remind_on=dt.date(2099, 1, 1),
        note="Later",
        private_key=private_key_of(mo),
        today=dt.date(2026, 10, 1),
    )
    # ...and the deadlines job is due
    PeriodicJob.objects.create(
        name="deadlines", next_run_at=timezone.now() - dt.timedelta(minutes=1)
    )

    # When two workers run (the job runs once), sending through the SMTP server on loopback
    env = {**worker_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    start_worker("--schedule-every", "1", env=env)
    start_worker("--schedule-every", "1", env=env)
    mailbox.wait_for(4, timeout=120)
    assert wait_until(lambda: OutboundEmail.objects.filter(status=EmailStatus.SENT).count() >= 4)
    assert wait_until(lambda: not OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists())

    # Then the handler is chased for both, a safeguarding lead for the urgent one, and Mo is
    # reminded: each once
    received = sorted(
        (rcpt[0].split("@")[0], str(message["Subject"])) for rcpt, message, _ in mailbox.messages
    )
    assert received == sorted(
        [
            ("cara", f"Whistledesk: reassurance overdue on {plain.reference}"),
            ("cara", f"Whistledesk: reassurance overdue on {urgent.reference}"),
            ("sam", f"Whistledesk: reassurance overdue on {urgent.reference}"),
            ("mo", f"Whistledesk: reminder on {plain.reference}"),
        ]
    )
    # ...each carries the reference and the sign-in link only
    for _, message, raw in mailbox.messages:
        text = _text(message)
        assert "Sign in to read it: http://127.0.0.1:8000/staff/account/sign-in/" in text
        for canary in (SECRET_NOTE, "Quillfeather", "Thistlewood", "Local authority"):
            assert canary.lower() not in text.lower()
            assert canary.lower().encode() not in raw.lower()
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.done_at is None
    assert Referral.objects.get(disclosure=plain).chased_for == dt.date(2026, 10, 29)

    # When the referral is given a new date that passes too, it is chased again (once)
    Referral.objects.filter(disclosure=plain).update(reassurance_due=dt.date(2026, 11, 20))
    PeriodicJob.objects.filter(name="deadlines").update(
        next_run_at=timezone.now() - dt.timedelta(minutes=1)
    )
    mailbox.wait_for(5, timeout=120)
    assert wait_until(lambda: not OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists())
    assert len(mailbox.messages) == 5
    assert str(mailbox.messages[-1][1]["Subject"]) == (
        f"Whistledesk: reassurance overdue on {plain.reference}"
    )
    assert CaseReminder.objects.filter(sent_at__isnull=False).count() == 1


def test_the_digest_lists_overdue_reassurance_and_open_reminders(
    organisation: Any, people: dict[str, Any]
) -> None:
    cara, mo = people["cara"], people["mo"]
    case = _case_with_referral(
        organisation, cara, urgent=False, reassurance_due=dt.date(2026, 10, 29)
    )
    reminder_set(
        actor=mo,
        disclosure=case,
        remind_on=dt.date(2026, 10, 15),
        note="Check",
        private_key=private_key_of(mo),
        today=dt.date(2026, 10, 1),
    )
    done = reminder_set(
        actor=mo,
        disclosure=case,
        remind_on=dt.date(2026, 10, 14),
        note="Done already",
        private_key=private_key_of(mo),
        today=dt.date(2026, 10, 1),
    )
    CaseReminder.objects.filter(pk=done.pk).update(done_at=timezone.now())
    ref = case.reference
    assert DigestLine(ref, "Reassurance", "2026-10-29") in digest_lines(
        user=cara, today=dt.date(2026, 10, 30)
    )
    assert DigestLine(ref, "Reminder", "2026-10-15") in digest_lines(
        user=mo, today=dt.date(2026, 10, 13)
    )
    assert DigestLine(ref, "Reminder", "2026-10-14") not in digest_lines(
        user=mo, today=dt.date(2026, 10, 13)
    )
    assert not [
        line
        for line in digest_lines(user=cara, today=dt.date(2026, 10, 13))
        if line.what == "Reminder"
    ]
