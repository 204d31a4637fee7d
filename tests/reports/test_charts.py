"""Charts on the staff report page: server-drawn SVG, each with a text alternative and a
table of the same figures (issue 13, item 2)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/"


def test_page_shows_three_charts_with_text_alternatives(
    staff_client: Any, org: Any, add: Any
) -> None:
    add(3, service_label="Hospitals")
    add(1, service_label="Schools", outcome_label="No action")
    add(2, on=dt.date(2021, 5, 5))
    page = html.unescape(staff_client.get(PAGE, {"year": "2022"}).content.decode())
    assert (
        '<img src="/staff/reports/2022/chart-service.svg" alt="Bar chart, qualifying '
        'disclosures by service, 2022/23. Schools: 1; Hospitals: 3; Other: 0.">'
    ) in page
    assert (
        '<img src="/staff/reports/2022/chart-action.svg" alt="Bar chart, qualifying '
        'disclosures by action taken, 2022/23. Referred: 3; No action: 1.">'
    ) in page
    assert (
        '<img src="/staff/reports/2022/chart-years.svg" alt="Bar chart, disclosures '
        'received by reporting year. 2021/22: 2; 2022/23: 4.">'
    ) in page
    # The year-on-year figures are also a table
    years = page.split("Disclosures received by reporting year</caption>", 1)[1]
    years = years.split("</table>", 1)[0]
    assert '<th scope="row" class="govuk-table__header">2021/22</th>' in years
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in years
    assert "<script" not in page.split('id="charts"', 1)[1].split("</main>", 1)[0]


def test_chart_is_an_accessible_svg(staff_client: Any, org: Any, add: Any) -> None:
    add(3, service_label="Hospitals")
    response = staff_client.get(f"{PAGE}2022/chart-service.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = html.unescape(response.content.decode())
    assert svg.startswith(
        '<svg role="img" aria-labelledby="chart-service-title chart-service-desc"'
    )
    assert (
        '<title id="chart-service-title">Qualifying disclosures by service, 2022/23</title>' in svg
    )
    assert "Hospitals: 3" in svg and "<script" not in svg


@pytest.mark.parametrize("url", [f"{PAGE}2022/chart-nope.svg", f"{PAGE}1066/chart-service.svg"])
def test_unknown_chart_is_not_found(staff_client: Any, org: Any, url: str) -> None:
    assert staff_client.get(url).status_code == 404


def test_charts_need_sign_in(client: Any, org: Any) -> None:
    assert client.get(f"{PAGE}2022/chart-service.svg").status_code == 302


def test_year_on_year_covers_five_years_from_the_first_with_disclosures(
    staff_client: Any, org: Any, add: Any
) -> None:
    add(1, on=dt.date(2016, 6, 1))  # outside the five years: not shown
    add(2, on=dt.date(2019, 6, 1), qualifying=False)  # received counts every disclosure
    add(1, on=dt.date(2023, 2, 1))
    page = html.unescape(staff_client.get(PAGE, {"year": "2022"}).content.decode())
    assert (
        'alt="Bar chart, disclosures received by reporting year. 2018/19: 0; 2019/20: 2; '
        '2020/21: 0; 2021/22: 0; 2022/23: 1.">'
    ) in page
    page = html.unescape(staff_client.get(PAGE, {"year": "2016"}).content.decode())
    assert 'alt="Bar chart, disclosures received by reporting year. 2016/17: 1.">' in page
