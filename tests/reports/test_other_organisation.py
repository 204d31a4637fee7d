"""A second prescribed person: its own taxonomy, calendar reporting year and report wording.

Configured and filled through the same commands a deployment uses (configure_organisation,
import_disclosures), so the report below is what that organisation would publish.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

REGULATOR = """
[organisation]
name = "Health and Care Regulator"
name_in_sentence = "the Health and Care Regulator"
short_name = "HCR"
year_start = "01-01"
disclosure_noun = "disclosures"
report_title = "Disclosures by health and care workers"

[wording]
comparison_increase = "up from {previous_count} in {previous_year}"
comparison_decrease = "down from {previous_count} in {previous_year}"
comparison_same = "the same number as in {previous_year}"
comparison_none = "this is the first year {short_name} has reported"
largest_category = "Most disclosures ({count}) concerned {category}."
largest_categories_tied = "{categories} drew the most disclosures, {count} each."
second_largest_category = "Next came {category}, with {count}."
no_further_action = "{organisation} closed {count} {noun} after giving advice."
no_further_action_one = "{organisation} closed one disclosure after giving advice."
no_further_action_none = "{organisation} closed no {noun} after giving advice."

[[services]]
label = "Hospitals"
phrase = "hospitals"

[[services]]
label = "GP practices"

[[services]]
label = "Care homes"
phrase = "care homes"

[[services]]
label = "Dental practices"

[[outcomes]]
label = "Inspection brought forward"
further_action = true

[[outcomes]]
label = "Passed to another body"
further_action = true

[[outcomes]]
label = "No action: advice given"
further_action = false
"""

# Reporting years run 1 January to 31 December: both edges of 2023 are in 2023.
DISCLOSURES = """reference,received_on,channel,service,outcome,qualifying,anonymous,summary
HCR-01,2022-05-01,email,Hospitals,Inspection brought forward,yes,no,
HCR-02,2022-12-31,web,Care homes,Inspection brought forward,yes,no,
HCR-03,2023-01-01,email,Hospitals,Inspection brought forward,yes,no,
HCR-04,2023-03-10,phone,Hospitals,Passed to another body,yes,yes,
HCR-05,2023-12-31,email,Hospitals,No action: advice given,yes,no,
HCR-06,2023-06-01,letter,GP practices,No action: advice given,yes,no,
HCR-07,2023-07-01,email,GP practices,Inspection brought forward,yes,no,
HCR-08,2023-08-01,web,Care homes,,yes,no,
HCR-09,2023-09-01,email,Dental practices,,no,no,
HCR-10,2024-01-01,email,Hospitals,Inspection brought forward,yes,no,
"""

CCO_PHRASES = [
    "referral",
    "no action beyond advice",
    "The largest category",
    "second largest",
    "from the year before",
    "Children",
]


@pytest.fixture
def regulator(tmp_path: Path) -> None:
    config = tmp_path / "regulator.toml"
    config.write_text(REGULATOR, encoding="utf-8")
    data = tmp_path / "disclosures.csv"
    data.write_text(DISCLOSURES, encoding="utf-8")
    call_command("configure_organisation", str(config), stdout=StringIO(), stderr=StringIO())
    call_command("import_disclosures", str(data), stdout=StringIO(), stderr=StringIO())


def report(year: int, fmt: str = "md") -> str:
    out = StringIO()
    call_command("annual_report", "--year", str(year), "--format", fmt, stdout=out)
    return out.getvalue()


def test_the_report_speaks_in_the_regulators_own_words(regulator: None) -> None:
    text = report(2023)
    assert text.startswith(
        "# Disclosures by health and care workers\n\n1 January 2023 to 31 December 2023\n"
    )
    assert "## Activity in 2023\n" in text
    assert (
        "During 2023 the Health and Care Regulator received 7 disclosures; up from 2 in 2022."
    ) in text
    assert (
        "The Health and Care Regulator reasonably believes that 6 of them were qualifying "
        "disclosures within the matters for which it is prescribed, and took further action "
        "on 3 of them. At the end of the period 1 was awaiting a decision."
    ) in text
    assert "Most disclosures (3) concerned hospitals. Next came GP practices, with 2." in text
    # A template that opens with the organisation still starts its sentence with a capital.
    assert "The Health and Care Regulator closed 2 disclosures after giving advice." in text
    for phrase in CCO_PHRASES:
        assert phrase not in text


def test_its_tables_follow_its_own_taxonomy(regulator: None) -> None:
    data = json.loads(report(2023, "json"))
    assert (data["organisation"], data["period_start"], data["period_end"]) == (
        "Health and Care Regulator",
        "2023-01-01",
        "2023-12-31",
    )
    assert (data["received"], data["qualifying"], data["previous_period_received"]) == (7, 6, 2)
    assert [(r["label"], r["count"]) for r in data["by_service"]] == [
        ("Hospitals", 3),
        ("GP practices", 2),
        ("Care homes", 1),
        ("Dental practices", 0),
    ]
    assert [(r["label"], r["count"]) for r in data["by_outcome"]] == [
        ("Inspection brought forward", 2),
        ("Passed to another body", 1),
        ("No action: advice given", 2),
    ]


def test_a_first_year_with_a_tie_and_nothing_taken_no_further(regulator: None) -> None:
    text = report(2022)
    assert "received 2 disclosures; this is the first year HCR has reported." in text
    assert "Hospitals and care homes drew the most disclosures, 1 each." in text
    assert "The Health and Care Regulator closed no disclosures after giving advice." in text


def test_a_smaller_year_and_the_html_document_use_the_same_wording(regulator: None) -> None:
    text = report(2024)
    assert "received 1 disclosure; down from 7 in 2023." in text
    assert "Most disclosures (1) concerned hospitals." in text
    assert "Next came" not in text
    html = report(2024, "html")
    assert "down from 7 in 2023." in html
    assert "Most disclosures (1) concerned hospitals." in html


def test_new_wording_is_used_from_the_next_report(regulator: None, tmp_path: Path) -> None:
    # Given the regulator changes one sentence and drops the rest of its wording
    changed = REGULATOR.split("[wording]")[0] + (
        '[wording]\nno_further_action = "{count} were closed with advice only."\n'
        + "[[services]]"
        + REGULATOR.split("[[services]]", 1)[1]
    )
    path = tmp_path / "changed.toml"
    path.write_text(changed, encoding="utf-8")
    call_command("configure_organisation", str(path), stdout=StringIO(), stderr=StringIO())
    text = report(2023)
    # Then the changed sentence is its own, and the dropped ones are the neutral defaults
    assert "2 were closed with advice only." in text
    assert "this is an increase from the year before when HCR received 2." in text
    assert "The largest category this year has been disclosures relating to hospitals." in text


def test_without_a_name_in_sentence_the_name_is_used_as_it_is(
    regulator: None, tmp_path: Path
) -> None:
    path = tmp_path / "plain.toml"
    path.write_text(
        REGULATOR.replace('name_in_sentence = "the Health and Care Regulator"\n', ""),
        encoding="utf-8",
    )
    call_command("configure_organisation", str(path), stdout=StringIO(), stderr=StringIO())
    text = report(2023)
    # No article is guessed from the name's last word.
    assert "During 2023 Health and Care Regulator received 7 disclosures" in text
    assert "Health and Care Regulator closed 2 disclosures after giving advice." in text
