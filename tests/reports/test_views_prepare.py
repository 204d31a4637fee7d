"""The prepare page (issue 13, item 1): each text edited with a preview rendered as the
report renders it, every figure shown with its definition, each change audited."""

from __future__ import annotations

import hashlib
import html
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.organisation.models import Organisation, ReportYear

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/2022/prepare"


def words(text: str) -> str:
    return " ".join(html.unescape(text).split())


def markup(text: str) -> str:
    """HTML as written, whitespace between tags dropped (escapes kept: they are the point)."""
    return re.sub(r">\s+<", "><", " ".join(text.split()))


@pytest.fixture
def manager_client(client: Any, make_staff: Any) -> Any:
    client.force_login(make_staff("manager", roles=[Role.MANAGER]))
    return client


def markdown_report() -> str:
    out = StringIO()
    call_command("annual_report", "--year", "2022", stdout=out)
    return out.getvalue()


def test_the_prepare_page_shows_every_figure_with_its_definition(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    add(3)
    add(1, qualifying=None)
    page = words(manager_client.get(PAGE).content.decode())
    table = page.split('id="figure-definitions">', 1)[1].split("</table>", 1)[0]
    rows = [
        (
            row.split('class="govuk-table__header">')[1].split("</th>")[0],
            row.split('govuk-table__cell--numeric">')[1].split("</td>")[0],
            row.split('<td class="govuk-table__cell">')[1].split("</td>")[0],
        )
        for row in table.split('<tr class="govuk-table__row" id="figure-')[1:]
    ]
    assert rows[:5] == [
        ("Received", "4", "Every disclosure received in the period, qualifying or not, "
         "assessed or not."),
        ("Assessed", "3", "Received in the period and assessed, whether found qualifying or not."),
        ("Awaiting assessment", "1", "Received in the period and not assessed yet: counted in "
         "Received only, in no table, until assessed."),
        ("Not qualifying", "0", "Received in the period and assessed as not a qualifying "
         "disclosure (outside our prescribed matters, not in the public interest, or no "
         "relevant failure)."),
        ("Qualifying disclosures", "3", "Received in the period and assessed as a qualifying "
         "disclosure within our prescribed matters. Every table counts these."),
    ]  # fmt: skip
    assert [r[0] for r in rows[5:]] == [
        "Further action taken",
        "No further action",
        "Awaiting decision",
        "Made anonymously",
        "Received the year before",
        "Table by service",
        "Table by action taken",
        "Table by channel (CSV and JSON)",
        "Received by reporting year",
    ]
    assert rows[10][2] == (
        "Qualifying disclosures by the service they concern, in the configured order, zeros "
        "included; those with no service yet are 'Not yet categorised'."
    )
    # The tables as they will be published are on the page too
    assert "Disclosures by service</caption>" in page and 'id="channel-table"' in page


def test_a_text_is_previewed_as_the_report_renders_it_then_saved_and_audited(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    add(3)
    text = (
        "Concerns about **agency staffing** shaped our work.\n\n"
        "- one review\n- two <script>alert(1)</script> visits\n\n"
        "See [our guidance](https://example.org/guide) and [this](javascript:alert(1))."
    )
    response = manager_client.post(f"{PAGE}/text/impact", {"text": text, "action": "preview"})
    assert response.status_code == 200
    preview = response.content.decode().split('id="preview-text">', 1)[1].split("</div>", 1)[0]
    assert markup(preview) == markup(
        '<h3 class="govuk-heading-m">Impact on our functions</h3>'
        '<p class="govuk-body">Concerns about <strong>agency staffing</strong> shaped our '
        "work.</p>"
        '<ul class="govuk-list govuk-list--bullet"><li>one review</li><li>two '
        "&lt;script&gt;alert(1)&lt;/script&gt; visits</li></ul>"
        '<p class="govuk-body">See <a class="govuk-link" href="https://example.org/guide">our '
        # An unsafe address is dropped; the link's words stay as text.
        "guidance</a> and this).</p>"
    )
    # A preview saves nothing
    assert not ReportYear.objects.filter(year=2022).exists()
    assert not AuditEvent.objects.filter(action="report.text_updated").exists()
    # The text is kept in the box
    assert "Concerns about **agency staffing** shaped our work." in html.unescape(
        response.content.decode()
    )

    response = manager_client.post(f"{PAGE}/text/impact", {"text": text, "action": "save"})
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#texts"
    assert ReportYear.objects.get(organisation=org, year=2022).impact_text == text
    event = AuditEvent.objects.get(action="report.text_updated")
    assert event.actor_label == "manager"
    assert event.details == {
        "year": 2022,
        "section": "impact",
        "length": len(text),
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
    }
    assert "Concerns about **agency staffing** shaped our work." in markdown_report()


def test_an_example_is_previewed_with_the_sentences_around_it(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    add(2, outcome_label="No action")
    response = manager_client.post(
        f"{PAGE}/text/no_further_action_example",
        {"text": "A nursery had already been closed.", "action": "preview"},
    )
    preview = words(response.content.decode().split('id="preview-text">', 1)[1])
    assert preview.startswith('<h3 class="govuk-heading-m">Activity in 2022/23</h3>')
    assert (
        '<p class="govuk-body">2 disclosures were closed without further action. '
        "A nursery had already been closed.</p>"
    ) in preview


def test_the_introduction_is_shared_and_its_year_is_the_reports(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    add(1)
    text = "Our procedures were in place throughout {year}."
    response = manager_client.post(f"{PAGE}/text/functions", {"text": text, "action": "preview"})
    assert "Our procedures were in place throughout 2022/23." in words(response.content.decode())
    manager_client.post(f"{PAGE}/text/functions", {"text": text, "action": "save"})
    assert Organisation.objects.get().functions_text == text
    # The edit page shows the text as written, {year} included
    page = html.unescape(manager_client.get(f"{PAGE}/text/functions").content.decode())
    assert "Our procedures were in place throughout {year}.</textarea>" in page
    out = StringIO()
    call_command("annual_report", "--year", "2023", stdout=out)
    assert "Our procedures were in place throughout 2023/24." in out.getvalue()


def test_a_text_too_long_is_refused_with_the_limit(manager_client: Any, org: Organisation) -> None:
    response = manager_client.post(f"{PAGE}/text/impact", {"text": "x" * 20_001, "action": "save"})
    assert response.status_code == 400
    page = words(response.content.decode())
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in page
    assert '<a href="#id_text">The text must be 20,000 characters or fewer</a>' in page
    assert not ReportYear.objects.exists()


def test_an_unknown_text_or_year_is_not_found(manager_client: Any, org: Organisation) -> None:
    assert manager_client.get(f"{PAGE}/text/summary").status_code == 404
    assert manager_client.get("/staff/reports/1066/prepare").status_code == 404


def test_the_report_page_links_managers_to_the_prepare_page(
    manager_client: Any, client: Any, org: Organisation, make_staff: Any, add: Any
) -> None:
    add(1)
    page = manager_client.get("/staff/reports/?year=2022").content.decode()
    assert f'href="{PAGE}" id="prepare-link"' in page
    client.force_login(make_staff("case", roles=[Role.CASEWORKER]))
    assert 'id="prepare-link"' not in client.get("/staff/reports/?year=2022").content.decode()


def test_a_correction_from_the_prepare_page_needs_a_reason(
    manager_client: Any, org: Organisation, add: Any
) -> None:
    add(2)
    assert manager_client.post(f"{PAGE}/publish").status_code == 302
    response = manager_client.post(f"{PAGE}/publish", {"reason": ""})
    assert response.status_code == 400
    page = words(response.content.decode())
    assert (
        '<a href="#id_reason">Version 1 of this report is already published: give the reason '
        "for the correction to publish a new version</a>"
    ) in page
    assert 'id="id_reason"' in page
    response = manager_client.post(f"{PAGE}/publish", {"reason": "Two disclosures recorded late"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="report.published").count() == 2
