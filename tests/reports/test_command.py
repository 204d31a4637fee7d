"""`whistledesk annual_report`: standard output, --output written atomically, clear errors."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from whistledesk.reports.renderers import markdown

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    stdout = StringIO()
    call_command("annual_report", *args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def test_markdown_on_standard_output_by_default(org: Any, add: Any) -> None:
    add(2)
    text = run("--year", "2022")
    assert text.startswith("# Whistleblowing Disclosures")
    assert "| Total | 2 |" in text


@pytest.mark.parametrize("fmt", ["json", "csv", "html", "md"])
def test_output_file_in_each_format(org: Any, add: Any, tmp_path: Path, fmt: str) -> None:
    add(1)
    target = tmp_path / f"report.{fmt}"
    assert run("--year", "2022", "--format", fmt, "--output", str(target)) == ""
    content = target.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(content)["received"] == 1
    else:
        assert "Schools" in content
    assert [p.name for p in tmp_path.iterdir()] == [f"report.{fmt}"]  # no temporary left


def test_failed_run_leaves_no_half_file(
    org: Any, add: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(1)
    target = tmp_path / "report.md"
    target.write_text("last year's report", encoding="utf-8")

    def broken_table(*args: Any, **kwargs: Any) -> str:
        raise OSError(28, "No space left on device")

    # The failure strikes half way through writing: the old file stays whole.
    monkeypatch.setattr(markdown, "table", broken_table)
    with pytest.raises(CommandError, match="No space left on device"):
        run("--year", "2022", "--output", str(target))
    assert target.read_text(encoding="utf-8") == "last year's report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_missing_output_folder_is_a_clear_error(org: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        run("--year", "2022", "--output", str(tmp_path / "nope" / "r.md"))


@pytest.mark.parametrize("year", ["1066", "10000"])
def test_bad_year_is_a_clear_error(org: Any, year: str) -> None:
    with pytest.raises(CommandError, match="not a reporting year"):
        run("--year", year)


def test_unconfigured_organisation_is_a_clear_error(db: Any) -> None:
    with pytest.raises(CommandError, match="No organisation is configured"):
        run("--year", "2022")


def test_bad_format_and_missing_year_are_refused(org: Any) -> None:
    with pytest.raises(CommandError):
        run("--year", "2022", "--format", "pdf")
    with pytest.raises(CommandError):
        run()
