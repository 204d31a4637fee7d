"""Creating and revoking tokens: the staff page (token shown once) and the command."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.api.conftest import Api
from whistledesk.api.models import ApiToken
from whistledesk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PAGE = "/staff/account/api-tokens/"
TOKEN_RE = re.compile(r"wd_[A-Za-z0-9_-]{43}")


def test_create_on_the_page_shows_the_token_once(
    client: Any, users: Any, organisation: Any
) -> None:
    client.force_login(users["caseworker"])
    # When a caseworker creates a token
    response = client.post(PAGE, {"name": "monthly figures", "lifetime_days": "30"})
    # Then the page shows it, uncached, and it works against the API
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = TOKEN_RE.search(response.content.decode()).group(0)
    assert Api(token).get("/disclosures").status_code == 200
    # And it is never shown again
    again = client.get(PAGE).content.decode()
    assert token not in again and "monthly figures" in again
    assert AuditEvent.objects.filter(action="api_token.created").count() == 1


def test_revoke_on_the_page(client: Any, users: Any, organisation: Any) -> None:
    client.force_login(users["auditor"])
    token = TOKEN_RE.search(
        client.post(PAGE, {"name": "stats", "lifetime_days": "90"}).content.decode()
    ).group(0)
    row = ApiToken.objects.get()
    response = client.post(f"{PAGE}{row.pk}/revoke/", follow=True)
    assert "The token &#x27;stats&#x27; is revoked" in response.content.decode()
    assert "Revoked" in response.content.decode()
    assert Api(token).get("/disclosures").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_nobody_can_revoke_someone_elses_token_on_the_page(
    client: Any, users: Any, token_for: Any
) -> None:
    token_for(users["caseworker"])
    client.force_login(users["caseworker2"])
    response = client.post(f"{PAGE}{ApiToken.objects.get().pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "lifetime_days": "90"}, "Enter a name that says what the token is for"),
        ({"name": "x", "lifetime_days": "400"}, "A token can last at most 365 days"),
        ({"name": "x", "lifetime_days": "soon"}, "Enter the number of days as a whole number"),
    ],
)
def test_form_errors_are_clear(client: Any, users: Any, data: Any, message: str) -> None:
    client.force_login(users["manager"])
    response = client.post(PAGE, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_needs_a_role(client: Any, users: Any) -> None:
    client.force_login(users["nobody"])
    assert client.get(PAGE).status_code == 403
    client.logout()
    assert client.get(PAGE).status_code == 302  # to sign in


def test_command_creates_lists_and_revokes(users: Any, organisation: Any) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "api_token", "create", "manager", "--name", "nightly export", stdout=out, stderr=err
    )
    token = out.getvalue().strip()
    assert TOKEN_RE.fullmatch(token)
    assert "shown once" in err.getvalue()
    assert Api(token).get("/disclosures").status_code == 200
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.actor_label == "api_token command"

    listing = StringIO()
    call_command("api_token", "list", "manager", stdout=listing)
    assert "usable" in listing.getvalue() and "nightly export" in listing.getvalue()
    assert token not in listing.getvalue()

    row = ApiToken.objects.get()
    call_command("api_token", "revoke", str(row.pk), stdout=StringIO())
    assert Api(token).get("/disclosures").status_code == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "ghost", "--name", "x"], "There is no staff account called 'ghost'"),
        (["create", "manager", "--name", "x", "--days", "0"], "between 1 and 365 days"),
        (["create", "nobody", "--name", "x"], "with a role"),
        (["revoke", "4242"], "There is no API token 4242"),
    ],
)
def test_command_errors_are_clear(users: Any, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("api_token", *args, stdout=StringIO(), stderr=StringIO())


def test_the_security_page_links_to_the_tokens(client: Any, users: Any) -> None:
    client.force_login(users["caseworker"])
    assert f'href="{PAGE}"' in client.get("/staff/account/security/").content.decode()
