"""Two organisations in one installation (ADR 0017): each one's report, prepare page,
management information, register export, published files and commands show its own
disclosures only, at its own address.

The register, typed out (all received in the reporting year 2022/23):
- A: six disclosures. A1-A4 Schools, referred, acknowledged 2 days after receipt (on time);
  A5 Schools, referred, acknowledged 10 days after (late); A6 Schools, assessed not
  qualifying, never acknowledged. So 6 received, 5 qualifying, 1 not qualifying.
- B: three disclosures. B1 Hospitals, no action, acknowledged 2 days after (on time); B2
  Hospitals, no action, never acknowledged; B3 not assessed yet, never acknowledged.
  So 3 received, 2 qualifying, 1 awaiting assessment.
The worker's sweep marks every deadline that passed unsettled as missed.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from io import StringIO
from typing import Any

import lxml.html
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import DisclosureFactory, OrganisationFactory
from tests.pages import without_csrf
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.cases.deadlines import deadline_acknowledged, deadlines_mark_missed
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory
from whistledesk.reports.models import PublishedReport

pytestmark = pytest.mark.django_db

D = dt.date
PERIOD = {
    "date_from": "2022-04-01",
    "date_to": "2023-03-31",
    "first_year": "2022",
    "last_year": "2022",
}


def _case(
    org: Organisation,
    reference: str,
    *,
    service: str | None,
    outcome: str | None,
    qualifying: bool | None = True,
    acknowledged_after: int | None = None,
) -> None:
    received = D(2022, 6, 1)
    d = DisclosureFactory(
        organisation=org,
        reference=reference,
        received_on=received,
        qualifying=qualifying,
        service=ServiceCategory.objects.get(organisation=org, label=service) if service else None,
        outcome=Outcome.objects.get(organisation=org, label=outcome) if outcome else None,
    )
    if acknowledged_after is not None:
        # Settled as the workflow settles it (cases/deadlines.py).
        d.acknowledged_at = dt.datetime(2022, 6, 1 + acknowledged_after, 12, tzinfo=dt.UTC)
        fields = deadline_acknowledged(d, received + dt.timedelta(days=acknowledged_after))
        d.save(update_fields=[*fields, "acknowledged_at"])


@pytest.fixture
def two(organisation: Organisation) -> dict[str, Any]:
    org_a = organisation
    org_b = OrganisationFactory(name="Second Regulator")
    for i in range(1, 5):
        _case(org_a, f"A{i}", service="Schools", outcome="Referred", acknowledged_after=2)
    _case(org_a, "A5", service="Schools", outcome="Referred", acknowledged_after=10)
    _case(org_a, "A6", service="Schools", outcome=None, qualifying=False)
    _case(org_b, "B1", service="Hospitals", outcome="No action", acknowledged_after=2)
    _case(org_b, "B2", service="Hospitals", outcome="No action")
    _case(org_b, "B3", service=None, outcome=None, qualifying=None)
    deadlines_mark_missed()
    staff: dict[str, Any] = {"a": org_a, "b": org_b}
    for key, org in (("a", org_a), ("b", org_b)):
        for role in (Role.MANAGER, Role.AUDITOR):
            # The same usernames in both: an account belongs to its organisation.
            staff[f"{key}_{role.value}"] = user_create(
                actor=None,
                username=role.value,
                password="a-long-staff-password",
                roles=[role],
                organisation=org,
            )
    return staff


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _words(response: Any) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.mark.parametrize("role", ["manager", "auditor"])
def test_the_report_page_shows_each_organisations_own_figures(
    two: dict[str, Any], role: str
) -> None:
    org_a, org_b = two["a"], two["b"]
    page_b = _signed_in(two[f"b_{role}"]).get(f"/{org_b.slug}/staff/reports/", {"year": "2022"})
    assert page_b.status_code == 200
    text_b = _words(page_b)
    assert "received 3 whistleblowing disclosures" in text_b
    assert "Second Regulator" in text_b and "received 6" not in text_b
    page_a = _signed_in(two[f"a_{role}"]).get(f"/{org_a.slug}/staff/reports/", {"year": "2022"})
    assert "received 6 whistleblowing disclosures" in _words(page_a)


def test_the_report_downloads_are_each_organisations_own(two: dict[str, Any]) -> None:
    org_a, org_b = two["a"], two["b"]
    b = json.loads(
        _signed_in(two["b_auditor"]).get(f"/{org_b.slug}/staff/reports/2022.json").content
    )
    assert (b["organisation"], b["received"], b["qualifying"]) == ("Second Regulator", 3, 2)
    assert b["by_service"] == [
        {"label": "Schools", "count": 0},
        {"label": "Hospitals", "count": 2},
        {"label": "Other", "count": 0},
    ]
    a = json.loads(
        _signed_in(two["a_auditor"]).get(f"/{org_a.slug}/staff/reports/2022.json").content
    )
    assert (a["received"], a["qualifying"], a["further_action"]) == (6, 5, 5)


def _figures(response: Any) -> dict[str, str]:
    """{figure: count} from the prepare page's table of figures."""
    doc = lxml.html.fromstring(response.content.decode())
    (table,) = doc.xpath('//table[@id="figure-definitions"]')
    return {
        tr.xpath("./th")[0].text_content().strip(): tr.xpath("./td")[0].text_content().strip()
        for tr in table.xpath(".//tbody/tr")
    }


