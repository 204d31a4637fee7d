"""Staff management in the product (issue 8 item 3), through its pages.

Only managers reach the people pages; every write is a service with an audit event; a
manager cannot take away their own manager role or deactivate themselves; a reset says
what happens to the person's keys; a person changes their own password and keeps them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.accounts.conftest import NARRATIVE, PASSWORD, case_file_url, sign_in
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import KeyGrant

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "correct-horse-battery-9"

# Who may open the people pages, typed out: managers only.
PEOPLE_PAGE_ACCESS = {
    "intake_officer": 403,
    "caseworker": 403,
    "safeguarding_lead": 403,
    "manager": 200,
    "custodian": 403,
    "auditor": 403,
}


def _page(client: Any, url: str) -> str:
    return client.get(url).content.decode()


@pytest.mark.parametrize(("role", "expected"), sorted(PEOPLE_PAGE_ACCESS.items()))
def test_only_managers_open_the_people_pages(
    client: Any, make_staff: Any, role: str, expected: int
) -> None:
    target = make_staff("target", roles=[Role.CASEWORKER])
    client.force_login(make_staff("someone", roles=[Role(role)]))
    for url in (
        reverse("people:list"),
        reverse("people:add"),
        reverse("people:detail", args=[target.pk]),
        reverse("people:reset_password", args=[target.pk]),
    ):
        assert client.get(url).status_code == expected, url
    # The menu links to the pages only for those who may open them
    menu_link = f'href="{reverse("people:list")}"'
    assert (menu_link in _page(client, reverse("accounts:security"))) is (expected == 200)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("roles", {"roles": ["auditor"]}),
        ("custodian", {"appointment": "appoint"}),
        ("deactivate", {}),
        ("reset_password", {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}),
    ],
)
def test_no_one_but_a_manager_changes_anyone(
    client: Any, make_staff: Any, name: str, data: dict[str, Any]
) -> None:
    target = make_staff("target", roles=[Role.CASEWORKER])
    before = AuditEvent.objects.count()
    for role in Role:
        if role is Role.MANAGER:
            continue
        client.force_login(make_staff(f"not-{role.value}", roles=[role]))
        response = client.post(
            reverse(f"people:{name}", args=[target.pk]), {**data, "understood": "on"}
        )
        assert response.status_code == 403, role
    target.refresh_from_db()
    assert target.is_active and target.check_password(PASSWORD)
    assert sorted(target.groups.values_list("name", flat=True)) == ["caseworker"]
    # Only the creation of the people trying is in the chain
    assert AuditEvent.objects.count() == before + len(Role) - 1
    assert not AuditEvent.objects.exclude(action="user.created").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client: Any) -> None:
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_shows_roles_status_and_keys(
    client: Any, make_staff: Any, sealed_case: Any
) -> None:
    meg = make_staff("meg", roles=[Role.MANAGER])
    make_staff("kim", roles=[Role.CUSTODIAN, Role.AUDITOR])
    sealed_case()
    client.force_login(meg)
    page = _page(client, reverse("people:list"))
    assert "Identity custodian, Auditor (read-only)" in page
    assert ">meg</a>" in page and ">kim</a>" in page
    # meg holds the case key, kim the identity key
    assert page.count('govuk-table__cell--numeric">1<') == 2


def test_a_manager_adds_a_member_of_staff_who_can_sign_in(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("meg", roles=[Role.MANAGER]))
    response = client.post(
        reverse("people:add"),
        {
            "username": "nia",
            "first_name": "Nia",
            "last_name": "Okafor",
            "email": "nia@example.org",
            "roles": ["caseworker", "safeguarding_lead"],
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "can now sign in with the first password you chose" in page
    nia = User.objects.get(username="nia")
    assert nia.get_full_name() == "Nia Okafor" and nia.email == "nia@example.org"
    assert sorted(nia.groups.values_list("name", flat=True)) == ["caseworker", "safeguarding_lead"]
    assert nia.public_key is not None
    created = AuditEvent.objects.get(action="user.created", object_id="nia")
    assert created.actor_label == "meg"
    assert created.details == {"roles": ["caseworker", "safeguarding_lead"]}
    # No personal detail goes into the chain
    assert "Okafor" not in str(created.details) and "example.org" not in str(created.details)
    sign_in("nia", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"username": ""}, "Enter a username"),
        ({"username": "has space"}, "Enter a username made of letters, digits"),
        ({"username": "MEG"}, "That username is already taken: choose another."),
        ({"new_password": "short", "new_password_again": "short"}, "at least 12 characters"),
        ({"new_password_again": "something-else-entirely"}, "The two new passwords are different"),
        ({"email": "not-an-email"}, "Enter an email address like name@example.org"),
        ({"roles": ["king"]}, "Select a valid choice"),
    ],
)
def test_adding_refuses_bad_input_with_a_message(
    client: Any, make_staff: Any, change: dict[str, Any], message: str
) -> None:
    client.force_login(make_staff("meg", roles=[Role.MANAGER]))
    data = {
        "username": "nia",
        "roles": ["caseworker"],
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
        **change,
    }
    response = client.post(reverse("people:add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not User.objects.filter(username="nia").exists()
    assert not AuditEvent.objects.filter(action="user.created", object_id="nia").exists()


def test_a_manager_cannot_remove_their_own_manager_role(client: Any, make_staff: Any) -> None:
    meg = make_staff("meg", roles=[Role.MANAGER, Role.CASEWORKER])
    client.force_login(meg)
    page = _page(client, reverse("people:detail", args=[meg.pk]))
    assert "You cannot remove your own manager role. Another manager can." in page
    response = client.post(reverse("people:roles", args=[meg.pk]), {"roles": ["caseworker"]})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "You cannot remove your own manager role. Another manager can." in page
    assert sorted(meg.groups.values_list("name", flat=True)) == ["caseworker", "manager"]
    assert not AuditEvent.objects.filter(action="user.roles_changed").exists()
    # Adding a role to oneself is allowed, and audited
    client.post(
        reverse("people:roles", args=[meg.pk]), {"roles": ["caseworker", "manager", "auditor"]}
    )
    assert AuditEvent.objects.get(action="user.roles_changed").details["added"] == ["auditor"]


def test_a_manager_cannot_deactivate_themselves(client: Any, make_staff: Any) -> None:
    meg = make_staff("meg", roles=[Role.MANAGER])
    client.force_login(meg)
    page = _page(client, reverse("people:detail", args=[meg.pk]))
    assert "You cannot deactivate your own account. Another manager can." in page
    assert reverse("people:deactivate", args=[meg.pk]) not in page
    response = client.post(reverse("people:deactivate", args=[meg.pk]), follow=True)
    assert (
        "You cannot deactivate your own account. Another manager can." in response.content.decode()
    )
    meg.refresh_from_db()
    assert meg.is_active
    assert not AuditEvent.objects.filter(action="user.deactivated").exists()


def test_saving_the_same_roles_says_nothing_changed(client: Any, make_staff: Any) -> None:
    meg = make_staff("meg", roles=[Role.MANAGER])
    carl = make_staff("carl", roles=[Role.CASEWORKER])
    client.force_login(meg)
    response = client.post(reverse("people:roles", args=[carl.pk]), {"roles": ["caseworker"]})
    assert "Nothing was changed: those are already their roles." in response.content.decode()


def test_unknown_person_is_a_404(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("meg", roles=[Role.MANAGER]))
    assert client.get(reverse("people:detail", args=[99999])).status_code == 404
    assert client.post(reverse("people:deactivate", args=[99999])).status_code == 404


def test_reset_page_says_what_happens_to_keys_and_how_to_get_them_back(
    client: Any, make_staff: Any, sealed_case: Any
) -> None:
    client.force_login(make_staff("meg", roles=[Role.MANAGER]))
    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    sealed_case()
    page = _page(client, reverse("people:reset_password", args=[ivy.pk]))
    assert "A reset deletes every key ivy holds: now 1 case key and 0 identity keys." in page
    assert 'a manager uses "Give back case keys" on their page or assigns the case' in page
    assert "whistledesk recover_case" in page
    assert 'change it themselves on their "Change your password" page and keep every key' in page


def test_a_reset_deletes_the_keys_signs_out_and_lets_them_in_with_the_new_password(
    make_staff: Any, sealed_case: Any
) -> None:
    # Given an officer holding a case key, signed in elsewhere
    make_staff("meg", roles=[Role.MANAGER])
    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    case = sealed_case()
    ivys_browser = sign_in("ivy")
    old_public = bytes(ivy.public_key)

    # When a manager resets her password (confirming what it does to her keys)
    manager = sign_in("meg")
    url = reverse("people:reset_password", args=[ivy.pk])
    unconfirmed = manager.post(
        url, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert (
        "Confirm that you understand their case keys will be deleted"
        in unconfirmed.content.decode()
    )
    assert KeyGrant.objects.filter(user=ivy).exists()
    response = manager.post(
        url,
        {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD, "understood": "on"},
        follow=True,
    )
    assert "1 case or identity key was deleted with their old key" in response.content.decode()

    # Then her key pair is new, her grants are gone, she is signed out, and it is audited
    ivy.refresh_from_db()
    assert bytes(ivy.public_key) != old_public
    assert not KeyGrant.objects.filter(user=ivy).exists()
    reset = AuditEvent.objects.get(action="user.password_reset")
    assert reset.actor_label == "meg" and reset.details == {
        "grants_removed": 1,
        "sessions_ended": 1,
    }
    assert AuditEvent.objects.filter(action="user.keys_reset", object_id="ivy").exists()
    assert ivys_browser.get(reverse("cases:list")).status_code == 302
    # She signs in with the new password, but this case is closed to her until re-sealed
    fresh = sign_in("ivy", NEW_PASSWORD)
    assert NARRATIVE not in fresh.get(case_file_url(case.reference)).content.decode()
    # New cases are sealed to her new key as usual
    later = sealed_case()
    assert NARRATIVE in fresh.get(case_file_url(later.reference)).content.decode()
    # And the manager gives back, with his own key, the older keys her role entitles her to
    restored = manager.post(reverse("people:keys_restore", args=[ivy.pk]), follow=True)
    assert "1 case key sealed to ivy again with your key." in restored.content.decode()
    assert NARRATIVE in fresh.get(case_file_url(case.reference)).content.decode()
    granted = AuditEvent.objects.get(action="casefile.granted", object_id="ivy")
    assert granted.actor_label == "meg"
    assert granted.details == {"scopes": ["case"], "cases": 1, "cause": "restored"}


def test_a_manager_cannot_reset_their_own_password_there(client: Any, make_staff: Any) -> None:
    meg = make_staff("meg", roles=[Role.MANAGER])
    client.force_login(meg)
    page = _page(client, reverse("people:reset_password", args=[meg.pk]))
    assert "You cannot reset your own password here." in page
    response = client.post(
        reverse("people:reset_password", args=[meg.pk]),
        {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD, "understood": "on"},
    )
    assert "You cannot reset your own password here" in response.content.decode()
    meg.refresh_from_db()
    assert meg.check_password(PASSWORD)


# -- own password -------------------------------------------------------------------------


def test_changing_your_own_password_keeps_your_keys(make_staff: Any, sealed_case: Any) -> None:
    # Given an officer who can read a sealed case
    make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    case = sealed_case()
    browser = sign_in("ivy")
    security = browser.get(reverse("accounts:security")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in security

    # When she changes her password on her page
    response = browser.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "Your password is changed. Your case keys are kept under the new one." in (
        response.content.decode()
    )
    # Then this browser stays signed in and still reads the case
    assert NARRATIVE in browser.get(case_file_url(case.reference)).content.decode()
    # And signing in afresh with the new password opens the same case
    fresh = sign_in("ivy", NEW_PASSWORD)
    assert NARRATIVE in fresh.get(case_file_url(case.reference)).content.decode()
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.details == {"key_rewrapped": True}
    assert not AuditEvent.objects.filter(action="user.keys_reset").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "not-my-password"}, "Your current password is not correct."),
        ({"new_password": "short", "new_password_again": "short"}, "at least 12 characters"),
        ({"new_password_again": "something-else-entirely"}, "The two new passwords are different"),
        ({"old_password": ""}, "Enter the current password"),
    ],
)
def test_own_password_change_refuses_with_a_message(
    make_staff: Any, data: dict[str, str], message: str
) -> None:
    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    browser = sign_in("ivy")
    form = {
        "old_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    }
    response = browser.post(reverse("accounts:password_change"), {**form, **data})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    ivy.refresh_from_db()
    assert ivy.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_own_password_page_needs_sign_in(client: Any) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_runs_the_same_few_queries_for_many_people(client: Any, make_staff: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_staff("meg", roles=[Role.MANAGER]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("people:list")).status_code == 200
        return len(captured)

    few = queries()
    for i in range(30):
        make_staff(f"person{i}", roles=[Role.CASEWORKER, Role.AUDITOR])
    assert queries() == few <= 15


def test_giving_back_keys_seals_only_what_the_roles_entitle(
    make_staff: Any, sealed_case: Any
) -> None:
    # A caseworker gets back the case she handles, not every case the manager holds
    make_staff("meg", roles=[Role.MANAGER])
    carl = make_staff("carl", roles=[Role.CASEWORKER])
    handled, other = sealed_case(), sealed_case()
    manager = sign_in("meg")
    manager.post(reverse("cases:assign", args=[handled.reference]), {"handler": carl.pk})
    manager.post(reverse("people:deactivate", args=[carl.pk]))
    manager.post(reverse("people:reactivate", args=[carl.pk]))
    assert not KeyGrant.objects.filter(user=carl).exists()
    manager.post(reverse("people:keys_restore", args=[carl.pk]))
    assert set(KeyGrant.objects.filter(user=carl).values_list("disclosure_id", "scope")) == {
        (handled.pk, "case")
    }
    assert NARRATIVE in sign_in("carl").get(case_file_url(handled.reference)).content.decode()
    assert NARRATIVE not in sign_in("carl").get(case_file_url(other.reference)).content.decode()


def test_giving_back_keys_needs_the_managers_unlocked_key(
    client: Any, make_staff: Any, sealed_case: Any
) -> None:
    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    client.force_login(make_staff("meg", roles=[Role.MANAGER]))  # no key in this session
    response = client.post(reverse("people:keys_restore", args=[ivy.pk]), follow=True)
    assert "Sign in again to unlock case files." in response.content.decode()
