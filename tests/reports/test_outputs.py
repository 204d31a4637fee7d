"""CSV, HTML and JSON outputs: content, escaping, and nothing from a disclosure itself."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from whistledesk.organisation.models import Organisation, ReportYear, ServiceCategory
from whistledesk.reports.renderers import FORMATS, render_text
from whistledesk.reports.selectors import annual_report_get

pytestmark = pytest.mark.django_db


def out(org: Organisation, fmt: str, year: int = 2022) -> str:
    return render_text(annual_report_get(organisation=org, year=year), fmt)


def test_csv_holds_the_tables_for_open_data(org: Organisation, add: Any) -> None:
    add(2, service_label="Hospitals", outcome_label="No action", channel="letter")
    add(1, outcome_label=None)
    add(1, qualifying=False)
    rows = list(csv.reader(io.StringIO(out(org, "csv"))))
    assert rows[0] == ["table", "label", "count"]
    by_table: dict[str, list[list[str]]] = {}
    for table, label, count in rows[1:]:
        by_table.setdefault(table, []).append([label, count])
    assert dict(map(tuple, by_table["summary"]))["received"] == "4"  # type: ignore[arg-type]
    assert dict(map(tuple, by_table["summary"]))["qualifying"] == "3"  # type: ignore[arg-type]
    assert by_table["service"] == [["Schools", "1"], ["Hospitals", "2"], ["Other", "0"]]
    assert by_table["outcome"] == [
        ["Referred", "0"],
        ["No action", "2"],
        ["Awaiting decision", "1"],
    ]
    assert by_table["channel"][:2] == [["letter", "2"], ["email", "1"]]
    assert len(by_table["channel"]) == 7


def test_csv_label_cannot_run_as_a_spreadsheet_formula(org: Organisation, add: Any) -> None:
    ServiceCategory.objects.filter(label="Other").update(label="=HYPERLINK(1)")
    rows = list(csv.reader(io.StringIO(out(org, "csv"))))
    assert ["service", "'=HYPERLINK(1)", "0"] in rows


def test_html_document_escapes_labels_and_staff_text(org: Organisation, add: Any) -> None:
    ServiceCategory.objects.filter(label="Schools").update(
        label="<script>alert(1)</script>", report_phrase="<b>phrase</b>"
    )
    add(1, service_label="<script>alert(1)</script>")
    org.functions_text = 'Hi <img src=x onerror=alert(1)> [bad](javascript:alert(1)) [ok](https://example.org/?a=1&b="2")'
    org.save()
    ReportYear.objects.create(organisation=org, year=2022, impact_text="<iframe>x</iframe>")
    html = out(org, "html")
    assert "<script>" not in html and "<img" not in html and "<iframe>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;phrase&lt;/b&gt;" in html
    assert "javascript:" not in html
    assert (
        '<a class="govuk-link" href="https://example.org/?a=1&amp;b=&quot;2&quot;">ok</a>' in html
    )
    assert "&lt;iframe&gt;x&lt;/iframe&gt;" in html


def test_html_document_is_standalone_with_semantic_tables(org: Organisation, add: Any) -> None:
    add(2)
    html = out(org, "html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert "<script" not in html and "/static/" not in html and "<link" not in html
    assert html.count("<caption") == 2
    assert (
        '<th scope="col"' in html
        and '<th scope="row" class="govuk-table__header">Schools</th>' in html
    )
    assert "<h1>Whistleblowing Disclosures</h1>" in html
    assert "1 April 2022 to 31 March 2023" in html


def test_json_output_parses_to_the_selector_figures(org: Organisation, add: Any) -> None:
    add(3)
    data = json.loads(out(org, "json"))
    assert data["received"] == 3 and data["by_service"][0] == {"label": "Schools", "count": 3}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_reference_or_summary_reaches_any_output(org: Organisation, add: Any, fmt: str) -> None:
    # Given disclosures with distinctive references and summaries
    disclosures = add(2, summary="Mrs Zanzibar-Quigley at Oakfield Home")
    disclosures += add(1, summary="Ward 7B night staff", qualifying=False)
    # When the report is produced in any format
    text = out(org, fmt)
    # Then no reference or summary, nor a fragment of one, appears in it
    for d in disclosures:
        assert d.reference not in text
    for fragment in ("Zanzibar", "Quigley", "Oakfield", "Ward 7B", "night staff"):
        assert fragment not in text