def test_the_prepare_page_counts_each_organisations_own(two: dict[str, Any]) -> None:
    org_a, org_b = two["a"], two["b"]
    b = _signed_in(two["b_manager"]).get(f"/{org_b.slug}/staff/reports/2022/prepare")
    assert b.status_code == 200
    figures_b = _figures(b)
    assert [figures_b[k] for k in ("Received", "Assessed", "Awaiting assessment")] == [
        "3",
        "2",
        "1",
    ]
    assert [figures_b[k] for k in ("Not qualifying", "Qualifying disclosures")] == ["0", "2"]
    figures_a = _figures(
        _signed_in(two["a_manager"]).get(f"/{org_a.slug}/staff/reports/2022/prepare")
    )
    assert [figures_a[k] for k in ("Received", "Assessed", "Awaiting assessment")] == [
        "6",
        "6",
        "0",
    ]
    assert [figures_a[k] for k in ("Not qualifying", "Qualifying disclosures")] == ["1", "5"]


def _summary(response: Any) -> str:
    doc = lxml.html.fromstring(response.content.decode())
    return " ".join(doc.get_element_by_id("timeliness-summary").text_content().split())


@pytest.mark.parametrize("role", ["manager", "auditor"])
def test_management_information_is_each_organisations_own(two: dict[str, Any], role: str) -> None:
    org_a, org_b = two["a"], two["b"]
    b = _signed_in(two[f"b_{role}"]).get(f"/{org_b.slug}/staff/reports/management/", PERIOD)
    assert b.status_code == 200
    # B: 3 received; B1 on time, B2 and B3 never acknowledged (missed); B1's feedback
    # deadline (3 months from 3 June 2022) passed with none given.
    assert _summary(b) == (
        "3 received 1 of 3 acknowledged within 7 days 0 of 1 given feedback within 3 months "
        "0 closed"
    )
    a = _signed_in(two[f"a_{role}"]).get(f"/{org_a.slug}/staff/reports/management/", PERIOD)
    # A: 6 received; A1-A4 on time, A5 late, A6 missed; five feedback deadlines missed.
    assert _summary(a) == (
        "6 received 4 of 6 acknowledged within 7 days 0 of 5 given feedback within 3 months "
        "0 closed"
    )


def test_the_register_export_holds_only_the_organisations_rows(two: dict[str, Any]) -> None:
    org_b = two["b"]
    response = _signed_in(two["b_manager"]).get(
        f"/{org_b.slug}/staff/reports/management/register.csv", PERIOD
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r[0] for r in rows[1:]) == ["B1", "B2", "B3"]


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_published_report_is_reachable_only_at_its_organisations_address(
    two: dict[str, Any],
) -> None:
    org_a, org_b = two["a"], two["b"]
    # Given A's report published by command
    assert run("publish_report", "--organisation", org_a.slug, "--year", "2022").startswith(
        "Published version 1 of the report for 2022\n"
    )
    assert list(PublishedReport.objects.values_list("organisation__slug", "version")) == [
        (org_a.slug, 1)
    ]
    path = "staff/reports/2022/published/v1.md"
    # Then A's manager reads it at A's address
    at_a = _signed_in(two["a_manager"]).get(f"/{org_a.slug}/{path}")
    assert at_a.status_code == 200 and b"Schools" in at_a.content
    # But at B's address B's manager finds nothing, exactly as a version never published
    at_b = _signed_in(two["b_manager"]).get(f"/{org_b.slug}/{path}")
    never = _signed_in(two["b_manager"]).get(f"/{org_b.slug}/staff/reports/2022/published/v9.md")
    assert at_b.status_code == never.status_code == 404
    # (the staff error page carries the sign-out form's CSRF token, new on each page)
    assert without_csrf(at_b.content) == without_csrf(never.content).replace(b"v9", b"v1")
    # And A's manager, signed in at A, is a stranger at B's address (sent to sign in there)
    stranger = _signed_in(two["a_manager"]).get(f"/{org_b.slug}/{path}")
    assert stranger.status_code == 302
    assert stranger["Location"].startswith(f"/{org_b.slug}/staff/account/")
    # And B's report page says nothing is published for B
    page_b = _words(
        _signed_in(two["b_manager"]).get(f"/{org_b.slug}/staff/reports/", {"year": "2022"})
    )
    assert "Version 1" not in page_b


def test_the_commands_work_on_the_organisation_named(two: dict[str, Any]) -> None:
    org_a, org_b = two["a"], two["b"]
    b = json.loads(
        run("annual_report", "--organisation", org_b.slug, "--year", "2022", "--format", "json")
    )
    assert (b["organisation"], b["received"], b["qualifying"]) == ("Second Regulator", 3, 2)
    a = json.loads(
        run("annual_report", "--organisation", org_a.slug, "--year", "2022", "--format", "json")
    )
    assert (a["received"], a["qualifying"]) == (6, 5)
    run("publish_report", "--organisation", org_b.slug, "--year", "2022")
    # B's published version is B's; A has none
    published_b = json.loads(
        run(
            "annual_report",
            *("--organisation", org_b.slug, "--year", "2022"),
            *("--published", "--format", "json"),
        )
    )
    assert published_b["received"] == 3
    with pytest.raises(CommandError, match="No report for 2022 has been published yet"):
        run("annual_report", "--organisation", org_a.slug, "--year", "2022", "--published")


@pytest.mark.parametrize("command", ["annual_report", "publish_report"])
def test_with_two_organisations_a_command_must_name_one(two: dict[str, Any], command: str) -> None:
    with pytest.raises(CommandError, match="several organisations .*--organisation SLUG"):
        run(command, "--year", "2022")
    with pytest.raises(CommandError, match="No organisation has the slug 'nope'"):
        run(command, "--organisation", "nope", "--year", "2022")
    assert not PublishedReport.objects.exists()
