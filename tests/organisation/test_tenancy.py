"""Which organisation a request is for (organisation/tenancy.py, ADR 0017), and sign-in
staying inside it (accounts/backends.py, accounts/middleware.py), through the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OrganisationFactory
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.organisation import tenancy

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
OTHER_PASSWORD = "another-long-password"


def staff(org: Any, username: str, roles: list[Role], password: str = PASSWORD) -> User:
    return user_create(
        actor=None, username=username, password=password, roles=roles, organisation=org
    )


def sign_in(client: Client, prefix: str, username: str, password: str = PASSWORD) -> Any:
    return client.post(
        f"{prefix}/staff/account/sign-in/", {"username": username, "password": password}
    )


@pytest.fixture
def two(db: Any, settings: Any) -> tuple[Any, Any]:
    settings.ALLOWED_HOSTS = ["testserver", "a.example.org", "b.example.org", "elsewhere.org"]
    a = OrganisationFactory(slug="alpha", name="Alpha Regulator", host="a.example.org")
    b = OrganisationFactory(slug="beta", name="Beta Commissioner")
    return a, b


# -- resolution ------------------------------------------------------------------------


def test_a_request_at_an_organisations_host_is_for_it(two: tuple[Any, Any]) -> None:
    a, _ = two
    response = Client(HTTP_HOST="a.example.org").get("/staff/")
    # The host's organisation: its sign-in page, at the host's own root (no prefix).
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/account/sign-in/")
    assert response.wsgi_request.organisation == a  # type: ignore[attr-defined]


def test_a_slug_prefix_chooses_the_organisation_and_links_stay_inside_it(
    two: tuple[Any, Any],
) -> None:
    _, b = two
    client = Client()
    response = client.get("/beta/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/beta/staff/account/sign-in/?next=/beta/staff/")
    assert response.wsgi_request.organisation == b  # type: ignore[attr-defined]
    page = client.get("/beta/staff/account/sign-in/")
    assert page.status_code == 200
    # Links on the page stay under the prefix; static files stay the installation's
    text = page.content.decode()
    assert 'href="/beta/staff/"' in text and 'href="/beta/privacy/"' in text
    assert 'href="/static/build/whistledesk.css"' in text
    # The bare prefix goes to the organisation's home
    bare = client.get("/beta")
    assert bare.status_code == 302 and bare["Location"] == "/beta/"


def test_reverse_inside_a_prefixed_request_gives_the_prefix(two: tuple[Any, Any]) -> None:
    from django.urls import set_script_prefix

    from whistledesk.organisation.tenancy import OrganisationMiddleware

    seen: dict[str, str] = {}

    def view(request: Any) -> Any:
        from django.http import HttpResponse

        seen["login"] = reverse("accounts:login")
        seen["path_info"] = request.path_info
        return HttpResponse("")

    from django.test import RequestFactory

    request = RequestFactory().get("/beta/staff/people/")
    OrganisationMiddleware(view)(request)
    assert seen == {"login": "/beta/staff/account/sign-in/", "path_info": "/staff/people/"}
    # and the prefix does not outlive the request
    assert reverse("accounts:login") == "/staff/account/sign-in/"
    set_script_prefix("/")


def test_the_only_organisation_is_served_at_the_root(organisation: Any) -> None:
    response = Client().get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/account/sign-in/")
    assert response.wsgi_request.organisation == organisation  # type: ignore[attr-defined]


def test_with_several_and_none_chosen_the_root_lists_them_and_the_rest_is_404(
    two: tuple[Any, Any],
) -> None:
    client = Client(HTTP_HOST="elsewhere.org")
    root = client.get("/")
    assert root.status_code == 200
    text = root.content.decode()
    assert "Alpha Regulator" in text and 'href="https://a.example.org/"' in text
    assert "Beta Commissioner" in text and 'href="/beta/"' in text
    for path in ["/staff/", "/staff/account/sign-in/", "/report/", "/admin/", "/privacy/"]:
        assert client.get(path).status_code == 404, path
    assert client.get("/static/whistledesk/nothing-here.css").status_code == 404


@pytest.mark.parametrize("slug", ["staff", "admin", "api", "static"])
def test_a_reserved_slug_is_refused(db: Any, slug: str) -> None:
    from django.core.exceptions import ValidationError

    org = OrganisationFactory.build(slug=slug, name="Reserved")
    with pytest.raises(ValidationError) as caught:
        org.full_clean()
    assert list(caught.value.message_dict) == ["slug"]


def test_a_reserved_slug_in_a_configuration_file_is_refused(db: Any, tmp_path: Any) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "org.toml"
    path.write_text('[organisation]\nname = "Bad"\nslug = "staff"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="not loaded"):
        call_command("configure_organisation", str(path), stderr=__import__("io").StringIO())


def test_an_unknown_slug_is_404(two: tuple[Any, Any]) -> None:
    assert Client().get("/gamma/staff/").status_code == 404
    assert Client().get("/gamma/").status_code == 404


def test_a_nul_in_the_first_segment_is_not_an_organisation(two: tuple[Any, Any]) -> None:
    response = Client().get("/beta%00/staff/")
    assert response.status_code in (400, 404)
    assert response.wsgi_request.organisation is None  # type: ignore[attr-defined]


# -- sign-in stays inside its organisation ---------------------------------------------


def test_a_session_of_a_is_anonymous_at_b(two: tuple[Any, Any]) -> None:
    a, b = two
    staff(a, "ann", [Role.MANAGER])
    client = Client()
    # Given Ann signed in at A, by A's path prefix
    assert sign_in(client, "/alpha", "ann").status_code == 302
    assert client.get("/alpha/staff/people/").status_code == 200
    # When the same browser opens B's staff pages
    response = client.get("/beta/staff/people/")
    # Then B asks it to sign in, at B's own sign-in page
    assert response.status_code == 302
    assert response["Location"].startswith("/beta/staff/account/sign-in/")
    # and back at A she is still signed in
    assert client.get("/alpha/staff/people/").status_code == 200


def test_a_password_of_a_does_not_sign_in_at_b(two: tuple[Any, Any]) -> None:
    a, _ = two
    staff(a, "ann", [Role.MANAGER])
    client = Client()
    response = sign_in(client, "/beta", "ann")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_username_in_both_signs_in_only_at_its_own(two: tuple[Any, Any]) -> None:
    a, b = two
    jane_a = staff(a, "jane", [Role.MANAGER])
    jane_b = staff(b, "jane", [Role.CASEWORKER], password=OTHER_PASSWORD)
    # A's Jane, with her password, at A's host
    at_a = Client(HTTP_HOST="a.example.org")
    assert sign_in(at_a, "", "jane").status_code == 302
    assert at_a.session["_auth_user_id"] == str(jane_a.pk)
    assert at_a.get("/staff/people/").status_code == 200  # a manager at A
    # B's Jane, with hers, at B's prefix: a caseworker, not a manager
    at_b = Client()
    assert sign_in(at_b, "/beta", "jane", OTHER_PASSWORD).status_code == 302
    assert at_b.session["_auth_user_id"] == str(jane_b.pk)
    assert at_b.get("/beta/staff/people/").status_code == 403
    # Neither password works at the other
    assert sign_in(Client(), "/beta", "jane", PASSWORD).status_code == 200
    assert sign_in(Client(HTTP_HOST="a.example.org"), "", "jane", OTHER_PASSWORD).status_code == 200


def test_an_account_without_organisation_joins_the_only_one(organisation: Any) -> None:
    orphan = User.objects.create_user("root", password=PASSWORD)
    assert orphan.organisation_id is None
    client = Client()
    assert sign_in(client, "", "root").status_code == 302
    orphan.refresh_from_db()
    assert orphan.organisation_id == organisation.pk


def test_an_account_without_organisation_joins_none_of_several(two: tuple[Any, Any]) -> None:
    orphan = User.objects.create_user("root", password=PASSWORD)
    for prefix in ("/alpha", "/beta"):
        response = sign_in(Client(), prefix, "root")
        assert response.status_code == 200
    orphan.refresh_from_db()
    assert orphan.organisation_id is None


def test_commands_name_their_organisation_when_there_are_several(two: tuple[Any, Any]) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=r"several organisations \(alpha, beta\)"):
        tenancy.organisation_from_options({})
    assert tenancy.organisation_from_options({"organisation": "beta"}) == two[1]
    with pytest.raises(CommandError, match="No organisation has the slug 'gamma'"):
        tenancy.organisation_from_options({"organisation": "gamma"})


def test_an_account_without_organisation_does_not_take_over_a_name_in_use(
    organisation: Any,
) -> None:
    # Given the organisation's own "root", and an account of the same name made outside it
    own = staff(organisation, "root", [Role.MANAGER])
    orphan = User.objects.create_user("ROOT", password=OTHER_PASSWORD)
    # When the orphan's password is tried, it signs in nobody (the name is the organisation's)
    response = sign_in(Client(), "", "ROOT", OTHER_PASSWORD)
    assert response.status_code == 200
    orphan.refresh_from_db()
    assert orphan.organisation_id is None
    # and the organisation's own root signs in as before
    client = Client()
    assert sign_in(client, "", "root").status_code == 302
    assert client.session["_auth_user_id"] == str(own.pk)


def test_a_natural_key_names_an_account_of_one_organisation_only(two: tuple[Any, Any]) -> None:
    a, b = two
    staff(a, "jane", [Role.MANAGER])
    jane_b = staff(b, "jane", [Role.MANAGER])
    with tenancy.activate(b):
        assert User.objects.get_by_natural_key("JANE") == jane_b
    # Outside any organisation, with several: no organisation's Jane
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("jane")
