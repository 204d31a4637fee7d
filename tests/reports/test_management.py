"""Management information (issue 13, item 5) through the staff page and the register export,
against a hand-counted register.

The register below is typed out case by case; every expected figure was counted by hand
from it (the counting is written beside each assertion), not computed by the code under
test. Times are 12:00 UTC, so the local (London) date is the date typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import lxml.html
import pytest
from django.urls import reverse

from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.cases.deadlines import (
    deadline_acknowledged,
    deadline_feedback_given,
    deadlines_mark_missed,
)
from whistledesk.cases.models import (
    ActionKind,
    BodyKind,
    CaseAction,
    ConflictOfInterest,
    Disclosure,
    Referral,
    ReferralBody,
    SafeguardingConcern,
    Status,
)
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory

pytestmark = pytest.mark.django_db

D = dt.date
PERIOD = {
    "date_from": "2022-04-01",
    "date_to": "2023-03-31",
    "first_year": "2021",
    "last_year": "2023",
}


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


# reference: channel, service, received, acknowledged, feedback due, feedback actions,
# closed (all hand-picked to exercise one rule each; see the counts in the tests).
REGISTER: dict[str, dict[str, Any]] = {
    # ack 4 days (on time); first feedback 1 Jun on time, a second after the due date
    # (the first counts); closed after 12 days.
    "A1": dict(
        channel="email",
        service="Schools",
        received="2022-04-04",
        ack="2022-04-08",
        due="2022-07-08",
        feedback=["2022-06-01", "2022-09-01"],
        closed="2022-04-16",
    ),
    # ack on the 7th day (on time); feedback on the due date (on time); closed after 20.
    "A2": dict(
        channel="email",
        service="Schools",
        received="2022-05-02",
        ack="2022-05-09",
        due="2022-08-09",
        feedback=["2022-08-09"],
        closed="2022-05-22",
    ),
    # ack after 9 days (late); feedback after the due date (late); closed after 5.
    "A3": dict(
        channel="email",
        service="Hospitals",
        received="2022-06-01",
        ack="2022-06-10",
        due="2022-09-10",
        feedback=["2022-09-20"],
        closed="2022-06-06",
    ),
    # ack on time; no feedback and the due date has passed (late); open.
    "A4": dict(
        channel="letter",
        service="Schools",
        received="2022-07-01",
        ack="2022-07-05",
        due="2022-10-05",
    ),
    # never acknowledged (late); no feedback due date.
    "A5": dict(channel="letter", service="Hospitals", received="2022-08-01"),
    # ack next day; due date extended to 15 Jan, feedback 10 Jan (on time); closed after 30.
    "A6": dict(
        channel="web",
        service="Schools",
        received="2022-09-01",
        ack="2022-09-02",
        due="2023-01-15",
        feedback=["2023-01-10"],
        closed="2022-10-01",
    ),
    # ack after 9 days (late); feedback on time; closed after 30.
    "A7": dict(
        channel="web",
        service="Other",
        received="2022-10-03",
        ack="2022-10-12",
        due="2023-01-12",
        feedback=["2022-12-01"],
        closed="2022-11-02",
    ),
    # no service yet; ack on time; no feedback (late).
    "A8": dict(
        channel="helpline", service=None, received="2022-11-01", ack="2022-11-03", due="2023-02-03"
    ),
    # ack on time; feedback on time; closed after 80 days.
    "A9": dict(
        channel="email",
        service="Schools",
        received="2023-01-10",
        ack="2023-01-11",
        due="2023-04-11",
        feedback=["2023-03-01"],
        closed="2023-03-31",
    ),
    # the period's last day; ack 3 days later in the next year (on time); closed after 10.
    "A10": dict(
        channel="web",
        service="Schools",
        received="2023-03-31",
        ack="2023-04-03",
        due="2023-07-03",
        feedback=["2023-06-01"],
        closed="2023-04-10",
    ),
    # urgent: staff marked it at 10:00, the lead confirmed at 16:00 (6 hours); no feedback.
    "A11": dict(
        channel="phone",
        service="Hospitals",
        received="2022-12-01",
        ack="2022-12-02",
        due="2023-03-02",
        urgent=at("2022-12-01", 10),
        confirmed=[at("2022-12-01", 16)],
    ),
    # urgent from the whistleblower's answer: recorded 09:00, confirmed a day later (24 h).
    "A12": dict(
        channel="web",
        service="Schools",
        received="2023-02-01",
        urgent="answer",
        created=at("2023-02-01", 9),
        confirmed=[at("2023-02-02", 9)],
    ),
    # urgent, concern still open (awaiting a lead); ack on time; no feedback (late).
    "A13": dict(
        channel="email",
        service="Other",
        received="2023-02-15",
        ack="2023-02-16",
        due="2023-05-16",
        urgent=at("2023-02-16"),
        open_concern=True,
    ),
    # urgent at 12:00, but the only concern was confirmed at 11:00, before (no concern since).
    "A14": dict(
        channel="letter",
        service="Schools",
        received="2023-03-01",
        ack="2023-03-02",
        due="2023-06-02",
        urgent=at("2023-03-01"),
        confirmed=[at("2023-03-01", 11)],
    ),
    # Outside the period: the year before and the year after.
    "B1": dict(
        channel="email",
        service="Schools",
        received="2022-03-31",
        ack="2022-04-01",
        due="2022-07-01",
        closed="2022-04-05",
    ),
    "B2": dict(
        channel="email",
        service="Schools",
        received="2023-04-01",
        ack="2023-04-20",
        due="2023-07-20",
    ),
}


@pytest.fixture
def register(organisation: Organisation, make_staff: Any) -> dict[str, Disclosure]:
    from tests.factories import DisclosureFactory

    clerk = make_staff("clerk", [Role.MANAGER])
    closed_with = Outcome.objects.get(organisation=organisation, label="Referred")
    cases = {}
    for ref, c in REGISTER.items():
        feedback = c.get("feedback", [])
        urgent = c.get("urgent")
        d = DisclosureFactory(
            organisation=organisation,
            reference=f"MI-{ref}",
            channel=c["channel"],
            service=(
                ServiceCategory.objects.get(organisation=organisation, label=c["service"])
                if c["service"]
                else None
            ),
            received_on=D.fromisoformat(c["received"]),
            acknowledged_at=at(c["ack"]) if "ack" in c else None,
            feedback_due_on=D.fromisoformat(c["due"]) if "due" in c else None,
            status=(
                Status.CLOSED if "closed" in c else Status.ACTION if "ack" in c else Status.RECEIVED
            ),
            outcome=closed_with if "closed" in c else None,
            closed_at=at(c["closed"]) if "closed" in c else None,
            urgent=urgent is not None,
            urgent_marked_at=urgent if isinstance(urgent, dt.datetime) else None,
            safeguarding_open=c.get("open_concern", False),
        )
        if "created" in c:
            Disclosure.objects.filter(pk=d.pk).update(created_at=c["created"])
        _settle_deadlines(d, ack=c.get("ack"), due=c.get("due"), feedback=feedback)
        for day in feedback:
            CaseAction.objects.create(
                disclosure=d,
                kind=ActionKind.FEEDBACK,
                taken_on=D.fromisoformat(day),
                recorded_by=clerk,
            )
        for when in c.get("confirmed", []):
            SafeguardingConcern.objects.create(disclosure=d, confirmed_at=when, confirmed_by=clerk)
        if c.get("open_concern"):
            SafeguardingConcern.objects.create(disclosure=d)
        cases[ref] = d

    # The deadlines whose date passed with nothing done are marked missed by the worker's
    # sweep (cases/deadlines.py), as in production.
    deadlines_mark_missed()
    ofsted, _ = ReferralBody.objects.get_or_create(
        name="Ofsted", defaults={"kind": BodyKind.OFSTED}
    )
    police, _ = ReferralBody.objects.get_or_create(
        name="Police", defaults={"kind": BodyKind.POLICE}
    )
    for ref, body, referred, due, response in [
        ("A1", ofsted, "2022-04-10", "2022-05-08", "2022-05-01"),  # answered
        ("A3", ofsted, "2022-06-02", "2022-06-30", None),  # outstanding, overdue
        ("A6", police, "2022-09-05", "2022-10-03", "2022-10-10"),  # answered (late)
        ("A13", police, "2023-02-20", "2099-01-01", None),  # outstanding, not yet due
        ("B1", ofsted, "2022-03-31", "2022-04-28", None),  # made before the period
    ]:
        Referral.objects.create(
            disclosure=cases[ref],
            body=body,
            referred_on=D.fromisoformat(referred),
            reassurance_due=D.fromisoformat(due),
            response_received_on=D.fromisoformat(response) if response else None,
            recorded_by=clerk,
        )
    return cases


def _settle_deadlines(
    d: Disclosure, *, ack: str | None, due: str | None, feedback: list[str]
) -> None:
    """Record the deadlines through cases/deadlines.py, the one authority on met or late:
    acknowledged (which starts the feedback clock), the due date as typed (an extension
    where it differs), then each feedback in the order given."""
    if ack is None:
        return
    fields = deadline_acknowledged(d, D.fromisoformat(ack))
    d.feedback_due_on = D.fromisoformat(due) if due else d.feedback_due_on
    d.feedback_given_on = None
    d.save(update_fields=fields)
    for day in feedback:
        deadline_feedback_given(d, D.fromisoformat(day))


def _client(client: Any, make_staff: Any, roles: list[Role], name: str = "mi") -> Any:
    user = make_staff(name, roles)
    client.force_login(user)
    client.user = user
    return client


def _table(html: str, table_id: str) -> dict[str, list[str]]:
    """{row heading: [cell texts]} of the table with this id."""
    doc = lxml.html.fromstring(html)
    (table,) = doc.xpath(f'//table[@id="{table_id}"]')
    rows = {}
    for tr in table.xpath("./tbody/tr"):
        head = tr.xpath("./th")[0].text_content().strip()
        rows[head] = [td.text_content().strip() for td in tr.xpath("./td")]
    return rows


def _text(html: str, element_id: str) -> str:
    doc = lxml.html.fromstring(html)
    return " ".join(doc.get_element_by_id(element_id).text_content().split())


def _page(client: Any) -> str:
    response = client.get(reverse("reports:management"), PERIOD)
    assert response.status_code == 200
    return response.content.decode()


def test_timeliness_overall(register: Any, client: Any, make_staff: Any) -> None:
    html = _page(_client(client, make_staff, [Role.MANAGER]))
    summary = _text(html, "timeliness-summary")
    # A1-A14 received in 2022/23 (B1 the day before it starts, B2 the day after it ends).
    assert "14 received" in summary
    # On time: A1 A2 A4 A6 A8 A9 A10 A11 A13 A14; late: A3 and A7 (9 days), A5 and A12
    # (never acknowledged). All 14 are due (every 7 days have run out).
    assert "10 of 14 acknowledged within 7 days" in summary
    # Due (a due date that has passed): the 12 acknowledged. On time: A1 (its first
    # feedback), A2 (on the day), A6 (extended date), A7, A9, A10 = 6.
    assert "6 of 12 given feedback within 3 months" in summary
    # Closed: A3 5, A10 10, A1 12, A2 20, A6 30, A7 30, A9 80 days. Median the 4th: 20.
    # 90th: position 0.9 x 6 = 5.4, 30 + 0.4 x (80 - 30) = 50.
    assert "7 closed: median 20 days to close, 90th percentile 50 days" in summary


def test_timeliness_by_channel(register: Any, client: Any, make_staff: Any) -> None:
    rows = _table(_page(_client(client, make_staff, [Role.AUDITOR])), "by-channel")
    # received, ack, feedback, closed, median, 90th
    # Email: A1 A2 A3 A9 A13. Late ack A3; late feedback A3 A13. Closed 5 12 20 80:
    # median (12 + 20) / 2 = 16; 90th at 2.7: 20 + 0.7 x 60 = 62.
    assert rows["Email"] == ["5", "4 of 5 (80%)", "3 of 5 (60%)", "4", "16", "62"]
    # Letter: A4 A5 A14. A5 never acknowledged; A4 A14 no feedback. None closed.
    assert rows["Letter"] == ["3", "2 of 3 (67%)", "0 of 2 (0%)", "0", "–", "–"]
    # Web: A6 A7 A10 A12. Late A7, never A12; A12 has no due date. Closed 10 30 30.
    assert rows["Secure web form"] == ["4", "2 of 4 (50%)", "3 of 3 (100%)", "3", "30", "30"]
    assert rows["Advice helpline"] == ["1", "1 of 1 (100%)", "0 of 1 (0%)", "0", "–", "–"]
    assert rows["Phone"] == ["1", "1 of 1 (100%)", "0 of 1 (0%)", "0", "–", "–"]
    assert rows["Employment tribunal claim"] == ["0", "none due", "none due", "0", "–", "–"]


def test_timeliness_by_service(register: Any, client: Any, make_staff: Any) -> None:
    rows = _table(_page(_client(client, make_staff, [Role.MANAGER])), "by-service")
    # Schools: A1 A2 A4 A6 A9 A10 A12 A14. A12 never acknowledged; A4 A14 no feedback.
    # Closed 10 12 20 30 80: median 20; 90th at 3.6: 30 + 0.6 x 50 = 60.
    assert rows["Schools"] == ["8", "7 of 8 (88%)", "5 of 7 (71%)", "5", "20", "60"]
    # Hospitals: A3 (late, closed 5) A5 (never) A11 (no feedback).
    assert rows["Hospitals"] == ["3", "1 of 3 (33%)", "0 of 2 (0%)", "1", "5", "5"]
    # Other: A7 (late ack, feedback on time, closed 30) A13 (no feedback).
    assert rows["Other"] == ["2", "1 of 2 (50%)", "1 of 2 (50%)", "1", "30", "30"]
    assert rows["Not yet categorised"] == ["1", "1 of 1 (100%)", "0 of 1 (0%)", "0", "–", "–"]


def test_referrals_by_body(register: Any, client: Any, make_staff: Any) -> None:
    rows = _table(_page(_client(client, make_staff, [Role.MANAGER])), "referrals-table")
    # Made in the period: Ofsted A1 (answered) A3 (no answer, due 30 Jun 2022); the one on
    # B1 was made on 31 March 2022, before it. Police A6 (answered) A13 (due in 2099).
    assert rows == {"Ofsted": ["2", "1", "1"], "Police": ["2", "1", "0"]}


def test_urgent_cases(register: Any, client: Any, make_staff: Any) -> None:
    text = _text(_page(_client(client, make_staff, [Role.MANAGER])), "urgent-figures")
    # A11 A12 A13 A14 are urgent. Confirmed since marked: A11 (6 h), A12 (24 h from being
    # recorded). Awaiting: A13. A14's confirmation came an hour before it was marked.
    # Median of 6 and 24: 15; 90th: 6 + 0.9 x 18 = 22.2.
    assert text == (
        "Urgent cases 4 Safeguarding action confirmed 2 Awaiting a safeguarding lead 1 "
        "No concern raised since marked urgent 1 Median hours to confirmation 15 "
        "90th percentile hours to confirmation 22.2"
    )


def test_trends_table_and_charts(register: Any, client: Any, make_staff: Any) -> None:
    client = _client(client, make_staff, [Role.MANAGER])
    html = _page(client)
    rows = _table(html, "trends-table")
    # received, ack, feedback, median days to close, urgent, referrals made
    assert rows == {
        # B1: ack next day; no feedback by 1 Jul 2022; closed after 5; the Ofsted referral.
        "2021/22": ["1", "1 of 1 (100%)", "0 of 1 (0%)", "5", "0", "1"],
        "2022/23": ["14", "10 of 14 (71%)", "6 of 12 (50%)", "20", "4", "4"],
        # B2: acknowledged after 19 days, no feedback, open.
        "2023/24": ["1", "0 of 1 (0%)", "0 of 1 (0%)", "–", "0", "0"],
    }
    doc = lxml.html.fromstring(html)
    images = doc.xpath("//figure/img")
    alts = [img.get("alt") for img in images]
    assert alts == [
        "Bar chart, disclosures received by reporting year. 2021/22: 1; 2022/23: 14; 2023/24: 1.",
        "Bar chart, share acknowledged within 7 days, by reporting year. "
        "2021/22: 100%; 2022/23: 71%; 2023/24: 0%.",
        "Bar chart, share given feedback within 3 months, by reporting year. "
        "2021/22: 0%; 2022/23: 50%; 2023/24: 0%.",
        "Bar chart, median days to close, by reporting year received. "
        "2021/22: 5; 2022/23: 20; 2023/24: no figure.",
    ]
    svg = client.get(images[3].get("src"))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert (
        '<title id="chart-close-title">Median days to close, by reporting year received</title>'
        in body
    )
    assert "2022/23: 20; 2023/24: no figure." in body


def test_a_case_inside_its_seven_days_is_not_counted_yet(
    organisation: Organisation, client: Any, make_staff: Any
) -> None:
    from django.utils import timezone

    from tests.factories import DisclosureFactory

    today = timezone.localdate()
    DisclosureFactory(organisation=organisation, received_on=today)  # not acknowledged
    acknowledged = DisclosureFactory(  # acknowledged today: counted, on time
        organisation=organisation, received_on=today, acknowledged_at=timezone.now()
    )
    _settle_deadlines(acknowledged, ack=today.isoformat(), due=None, feedback=[])
    deadlines_mark_missed()
    client = _client(client, make_staff, [Role.MANAGER])
    html = client.get(reverse("reports:management")).content.decode()  # the current year
    assert "2 received" in _text(html, "timeliness-summary")
    assert "1 of 1 acknowledged within 7 days" in _text(html, "timeliness-summary")


def test_bad_choices_say_what_to_fix(
    organisation: Organisation, client: Any, make_staff: Any
) -> None:
    client = _client(client, make_staff, [Role.MANAGER])
    response = client.get(
        reverse("reports:management"),
        {
            "date_from": "2023-01-01",
            "date_to": "2022-01-01",
            "first_year": "1900",
            "last_year": "x",
        },
    )
    assert response.status_code == 400
    text = _text(response.content.decode(), "main-content")
    assert "The end date must be the same as or after the start date" in text
    assert "Enter a year from 1990 to 2999" in text
    assert "Enter the last year as a number, for example 2022" in text


# -- the register export ---------------------------------------------------------------

HEADINGS = [
    "Reference",
    "Received on",
    "Channel",
    "Service",
    "Qualifying",
    "Anonymous",
    "Outcome",
    "Status",
    "Urgent",
    "Risk level",
    "Safeguarding concern open",
    "Acknowledged at",
    "Feedback due on",
    "Feedback given on",
    "Closed at",
]


def test_csv_export_carries_the_clear_fields_of_the_rows_one_may_see(
    register: Any, client: Any, make_staff: Any
) -> None:
    client = _client(client, make_staff, [Role.MANAGER])
    # The manager has a conflict on A3: its row is not theirs to see.
    ConflictOfInterest.objects.create(
        disclosure=register["A3"], user=client.user, recorded_by=client.user
    )
    register["A7"].summary = "Named person at St Example's"
    register["A7"].setting_name = "St Example's School"
    register["A7"].save()
    response = client.get(reverse("reports:register_export", args=["csv"]), PERIOD)
    assert response.status_code == 200
    assert response.streaming
    assert (
        response["Content-Disposition"] == 'attachment; filename="register-20220401-20230331.csv"'
    )
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADINGS
    # A1-A14 but A3, oldest first.
    assert [r[0] for r in rows[1:]] == [
        "MI-A1",
        "MI-A2",
        "MI-A4",
        "MI-A5",
        "MI-A6",
        "MI-A7",
        "MI-A8",
        "MI-A11",
        "MI-A9",
        "MI-A12",
        "MI-A13",
        "MI-A14",
        "MI-A10",
    ]
    a1 = rows[1]
    assert a1 == [
        "MI-A1",
        "2022-04-04",
        "email",
        "Schools",
        "yes",
        "no",
        "Referred",
        "closed",
        "no",
        "",
        "no",
        "2022-04-08 13:00:00",
        "2022-07-08",
        # The first feedback: cases/deadlines.py keeps the first, which settles the deadline.
        "2022-06-01",
        "2022-04-16 13:00:00",
    ]
    assert "St Example" not in text and "Named person" not in text
    # Who took which part, when.
    event = AuditEvent.objects.get(action="register.exported")
    assert event.actor_label == "mi"
    assert event.details == {"format": "csv", "from": "2022-04-01", "to": "2023-03-31", "rows": 13}


def test_spreadsheet_export_neutralises_formulas(
    register: Any, client: Any, make_staff: Any, organisation: Organisation
) -> None:
    from openpyxl import load_workbook

    ServiceCategory.objects.filter(organisation=organisation, label="Other").update(
        label='=HYPERLINK("http://evil.example","Other")'
    )
    Disclosure.objects.filter(pk=register["A8"].pk).update(reference="+MI-A8")
    Disclosure.objects.filter(pk=register["A5"].pk).update(reference="@MI-A5")
    Disclosure.objects.filter(pk=register["A4"].pk).update(reference="-MI-A4")
    client = _client(client, make_staff, [Role.AUDITOR])
    response = client.get(reverse("reports:register_export", args=["xlsx"]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Register"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADINGS
    assert len(values) == 15  # the heading and A1-A14
    refs = [v[0] for v in values[1:]]
    assert "'+MI-A8" in refs and "'@MI-A5" in refs and "'-MI-A4" in refs
    a7 = next(v for v in values if v[0] == "MI-A7")
    assert a7[3] == '\'=HYPERLINK("http://evil.example","Other")'
    # No cell is a formula.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    a1 = next(v for v in values if v[0] == "MI-A1")
    assert a1[1] == dt.datetime(2022, 4, 4) and a1[11] == dt.datetime(2022, 4, 8, 13, 0)
    # And in the CSV too.
    text = b"".join(
        client.get(reverse("reports:register_export", args=["csv"]), PERIOD).streaming_content
    ).decode()
    assert "'+MI-A8," in text and "\"'=HYPERLINK(" in text
    assert list(
        AuditEvent.objects.filter(action="register.exported").values_list("details", flat=True)
    ) == [
        {"format": "xlsx", "from": "2022-04-01", "to": "2023-03-31", "rows": 14},
        {"format": "csv", "from": "2022-04-01", "to": "2023-03-31", "rows": 14},
    ]


# -- who may: the decided matrix, typed out ----------------------------------------------

MATRIX = {
    Role.INTAKE_OFFICER: 403,
    Role.CASEWORKER: 403,
    Role.SAFEGUARDING_LEAD: 403,
    Role.MANAGER: 200,
    Role.CUSTODIAN: 403,
    Role.AUDITOR: 200,
}


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:management"),
        reverse("reports:management_chart", args=["received"]),
        reverse("reports:register_export", args=["csv"]),
        reverse("reports:register_export", args=["xlsx"]),
    ],
)
def test_managers_and_auditors_only(
    organisation: Organisation, client: Any, make_staff: Any, role: Role, url: str
) -> None:
    client = _client(client, make_staff, [role])
    response = client.get(url)
    assert response.status_code == MATRIX[role]
    if MATRIX[role] == 403:
        assert "management information (managers and auditors only)" in response.content.decode()
        assert not AuditEvent.objects.filter(action="register.exported").exists()
    menu = client.get(reverse("cases:list")).content.decode()
    assert ("Management information" in menu) is (MATRIX[role] == 200)


def test_signed_out_people_are_sent_to_sign_in(organisation: Organisation, client: Any) -> None:
    response = client.get(reverse("reports:register_export", args=["csv"]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="register.exported").exists()


def test_an_export_with_bad_dates_goes_back_to_the_page_and_is_not_taken(
    organisation: Organisation, client: Any, make_staff: Any
) -> None:
    client = _client(client, make_staff, [Role.MANAGER])
    bad = {"date_from": "2023-01-01", "date_to": "2022-01-01"}
    response = client.get(reverse("reports:register_export", args=["csv"]), bad, follow=True)
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()
    assert not AuditEvent.objects.filter(action="register.exported").exists()
    assert client.get("/staff/reports/management/register.pdf").status_code == 404
