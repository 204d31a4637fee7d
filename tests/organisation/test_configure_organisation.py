"""`whistledesk configure_organisation`: create, update in place, retire, refuse bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Disclosure
from whistledesk.organisation.models import Organisation, Outcome, ReportYear, ServiceCategory
from whistledesk.organisation.selectors import outcome_list, service_list

pytestmark = pytest.mark.django_db

FIRST = """
[organisation]
name = "Example Regulator"
short_name = "ER"
year_start = "01-01"
disclosure_noun = "concerns"
functions = "What we do."

[[services]]
label = "Schools"
phrase = "schools"

[[services]]
label = "Hospitals"

[[services]]
label = "Prisons"

[[outcomes]]
label = "Referred"
further_action = true

[[outcomes]]
label = "No action"
further_action = false

[[years]]
year = 2023
impact = "First text."
"""

# Prisons dropped, Care homes added, Hospitals moved first, an outcome's flag changed.
SECOND = """
[organisation]
name = "Example Regulator (renamed)"
year_start = "04-06"

[[services]]
label = "Hospitals"

[[services]]
label = "Schools"
phrase = "state schools"

[[services]]
label = "Care homes"

[[outcomes]]
label = "Referred"
further_action = true

[[outcomes]]
label = "No action"
further_action = true
"""


def write(tmp_path: Path, text: str, name: str = "org.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def configure(path: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("configure_organisation", path, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_first_load_creates_the_organisation_and_its_ordered_taxonomy(tmp_path: Path) -> None:
    output = configure(write(tmp_path, FIRST))

    org = Organisation.objects.get()
    assert output.startswith("Created Example Regulator")
    assert (org.short_name, org.year_start_month, org.year_start_day) == ("ER", 1, 1)
    assert org.disclosure_noun == "concerns"
    assert org.functions_text == "What we do."
    assert [s.label for s in service_list(organisation=org)] == ["Schools", "Hospitals", "Prisons"]
    assert service_list(organisation=org)[0].phrase == "schools"
    assert [(o.label, o.further_action) for o in outcome_list(organisation=org)] == [
        ("Referred", True),
        ("No action", False),
    ]
    assert ReportYear.objects.get(organisation=org, year=2023).impact_text == "First text."
    assert AuditEvent.objects.filter(action="organisation.configured").count() == 1


def test_reloading_updates_in_place_and_retires_what_is_gone(tmp_path: Path) -> None:
    configure(write(tmp_path, FIRST))
    org = Organisation.objects.get()
    schools = ServiceCategory.objects.get(label="Schools")
    prisons = ServiceCategory.objects.get(label="Prisons")
    # A past disclosure about prisons must keep its category.
    Disclosure.objects.create(
        organisation=org, reference="ER-1", received_on="2023-05-01", channel="email",
        service=prisons, qualifying=True,
    )  # fmt: skip

    output = configure(write(tmp_path, SECOND))

    assert Organisation.objects.count() == 1
    org.refresh_from_db()
    assert output.startswith("Updated Example Regulator (renamed)")
    assert "services 1 new, 2 changed, 1 retired" in output
    assert (org.name, org.short_name, org.year_start_month, org.year_start_day) == (
        "Example Regulator (renamed)", "", 4, 6,
    )  # fmt: skip
    assert [s.label for s in service_list(organisation=org, active_only=True)] == [
        "Hospitals", "Schools", "Care homes",
    ]  # fmt: skip
    # Same rows, not new ones: references from disclosures stay valid.
    assert ServiceCategory.objects.get(label="Schools").pk == schools.pk
    assert ServiceCategory.objects.get(label="Schools").phrase == "state schools"
    retired = ServiceCategory.objects.get(label="Prisons")
    assert retired.pk == prisons.pk and not retired.active
    assert [s.label for s in service_list(organisation=org)][-1] == "Prisons"
    assert Disclosure.objects.get(reference="ER-1").service == retired
    assert Outcome.objects.get(label="No action").further_action is True
    # Year texts not in the new file are kept.
    assert ReportYear.objects.get(year=2023).impact_text == "First text."
    assert AuditEvent.objects.filter(action="organisation.configured").count() == 2


def test_a_retired_service_comes_back_when_listed_again(tmp_path: Path) -> None:
    configure(write(tmp_path, FIRST))
    configure(write(tmp_path, SECOND))
    configure(write(tmp_path, FIRST))
    org = Organisation.objects.get()
    assert [s.label for s in service_list(organisation=org, active_only=True)] == [
        "Schools", "Hospitals", "Prisons",
    ]  # fmt: skip
    assert ServiceCategory.objects.filter(label="Prisons").count() == 1


def test_a_bad_file_changes_nothing_and_names_every_problem(tmp_path: Path) -> None:
    from io import StringIO

    configure(write(tmp_path, FIRST))
    bad = SECOND.replace('year_start = "04-06"', 'year_start = "02-29"').replace(
        'label = "Care homes"', 'label = "Care homes"\nlabell = "typo"'
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"not loaded \(2 problem\(s\)\); nothing was changed"):
        call_command("configure_organisation", write(tmp_path, bad, "bad.toml"), stderr=err)

    assert "organisation.year_start: year start 02-29" in err.getvalue()
    assert "services[3]: unknown key 'labell'" in err.getvalue()
    org = Organisation.objects.get()
    assert org.name == "Example Regulator"
    assert [s.label for s in service_list(organisation=org, active_only=True)] == [
        "Schools", "Hospitals", "Prisons",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="organisation.configured").count() == 1


def test_a_toml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "configure_organisation",
            write(tmp_path, FIRST.replace('label = "Hospitals"', "label = Hospitals")),
            stderr=err,
        )
    assert "not valid TOML" in err.getvalue() and "line 14" in err.getvalue()
    assert not Organisation.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("configure_organisation", str(tmp_path / "missing.toml"))
    assert not Organisation.objects.exists()
