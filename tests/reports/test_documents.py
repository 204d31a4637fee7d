"""The report as a tagged PDF and an editable Word document (issue 13, item 2).

The demo's 2022/23 report must carry the seed's figures and tables: the PDF is read back
with `pdftotext` (poppler-utils), the Word document with python-docx.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess  # noqa: S404
import zlib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from whistledesk.accounts.roles import Role

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")

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


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    assert PDFTOTEXT, "pdftotext is missing: run scripts/system-deps.sh poppler-utils"
    result = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return words(result.stdout.decode("utf-8"))


def _pdfinfo(path: Path, *options: str) -> str:
    assert PDFINFO, "pdfinfo is missing: run scripts/system-deps.sh poppler-utils"
    result = subprocess.run(  # noqa: S603
        [PDFINFO, *options, str(path)], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams opened, to read the structure tree's entries."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())


def test_demo_pdf_holds_the_seed_figures_and_tables(demo: None, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    call_command(
        "annual_report",
        "--year",
        "2022",
        "--format",
        "pdf",
        "--output",
        str(target),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    # Tagged, with the structure a screen reader walks: headings, tables with header cells.
    info = _pdfinfo(target)
    assert "Tagged:          yes" in info
    assert "Title:           Whistleblowing Disclosures: 1 April 2022 to 31 March 2023" in info
    structure = [line.strip() for line in _pdfinfo(target, "-struct").splitlines()]
    assert structure.count("H1 (block)") == 1 and structure.count("H2 (block)") == 5
    # Three tables and three charts, each with its caption; the charts are figures.
    assert structure.count("Caption") == 6 and structure.count("THead") == 3
    assert structure.count("Figure:") == 3
    # Two column headers per table, and a row header for each row (Total included).
    assert len([line for line in structure if line.startswith("TH ")]) == 3 * 2 + 8 + 2 + 2
    # Each chart's text alternative states every value.
    assert (
        b"/Alt (Bar chart, qualifying disclosures by service, 2022/23. Children's Homes: 1; "
        b"Local Authority Children's Services.: 5; Health service or setting: 3; School: 4; "
        b"Supported living provider: 6; Early years provider: 2; other: 5.)"
    ) in _inflated(content)
    assert (
        b"/Alt (Bar chart, disclosures received by reporting year. 2021/22: 17; 2022/23: 26.)"
    ) in _inflated(content)
    text = pdf_text(target)
    assert text.startswith("Children's Commissioner's Office Whistleblowing Disclosures")
    assert "1 April 2022 to 31 March 2023" in text
    assert (
        "During 2022/23 the Children's Commissioner's Office received 26 whistle-blowing "
        "concerns; this is an increase from the year before when CCO received 17."
    ) in text
    assert "There were 8 referrals that ended in no action beyond advice." in text
    assert "Service the disclosure relates to Number of Disclosures Received" in text
    for label, count in SERVICES + ACTIONS:
        assert f"{label} {count}" in text, label
    assert "Disclosures received by reporting year Reporting year" in text
    assert "2021/22 17 2022/23 26" in text
    assert "Page 1 of" in text


def test_demo_docx_has_headings_and_tables(demo: None, tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    call_command(
        "annual_report",
        "--year",
        "2022",
        "--format",
        "docx",
        "--output",
        str(target),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    document = Document(str(target))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Title", "Heading"))
    ]
    assert headings == [
        ("Title", "Whistleblowing Disclosures"),
        ("Heading 1", "Introduction"),
        ("Heading 1", "Activity in 2022/23"),
        ("Heading 1", "Impact on our functions"),
        ("Heading 1", "Breakdown of disclosures received from 1 April 2022 to 31 March 2023"),
        ("Heading 1", "Charts"),
    ]
    body = words(" ".join(p.text for p in document.paragraphs))
    assert "received 26 whistle-blowing concerns" in body
    services, actions, years = document.tables
    assert [[c.text for c in r.cells] for r in services.rows] == [
        ["Service the disclosure relates to", "Number of Disclosures Received"],
        *[[label, count] for label, count in SERVICES],
    ]
    assert [[c.text for c in r.cells] for r in actions.rows] == [
        ["Action taken in the reporting period", "Number of Disclosures Received"],
        *[[label, count] for label, count in ACTIONS],
    ]
    assert [[c.text for c in r.cells] for r in years.rows] == [
        ["Reporting year", "Disclosures received, qualifying or not"],
        ["2021/22", "17"],
        ["2022/23", "26"],
    ]
    # Three charts as pictures, each with its text alternative (Word's Alt Text).
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert len(alts) == 3
    assert alts[2] == "Bar chart, disclosures received by reporting year. 2021/22: 17; 2022/23: 26."
    assert alts[1].startswith("Bar chart, qualifying disclosures by action taken, 2022/23. ")
    # The header row is marked as one (read out by screen readers, repeated on each page).
    assert services.rows[0]._tr.xml.count("w:tblHeader") == 1


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_binary_formats_need_an_output_file(demo: None, fmt: str) -> None:
    with pytest.raises(CommandError, match=f"A {fmt.upper()} file cannot be shown in a terminal"):
        call_command("annual_report", "--year", "2022", "--format", fmt, stdout=StringIO())


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF-"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK\x03\x04",
        ),
    ],
)
def test_downloads_from_the_staff_page(
    staff_client: Any, demo: None, fmt: str, content_type: str, magic: bytes
) -> None:
    page = staff_client.get("/staff/reports/", {"year": "2022"}).content.decode()
    assert f'href="/staff/reports/2022.{fmt}"' in page
    response = staff_client.get(f"/staff/reports/2022.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="whistleblowing-report-2022-23.{fmt}"'
    )
    assert response.content.startswith(magic)


def test_published_pdf_and_docx_are_stored(
    client: Any, make_staff: Any, demo: None, tmp_path: Path
) -> None:
    client.force_login(make_staff("manager", roles=[Role.MANAGER]))
    assert client.post("/staff/reports/2022/publish").status_code == 302
    stored = client.get("/staff/reports/2022/published/v1.pdf").content
    assert "received 26 whistle-blowing concerns" in pdf_text(_save(tmp_path, stored))
    docx = Document(io.BytesIO(client.get("/staff/reports/2022/published/v1.docx").content))
    assert docx.tables[0].rows[-1].cells[1].text == "26"
    target = tmp_path / "again.pdf"
    call_command(
        "annual_report",
        "--year",
        "2022",
        "--published",
        "--format",
        "pdf",
        "--output",
        str(target),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert target.read_bytes() == stored


def _save(folder: Path, content: bytes) -> Path:
    path = folder / "stored.pdf"
    path.write_bytes(content)
    return path
