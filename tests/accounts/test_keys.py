"""Staff keys: unlocked at sign-in into the vault, re-wrapped on password change, revoked on
deactivation."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse

from tests.casefiles.conftest import PASSWORD, private_key_of
from whistledesk.accounts.keyring import KeyLocked, staff_private_key
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_deactivate, user_set_password
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles import services
from whistledesk.casefiles.models import KeyGrant
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.core.session_vault import COOKIE_NAME, SessionVault


def _signed_in_request(client: Any, user: Any) -> Any:
    """A request carrying the client's cookies and session, as a view would see it."""
    request = RequestFactory().get("/")
    request.COOKIES.update({k: v.value for k, v in client.cookies.items()})
    request.session = client.session
    request.user = user
    request.vault = SessionVault(request)
    return request


def _variants(secret: bytes) -> list[bytes]:
    return [
        secret,
        secret.hex().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret),
        base64.b64encode(secret).rstrip(b"="),
    ]


@pytest.mark.django_db
def test_sign_in_unlocks_the_key_into_the_vault_and_not_the_session_table(
    client: Any, make_staff: Any
) -> None:
    # Given a member of staff
    user = make_staff("sam", roles=[Role.INTAKE_OFFICER])
    # When they sign in through the sign-in page
    response = client.post(reverse("accounts:login"), {"username": "sam", "password": PASSWORD})
    assert response.status_code == 302
    assert COOKIE_NAME in client.cookies
    # Then their private key is available to views
    private = staff_private_key(_signed_in_request(client, user))
    assert private == private_key_of(user)
    # And no stored session row contains it, in any encoding
    for row in Session.objects.all():
        raw = row.session_data.encode()
        decoded = repr(row.get_decoded()).encode()
        for variant in _variants(private):
            assert variant not in raw and variant not in decoded


@pytest.mark.django_db
def test_without_the_vault_cookie_the_key_is_locked(client: Any, make_staff: Any) -> None:
    user = make_staff("sam")
    client.post(reverse("accounts:login"), {"username": "sam", "password": PASSWORD})
    # The session table alone (a stolen database) does not give the key.
    del client.cookies[COOKIE_NAME]
    with pytest.raises(KeyLocked):
        staff_private_key(_signed_in_request(client, user))


