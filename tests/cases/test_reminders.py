"""Per-case reminders through the case page: set with a date and a sealed note, shown to the
person who set it, marked done by them only. Dates typed out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.cases.test_deadlines import on
from tests.cases.test_views import _as
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import CaseReminder

pytestmark = pytest.mark.django_db

NOTE = "Ring the LADO back about the night staff"


def test_set_a_reminder_see_it_and_mark_it_done(client: Any, new_case: Any, users: Any) -> None:
    with on(dt.date(2026, 3, 2)):
        case = new_case(received_on=dt.date(2026, 2, 27))
        c = _as(client, users["caseworker"])
        assert c.post(f"/staff/cases/{case.reference}/take/").status_code == 302
        url = f"/staff/cases/{case.reference}/reminders/"
        page = c.get(f"/staff/cases/{case.reference}/").content.decode()
        assert f'href="{url}"' in page
        # When the date has passed, the note is missing or too long: a clear message each
        past = c.post(url, {"remind_on": "2026-03-01", "note": NOTE}).content.decode()
        empty = c.post(url, {"remind_on": "2026-03-31", "note": ""}).content.decode()
        long = c.post(url, {"remind_on": "2026-03-31", "note": "x" * 201}).content.decode()
        assert "Choose today or a later date." in past
        assert "Write a short note of what to do." in empty
        assert "Ensure this value has at most 200 characters" in long
        assert not CaseReminder.objects.exists()
        # When they set one for 31 March with a note
        assert c.post(url, {"remind_on": "2026-03-31", "note": NOTE}).status_code == 302
        page = c.get(f"/staff/cases/{case.reference}/").content.decode()
    # Then it shows on the case page for them, its note sealed in the database, audited
    reminder = CaseReminder.objects.get()
    assert reminder.remind_on == dt.date(2026, 3, 31) and reminder.user == users["caseworker"]
    assert NOTE.encode() not in bytes(reminder.note_sealed)
    assert f"31 Mar 2026</strong>: {NOTE}" in page
    event = AuditEvent.objects.get(action="case_reminder.set")
    assert event.details == {"remind_on": "2026-03-31"}
    # ...not for a manager, who cannot close it either
    with on(dt.date(2026, 3, 31)):
        m = _as(client, users["manager"])
        assert NOTE not in m.get(f"/staff/cases/{case.reference}/").content.decode()
        done_url = f"/staff/cases/{case.reference}/reminders/{reminder.pk}/done/"
        refused = m.post(done_url, follow=True).content.decode()
        assert "Only the person who set a reminder can mark it done." in refused
        reminder.refresh_from_db()
        assert reminder.done_at is None
        # When the caseworker marks it done on the day
        c = _as(client, users["caseworker"])
        assert "Due</strong>" in c.get(f"/staff/cases/{case.reference}/").content.decode()
        assert c.post(done_url).status_code == 302
    reminder.refresh_from_db()
    assert reminder.done_at is not None
    assert AuditEvent.objects.filter(action="case_reminder.done").count() == 1


# Who may set a reminder on a case handled by "caseworker" (cases/permissions.py, typed out):
# those who may read its content, as the note is sealed under the case key.
REMIND_MATRIX = {
    "intake_officer": 403,
    "caseworker": 200,
    "caseworker2": 403,
    "safeguarding_lead": 200,
    "manager": 200,
    "custodian": 403,
    "auditor": 403,
}


@pytest.mark.parametrize(("who", "status"), REMIND_MATRIX.items())
def test_who_may_set_a_reminder(
    client: Any, new_case: Any, users: Any, who: str, status: int
) -> None:
    case = new_case()
    c = _as(client, users["caseworker"])
    assert c.post(f"/staff/cases/{case.reference}/take/").status_code == 302
    c = _as(client, users[who])
    assert c.get(f"/staff/cases/{case.reference}/reminders/").status_code == status


def test_an_intake_officer_may_set_one_on_an_unassigned_case(
    client: Any, new_case: Any, users: Any
) -> None:
    case = new_case()
    c = _as(client, users["intake_officer"])
    assert c.get(f"/staff/cases/{case.reference}/reminders/").status_code == 200
