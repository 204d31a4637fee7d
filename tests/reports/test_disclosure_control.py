"""Disclosure control of the report's tables (issue 13, item 3; ADR 0015).

A test organisation with the product's default threshold (3) and one disclosure about a
hospital: the cell is flagged on the prepare page, publishing (page and command) is refused
naming it, and once suppressed every format shows "[c]" and never the 1.
"""

from __future__ import annotations

import html
import io
import json
import shutil
import subprocess  # noqa: S404
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from docx import Document

from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.organisation.models import Organisation
from whistledesk.reports.models import PublishedReport

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/2022/prepare"
PDFTOTEXT = shutil.which("pdftotext")
HOSPITALS_KEY = "cell:service:Hospitals"
REFUSED_HOSPITALS = (
    "The report cannot be published while 1 disclosure warning is unresolved: "
    "Disclosures by service: Hospitals (1). Resolve each on the report's prepare page."
)


@pytest.fixture
def org(organisation: Organisation) -> Organisation:
    """The factory organisation with the product's own threshold, as a new office has it."""
    assert Organisation._meta.get_field("small_cell_threshold").default == 3
    organisation.small_cell_threshold = 3
    organisation.save(update_fields=["small_cell_threshold"])
    return organisation


@pytest.fixture
def manager(make_staff: Any) -> Any:
    return make_staff("manager", roles=[Role.MANAGER])


@pytest.fixture
def manager_client(client: Any, manager: Any) -> Any:
    client.force_login(manager)
    return client


@pytest.fixture
def one_hospital(org: Organisation, add: Any) -> None:
    """2022/23: Schools 5, Hospitals 1, Other 0; all by email, all referred."""
    add(5, service_label="Schools")
    add(1, service_label="Hospitals")


def words(text: str) -> str:
    return " ".join(html.unescape(text).split())


def pdf_text(content: bytes, tmp_path: Path) -> str:
    assert PDFTOTEXT, "pdftotext is missing: install poppler-utils"
    target = tmp_path / "report.pdf"
    target.write_bytes(content)
    result = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-enc", "UTF-8", str(target), "-"], capture_output=True, check=True
    )
    return words(result.stdout.decode("utf-8"))


def decide(client: Any, key: str, index: int, action: str, reason: str = "") -> Any:
    return client.post(
        f"{PAGE}/decide",
        {"warning": key, f"cell-{index}-action": action, f"cell-{index}-reason": reason},
    )


