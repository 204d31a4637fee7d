"""Honest figures mid-year (issue 13, item 4): where the year's disclosures stand in
assessment, what the tables count, and per-year wording in the introduction."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/"


def summary_value(page: str, key: str) -> str:
    row = page.split(f'<dt class="govuk-summary-list__key">{key}</dt>', 1)[1]
    return row.split('<dd class="govuk-summary-list__value">', 1)[1].split("</dd>", 1)[0]


def test_page_shows_where_assessment_stands(staff_client: Any, org: Any, add: Any) -> None:
    # Given 2 qualifying, 1 found not qualifying and 3 not yet assessed in 2022/23
    add(2)
    add(1, qualifying=False, service_label=None, outcome_label=None)
    add(3, qualifying=None, service_label=None, outcome_label=None)
    add(4, on=dt.date(2021, 6, 1), qualifying=None, service_label=None, outcome_label=None)
    page = staff_client.get(PAGE, {"year": "2022"}).content.decode()
    assert summary_value(page, "Received") == "6"
    assert summary_value(page, "Assessed") == "3"
    assert summary_value(page, "Awaiting assessment") == "3"
    assert summary_value(page, "Not qualifying") == "1"
    assert summary_value(page, "Qualifying disclosures") == "2"
    assert "Received in the period and not assessed yet" in page
    assert (
        "The tables by service and by action count qualifying disclosures only: 2 of the 6 "
        "received, while 3 are still awaiting assessment."
    ) in page


def test_introduction_says_the_reports_own_year(org: Any, add: Any) -> None:
    org.functions_text = "Our procedures have been in place throughout {year}."
    org.save(update_fields=["functions_text"])
    add(1)
    add(1, on=dt.date(2024, 6, 1))
    for year, label in (("2022", "2022/23"), ("2024", "2024/25")):
        out = StringIO()
        call_command("annual_report", "--year", year, stdout=out)
        assert f"Our procedures have been in place throughout {label}." in out.getvalue()


def test_demo_introduction_follows_the_year(db: Any) -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("annual_report", "--year", "2022", stdout=out)
    assert "have been in place throughout 2022/23." in out.getvalue()
    assert "2022-23" not in out.getvalue()
