"""The annual report in Welsh: `annual_report --language cy` for an organisation that enables
Welsh (the shipped Children's Commissioner demo), and a clear refusal for one that does not."""

from __future__ import annotations

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def report(*args: str) -> str:
    out = StringIO()
    call_command("annual_report", "--year", "2022", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())


def test_the_demo_report_in_welsh_markdown(demo: None) -> None:
    text = report("--format", "md", "--language", "cy")
    assert text.startswith("# Datgeliadau Chwythu'r Chwiban\n\n1 Ebrill 2022 i 31 Mawrth 2023\n")
    assert "## Cyflwyniad" in text
    assert (
        "Yn ystod 2022/23 cafodd Swyddfa'r Comisiynydd Plant 26 o bryderon chwythu'r chwiban; "
        "mae hyn yn gynnydd ers y flwyddyn flaenorol pan gafodd yr SCP 17."
    ) in text
    assert "Y categori mwyaf eleni fu datgeliadau'n ymwneud â darparwyr byw â chymorth." in text
    assert "Cafwyd 8 o atgyfeiriadau na arweiniodd at unrhyw gamau y tu hwnt i gyngor." in text
    assert "## Dadansoddiad o'r datgeliadau a gafwyd o 1 Ebrill 2022 i 31 Mawrth 2023" in text
    assert "## Effaith ar ein swyddogaethau" in text
    assert "| Y gwasanaeth y mae'r datgeliad yn ymwneud ag ef | Nifer y Datgeliadau a Gafwyd |" in (
        text
    )
    assert "| Darparwr byw â chymorth | 6 |" in text
    assert "| Cartrefi Plant | 1 |" in text
    assert "| Cyfanswm | 26 |" in text
    # The English report is unchanged beside it.
    english = report("--format", "md")
    assert english.startswith("# Whistleblowing Disclosures\n\n1 April 2022 to 31 March 2023\n")
    assert "| Total | 26 |" in english
    assert "Cyflwyniad" not in english


def test_the_welsh_json_keeps_english_keys_with_welsh_labels(demo: None) -> None:
    document = json.loads(report("--format", "json", "--language", "cy"))
    assert document["received"] == 26
    assert {"label": "Ysgol", "count": 4} in document["by_service"]
    csv = report("--format", "csv", "--language", "cy")
    assert csv.startswith("table,label,count\r\nsummary,received,26\r\n")
    assert "service,Ysgol,4\r\n" in csv


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_welsh_pdf_reads_in_welsh(demo: None, tmp_path: Path) -> None:
    pdf = tmp_path / "adroddiad.pdf"
    call_command(
        "annual_report",
        "--year",
        "2022",
        "--format",
        "pdf",
        "--language",
        "cy",
        "--output",
        str(pdf),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    text = subprocess.run(  # noqa: S603 - a fixed program on our own file
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    assert "Datgeliadau Chwythu'r Chwiban" in flat
    assert "Cyflwyniad" in flat
    assert "Cyfanswm 26" in flat
    assert "Yn ystod 2022/23 cafodd Swyddfa'r Comisiynydd Plant 26 o bryderon" in flat
    assert "Tudalen 1 o" in flat
    assert "Datgeliadau cymwys yn ôl gwasanaeth, 2022/23" in flat


def test_the_welsh_word_document(demo: None, tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "adroddiad.docx"
    call_command(
        "annual_report",
        "--year",
        "2022",
        "--format",
        "docx",
        "--language",
        "cy",
        "--output",
        str(path),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    words = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Cyflwyniad" in words
    assert "Datgeliadau yn ôl gwasanaeth" in words


def test_welsh_is_refused_for_an_organisation_that_does_not_enable_it(db: Any) -> None:
    OrganisationFactory(name="Example Regulator", languages="en")
    with pytest.raises(CommandError) as caught:
        report("--format", "md", "--language", "cy")
    assert str(caught.value) == (
        "Example Regulator does not offer its report in Welsh (its languages: en). Add 'cy' "
        "to languages in its configuration, with every text in that language, to produce it."
    )


def test_the_staff_page_offers_the_welsh_report_and_publishing_stores_both(
    demo: None, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role
    from whistledesk.organisation.models import Organisation
    from whistledesk.reports.models import PublishedReportFile

    # Disclosure control off, so the demo's small cells publish without decisions
    Organisation.objects.filter(slug="cco").update(small_cell_threshold=1)
    manager = make_staff("manager", roles=[Role.MANAGER])
    client = Client()
    client.force_login(manager)
    page = client.get("/staff/reports/", {"year": "2022"}).content.decode()
    assert 'href="/staff/reports/2022.md?language=cy"' in page
    welsh = client.get("/staff/reports/2022.md?language=cy").content.decode()
    assert welsh.startswith("# Datgeliadau Chwythu'r Chwiban\n")
    call_command("publish_report", "--year", "2022", stdout=StringIO(), stderr=StringIO())
    assert sorted(
        PublishedReportFile.objects.filter(report__year=2022).values_list("fmt", flat=True)
    ) == [
        "csv",
        "csv-cy",
        "docx",
        "docx-cy",
        "html",
        "html-cy",
        "json",
        "json-cy",
        "md",
        "md-cy",
        "pdf",
        "pdf-cy",
    ]
    published = client.get("/staff/reports/2022/published/v1.html?language=cy")
    assert published.status_code == 200
    assert '<html lang="cy">' in published.content.decode()
    assert "<h2>Cyflwyniad</h2>" in published.content.decode()
    assert report("--published", "--format", "md", "--language", "cy").startswith(
        "# Datgeliadau Chwythu'r Chwiban\n"
    )
    assert report("--published", "--format", "md").startswith("# Whistleblowing Disclosures\n")


def test_another_organisation_without_welsh_gets_no_welsh_report(db: Any, make_staff: Any) -> None:
    from whistledesk.accounts.roles import Role

    OrganisationFactory(languages="en")
    manager = make_staff("manager", roles=[Role.MANAGER])
    client = Client()
    client.force_login(manager)
    page = client.get("/staff/reports/", {"year": "2022"}).content.decode()
    assert "?language=cy" not in page
    assert client.get("/staff/reports/2022.md?language=cy").status_code == 404
