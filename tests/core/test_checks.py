"""`whistledesk check` (and runserver, migrate...) warns about a set-up that would degrade
without a word: no front-end build (every page unstyled), no mat2 (every upload refused)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management import call_command


def check_output() -> str:
    err, out = io.StringIO(), io.StringIO()
    call_command("check", stdout=out, stderr=err)
    return err.getvalue() + out.getvalue()


def test_no_warning_when_the_build_and_mat2_are_there() -> None:
    output = check_output()
    assert "whistledesk.W001" not in output and "whistledesk.W002" not in output


def test_a_missing_front_end_build_is_a_warning(settings: Any, tmp_path: Path) -> None:
    # Given static files that hold no build (a pip install without `make assets`)
    settings.STATICFILES_DIRS = [tmp_path]
    output = check_output()
    assert "whistledesk.W001" in output
    assert "The front-end build is missing" in output and "make assets" in output


def test_a_missing_mat2_is_a_warning(monkeypatch: Any, tmp_path: Path) -> None:
    from whistledesk.casefiles import attachments

    monkeypatch.setattr(attachments, "MAT2", str(tmp_path / "mat2"))
    output = check_output()
    assert "whistledesk.W002" in output
    assert "every uploaded file would be refused" in output
    assert "sudo apt-get install mat2" in output