def test_a_one_disclosure_cell_is_flagged_and_publishing_waits_until_it_is_suppressed(
    manager_client: Any, one_hospital: None, tmp_path: Path
) -> None:
    # Given a year with one disclosure about a hospital
    page = manager_client.get(PAGE)
    assert page.status_code == 200
    page_html = words(page.content.decode())
    # Then the prepare page flags that cell, and only that one
    assert "1 warning is open. The report cannot be published until each is resolved." in page_html
    assert (
        '<ul class="govuk-list govuk-list--bullet" id="open-warnings"> <li>Disclosures by '
        "service: Hospitals (1)</li> </ul>" in page_html
    )
    assert "Disclosures by service: Hospitals (1)</h4>" in page_html

    # When the manager publishes anyway, from the page and by the command
    response = manager_client.post(f"{PAGE}/publish")
    # Then it is refused, naming the warning
    assert response.status_code == 400
    assert REFUSED_HOSPITALS in words(response.content.decode())
    with pytest.raises(CommandError) as refused:
        call_command("publish_report", "--year", "2022", stdout=StringIO())
    assert str(refused.value) == REFUSED_HOSPITALS
    assert not PublishedReport.objects.exists()

    # When the manager suppresses it
    assert decide(manager_client, HOSPITALS_KEY, 0, "suppress").status_code == 302
    page_html = words(manager_client.get(PAGE).content.decode())
    assert "No open warnings" in page_html
    # Then the smallest other cell is hidden with it, so 1 is not 6 less 5
    assert (
        '<ul class="govuk-list govuk-list--bullet" id="secondary"> <li>Disclosures by '
        "service: Schools</li> </ul>" in page_html
    )

    response = manager_client.post(f"{PAGE}/publish")
    assert response.status_code == 302
    assert response["Location"] == "/staff/reports/?year=2022#publication"
    published = PublishedReport.objects.get()
    record = published.disclosure_control
    assert record["threshold"] == 3
    assert [
        (c["table"], c["label"], c["count"], c["decision"]["action"]) for c in record["cells"]
    ] == [("service", "Hospitals", 1, "suppress")]
    assert record["cells"][0]["decision"]["decided_by"] == "manager"
    assert record["secondary_suppressed"] == [{"table": "service", "label": "Schools"}]
    assert record["texts"] == []
    assert published.figures["by_service"] == [
        {"label": "Schools", "count": None, "suppressed": True},
        {"label": "Hospitals", "count": None, "suppressed": True},
        {"label": "Other", "count": 0},
    ]

    # And every stored format shows [c], never the hospital's 1
    def stored(fmt: str) -> bytes:
        got = manager_client.get(f"/staff/reports/2022/published/v1.{fmt}")
        assert got.status_code == 200
        return bytes(got.content)

    text = pdf_text(stored("pdf"), tmp_path)
    assert "Schools [c] Hospitals [c] Other 0 Total 6" in text
    assert "[c]: not shown, so that no one can be identified from a small number." in text
    assert "Hospitals 1" not in text and "Schools 5" not in text
    markdown = stored("md").decode()
    assert (
        "| Schools | \\[c\\] |\n| Hospitals | \\[c\\] |\n| Other | 0 |\n| Total | 6 |" in markdown
    )
    assert (
        "service,Schools,[c]\r\nservice,Hospitals,[c]\r\nservice,Other,0\r\n"
        in stored("csv").decode()
    )
    assert json.loads(stored("json"))["by_service"][1] == {
        "label": "Hospitals",
        "count": None,
        "suppressed": True,
    }
    html_document = words(stored("html").decode())
    assert (
        '<th scope="row" class="govuk-table__header">Hospitals</th> <td class="govuk-table__'
        'cell govuk-table__cell--numeric">[c]</td>' in html_document
    )
    document = Document(io.BytesIO(stored("docx")))
    service_table = document.tables[0]
    assert [[c.text for c in row.cells] for row in service_table.rows][1:] == [
        ["Schools", "[c]"],
        ["Hospitals", "[c]"],
        ["Other", "0"],
        ["Total", "6"],
    ]
    # The chart's text alternative says [c] too
    chart = manager_client.get("/staff/reports/2022/chart-service.svg").content.decode()
    assert "Schools: [c]; Hospitals: [c]; Other: 0." in chart

    # And it is all audited: the decision, then the publication with the check's counts
    decided = AuditEvent.objects.get(action="report.disclosure_decided")
    assert decided.actor_label == "manager"
    assert decided.details == {
        "year": 2022,
        "warning_kind": "cell",
        "where": "service",
        "decision": "suppress",
    }
    event = AuditEvent.objects.get(action="report.published")
    assert event.details["disclosure_control"] == {
        "threshold": 3,
        "cells": 1,
        "texts": 0,
        "secondary_suppressed": 1,
        "suppress": 1,
        "merge": 0,
        "publish": 0,
        "accept": 0,
    }


