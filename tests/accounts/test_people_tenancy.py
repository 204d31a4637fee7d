"""Staff accounts are per organisation (ADR 0017): the people pages, two-factor, password
and security pages, sign-in and sign-out, and the lock-out, with two organisations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OrganisationFactory
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password"
NEW_PASSWORD = "correct-horse-battery-9"


def staff(org: Any, username: str, roles: list[Role], password: str = PASSWORD) -> User:
    return user_create(
        actor=None, username=username, password=password, roles=roles, organisation=org
    )


def signed_in(prefix: str, username: str, password: str = PASSWORD, **client: Any) -> Client:
    browser = Client(**client)
    response = browser.post(
        f"{prefix}/staff/account/sign-in/", {"username": username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    return browser


@pytest.fixture
def orgs(db: Any, settings: Any) -> dict[str, Any]:
    settings.ALLOWED_HOSTS = ["testserver", "b.example.org"]
    a = OrganisationFactory(slug="alpha", name="Alpha Regulator")
    b = OrganisationFactory(slug="beta", name="Beta Commissioner", host="b.example.org")
    return {
        "a": a,
        "b": b,
        "ann": staff(a, "ann", [Role.MANAGER]),
        "jane_a": staff(a, "jane", [Role.CASEWORKER]),
        "bob": staff(b, "bob", [Role.MANAGER]),
        "jane_b": staff(b, "jane", [Role.AUDITOR]),
    }


# Every people page, with the method it answers: another organisation's id is 404 on each.
PERSON_PAGES = [
    ("get", "{pk}/", {}),
    ("get", "{pk}/reset-password/", {}),
    ("post", "{pk}/reset-password/", {"new_password": NEW_PASSWORD, "understood": "on"}),
    ("post", "{pk}/roles/", {"roles": ["manager"]}),
    ("post", "{pk}/custodian/", {}),
    ("post", "{pk}/deactivate/", {}),
    ("post", "{pk}/reactivate/", {}),
    ("post", "{pk}/keys/", {}),
]


def _without_nonce(content: bytes) -> str:
    """The page without its per-response tokens (CSP nonce, CSRF token)."""
    text = re.sub(r'nonce="[^"]*"', "", content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


@pytest.mark.parametrize(("method", "path", "data"), PERSON_PAGES)
def test_a_manager_of_b_cannot_reach_a_person_of_a(
    orgs: dict[str, Any], method: str, path: str, data: dict[str, Any]
) -> None:
    # Given Bob, B's manager, signed in at B's own host
    bob = signed_in("", "bob", HTTP_HOST="b.example.org")
    assert bob.get("/staff/people/").status_code == 200  # shows the one-off sign-in message
    jane_a = orgs["jane_a"]
    events_before = AuditEvent.objects.count()
    # When he opens or posts to a page for A's Jane by her number
    response = getattr(bob, method)(f"/staff/people/{path.format(pk=jane_a.pk)}", data)
    # Then it is 404, as for a number nobody has, and nothing about her changed
    missing = getattr(bob, method)(f"/staff/people/{path.format(pk=999999)}", data)
    assert response.status_code == 404
    assert missing.status_code == 404
    assert _without_nonce(response.content) == _without_nonce(missing.content)
    jane_a.refresh_from_db()
    assert jane_a.is_active and jane_a.check_password(PASSWORD)
    assert sorted(jane_a.groups.values_list("name", flat=True)) == ["caseworker"]
    assert AuditEvent.objects.count() == events_before


def test_the_list_shows_only_the_managers_own_organisation(orgs: dict[str, Any]) -> None:
    ann = signed_in("/alpha", "ann")
    text = ann.get("/alpha/staff/people/").content.decode()
    assert f"/alpha/staff/people/{orgs['ann'].pk}/" in text
    assert f"/alpha/staff/people/{orgs['jane_a'].pk}/" in text
    assert "bob" not in text
    assert f"/staff/people/{orgs['jane_b'].pk}/" not in text
    assert f"/staff/people/{orgs['bob'].pk}/" not in text


def test_a_manager_adds_changes_resets_and_deactivates_only_in_their_own(
    orgs: dict[str, Any],
) -> None:
    bob = signed_in("", "bob", HTTP_HOST="b.example.org")
    # Adding "ann" at B makes B's Ann; A's Ann is untouched
    response = bob.post(
        "/staff/people/add/",
        {
            "username": "ann",
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
            "roles": ["caseworker"],
        },
    )
    assert response.status_code == 302
    ann_b = User.objects.get(organisation=orgs["b"], username="ann")
    assert ann_b.pk != orgs["ann"].pk
    # Roles, reset and deactivation of B's Jane work at B
    jane_b = orgs["jane_b"]
    assert (
        bob.post(f"/staff/people/{jane_b.pk}/roles/", {"roles": ["caseworker"]}).status_code == 302
    )
    assert (
        bob.post(
            f"/staff/people/{jane_b.pk}/reset-password/",
            {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD, "understood": "on"},
        ).status_code
        == 302
    )
    assert bob.post(f"/staff/people/{jane_b.pk}/deactivate/").status_code == 302
    jane_b.refresh_from_db()
    assert not jane_b.is_active and jane_b.check_password(NEW_PASSWORD)
    # and A's Jane still signs in at A with her own password, as a caseworker
    jane_a = signed_in("/alpha", "jane")
    assert jane_a.get("/alpha/staff/").status_code == 200
    assert User.objects.get(pk=orgs["jane_a"].pk).is_active


def test_the_services_refuse_another_organisations_account(orgs: dict[str, Any]) -> None:
    from whistledesk.accounts.services import user_deactivate, user_roles_set
    from whistledesk.core.exceptions import NotPermitted

    with pytest.raises(NotPermitted):
        user_deactivate(actor=orgs["bob"], user=orgs["jane_a"])
    with pytest.raises(NotPermitted):
        user_roles_set(actor=orgs["bob"], user=orgs["jane_a"], roles=[Role.MANAGER])
    with pytest.raises(NotPermitted):
        user_create(
            actor=orgs["bob"],
            username="x",
            password=NEW_PASSWORD,
            roles=[],
            organisation=orgs["a"],
        )


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(WHISTLEDESK_REQUIRE_2FA=True)
@pytest.mark.parametrize(
    ("prefix", "host"), [("/alpha", "testserver"), ("", "b.example.org")], ids=["slug", "host"]
)
def test_two_factor_password_security_and_sign_out_inside_an_organisation(
    orgs: dict[str, Any], prefix: str, host: str
) -> None:
    username = "ann" if prefix else "bob"
    browser = signed_in(prefix, username, HTTP_HOST=host)
    # The second factor is set up at the organisation's own address
    response = browser.get(f"{prefix}/staff/people/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{prefix}/staff/account/two-factor/set-up/")
    assert browser.get(response["Location"]).status_code == 200
    user = User.objects.get(username=username, organisation=orgs["a" if prefix else "b"])
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = browser.post(
        response["Location"], {"code": _code(device), "next": f"{prefix}/staff/people/"}
    )
    assert done.status_code == 302 and done["Location"] == f"{prefix}/staff/people/"
    assert browser.get(f"{prefix}/staff/people/").status_code == 200
    # The security and password pages work there too
    assert browser.get(f"{prefix}/staff/account/security/").status_code == 200
    changed = browser.post(
        f"{prefix}/staff/account/password/",
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302, changed.content.decode()[:1000]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Signing out goes back to the organisation's own sign-in page
    out = browser.post(f"{prefix}/staff/account/sign-out/")
    assert out.status_code == 302
    assert out["Location"] == f"{prefix}/staff/account/sign-in/"
    assert browser.get(f"{prefix}/staff/people/").status_code == 302
    # The next sign-in asks for the code, at the organisation's own address
    browser = signed_in(prefix, username, NEW_PASSWORD, HTTP_HOST=host)
    ask = browser.get(f"{prefix}/staff/")
    assert ask["Location"].startswith(f"{prefix}/staff/account/two-factor/?next=")
    assert browser.get(ask["Location"]).status_code == 200


def _fail(client: Client, prefix: str, username: str) -> Any:
    return client.post(
        f"{prefix}/staff/account/sign-in/", {"username": username, "password": "wrong-password"}
    )


def test_a_lock_out_of_jane_at_b_does_not_lock_jane_at_a(orgs: dict[str, Any]) -> None:
    # Given five wrong passwords for "jane" at B, each from a different client
    for i in range(5):
        _fail(Client(REMOTE_ADDR=f"10.0.0.{i + 1}"), "/beta", "jane")
    # Then B's Jane is locked, even with her right password, from a new client
    locked = Client(REMOTE_ADDR="10.9.9.9").post(
        "/beta/staff/account/sign-in/", {"username": "jane", "password": PASSWORD}
    )
    assert locked.status_code == 429
    # But A's Jane, from her own computer, signs in at A
    jane_a = Client(REMOTE_ADDR="10.8.8.8")
    response = jane_a.post(
        "/alpha/staff/account/sign-in/", {"username": "jane", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert jane_a.session["_auth_user_id"] == str(orgs["jane_a"].pk)
    # and the lock-out's audit event names B's Jane, not A's
    event = AuditEvent.objects.filter(action="auth.locked_out").last()
    assert event is not None
    assert event.object_id == str(orgs["jane_b"].pk)


def test_the_lock_out_counts_a_username_whatever_its_case(orgs: dict[str, Any]) -> None:
    for i, typed in enumerate(["jane", "Jane", "JANE", "jAne", "janE"]):
        _fail(Client(REMOTE_ADDR=f"10.0.1.{i + 1}"), "/alpha", typed)
    response = Client(REMOTE_ADDR="10.9.9.8").post(
        "/alpha/staff/account/sign-in/", {"username": "jane", "password": PASSWORD}
    )
    assert response.status_code == 429
