"""The statutory deadlines through the pages: met, late and missed recorded on the case, and
the justified extension of the feedback deadline (EU 2019/1937 Art 9, 11). Dates typed out;
time-machine sets the day the office works on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.cases.test_views import _as
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Disclosure, FeedbackExtension
from whistledesk.notifications.deadline_alerts import deadlines_run

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@contextmanager
def on(day: dt.date) -> Iterator[None]:
    """Work on `day`, at 10:00 in the office."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=LONDON), tick=True):
        yield


def _letter(new_case: Any, received_on: dt.date) -> Disclosure:
    return new_case(channel="letter", received_on=received_on)


def _acknowledge(client: Any, user: Any, case: Disclosure) -> None:
    c = _as(client, user)
    assert c.post(f"/staff/cases/{case.reference}/take/").status_code == 302
    assert c.post(f"/staff/cases/{case.reference}/move/acknowledged/").status_code == 302


def _give_feedback(client: Any, case: Disclosure, on_day: str) -> Any:
    base = f"/staff/cases/{case.reference}"
    assert client.post(f"{base}/move/assessing/").status_code == 302
    return client.post(
        f"{base}/action/",
        {"kind": "feedback", "summary": "Told them what we did", "taken_on": on_day},
    )


def test_acknowledged_in_time_then_feedback_in_time(client: Any, new_case: Any, users: Any) -> None:
    # Given a letter received on 31 January 2026
    with on(dt.date(2026, 2, 3)):
        case = _letter(new_case, dt.date(2026, 1, 31))
    # When the caseworker acknowledges it on 5 February
    with on(dt.date(2026, 2, 5)):
        _acknowledge(client, users["caseworker"], case)
        page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    # Then the acknowledgement met its deadline (7 February) and feedback is due 5 May
    case.refresh_from_db()
    assert case.acknowledgement_timeliness == "met"
    assert case.feedback_due_on == dt.date(2026, 5, 5)
    assert "By 7 Feb 2026: met" in page
    assert "By 5 May 2026" in page
    assert "Can be extended, with a reason, up to 5 Aug 2026" in page
    # When feedback is given on 5 May (the last day)
    with on(dt.date(2026, 5, 6)):
        _as(client, users["caseworker"])
        assert _give_feedback(client, case, "2026-05-05").status_code == 302
    case.refresh_from_db()
    assert case.feedback_given_on == dt.date(2026, 5, 5)
    assert case.feedback_timeliness == "met"


def test_missed_deadlines_are_marked_by_the_job_and_become_late_when_settled(
    client: Any, new_case: Any, users: Any
) -> None:
    # Given a letter received on 31 January 2026 that nobody acknowledges
    with on(dt.date(2026, 2, 3)):
        case = _letter(new_case, dt.date(2026, 1, 31))
    # When the deadlines job runs on 7 February (the last day), nothing is missed yet
    with on(dt.date(2026, 2, 7)):
        deadlines_run()
    case.refresh_from_db()
    assert case.acknowledgement_timeliness == ""
    # ...on 8 February it is missed, and audited once however often the job runs
    with on(dt.date(2026, 2, 8)):
        deadlines_run()
        deadlines_run()
    case.refresh_from_db()
    assert case.acknowledgement_timeliness == "missed"
    missed = AuditEvent.objects.filter(action="disclosure.deadline_missed", disclosure_id=case.pk)
    assert missed.count() == 1
    # When it is acknowledged on 1 March, it is late, and feedback is due 3 months after
    # the 7 days ended (7 May), not after the late acknowledgement
    with on(dt.date(2026, 3, 1)):
        _acknowledge(client, users["caseworker"], case)
    case.refresh_from_db()
    assert case.acknowledgement_timeliness == "late"
    assert case.feedback_due_on == dt.date(2026, 5, 7)
    # When no feedback is given by 7 May, the job on 8 May marks it missed
    with on(dt.date(2026, 5, 8)):
        deadlines_run()
        case.refresh_from_db()
        assert case.feedback_timeliness == "missed"
        # ...and it can no longer be extended
        c = _as(client, users["caseworker"])
        page = c.get(f"/staff/cases/{case.reference}/").content.decode()
        assert 'id="extend-link"' not in page
        refused = c.post(
            f"/staff/cases/{case.reference}/feedback-deadline/",
            {"new_due_on": "2026-08-07", "reason": "Waiting for the police"},
        ).content.decode()
        assert (
            "The feedback deadline passed on 7 May 2026. An extension must be decided before "
            "the deadline passes." in refused
        )
        # When feedback is given on 8 May, it is late
        assert _give_feedback(c, case, "2026-05-08").status_code == 302
    case.refresh_from_db()
    assert case.feedback_timeliness == "late"
    assert case.feedback_given_on == dt.date(2026, 5, 8)


def test_feedback_given_twice_keeps_the_first_date(client: Any, new_case: Any, users: Any) -> None:
    with on(dt.date(2026, 2, 3)):
        case = _letter(new_case, dt.date(2026, 1, 31))
    with on(dt.date(2026, 2, 5)):
        _acknowledge(client, users["caseworker"], case)
    with on(dt.date(2026, 6, 1)):
        c = _as(client, users["caseworker"])
        assert _give_feedback(c, case, "2026-04-01").status_code == 302
        r = c.post(
            f"/staff/cases/{case.reference}/action/",
            {"kind": "feedback", "summary": "More news", "taken_on": "2026-05-20"},
        )
        assert r.status_code == 302
    case.refresh_from_db()
    assert case.feedback_given_on == dt.date(2026, 4, 1)
    assert case.feedback_timeliness == "met"


