"""The Markdown report: sentences, comparison wording, categories and tables."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from whistledesk.organisation.config_file import read_config
from whistledesk.organisation.models import Organisation, ReportYear, ServiceCategory
from whistledesk.reports.renderers import render_text
from whistledesk.reports.selectors import annual_report_get

pytestmark = pytest.mark.django_db

CCO_TOML = (
    Path(__file__).resolve().parents[2]
    / "whistledesk/organisation/configs/childrens_commissioner.toml"
)


def md(org: Organisation, year: int = 2022) -> str:
    return render_text(annual_report_get(organisation=org, year=year), "md")


def table_rows(text: str, heading: str) -> list[tuple[str, str]]:
    """The (label, count) rows of the Markdown table whose first header is `heading`."""
    block = text.split(f"| {heading} |", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in block.splitlines()[2:] if line.startswith("|")]
    return [tuple(c.strip() for c in re.split(r"(?<!\\)\|", r)[1:3]) for r in rows]  # type: ignore[misc]


@pytest.fixture
def cco(org: Organisation) -> Organisation:
    """The factory taxonomy with the shipped Children's Commissioner naming and wording."""
    config = read_config(CCO_TOML)[0]
    for key, template in config.wording.items():
        setattr(org, f"wording_{key}", template)
    org.name = "Children's Commissioner's Office"
    org.name_in_sentence = "the Children's Commissioner's Office"
    org.short_name = "CCO"
    org.disclosure_noun = "whistle-blowing concerns"
    org.report_title = "Whistleblowing Disclosures"
    org.save()
    return org


@pytest.mark.parametrize(
    ("this_year", "last_year", "expected"),
    [
        (3, 2, "this is an increase from the year before when CCO received 2."),
        (2, 3, "this is a decrease from the year before when CCO received 3."),
        (2, 2, "this is the same as the year before when CCO also received 2."),
    ],
)
def test_comparison_with_the_year_before(
    cco: Organisation, add: Any, this_year: int, last_year: int, expected: str
) -> None:
    add(this_year)
    add(last_year, on=dt.date(2021, 5, 1))
    text = md(cco)
    assert (
        f"During 2022/23 the Children's Commissioner's Office received {this_year} "
        f"whistle-blowing concerns; {expected}"
    ) in text


def test_no_figure_for_the_year_before_when_nothing_was_recorded(
    cco: Organisation, add: Any
) -> None:
    add(1)
    text = md(cco)
    assert "received 1 whistle-blowing concern; there is no figure for the year before" in text


def test_a_year_with_no_disclosures_reads_sensibly(cco: Organisation, add: Any) -> None:
    add(4, on=dt.date(2021, 5, 1))
    text = md(cco)
    assert (
        "received no whistle-blowing concerns; this is a decrease from the year before "
        "when CCO received 4."
    ) in text
    assert "largest category" not in text
    assert table_rows(text, "Service the disclosure relates to")[-1] == ("Total", "0")


def test_statutory_sentence_counts_qualifying_and_further_action(
    cco: Organisation, add: Any
) -> None:
    add(3, outcome_label="Referred")
    add(1, outcome_label="No action")
    add(1, outcome_label=None)
    add(2, qualifying=False)
    text = md(cco)
    assert (
        "The Children's Commissioner's Office reasonably believes that 5 of them were "
        "qualifying disclosures within the matters for which it is prescribed, and took "
        "further action on 3 of them. At the end of the period 1 was awaiting a decision."
    ) in text
    assert "There was 1 referral that ended in no action beyond advice." in text
    assert table_rows(text, "Action taken in the reporting period") == [
        ("Referred", "3"),
        ("No action", "1"),
        ("Awaiting decision", "1"),
    ]


def test_largest_and_second_largest_with_tie_broken_by_configured_order(
    cco: Organisation, add: Any
) -> None:
    ServiceCategory.objects.filter(label="Hospitals").update(
        report_phrase="hospital wards", report_description="Wards are busy."
    )
    add(3, service_label="Hospitals")
    add(2, service_label="Other")
    add(2, service_label="Schools")  # ties with Other; Schools is configured first
    text = md(cco)
    assert (
        "The largest category this year has been disclosures relating to hospital wards. "
        "Wards are busy. The second largest category related to Schools."
    ) in text


def test_a_tie_for_largest_names_every_tied_category(cco: Organisation, add: Any) -> None:
    add(2, service_label="Hospitals")
    add(2, service_label="Other")
    add(1, service_label="Schools")
    text = md(cco)
    assert (
        "The largest categories this year, with 2 each, have been disclosures relating to "
        "Hospitals and Other."
    ) in text
    assert "second largest" not in text


def test_one_category_has_no_second_largest(cco: Organisation, add: Any) -> None:
    add(2, service_label="Other")
    text = md(cco)
    assert "The largest category this year has been disclosures relating to Other." in text
    assert "second largest" not in text


def test_year_texts_and_missing_impact_placeholder(cco: Organisation, add: Any) -> None:
    add(1, outcome_label="No action")
    text = md(cco)
    # Brackets are escaped in the Markdown file (rendered, it reads "[Not yet written: ...]").
    assert "## Impact on our functions\n\n\\[Not yet written:" in text
    ReportYear.objects.create(
        organisation=cco,
        year=2022,
        impact_text="It shaped our **advice** work.",
        further_action_example="A school was referred.",
        no_further_action_example="One was already investigated.",
    )
    text = md(cco)
    assert "## Impact on our functions\n\nIt shaped our **advice** work." in text
    assert "Schools. A school was referred." in text
    assert "no action beyond advice. One was already investigated." in text


def test_document_structure_and_tables(cco: Organisation, add: Any) -> None:
    cco.functions_text = "We look after children.\n\nSee [our policy](https://example.org/)."
    cco.save()
    add(2, service_label="Hospitals")
    text = md(cco)
    assert text.startswith("# Whistleblowing Disclosures\n\n1 April 2022 to 31 March 2023\n\n")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == [
        "Introduction",
        "Activity in 2022/23",
        "Impact on our functions",
        "Breakdown of disclosures received from 1 April 2022 to 31 March 2023",
    ]
    assert "See [our policy](https://example.org/)." in text
    assert "| Service the disclosure relates to | Number of Disclosures Received |" in text
    assert table_rows(text, "Service the disclosure relates to") == [
        ("Schools", "0"),
        ("Hospitals", "2"),
        ("Other", "0"),
        ("Total", "2"),
    ]


def test_labels_are_escaped_in_tables_and_sentences(cco: Organisation, add: Any) -> None:
    ServiceCategory.objects.filter(label="Hospitals").update(
        label="Care | nursing *homes*", report_phrase="care_homes [x]"
    )
    add(1, service_label="Care | nursing *homes*")
    text = md(cco)
    assert "| Care \\| nursing \\*homes\\* | 1 |" in text
    assert "relating to care\\_homes \\[x\\]." in text
    rows = table_rows(text, "Service the disclosure relates to")
    assert ("Care \\| nursing \\*homes\\*", "1") in rows
