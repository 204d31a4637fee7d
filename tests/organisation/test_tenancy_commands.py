"""`configure_organisation` adds or updates an organisation by its slug, and
`list_organisations` lists them (ADR 0017)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from whistledesk.organisation.models import Organisation

pytestmark = pytest.mark.django_db

ALPHA = """
[organisation]
name = "Alpha Regulator"
name_cy = "Rheoleiddiwr Alffa"
slug = "alpha"
host = "alpha.example.org"
languages = ["en", "cy"]
year_start = "04-01"

[[services]]
label = "Schools"
label_cy = "Ysgolion"

[[outcomes]]
label = "Referred"
label_cy = "Wedi'i atgyfeirio"
further_action = true
"""

BETA = """
[organisation]
name = "Beta Commissioner"
slug = "beta"
year_start = "01-01"

[[services]]
label = "Hospitals"

[[outcomes]]
label = "No action"
further_action = false
"""


def configure(tmp_path: Path, text: str, name: str = "org.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("configure_organisation", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def listing() -> str:
    out = io.StringIO()
    call_command("list_organisations", stdout=out)
    return out.getvalue()


def test_a_new_slug_adds_an_organisation_and_an_existing_one_updates_it(tmp_path: Path) -> None:
    assert configure(tmp_path, ALPHA).startswith(
        "Created Alpha Regulator (slug alpha, host alpha.example.org): reporting year starts 01/04"
    )
    assert configure(tmp_path, BETA).startswith(
        "Created Beta Commissioner (slug beta, path /beta/ when there are several)"
    )
    assert Organisation.objects.count() == 2
    renamed = BETA.replace('name = "Beta Commissioner"', 'name = "Beta Commission"')
    assert configure(tmp_path, renamed).startswith("Updated Beta Commission (slug beta,")
    assert sorted(Organisation.objects.values_list("slug", "name")) == [
        ("alpha", "Alpha Regulator"),
        ("beta", "Beta Commission"),
    ]


def test_a_file_without_a_slug_is_refused_when_there_are_several(tmp_path: Path) -> None:
    configure(tmp_path, ALPHA)
    configure(tmp_path, BETA)
    no_slug = BETA.replace('slug = "beta"\n', "")
    with pytest.raises(CommandError) as caught:
        configure(tmp_path, no_slug, "no-slug.toml")
    assert "was not loaded: This installation has several organisations" in str(caught.value)
    assert 'slug = "..."' in str(caught.value)
    assert Organisation.objects.count() == 2


def test_another_organisations_host_is_refused(tmp_path: Path) -> None:
    configure(tmp_path, ALPHA)
    clash = BETA.replace('slug = "beta"', 'slug = "beta"\nhost = "alpha.example.org"')
    with pytest.raises(CommandError, match="already has the host name 'alpha.example.org'"):
        configure(tmp_path, clash, "clash.toml")
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["alpha"]


def test_list_organisations(tmp_path: Path) -> None:
    assert listing() == (
        "No organisation is configured. Run `whistledesk configure_organisation FILE.toml`.\n"
    )
    configure(tmp_path, BETA)
    assert listing() == (
        "SLUG  HOST  NAME               LANGUAGES  ADDRESS\n"
        "beta  -     Beta Commissioner  en         /\n"
    )
    configure(tmp_path, ALPHA)
    assert listing() == (
        "SLUG   HOST               NAME               LANGUAGES  ADDRESS\n"
        "alpha  alpha.example.org  Alpha Regulator    en,cy      https://alpha.example.org/\n"
        "beta   -                  Beta Commissioner  en         /beta/\n"
    )