@pytest.mark.django_db
def test_wrong_password_signs_nobody_in_and_unlocks_nothing(client: Any, make_staff: Any) -> None:
    make_staff("sam")
    response = client.post(reverse("accounts:login"), {"username": "sam", "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert not any(k.startswith("vault:") for k in client.session.keys())  # noqa: SIM118


@pytest.mark.django_db
def test_account_without_keys_gets_them_at_first_sign_in(client: Any) -> None:
    # Given an account made by createsuperuser, with no key pair
    user = User.objects.create_superuser("root", password=PASSWORD)
    assert user.public_key is None
    # When it signs in
    client.post(reverse("accounts:login"), {"username": "root", "password": PASSWORD})
    # Then it has a key pair, unlocked in the vault
    user.refresh_from_db()
    assert user.public_key is not None
    assert staff_private_key(_signed_in_request(client, user)) == private_key_of(user)
    assert AuditEvent.objects.filter(action="user.keys_created").exists()


@pytest.mark.django_db
def test_password_change_rewraps_the_key_and_cases_still_open(
    make_staff: Any, organisation: Any
) -> None:
    from tests.factories import DisclosureFactory

    user = make_staff("sam", roles=[Role.MANAGER])
    disclosure = DisclosureFactory(organisation=organisation)
    services.casefile_create(actor="public", disclosure=disclosure, documents={"narrative": "x"})
    old_private = private_key_of(user)

    user_set_password(
        actor=user, user=user, old_password=PASSWORD, new_password="a-new-long-password-2"
    )

    user.refresh_from_db()
    with pytest.raises(crypto.DecryptionFailed):
        private_key_of(user, PASSWORD)
    new_private = private_key_of(user, "a-new-long-password-2")
    assert new_private == old_private
    assert user.check_password("a-new-long-password-2")
    opened = services.casefile_open(actor=user, disclosure=disclosure, private_key=new_private)
    assert opened.documents == {"narrative": "x"}
    assert AuditEvent.objects.filter(action="user.password_changed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("wrong-password", "a-new-long-password-2", "old_password"),
        (PASSWORD, "short", "new_password"),
    ],
)
def test_password_change_refusals_change_nothing(
    make_staff: Any, old: str, new: str, field: str
) -> None:
    user = make_staff("sam")
    with pytest.raises(DomainError) as exc:
        user_set_password(actor=user, user=user, old_password=old, new_password=new)
    assert exc.value.field == field
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert private_key_of(user, PASSWORD)


@pytest.mark.django_db
def test_deactivation_revokes_case_keys(make_staff: Any, organisation: Any) -> None:
    from tests.factories import DisclosureFactory

    manager = make_staff("meg", roles=[Role.MANAGER])
    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    disclosure = DisclosureFactory(organisation=organisation)
    services.casefile_create(actor="public", disclosure=disclosure, documents={"narrative": "x"})
    assert KeyGrant.objects.filter(user=officer).exists()

    user_deactivate(actor=manager, user=officer)

    officer.refresh_from_db()
    assert not officer.is_active
    assert not KeyGrant.objects.filter(user=officer).exists()
    with pytest.raises(services.CaseFileLocked):
        services.casefile_open(
            actor=officer, disclosure=disclosure, private_key=private_key_of(officer)
        )
    event = AuditEvent.objects.get(action="user.deactivated")
    assert event.details == {"grants_revoked": 1, "sessions_ended": 0}


@pytest.mark.django_db
def test_only_a_manager_deactivates(make_staff: Any) -> None:
    caseworker = make_staff("carl", roles=[Role.CASEWORKER])
    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    with pytest.raises(NotPermitted):
        user_deactivate(actor=caseworker, user=officer)
    officer.refresh_from_db()
    assert officer.is_active


@pytest.mark.django_db
def test_password_reset_behind_the_keys_back_gives_new_keys_and_drops_grants(
    client: Any, make_staff: Any, organisation: Any
) -> None:
    from tests.factories import DisclosureFactory

    # Given an officer holding a case key, whose password an administrator then resets
    user = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    disclosure = DisclosureFactory(organisation=organisation)
    services.casefile_create(actor="public", disclosure=disclosure, documents={"narrative": "x"})
    old_public = bytes(user.public_key)
    user.set_password("reset-by-an-administrator")
    user.save()
    # When they sign in with the new password
    client.post(
        reverse("accounts:login"), {"username": "ivy", "password": "reset-by-an-administrator"}
    )
    # Then they have a new, working key pair, and the old, unusable grant is gone (audited)
    user.refresh_from_db()
    assert bytes(user.public_key) != old_public
    assert staff_private_key(_signed_in_request(client, user)) == private_key_of(
        user, "reset-by-an-administrator"
    )
    assert not KeyGrant.objects.filter(user=user).exists()
    assert AuditEvent.objects.get(action="user.keys_reset").details == {"grants_removed": 1}


@pytest.mark.django_db
def test_a_vault_key_from_another_account_is_not_used(client: Any, make_staff: Any) -> None:
    sam = make_staff("sam")
    other = make_staff("tom")
    client.post(reverse("accounts:login"), {"username": "sam", "password": PASSWORD})
    with pytest.raises(KeyLocked):
        staff_private_key(_signed_in_request(client, other))
    assert staff_private_key(_signed_in_request(client, sam))


@pytest.mark.django_db
def test_overlong_password_is_refused_before_hashing(client: Any, make_staff: Any) -> None:
    make_staff("sam")
    response = client.post(reverse("accounts:login"), {"username": "sam", "password": "x" * 5000})
    assert response.status_code == 200
    assert not any(k.startswith("vault:") for k in client.session.keys())  # noqa: SIM118
