"""The staff annual report page and its downloads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from whistledesk.organisation.models import ReportYear, ServiceCategory

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/"


@pytest.mark.parametrize("url", [PAGE, f"{PAGE}?year=2022", f"{PAGE}2022.md", f"{PAGE}2022.csv"])
def test_signed_out_visitors_are_sent_to_sign_in(client: Any, org: Any, add: Any, url: str) -> None:
    add(1)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/account/")
    assert b"Schools" not in response.content


def test_page_shows_the_chosen_year(staff_client: Any, org: Any, add: Any) -> None:
    add(3, service_label="Hospitals")
    add(1, on=dt.date(2021, 5, 5))
    response = staff_client.get(PAGE, {"year": "2022"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 April 2022 to 31 March 2023" in page
    assert "received 3 whistleblowing disclosures; this is an increase" in page
    assert '<th scope="row" class="govuk-table__header">Hospitals</th>' in page
    assert 'class="govuk-table"' in page and 'class="govuk-summary-list"' in page
    for fmt in ("md", "html", "json", "csv"):
        assert f'href="/staff/reports/2022.{fmt}"' in page
    # The law requires the impact text: staff are warned while it is missing.
    assert "not written yet" in page
    ReportYear.objects.create(organisation=org, year=2022, impact_text="Shaped our work.")
    page = staff_client.get(PAGE, {"year": "2022"}).content.decode()
    assert "not written yet" not in page and "Shaped our work." in page


def test_year_picker_lists_years_and_defaults_to_a_complete_year(
    staff_client: Any, org: Any, add: Any
) -> None:
    add(1, on=dt.date(2019, 5, 5))
    page = staff_client.get(PAGE).content.decode()
    assert '<option value="2019" selected>2019/20</option>' in page
    assert "1 April 2019 to 31 March 2020" in page


def test_unknown_year_is_an_error_message_not_a_crash(staff_client: Any, org: Any) -> None:
    response = staff_client.get(PAGE, {"year": "1066<script>"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Choose a reporting year from the list" in page
    assert "1066<script>" not in page


def test_unconfigured_organisation_shows_how_to_configure(staff_client: Any) -> None:
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    assert b"configure_organisation" in response.content


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("md", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("json", "application/json"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_downloads(staff_client: Any, org: Any, add: Any, fmt: str, content_type: str) -> None:
    ServiceCategory.objects.filter(label="Other").update(label="<script>x</script>")
    add(2)
    response = staff_client.get(f"{PAGE}2022.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="whistleblowing-report-2022-23.{fmt}"'
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    if fmt == "json":
        assert json.loads(text)["received"] == 2
    else:
        assert "Schools" in text
    if fmt == "html":
        assert "<script>" not in text
        assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
        assert "script-src" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", [f"{PAGE}2022.xlsx", f"{PAGE}1066.md", f"{PAGE}22.md"])
def test_bad_download_urls_are_not_found(staff_client: Any, org: Any, url: str) -> None:
    assert staff_client.get(url).status_code == 404
