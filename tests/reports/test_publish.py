"""Publish, then freeze (issue 13): the stored files never change; corrections are versions."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.cases import assessment
from whistledesk.cases.models import RiskLevel, Status
from whistledesk.reports.models import PublishedReport, PublishedReportFile

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/"
STORED = ("csv", "docx", "html", "json", "md", "pdf")


@pytest.fixture
def manager(make_staff: Any, org: Any) -> Any:
    return make_staff("manager", roles=[Role.MANAGER])


@pytest.fixture
def manager_client(client: Any, manager: Any) -> Any:
    client.force_login(manager)
    return client


def published_downloads(client: Any, version: int) -> dict[str, bytes]:
    files = {}
    for fmt in STORED:
        response = client.get(f"{PAGE}2022/published/v{version}.{fmt}")
        assert response.status_code == 200, fmt
        assert response["Content-Disposition"].endswith(f'-v{version}.{fmt}"')
        files[fmt] = response.content
    return files


def test_published_files_do_not_change_when_a_case_is_edited(
    manager_client: Any, manager: Any, org: Any, add: Any
) -> None:
    # Given three qualifying 2022 disclosures about schools, one still being assessed
    add(2)
    (case,) = add(1, status=Status.ASSESSING)
    page = manager_client.get(PAGE, {"year": "2022"}).content.decode()
    assert "The 2022/23 report is not published yet." in page
    assert "Publish the 2022/23 report" in page
    # Every figure is shown with its definition
    assert "Every disclosure received in the period, qualifying or not, assessed or not." in page
    live_before = {fmt: manager_client.get(f"{PAGE}2022.{fmt}") for fmt in ("md", "html", "json")}

    # When the manager publishes from the page
    response = manager_client.post(f"{PAGE}2022/publish")
    assert response.status_code == 302
    page = manager_client.get(PAGE, {"year": "2022"}).content.decode()
    assert "Published on " in page and "by manager (version 1)." in page
    assert "The live figures are the same as the published ones." in page
    for fmt in STORED:
        assert f'href="{PAGE}2022/published/v1.{fmt}"' in page
    published = published_downloads(manager_client, 1)
    assert published["md"] == live_before["md"].content
    assert published["json"] == live_before["json"].content
    for fmt, content in published.items():
        row = PublishedReportFile.objects.get(report__year=2022, fmt=fmt)
        assert row.sha256 == hashlib.sha256(content).hexdigest()
    event = AuditEvent.objects.get(action="report.published")
    assert event.actor_label == "manager"
    assert event.details["version"] == 1
    assert event.details["sha256"]["md"] == hashlib.sha256(published["md"]).hexdigest()

    # And a 2022 case is later found not qualifying, through its service
    assessment.disclosure_assess(
        actor=manager,
        disclosure=case,
        categories=[],
        public_interest=False,
        within_remit=True,
        service=None,
        risk_level=RiskLevel.LOW,
        urgent=False,
    )

    # Then the published files are byte for byte what was published
    assert published_downloads(manager_client, 1) == published
    # while the live report has moved on, and the page says how
    live_md = manager_client.get(f"{PAGE}2022.md").content
    assert live_md != published["md"]
    assert b"| Total | 2 |" in live_md and b"| Total | 3 |" in published["md"]
    page = manager_client.get(PAGE, {"year": "2022"}).content.decode()
    assert "The figures have changed since version 1 was published." in page
    differences = page.split('id="differences"', 1)[1].split("</table>", 1)[0]
    assert (
        '<th scope="row" class="govuk-table__header">Qualifying disclosures</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>'
    ) in differences
    assert "By service: Schools</th>" in differences
    assert "Received</th>" not in differences  # still 3 received


def test_a_correction_needs_a_reason_and_keeps_both_versions(
    manager_client: Any, org: Any, add: Any
) -> None:
    add(2)
    manager_client.post(f"{PAGE}2022/publish")
    add(1)
    response = manager_client.post(f"{PAGE}2022/publish", {"reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "give the reason for the correction" in page
    assert PublishedReport.objects.count() == 1

    response = manager_client.post(f"{PAGE}2022/publish", {"reason": "A disclosure recorded late"})
    assert response.status_code == 302
    page = manager_client.get(PAGE, {"year": "2022"}).content.decode()
    assert "by manager (version 2)." in page
    versions = page.split('id="versions"', 1)[1].split('id="publish-form"', 1)[0]
    assert "Version 2</strong>" in versions and "Version 1</strong>" in versions
    assert "Reason for the correction: A disclosure recorded late" in versions
    assert b"| Total | 2 |" in published_downloads(manager_client, 1)["md"]
    assert b"| Total | 3 |" in published_downloads(manager_client, 2)["md"]
    assert AuditEvent.objects.filter(action="report.published").count() == 2


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.AUDITOR, Role.INTAKE_OFFICER])
def test_only_managers_publish(
    client: Any, make_staff: Any, org: Any, add: Any, role: Role
) -> None:
    add(1)
    client.force_login(make_staff("someone", roles=[role]))
    page = client.get(PAGE, {"year": "2022"}).content.decode()
    assert 'id="publish-form"' not in page
    response = client.post(f"{PAGE}2022/publish")
    assert response.status_code == 403
    assert "publish the annual report (managers only)" in response.content.decode()
    assert not PublishedReport.objects.exists()
    assert not AuditEvent.objects.filter(action="report.published").exists()


def test_publishing_is_a_post(manager_client: Any, org: Any, add: Any) -> None:
    add(1)
    assert manager_client.get(f"{PAGE}2022/publish").status_code == 405
    assert not PublishedReport.objects.exists()


def test_missing_published_version_is_not_found(manager_client: Any, org: Any) -> None:
    assert manager_client.get(f"{PAGE}2022/published/v1.md").status_code == 404


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_publish_by_command_and_read_it_back(
    org: Any, add: Any, tmp_path: Path, make_staff: Any
) -> None:
    add(2)
    out = run("publish_report", "--year", "2022")
    assert out.startswith("Published version 1 of the report for 2022\n")
    stored = {f.fmt: bytes(f.content) for f in PublishedReportFile.objects.all()}
    assert sorted(stored) == sorted(STORED)
    assert f"md\tsha256 {hashlib.sha256(stored['md']).hexdigest()}" in out
    assert AuditEvent.objects.get(action="report.published").actor_label == "publish_report"

    with pytest.raises(CommandError, match="give the reason for the correction"):
        run("publish_report", "--year", "2022")
    # The live figures change; the published version does not
    add(5)
    for fmt in STORED:
        target = tmp_path / f"published.{fmt}"
        run(
            "annual_report",
            "--year",
            "2022",
            "--published",
            "--format",
            fmt,
            "--output",
            str(target),
        )
        assert target.read_bytes() == stored[fmt]
    assert run("annual_report", "--year", "2022", "--published").encode() == stored["md"]
    assert "| Total | 7 |" in run("annual_report", "--year", "2022")

    run("publish_report", "--year", "2022", "--reason", "Five disclosures recorded late")
    assert "| Total | 7 |" in run("annual_report", "--year", "2022", "--published")
    assert list(PublishedReport.objects.values_list("version", "correction_reason")) == [
        (2, "Five disclosures recorded late"),
        (1, ""),
    ]


def test_published_output_when_nothing_is_published_is_a_clear_error(org: Any, add: Any) -> None:
    add(1)
    with pytest.raises(CommandError, match="No report for 2022 has been published yet"):
        run("annual_report", "--year", "2022", "--published")


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.AUDITOR, Role.SAFEGUARDING_LEAD])
def test_the_service_refuses_anyone_but_a_manager(
    make_staff: Any, org: Any, add: Any, role: Role
) -> None:
    from whistledesk.core.exceptions import NotPermitted
    from whistledesk.reports.services import report_publish

    add(1)
    with pytest.raises(NotPermitted, match="managers only"):
        report_publish(actor=make_staff("someone", roles=[role]), organisation=org, year=2022)
    assert not PublishedReport.objects.exists()


def test_a_long_reason_is_a_clear_error(manager_client: Any, org: Any, add: Any) -> None:
    add(1)
    manager_client.post(f"{PAGE}2022/publish")
    response = manager_client.post(f"{PAGE}2022/publish", {"reason": "x" * 2001})
    assert response.status_code == 400
    assert "The reason must be 2000 characters or fewer" in response.content.decode()
    assert PublishedReport.objects.count() == 1
