"""`create_manager` and `demo_staff` with several organisations (ADR 0017): each names its
organisation, and refuses to guess when there are several and none is named."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import OrganisationFactory
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "the-first-managers-password"


@pytest.fixture
def two(db: Any) -> tuple[Any, Any]:
    return (
        OrganisationFactory(slug="alpha", name="Alpha Regulator"),
        OrganisationFactory(slug="beta", name="Beta Commissioner", host="b.example.org"),
    )


def create_manager(monkeypatch: Any, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    out = io.StringIO()
    call_command("create_manager", *args, stdout=out)
    return out.getvalue()


def test_create_manager_makes_the_manager_of_the_named_organisation(
    monkeypatch: Any, two: tuple[Any, Any]
) -> None:
    a, b = two
    out = create_manager(monkeypatch, "meg", "--organisation", "alpha")
    assert out == (
        "Manager 'meg' of Alpha Regulator (alpha) created. Sign in at /alpha/staff/ and add "
        "staff on the Staff page.\n"
    )
    out = create_manager(monkeypatch, "meg", "--organisation", "beta")
    assert "Sign in at https://b.example.org/staff/" in out
    meg_a = User.objects.get(organisation=a, username="meg")
    meg_b = User.objects.get(organisation=b, username="meg")
    assert meg_a.has_role(Role.MANAGER) and meg_b.has_role(Role.MANAGER)
    # Each signs in at her own organisation only
    client = Client()
    response = client.post(
        "/alpha/staff/account/sign-in/", {"username": "meg", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(meg_a.pk)
    # The same name again in the same organisation is refused
    with pytest.raises(CommandError, match="already taken"):
        create_manager(monkeypatch, "MEG", "--organisation", "alpha")


def test_create_manager_refuses_to_guess_among_several(
    monkeypatch: Any, two: tuple[Any, Any]
) -> None:
    with pytest.raises(CommandError) as caught:
        create_manager(monkeypatch, "meg")
    assert str(caught.value) == (
        "This installation has several organisations (alpha, beta): name one with "
        "--organisation SLUG."
    )
    with pytest.raises(CommandError, match=r"No organisation has the slug 'gamma' \(there are"):
        create_manager(monkeypatch, "meg", "--organisation", "gamma")
    assert not User.objects.filter(username="meg").exists()


def test_create_manager_with_the_only_organisation_needs_no_name(
    monkeypatch: Any, organisation: Any
) -> None:
    out = create_manager(monkeypatch, "meg")
    assert "Sign in at /staff/" in out
    assert User.objects.get(username="meg").organisation == organisation


def test_demo_staff_joins_the_named_or_only_organisation(
    settings: Any, two: tuple[Any, Any]
) -> None:
    settings.WHISTLEDESK_LOCAL_MODE = True
    with pytest.raises(CommandError, match=r"several organisations \(alpha, beta\)"):
        call_command("demo_staff", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_staff", "--organisation", "beta", stdout=out)
    assert out.getvalue() == (
        "Demo staff login: username 'demo', password 'demo-whistledesk' "
        "(at https://b.example.org/staff/)\n"
    )
    assert list(
        User.objects.filter(username="demo").values_list("organisation__slug", flat=True)
    ) == ["beta"]
    # Running it again changes nothing
    call_command("demo_staff", "--organisation", "beta", stdout=io.StringIO())
    assert User.objects.filter(username="demo").count() == 1


def test_demo_staff_in_a_one_organisation_demo_is_at_the_root(
    settings: Any, organisation: Any
) -> None:
    settings.WHISTLEDESK_LOCAL_MODE = True
    out = io.StringIO()
    call_command("demo_staff", stdout=out)
    assert out.getvalue().endswith("(at /staff/)\n")
    assert User.objects.get(username="demo").organisation == organisation
