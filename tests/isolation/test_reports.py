"""B's report, management information and export count B's register only.

A has 5 disclosures this reporting year, B has 2 (typed out in tests/isolation/conftest.py):
B's figures say 2 received, never 5 or 7.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.isolation.conftest import B_HOST, PASSWORD, World
from tests.isolation.probe import body_of

pytestmark = pytest.mark.django_db


def _signed_in(world: World, who: str) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST=B_HOST, raise_request_exception=False)
    user = world.b_staff[who]
    response = client.post(
        "/staff/account/sign-in/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _find(data: Any, key: str) -> list[Any]:
    if isinstance(data, dict):
        found = [v for k, v in data.items() if k == key]
        for v in data.values():
            found += _find(v, key)
        return found
    if isinstance(data, list):
        return [x for v in data for x in _find(v, key)]
    return []


@pytest.mark.parametrize("who", ["manager", "auditor"])
def test_annual_report_download_counts_b_only(world: World, who: str) -> None:
    # Given A with 5 disclosures and B with 2, this reporting year
    client = _signed_in(world, who)
    # When B's staff download B's annual report as JSON
    response = client.get(f"/staff/reports/{world.year}.json")
    assert response.status_code == 200, body_of(response)[:2000]
    report = json.loads(body_of(response))
    # Then it counts B's 2, not A's 5 or both's 7
    assert _find(report, "received") == [2], report
    assert world.org_a.name not in json.dumps(report)


@pytest.mark.parametrize("who", ["manager", "auditor"])
def test_annual_report_csv_counts_b_only(world: World, who: str) -> None:
    client = _signed_in(world, who)
    response = client.get(f"/staff/reports/{world.year}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body_of(response).decode())))
    assert ["summary", "received", "2"] in rows, rows[:20]


@pytest.mark.parametrize("who", ["manager", "auditor"])
def test_register_export_lists_b_only(world: World, who: str) -> None:
    client = _signed_in(world, who)
    response = client.get("/staff/reports/management/register.csv")
    assert response.status_code == 200, body_of(response)[:2000]
    text = body_of(response).decode()
    assert world.a_reference not in text
    assert world.b_reference in text
    references = [line for line in text.splitlines() if "WD-" in line]
    assert len(references) == 2, text[:3000]


@pytest.mark.parametrize("who", ["manager", "auditor"])
def test_management_page_shows_b_figures(world: World, who: str) -> None:
    client = _signed_in(world, who)
    response = client.get("/staff/reports/management/")
    assert response.status_code == 200
    page = body_of(response).decode()
    for canary in world.canaries().values():
        assert canary not in page
    assert world.a_reference not in page


def test_annual_page_and_prepare_show_b_figures(world: World) -> None:
    client = _signed_in(world, "manager")
    for url in ["/staff/reports/", f"/staff/reports/{world.year}/prepare"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        page = body_of(response).decode()
        assert world.org_a.name not in page, url
        assert world.a_reference not in page, url
    # B published nothing: A's published version 1 is not B's.
    response = client.get(f"/staff/reports/{world.year}/published/v1.json")
    missing = client.get(f"/staff/reports/{world.year}/published/v999999.json")
    assert response.status_code == missing.status_code == 404


def test_api_annual_report_counts_b_only(world: World) -> None:
    from django.test import Client

    client = Client(HTTP_HOST=B_HOST)
    response = client.get(
        f"/api/v1/reports/annual/{world.year}",
        headers={"Authorization": f"Bearer {world.b_tokens['manager']}"},
    )
    assert response.status_code == 200, response.content[:2000]
    data = response.json()
    assert _find(data, "received") == [2], data
