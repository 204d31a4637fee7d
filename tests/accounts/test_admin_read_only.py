"""The stock user and group admin no longer change anyone (issue 8 item 3): creating
people, changing roles, deactivating and passwords happen only on the audited people pages.
Before, a superuser could do all of it in the admin with no audit event."""

from __future__ import annotations

from typing import Any

import pytest

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Any, make_staff: Any) -> Any:
    root = make_staff("root", roles=[Role.MANAGER])
    User.objects.filter(pk=root.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=root.pk))
    return client


def test_the_user_list_is_still_readable(admin_client: Any, make_staff: Any) -> None:
    make_staff("carl", roles=[Role.CASEWORKER])
    response = admin_client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert "carl" in response.content.decode()
    assert "/admin/accounts/user/add/" not in response.content.decode()


def test_no_one_is_created_in_the_admin(admin_client: Any) -> None:
    assert admin_client.get("/admin/accounts/user/add/").status_code == 403
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"username": "sneaky", "password1": "a-long-password-1", "password2": "a-long-password-1"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


def test_roles_and_activity_are_not_changed_in_the_admin(
    admin_client: Any, make_staff: Any
) -> None:
    carl = make_staff("carl", roles=[Role.CASEWORKER])
    before = AuditEvent.objects.count()
    from django.contrib.auth.models import Group

    custodian = Group.objects.get(name="custodian")
    response = admin_client.post(
        f"/admin/accounts/user/{carl.pk}/change/",
        {
            "username": "carl",
            "is_active": "",
            "groups": [custodian.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 403
    carl.refresh_from_db()
    assert carl.is_active
    assert list(carl.groups.values_list("name", flat=True)) == ["caseworker"]
    assert AuditEvent.objects.count() == before


def test_passwords_are_not_set_in_the_admin(admin_client: Any, make_staff: Any) -> None:
    carl = make_staff("carl", roles=[Role.CASEWORKER])
    url = f"/admin/accounts/user/{carl.pk}/password/"
    page = admin_client.get(url, follow=True)
    assert page.status_code in (200, 403, 404)
    assert 'name="password1"' not in page.content.decode()
    admin_client.post(url, {"password1": "set-by-the-admin-1", "password2": "set-by-the-admin-1"})
    carl.refresh_from_db()
    assert carl.check_password("a-long-staff-password")


def test_no_one_is_deleted_in_the_admin(admin_client: Any, make_staff: Any) -> None:
    carl = make_staff("carl", roles=[Role.CASEWORKER])
    response = admin_client.post(f"/admin/accounts/user/{carl.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=carl.pk).exists()


def test_groups_are_not_in_the_admin(admin_client: Any) -> None:
    assert admin_client.get("/admin/auth/group/").status_code == 404
    assert admin_client.get("/admin/auth/group/add/").status_code == 404
    assert "/admin/auth/group/" not in admin_client.get("/admin/").content.decode()