def test_justified_extension_up_to_six_months_with_a_sealed_reason(
    client: Any, new_case: Any, users: Any
) -> None:
    # Given a case received 31 January 2026, acknowledged 5 February (feedback by 5 May)
    with on(dt.date(2026, 2, 3)):
        case = _letter(new_case, dt.date(2026, 1, 31))
    with on(dt.date(2026, 2, 5)):
        _acknowledge(client, users["caseworker"], case)
    url = f"/staff/cases/{case.reference}/feedback-deadline/"
    reason = "The police asked us to wait for their investigation"
    with on(dt.date(2026, 4, 20)):
        c = _as(client, users["caseworker"])
        page = c.get(f"/staff/cases/{case.reference}/").content.decode()
        assert f'href="{url}"' in page
        # When the handler asks for more than 6 months, or gives no reason, or an earlier date
        too_far = c.post(url, {"new_due_on": "2026-08-06", "reason": reason})
        no_reason = c.post(url, {"new_due_on": "2026-08-05", "reason": "  "})
        earlier = c.post(url, {"new_due_on": "2026-05-01", "reason": reason})
        not_a_date = c.post(url, {"new_due_on": "next week", "reason": reason})
        # Then each is refused with a message saying what to do, and nothing changes
        assert too_far.status_code == 200
        assert (
            "Feedback cannot be extended beyond 6 months: choose 5 August 2026 or earlier."
            in too_far.content.decode()
        )
        assert "Give the reason that justifies the extension." in no_reason.content.decode()
        assert "Choose a date after the current deadline, 5 May 2026." in earlier.content.decode()
        assert "Enter the new deadline as a date" in not_a_date.content.decode()
        case.refresh_from_db()
        assert case.feedback_due_on == dt.date(2026, 5, 5)
        # When they extend to 5 August with a reason
        assert c.post(url, {"new_due_on": "2026-08-05", "reason": reason}).status_code == 302
        page = c.get(f"/staff/cases/{case.reference}/").content.decode()
    # Then the effective deadline is 5 August, the reason is sealed and shown to the handler
    case.refresh_from_db()
    assert case.feedback_due_on == dt.date(2026, 8, 5)
    extension = FeedbackExtension.objects.get(disclosure=case)
    assert extension.previous_due_on == dt.date(2026, 5, 5)
    assert reason.encode() not in bytes(extension.reason_sealed)
    assert "feedback deadline extended from 5 May 2026 to 5 Aug 2026 by caseworker" in page
    assert reason in page
    assert "Feedback (extended)" in page
    event = AuditEvent.objects.get(action="disclosure.feedback_extended", disclosure_id=case.pk)
    assert event.details == {"from": "2026-05-05", "to": "2026-08-05"}
    # ...and feedback on 1 August (after the original 3 months) is on time
    with on(dt.date(2026, 8, 1)):
        c = _as(client, users["caseworker"])
        assert _give_feedback(c, case, "2026-08-01").status_code == 302
    case.refresh_from_db()
    assert case.feedback_timeliness == "met"


def test_extension_at_the_month_end(client: Any, new_case: Any, users: Any) -> None:
    # Received 24 Nov 2025, acknowledged 30 Nov: feedback by 28 Feb 2026, at most 30 May
    with on(dt.date(2025, 11, 24)):
        case = _letter(new_case, dt.date(2025, 11, 24))
    with on(dt.date(2025, 11, 30)):
        _acknowledge(client, users["caseworker"], case)
    case.refresh_from_db()
    assert case.feedback_due_on == dt.date(2026, 2, 28)
    with on(dt.date(2026, 2, 20)):
        c = _as(client, users["manager"])
        url = f"/staff/cases/{case.reference}/feedback-deadline/"
        refused = c.post(url, {"new_due_on": "2026-05-31", "reason": "Complex case"})
        assert "choose 30 May 2026 or earlier" in refused.content.decode()
        assert (
            c.post(url, {"new_due_on": "2026-05-30", "reason": "Complex case"}).status_code == 302
        )
    case.refresh_from_db()
    assert case.feedback_due_on == dt.date(2026, 5, 30)


# Who may extend the feedback deadline of a case handled by "caseworker" (the matrix in
# cases/permissions.py, typed out): the handler and managers.
EXTEND_MATRIX = {
    "intake_officer": 403,
    "caseworker": 200,
    "caseworker2": 403,
    "safeguarding_lead": 403,
    "manager": 200,
    "custodian": 403,
    "auditor": 403,
    "nobody": 403,
}


@pytest.mark.parametrize(("who", "status"), EXTEND_MATRIX.items())
def test_who_may_extend_the_feedback_deadline(
    client: Any, new_case: Any, users: Any, who: str, status: int
) -> None:
    with on(dt.date(2026, 2, 3)):
        case = _letter(new_case, dt.date(2026, 1, 31))
        _acknowledge(client, users["caseworker"], case)
        c = _as(client, users[who]) if who != "nobody" else client
        if who == "nobody":
            client.force_login(users["nobody"])
        response = c.get(f"/staff/cases/{case.reference}/feedback-deadline/")
    assert response.status_code == status
    if status == 403:
        assert "extend the feedback deadline" in response.content.decode() or who in (
            "caseworker2",
        )
