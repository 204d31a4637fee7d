"""`load_demo` then `annual_report --year 2022 --format md` reproduces the published report."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SEED = next((Path(__file__).resolve().parents[2] / "../shared/seeds").glob("*.txt"), None)

SERVICES = [
    ("Children's Homes", "1"),
    ("Local Authority Children's Services.", "5"),
    ("Health service or setting", "3"),
    ("School", "4"),
    ("Supported living provider", "6"),
    ("Early years provider", "2"),
    ("other", "5"),
    ("Total", "26"),
]
ACTIONS = [
    (
        "All concerns were sent to the appropriate bodies including the local authority, "
        "police and Ofsted",
        "18",
    ),
    (
        "Not taken forward: closed through lack of engagement/ information from the "
        "whistle-blower or matter already been investigated",
        "8",
    ),
]


def rows(text: str, heading: str) -> list[tuple[str, str]]:
    block = text.split(f"| {heading} |", 1)[1].split("\n\n", 1)[0]
    return [
        tuple(cell.strip() for cell in line.strip("|").rsplit("|", 1))  # type: ignore[misc]
        for line in block.splitlines()[2:]
    ]


def test_demo_2022_report_matches_the_seed(db: Any) -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("annual_report", "--year", "2022", "--format", "md", stdout=out)
    text = out.getvalue()
    assert text.startswith("# Whistleblowing Disclosures\n\n1 April 2022 to 31 March 2023\n")
    assert (
        "During 2022/23 the Children's Commissioner's Office received 26 whistle-blowing "
        "concerns; this is an increase from the year before when CCO received 17."
    ) in text
    assert (
        "The largest category this year has been disclosures relating to supported living" in text
    )
    assert "The second largest category related to Local Authority children" in text
    assert "There were 8 referrals that ended in no action beyond advice." in text
    assert "## Breakdown of disclosures received from 1 April 2022 to 31 March 2023" in text
    assert rows(text, "Service the disclosure relates to") == SERVICES
    assert rows(text, "Action taken in the reporting period") == ACTIONS


@pytest.mark.skipif(SEED is None, reason="the seed document is not beside the repository")
def test_demo_tables_are_the_seed_tables_word_for_word(db: Any) -> None:
    seed = SEED.read_text(encoding="utf-8")  # type: ignore[union-attr]
    for label, count in SERVICES + ACTIONS:
        assert f"{label}\t{count}" in seed