def test_the_live_downloads_and_the_api_show_the_suppression_too(
    manager_client: Any, one_hospital: None, manager: Any
) -> None:
    decide(manager_client, HOSPITALS_KEY, 0, "suppress")
    csv = manager_client.get("/staff/reports/2022.csv").getvalue().decode()
    assert "service,Schools,[c]\r\nservice,Hospitals,[c]\r\n" in csv
    out = StringIO()
    call_command("annual_report", "--year", "2022", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["by_service"][1] == {
        "label": "Hospitals",
        "count": None,
        "suppressed": True,
    }
    from whistledesk.api.services import api_token_create

    _, token = api_token_create(actor=manager, user=manager, name="test")
    api = Client().get("/api/v1/reports/annual/2022", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    assert api.json()["by_service"][1] == {"label": "Hospitals", "count": None, "suppressed": True}


def test_merging_into_other_adds_the_row_to_it(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    add(5, service_label="Schools")
    add(1, service_label="Hospitals")
    add(4, service_label="Other")
    assert decide(manager_client, HOSPITALS_KEY, 0, "merge").status_code == 302

    markdown = StringIO()
    call_command("annual_report", "--year", "2022", stdout=markdown)
    assert "| Schools | 5 |\n| Other | 5 |\n| Total | 10 |" in markdown.getvalue()
    assert "Hospitals" not in markdown.getvalue()
    call_command("publish_report", "--year", "2022", stdout=StringIO())
    assert PublishedReport.objects.get().figures["by_service"] == [
        {"label": "Schools", "count": 5},
        {"label": "Other", "count": 5},
    ]


def test_a_merge_that_leaves_other_small_is_flagged_again(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    # Hospitals 1 merged into an empty "Other" gives Other 1: still below 3
    add(5, service_label="Schools")
    add(1, service_label="Hospitals")
    decide(manager_client, HOSPITALS_KEY, 0, "merge")
    page_html = words(manager_client.get(PAGE).content.decode())
    assert "<li>Disclosures by service: Other (1)</li>" in page_html
    # The "other" row can be suppressed or published, not merged into itself
    assert 'value="merge"' in page_html.split('id="cell-1"')[0]
    assert 'value="merge"' not in page_html.split('id="cell-1"')[1].split("</form>")[0]


def test_publishing_a_small_number_as_it_is_needs_a_reason(
    manager_client: Any, one_hospital: None
) -> None:
    response = decide(manager_client, HOSPITALS_KEY, 0, "publish")
    assert response.status_code == 400
    page_html = words(response.content.decode())
    assert (
        '<a href="#id_cell-0-reason">Enter the reason for publishing the number as it is</a>'
        in page_html
    )
    assert not PublishedReport.objects.exists()

    response = decide(
        manager_client, HOSPITALS_KEY, 0, "publish", "Hospitals are a national category here."
    )
    assert response.status_code == 302
    call_command("publish_report", "--year", "2022", stdout=StringIO())
    (cell,) = PublishedReport.objects.get().disclosure_control["cells"]
    assert cell["decision"]["action"] == "publish"
    assert cell["decision"]["reason"] == "Hospitals are a national category here."
    assert cell["decision"]["decided_by"] == "manager"
    assert PublishedReport.objects.get().figures["by_service"][1] == {
        "label": "Hospitals",
        "count": 1,
    }


def test_a_choice_is_required(manager_client: Any, one_hospital: None) -> None:
    response = manager_client.post(f"{PAGE}/decide", {"warning": HOSPITALS_KEY})
    assert response.status_code == 400
    assert '<a href="#id_cell-0-action_0">Select what to publish for this cell</a>' in words(
        response.content.decode()
    )


def test_a_decision_on_a_warning_no_longer_raised_is_refused_clearly(
    manager_client: Any, one_hospital: None
) -> None:
    response = manager_client.post(
        f"{PAGE}/decide",
        {"warning": "cell:service:Schools", "cell-0-action": "suppress"},
        follow=True,
    )
    assert "That warning is no longer raised (the figures or the text changed)" in (
        response.content.decode()
    )
    assert not AuditEvent.objects.filter(action="report.disclosure_decided").exists()


def test_a_suppression_that_the_total_gives_away_stays_open(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    # The only disclosure of the year: hiding its cell hides nothing, the total is 1
    add(1, service_label="Hospitals")
    decide(manager_client, HOSPITALS_KEY, 0, "suppress")
    page_html = words(manager_client.get(PAGE).content.decode())
    assert (
        "Suppressing this cell alone does not hide it: it can be worked out from the table's "
        "total. Merge it into “other”, or publish it as it is with a reason."
    ) in page_html
    with pytest.raises(CommandError, match=r"Disclosures by service: Hospitals \(1\)"):
        call_command("publish_report", "--year", "2022", stdout=StringIO())


def test_the_threshold_is_set_on_the_page_and_audited(
    manager_client: Any, one_hospital: None, org: Organisation
) -> None:
    response = manager_client.post(f"{PAGE}/threshold", {"threshold": "three"})
    assert response.status_code == 400
    assert "Enter the threshold as a whole number, like 3" in response.content.decode()
    response = manager_client.post(f"{PAGE}/threshold", {"threshold": "0"})
    assert "The threshold must be a whole number from 1 to 100" in response.content.decode()

    # Raised to 6: Schools (5) is flagged as well
    assert manager_client.post(f"{PAGE}/threshold", {"threshold": "6"}).status_code == 302
    page_html = words(manager_client.get(PAGE).content.decode())
    assert (
        "<li>Disclosures by service: Schools (5)</li><li>Disclosures by service: "
        "Hospitals (1)</li>" in page_html
    )
    event = AuditEvent.objects.get(action="report.threshold_set")
    assert event.details == {"before": 3, "after": 6}
    # 1 flags nothing: the report publishes as it is
    manager_client.post(f"{PAGE}/threshold", {"threshold": "1"})
    assert "No cell counts fewer than 1." in manager_client.get(PAGE).content.decode()
    call_command("publish_report", "--year", "2022", stdout=StringIO())


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SAFEGUARDING_LEAD, Role.AUDITOR])
def test_only_those_who_publish_prepare(
    client: Any, make_staff: Any, one_hospital: None, role: Role
) -> None:
    client.force_login(make_staff("someone", roles=[role]))
    for response in (
        client.get(PAGE),
        client.get(f"{PAGE}/text/impact"),
        client.post(f"{PAGE}/decide", {"warning": HOSPITALS_KEY, "cell-0-action": "suppress"}),
        client.post(f"{PAGE}/threshold", {"threshold": "1"}),
    ):
        assert response.status_code == 403
        assert "publish the annual report (managers only)" in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


def test_the_demo_2022_report_publishes_with_the_commissioners_recorded_reasons(
    db: Any,
) -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    assert Organisation.objects.get().small_cell_threshold == 3
    out = StringIO()
    call_command("publish_report", "--year", "2022", stdout=out)
    assert out.getvalue().startswith("Published version 1 of the report for 2022\n")
    record = PublishedReport.objects.get().disclosure_control
    reason = (
        "Published as it is in the Children's Commissioner's own report for 2022/23 (demo "
        "data reproducing that report)."
    )
    assert [
        (c["label"], c["count"], c["decision"]["action"], c["decision"]["reason"])
        for c in record["cells"]
    ] == [
        ("Children's Homes", 1, "publish", reason),
        ("Early years provider", 2, "publish", reason),
    ]
    # The seed's figures are published as they are
    figures = PublishedReport.objects.get().figures
    assert figures["by_service"][0] == {"label": "Children's Homes", "count": 1}
    # 2021/22 (illustrative) is left for a manager to decide
    with pytest.raises(CommandError, match="while 6 disclosure warnings are unresolved"):
        call_command("publish_report", "--year", "2021", stdout=StringIO())
    # Loading again records nothing new
    before = AuditEvent.objects.filter(action="report.disclosure_decided").count()
    assert before == 2
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    assert AuditEvent.objects.filter(action="report.disclosure_decided").count() == 2


def test_no_second_largest_category_is_named_while_a_service_is_hidden(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    # Threshold 5: Hospitals 4 and Other 3 suppressed, Homes 2 published as it is.
    # Hospitals (4, hidden) is larger than Homes (2, shown): naming Homes "second" is wrong.
    from whistledesk.organisation.models import ServiceCategory

    ServiceCategory.objects.create(organisation=org, label="Homes", position=3)
    org.small_cell_threshold = 5
    org.save(update_fields=["small_cell_threshold"])
    add(10, service_label="Schools")
    add(4, service_label="Hospitals")
    add(3, service_label="Other")
    add(2, service_label="Homes")
    before = StringIO()
    call_command("annual_report", "--year", "2022", stdout=before)
    assert "The second largest category related to Hospitals." in before.getvalue()

    decide(manager_client, HOSPITALS_KEY, 0, "suppress")
    decide(manager_client, "cell:service:Homes", 1, "publish", "A national category.")
    decide(manager_client, "cell:service:Other", 2, "suppress")
    after = StringIO()
    call_command("annual_report", "--year", "2022", stdout=after)
    markdown = after.getvalue()
    assert "| Schools | 10 |\n| Hospitals | \\[c\\] |\n| Other | \\[c\\] |\n| Homes | 2 |" in (
        markdown
    )
    assert "The largest category this year has been disclosures relating to Schools." in markdown
    assert "second largest" not in markdown


def test_the_threshold_comes_from_the_configuration_file(db: Any, tmp_path: Path) -> None:
    base = (
        '[organisation]\nname = "Example Regulator"\n{extra}\n'
        '[[services]]\nlabel = "Schools"\n\n'
        '[[outcomes]]\nlabel = "Referred"\nfurther_action = true\n'
    )
    path = tmp_path / "org.toml"
    path.write_text(base.format(extra="small_cell_threshold = 5"))
    call_command("configure_organisation", str(path), stdout=StringIO())
    assert Organisation.objects.get().small_cell_threshold == 5
    # Left out: the stored threshold stays (it may have been set on the prepare page)
    path.write_text(base.format(extra=""))
    call_command("configure_organisation", str(path), stdout=StringIO())
    assert Organisation.objects.get().small_cell_threshold == 5
    path.write_text(base.format(extra="small_cell_threshold = 0"))
    problems = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("configure_organisation", str(path), stdout=StringIO(), stderr=problems)
    assert "organisation.small_cell_threshold 0 must be a whole number from 1 to 100" in (
        problems.getvalue()
    )
    assert Organisation.objects.get().small_cell_threshold == 5
