"""The report's figures: periods, what counts, configured order, zeros and inactive rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.reports.conftest import service
from whistledesk.organisation.models import Outcome, ServiceCategory
from whistledesk.reports.selectors import ReportError, annual_report_get

pytestmark = pytest.mark.django_db

D = dt.date


def report(org: Any, year: int = 2022) -> dict[str, Any]:
    return annual_report_get(organisation=org, year=year).as_dict()


def test_json_has_exactly_the_issue_keys_in_order(org: Any, add: Any) -> None:
    add(2)
    assert list(report(org)) == [
        "organisation", "year", "period_start", "period_end", "received", "qualifying",
        "previous_period_received", "further_action", "no_further_action",
        "awaiting_decision", "anonymous", "by_service", "by_outcome", "by_channel",
    ]  # fmt: skip
    data = report(org)
    assert data["period_start"] == "2022-04-01" and data["period_end"] == "2023-03-31"
    assert all(list(row) == ["label", "count"] for row in data["by_service"])


def test_1_april_and_31_march_are_in_the_same_year_and_next_31_march_is_not(
    org: Any, add: Any
) -> None:
    add(on=D(2022, 3, 31))  # 2021/22
    add(on=D(2022, 4, 1))
    add(on=D(2023, 3, 31))
    add(on=D(2023, 4, 1))  # 2023/24
    add(on=D(2024, 3, 31))  # 2023/24: a year later, excluded
    assert report(org, 2022)["received"] == 2
    assert report(org, 2021)["received"] == 1
    assert report(org, 2023)["received"] == 2


@pytest.mark.parametrize(
    ("month", "day", "inside", "outside", "start", "end"),
    [
        (1, 1, [D(2022, 1, 1), D(2022, 12, 31)], [D(2021, 12, 31), D(2023, 1, 1)],
         "2022-01-01", "2022-12-31"),
        (9, 1, [D(2022, 9, 1), D(2023, 8, 31)], [D(2022, 8, 31), D(2023, 9, 1)],
         "2022-09-01", "2023-08-31"),
    ],
)  # fmt: skip
def test_other_reporting_year_starts(
    org: Any, add: Any, month: int, day: int, inside: list, outside: list, start: str, end: str
) -> None:
    org.year_start_month, org.year_start_day = month, day
    org.save()
    for on in inside + outside:
        add(on=on)
    data = report(org)
    assert (data["period_start"], data["period_end"]) == (start, end)
    assert data["received"] == len(inside)


def test_unqualified_and_unassessed_count_only_towards_received(org: Any, add: Any) -> None:
    add(2, qualifying=True, anonymous=True)
    add(3, qualifying=False, anonymous=True, service_label="Hospitals")
    add(4, qualifying=None, outcome_label=None, channel="letter")
    data = report(org)
    assert data["received"] == 9
    assert data["qualifying"] == 2
    assert data["anonymous"] == 2
    assert data["further_action"] == 2 and data["no_further_action"] == 0
    assert data["awaiting_decision"] == 0
    assert {r["label"]: r["count"] for r in data["by_service"]} == {
        "Schools": 2, "Hospitals": 0, "Other": 0,
    }  # fmt: skip
    assert sum(r["count"] for r in data["by_channel"]) == 2
    assert {r["label"]: r["count"] for r in data["by_channel"]}["letter"] == 0


def test_further_action_by_outcome_flag_and_awaiting_decision(org: Any, add: Any) -> None:
    add(3, outcome_label="Referred")
    add(2, outcome_label="No action")
    add(4, outcome_label=None)
    data = report(org)
    assert (data["further_action"], data["no_further_action"], data["awaiting_decision"]) == (
        3, 2, 4,
    )  # fmt: skip
    assert data["by_outcome"] == [
        {"label": "Referred", "count": 3},
        {"label": "No action", "count": 2},
    ]


def test_tables_follow_configured_order_with_zeros(org: Any, add: Any) -> None:
    ServiceCategory.objects.filter(organisation=org, label="Other").update(position=0)
    ServiceCategory.objects.filter(organisation=org, label="Schools").update(position=5)
    Outcome.objects.filter(organisation=org, label="Referred").update(position=3)
    add(service_label="Hospitals")
    data = report(org)
    assert data["by_service"] == [
        {"label": "Other", "count": 0},
        {"label": "Hospitals", "count": 1},
        {"label": "Schools", "count": 0},
    ]
    assert [r["label"] for r in data["by_outcome"]] == ["No action", "Referred"]
    assert data["by_channel"] == [
        {"label": c, "count": 1 if c == "email" else 0}
        for c in ["letter", "email", "helpline", "tribunal", "web", "phone", "other"]
    ]


def test_inactive_service_shown_only_when_it_has_disclosures(org: Any, add: Any) -> None:
    ServiceCategory.objects.filter(organisation=org, label="Hospitals").update(active=False)
    Outcome.objects.filter(organisation=org, label="No action").update(active=False)
    add(on=D(2021, 6, 1), service_label="Hospitals", outcome_label="No action")
    assert [r["label"] for r in report(org, 2021)["by_service"]] == [
        "Schools", "Hospitals", "Other",
    ]  # fmt: skip
    assert [r["label"] for r in report(org, 2021)["by_outcome"]] == ["Referred", "No action"]
    assert [r["label"] for r in report(org, 2022)["by_service"]] == ["Schools", "Other"]
    assert [r["label"] for r in report(org, 2022)["by_outcome"]] == ["Referred"]


def test_qualifying_without_a_service_gets_its_own_row_so_totals_add_up(org: Any, add: Any) -> None:
    add(2)
    add(service_label=None)
    rows = report(org)["by_service"]
    assert rows[-1] == {"label": "Not yet categorised", "count": 1}
    assert sum(r["count"] for r in rows) == 3


def test_previous_period_and_empty_year(org: Any, add: Any) -> None:
    add(5, on=D(2021, 4, 1), qualifying=False)
    data = report(org, 2022)
    assert data["received"] == 0 and data["previous_period_received"] == 5
    assert all(r["count"] == 0 for r in data["by_service"] + data["by_channel"])


def test_another_organisations_disclosures_are_not_counted(org: Any, add: Any) -> None:
    from tests.factories import DisclosureFactory, OrganisationFactory

    add(2)
    other = OrganisationFactory(name="Other Body")
    DisclosureFactory(organisation=other, service=service(other, "Schools"))
    assert report(org)["received"] == 2
    assert report(other)["by_service"][0] == {"label": "Schools", "count": 1}


def test_same_figures_when_the_period_is_a_small_part_of_the_register(org: Any, add: Any) -> None:
    # Most rows outside the period: SQLite reads the date index instead of scanning.
    add(12, on=D(2015, 6, 1), outcome_label="No action")
    add(2, anonymous=True)
    add(1, outcome_label=None, qualifying=None)
    data = report(org)
    assert (data["received"], data["qualifying"], data["anonymous"]) == (3, 2, 2)
    assert data["by_service"][0] == {"label": "Schools", "count": 2}


@pytest.mark.parametrize("year", [0, 1066, 9999, 10000])
def test_year_out_of_range_is_a_clear_error(org: Any, year: int) -> None:
    with pytest.raises(ReportError, match="not a reporting year"):
        annual_report_get(organisation=org, year=year)


def test_query_count_does_not_grow_with_disclosures(
    org: Any, add: Any, django_assert_max_num_queries: Any
) -> None:
    add(30)
    # 9, plus for the year-on-year chart one COUNT over the three earlier years and one
    # EXISTS (are the empty years before the register began?).
    with django_assert_max_num_queries(11):
        annual_report_get(organisation=org, year=2022)
