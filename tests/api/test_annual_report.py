"""GET /api/v1/reports/annual/{year}: exactly the document `annual_report --format json` prints."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.api.conftest import Api
from whistledesk.accounts.roles import Role

pytestmark = pytest.mark.django_db


def command_json(year: int) -> Any:
    out = StringIO()
    call_command("annual_report", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("year", [2022, 2021, 2030])
def test_the_api_report_is_the_commands_report(make_staff: Any, token_for: Any, year: int) -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    # Made after the demo organisation, so the account (and its token) is that organisation's.
    response = Api(token_for(make_staff("auditor", [Role.AUDITOR]))).get(f"/reports/annual/{year}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    expected = command_json(year)
    assert body == expected
    assert list(body) == list(expected)  # same keys, same order
    if year == 2022:
        assert body["received"] == 26 and body["previous_period_received"] == 17


def test_a_year_out_of_range_is_a_clear_422(api_as: Any, organisation: Any) -> None:
    response = api_as("manager").get("/reports/annual/1066")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("1066 is not a reporting year")
    assert api_as("manager").get("/reports/annual/twenty").status_code == 422


def test_before_configuration_the_api_says_what_to_do(make_staff: Any, token_for: Any) -> None:
    # An account made before any organisation exists, as `createsuperuser` makes one.
    response = Api(token_for(make_staff("manager", [Role.MANAGER]))).get("/reports/annual/2022")
    assert response.status_code == 409
    assert "configure_organisation" in response.json()["detail"]
