"""The register's "Due" column: each open case's next deadline, overdue ones marked, computed
in the list's query. Dates typed out; the office works on Monday 2 March 2026."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.test_deadlines import on
from tests.cases.test_views import _as
from whistledesk.cases.models import Disclosure, Status

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def _due_cells(html: str) -> dict[str, str]:
    """Reference -> the text of its row's last cell (Due)."""
    out = {}
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S):
        ref = re.search(r"/staff/cases/([^/]+)/", row)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if ref and cells:
            out[ref.group(1)] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells[-1])).strip()
    return out


def _case(new_case: Any, received_on: dt.date, **fields: Any) -> str:
    case = new_case(received_on=received_on)
    if fields:
        Disclosure.objects.filter(pk=case.pk).update(**fields)
    return str(case.reference)


def test_the_due_column_shows_each_open_cases_next_deadline(
    client: Any, new_case: Any, users: Any, organisation: Any
) -> None:
    ack = Status.ACKNOWLEDGED
    with on(TODAY):
        refs = {
            # Not acknowledged: received + 7 days, across February's end
            "ack": _case(new_case, dt.date(2026, 2, 24)),
            "ack_today": _case(new_case, dt.date(2026, 2, 23)),
            "ack_overdue": _case(new_case, dt.date(2026, 2, 20)),
            # Acknowledged: the earlier of feedback (while not given) and reassurance
            "feedback": _case(
                new_case, dt.date(2026, 2, 2), status=ack, feedback_due_on=dt.date(2026, 5, 9)
            ),
            "reassurance_first": _case(
                new_case,
                dt.date(2026, 1, 5),
                status=Status.AWAITING_REASSURANCE,
                feedback_due_on=dt.date(2026, 4, 12),
                next_reassurance_due=dt.date(2026, 3, 10),
            ),
            "feedback_overdue": _case(
                new_case,
                dt.date(2025, 11, 24),
                status=Status.ACTION,
                feedback_due_on=dt.date(2026, 2, 28),
                next_reassurance_due=dt.date(2026, 4, 1),
            ),
            "feedback_given": _case(
                new_case,
                dt.date(2025, 11, 24),
                status=Status.AWAITING_REASSURANCE,
                feedback_due_on=dt.date(2026, 2, 28),
                feedback_given_on=dt.date(2026, 2, 1),
                next_reassurance_due=dt.date(2026, 3, 1),
            ),
            "nothing_due": _case(
                new_case,
                dt.date(2025, 11, 24),
                status=Status.ACTION,
                feedback_due_on=dt.date(2026, 2, 28),
                feedback_given_on=dt.date(2026, 2, 1),
            ),
        }
        closed_ref = _case(
            new_case,
            dt.date(2025, 11, 24),
            feedback_due_on=dt.date(2026, 2, 28),
        )
        Disclosure.objects.filter(reference=closed_ref).update(
            status=Status.CLOSED, qualifying=False, outcome=organisation.outcomes.first()
        )
        c = _as(client, users["manager"])
        with CaptureQueriesContext(connection) as queries:
            html = c.get("/staff/").content.decode()
    cells = _due_cells(html)
    assert {name: cells[ref] for name, ref in refs.items()} == {
        "ack": "Acknowledge by 3 Mar 2026",
        "ack_today": "Acknowledge by 2 Mar 2026",
        "ack_overdue": "Acknowledge by 27 Feb 2026 Overdue",
        "feedback": "Feedback by 9 May 2026",
        "reassurance_first": "Reassurance by 10 Mar 2026",
        "feedback_overdue": "Feedback by 28 Feb 2026 Overdue",
        "feedback_given": "Reassurance by 1 Mar 2026 Overdue",
        "nothing_due": "",
    }
    assert cells[closed_ref] == ""
    # Computed in the page's query: no query per row reads the clocks
    assert sum("cases_disclosure" in q["sql"] for q in queries.captured_queries) < 8
