"""`whistledesk load_prescribed_persons`: the shipped directory loads; a bad file is refused
whole, naming the entry and its line; loading again changes nothing; a body taken out of
the file is withdrawn (kept) when a case names it, deleted otherwise."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from whistledesk.audit.models import AuditEvent
from whistledesk.signposting.models import DirectorySource, PrescribedPerson

pytestmark = pytest.mark.django_db

HEADER = """\
[directory]
last_checked = 2026-11-01
source = "Test entries."
"""
ALPHA = """
[[body]]
key = "alpha"
name = "Alpha Regulator"
matters = "Alpha things."
website = "https://alpha.example.org/"
"""
BETA = """
[[body]]
key = "beta"
name = "Beta Authority"
matters = "Beta things."
website = "https://beta.example.org/"
email = "tell@beta.example.org"
phone = "020 7946 0001"
"""


def _load(path: Path | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = ["--file", str(path)] if path else []
    call_command("load_prescribed_persons", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "directory.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_directory_loads(directory: str) -> None:
    assert directory.startswith("Loaded 73 bodies (checked 30 November 2026): 73 new")
    fca = PrescribedPerson.objects.get(key="fca")
    assert fca.name == "Financial Conduct Authority"
    assert fca.website == "https://www.fca.org.uk/firms/whistleblowing"
    assert fca.email == "whistle@fca.org.uk"
    assert fca.contact_route == (
        "https://www.fca.org.uk/firms/whistleblowing; email whistle@fca.org.uk; "
        "telephone 020 7066 9200"
    )
    for key in [
        "cqc",
        "pra",
        "ico",
        "hse",
        "ofsted",
        "childrens-commissioner-england",
        "childrens-commissioner-wales",
        "cypcs",
        "niccy",
        "hmrc",
        "nao",
        "charity-commission",
        "environment-agency",
        "ofcom",
        "ofgem",
        "ofwat",
        "pensions-regulator",
        "sfo",
        "cma",
        "nhs-england",
        "gmc",
        "nmc",
        "hcpc",
        "gphc",
        "social-work-england",
    ]:
        assert PrescribedPerson.objects.filter(key=key, withdrawn_at__isnull=True).exists(), key
    source = DirectorySource.objects.get()
    assert source.last_checked == dt.date(2026, 11, 30)
    assert "Public Interest Disclosure (Prescribed Persons) Order 2014" in source.source
    event = AuditEvent.objects.get(action="signposting.directory_loaded")
    assert event.details["created"] == 73 and event.actor_label == "load_prescribed_persons"


def test_loading_again_changes_nothing(directory: str) -> None:
    # Given the shipped directory loaded once
    before = {p.key: (p.pk, p.updated_at) for p in PrescribedPerson.objects.all()}
    events = AuditEvent.objects.count()
    # When it is loaded again
    out, _ = _load()
    # Then nothing changed and nothing was recorded
    assert out == "73 bodies, already up to date: nothing changed.\n"
    assert {p.key: (p.pk, p.updated_at) for p in PrescribedPerson.objects.all()} == before
    assert AuditEvent.objects.count() == events


def test_a_malformed_entry_is_refused_naming_it_and_its_line(tmp_path: Path) -> None:
    # Given a file whose second entry has no website, a bad email and an unknown key
    bad = BETA.replace('website = "https://beta.example.org/"\n', "").replace(
        "tell@beta.example.org", "not-an-email"
    )
    path = _file(tmp_path, HEADER + ALPHA + bad + 'colour = "blue"\n')
    # When it is loaded
    with pytest.raises(CommandError, match="was not loaded \\(3 problem\\(s\\)\\); nothing was"):
        _load(path)
    # Then nothing is stored
    assert not PrescribedPerson.objects.exists()
    assert not AuditEvent.objects.filter(action="signposting.directory_loaded").exists()


def test_each_problem_names_the_entry_and_line(tmp_path: Path) -> None:
    bad = BETA.replace('website = "https://beta.example.org/"\n', "").replace(
        "tell@beta.example.org", "not-an-email"
    )
    path = _file(tmp_path, HEADER + ALPHA + bad + 'colour = "blue"\n')
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_prescribed_persons", "--file", str(path), stderr=err)
    # [[body]] of beta is on line 11 of the file (3 header lines, a blank, alpha 5-9, a blank)
    assert err.getvalue().splitlines() == [
        f"{path}: line 11, entry 2 (beta): unknown key 'colour' (allowed: key, name, "
        "matters, website, email, phone, note)",
        f"{path}: line 11, entry 2 (beta): website is missing",
        f"{path}: line 11, entry 2 (beta): email 'not-an-email' is not an email address",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (HEADER + ALPHA + ALPHA, "line 11, entry 2 (alpha): key 'alpha' is already used by "),
        (HEADER + ALPHA.replace("https://", "http://"), "website must be a full https://"),
        (HEADER + ALPHA.replace('"alpha"', '"Alpha One"'), "key 'Alpha One' must be lower-case"),
        (HEADER + ALPHA.replace('name = "Alpha Regulator"', "name = 7"), "name must be text"),
        (ALPHA, "[directory] is missing"),
        (HEADER, "no [[body]] entries"),
        (HEADER + ALPHA + "[[body\n", "not valid TOML"),
        (HEADER.replace("2026-11-01", '"last week"') + ALPHA, "last_checked must be a date"),
    ],
    ids=["duplicate", "http", "key", "type", "no-directory", "no-bodies", "toml", "date"],
)
def test_other_problems(tmp_path: Path, text: str, problem: str) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_prescribed_persons", "--file", str(_file(tmp_path, text)), stderr=err)
    assert problem in err.getvalue()
    assert not PrescribedPerson.objects.exists()


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_prescribed_persons", "--file", str(tmp_path / "nope.toml"), stderr=err)
    assert "cannot read the file: No such file or directory" in err.getvalue()


def test_updates_withdrawals_and_returns(tmp_path: Path, web_case: Any, people: Any) -> None:
    from whistledesk.signposting.models import Signpost

    # Given a small directory, and a case signposted to beta
    path = _file(tmp_path, HEADER + ALPHA + BETA)
    out, _ = _load(path)  # the shipped 73 leave (none is named by a case): deleted
    assert out.startswith("Loaded 2 bodies (checked 01 November 2026): 2 new, 0 changed")
    assert out.endswith("0 withdrawn (named by a case), 73 removed.\n")
    beta = PrescribedPerson.objects.get(key="beta")
    Signpost.objects.create(
        disclosure=web_case[0], body=beta, recorded_by=people["carl"], delivery="staff"
    )
    # When alpha's matters change and beta leaves the file
    path.write_text(HEADER + ALPHA.replace("Alpha things.", "Alpha matters."))
    out, _ = _load(path)
    # Then alpha is updated, beta is kept but withdrawn
    assert "0 new, 1 changed, 0 unchanged, 0 back in the directory; 1 withdrawn" in out
    assert PrescribedPerson.objects.get(key="alpha").matters == "Alpha matters."
    assert PrescribedPerson.objects.get(key="beta").withdrawn_at is not None
    # And when beta comes back, it is in the directory again
    path.write_text(HEADER + ALPHA.replace("Alpha things.", "Alpha matters.") + BETA)
    out, _ = _load(path)
    assert "0 new, 0 changed, 1 unchanged, 1 back in the directory; 0 withdrawn" in out
    assert PrescribedPerson.objects.get(key="beta").withdrawn_at is None
    assert AuditEvent.objects.filter(action="signposting.directory_loaded").count() == 4
