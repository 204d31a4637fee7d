"""Keys follow people (issue 8 item 2), through the pages people use.

Each situation from the issue's "Why" is driven through its page: after reassigning, a
conflict, a role change, a deactivation or the end of a custodian's appointment, the
person's key grant rows are gone and a `casefile.revoked` audit event says why. Re-granting
(assigning back, reactivating) goes through the normal sealing path.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.accounts.conftest import NARRATIVE, case_file_url, sign_in
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.models import KeyGrant

pytestmark = pytest.mark.django_db


def _grants(user: Any, disclosure: Any = None) -> set[tuple[str, str]]:
    """{(reference, scope)} of the person's own key grants."""
    rows = KeyGrant.objects.filter(user=user)
    if disclosure is not None:
        rows = rows.filter(disclosure=disclosure)
    return {(g.disclosure.reference, g.scope) for g in rows.select_related("disclosure")}


def _revoked(user: Any) -> list[tuple[str | None, list[str], int, int, str]]:
    """(reference if one case, scopes, cases, grants, cause) of each casefile.revoked event
    about `user`."""
    from whistledesk.cases.models import Disclosure

    refs = dict(Disclosure.objects.values_list("pk", "reference"))
    return [
        (
            refs.get(e.disclosure_id),
            e.details["scopes"],
            e.details["cases"],
            e.details["grants"],
            e.details["cause"],
        )
        for e in AuditEvent.objects.filter(
            action="casefile.revoked", object_id=user.username
        ).order_by("seq")
    ]


def _reads_narrative(browser: Any, reference: str) -> bool:
    return NARRATIVE in browser.get(case_file_url(reference)).content.decode()


def test_reassigning_takes_the_case_key_from_the_old_handler(
    make_staff: Any, sealed_case: Any
) -> None:
    # Given a case assigned (by a manager, on the assign page) to caseworker Carl
    make_staff("meg", roles=[Role.MANAGER])
    carl = make_staff("carl", roles=[Role.CASEWORKER])
    cara = make_staff("cara", roles=[Role.CASEWORKER])
    case = sealed_case()
    manager = sign_in("meg")
    assign = reverse("cases:assign", args=[case.reference])
    assert manager.post(assign, {"handler": carl.pk}).status_code == 302
    assert _grants(carl) == {(case.reference, "case")}
    assert _reads_narrative(sign_in("carl"), case.reference)

    # When the manager reassigns it to Cara
    assert manager.post(assign, {"handler": cara.pk}).status_code == 302

    # Then Carl's key is gone, Cara holds one, and the audit chain says why
    assert _grants(carl) == set()
    assert _grants(cara) == {(case.reference, "case")}
    assert _revoked(carl) == [(case.reference, ["case"], 1, 1, "reassigned")]
    assigned = AuditEvent.objects.filter(action="disclosure.assigned").order_by("seq").last()
    assert assigned is not None and assigned.details["previous_grants_revoked"] == 1
    assert not _reads_narrative(sign_in("carl"), case.reference)

    # And assigning back seals the key to him again through the normal path
    assert manager.post(assign, {"handler": carl.pk}).status_code == 302
    assert _grants(carl) == {(case.reference, "case")}
    assert _reads_narrative(sign_in("carl"), case.reference)


def test_reassigning_away_from_a_manager_leaves_the_key_their_role_gives_them(
    make_staff: Any, sealed_case: Any
) -> None:
    # Managers hold every case's key: handing a case on does not take it.
    make_staff("meg", roles=[Role.MANAGER])
    max_ = make_staff("max", roles=[Role.MANAGER])
    cara = make_staff("cara", roles=[Role.CASEWORKER])
    case = sealed_case()
    manager = sign_in("meg")
    assign = reverse("cases:assign", args=[case.reference])
    manager.post(assign, {"handler": max_.pk})
    manager.post(assign, {"handler": cara.pk})
    assert _grants(max_) == {(case.reference, "case")}
    assert _revoked(max_) == []


def test_recording_a_conflict_takes_every_key_to_that_case(
    make_staff: Any, sealed_case: Any
) -> None:
    # Given an intake officer who is also a custodian: case and identity keys to two cases
    make_staff("meg", roles=[Role.MANAGER])
    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER, Role.CUSTODIAN])
    case, other = sealed_case(), sealed_case()
    assert _grants(ivy, case) == {(case.reference, "case"), (case.reference, "identity")}

    # When a manager records her conflict of interest on the first case (the page)
    response = sign_in("meg").post(
        reverse("cases:conflict", args=[case.reference]),
        {"user": ivy.pk, "reason": "Her sister works at the setting."},
    )
    assert response.status_code == 302

    # Then she holds nothing of that case, keeps the other, and it is audited
    assert _grants(ivy, case) == set()
    assert _grants(ivy, other) == {(other.reference, "case"), (other.reference, "identity")}
    assert _revoked(ivy) == [(case.reference, ["case", "identity"], 1, 2, "conflict")]
    conflict = AuditEvent.objects.get(action="disclosure.conflict_recorded")
    assert conflict.details == {"user_id": ivy.pk, "grants_revoked": 2}
    assert not _reads_narrative(sign_in("ivy"), case.reference)
    assert _reads_narrative(sign_in("ivy"), other.reference)


def test_changing_someone_to_auditor_only_takes_all_their_keys(
    make_staff: Any, sealed_case: Any
) -> None:
    # Given an intake officer holding the keys to two cases
    make_staff("meg", roles=[Role.MANAGER])
    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    first, _second = sealed_case(), sealed_case()
    assert _reads_narrative(sign_in("ivy"), first.reference)

    # When a manager changes her to auditor only on her page
    response = sign_in("meg").post(
        reverse("people:roles", args=[ivy.pk]), {"roles": ["auditor"]}, follow=True
    )
    assert "2 keys they no longer need were removed" in response.content.decode()

    # Then she holds no key; the revocation and the role change are audited
    assert _grants(ivy) == set()
    assert _revoked(ivy) == [(None, ["case"], 2, 2, "roles_changed")]
    changed = AuditEvent.objects.get(action="user.roles_changed")
    assert changed.details == {
        "added": ["auditor"],
        "removed": ["intake_officer"],
        "grants_revoked": 2,
    }
    assert not _reads_narrative(sign_in("ivy"), first.reference)


def test_a_role_change_keeps_the_keys_the_remaining_roles_need(
    make_staff: Any, sealed_case: Any
) -> None:
    # A caseworker who was also an intake officer keeps the case she handles, loses the rest.
    make_staff("meg", roles=[Role.MANAGER])
    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER, Role.CASEWORKER])
    handled, other = sealed_case(), sealed_case()
    manager = sign_in("meg")
    manager.post(reverse("cases:assign", args=[handled.reference]), {"handler": ivy.pk})
    manager.post(reverse("people:roles", args=[ivy.pk]), {"roles": ["caseworker"]})
    assert _grants(ivy) == {(handled.reference, "case")}
    assert _revoked(ivy) == [(other.reference, ["case"], 1, 1, "roles_changed")]


def test_deactivating_takes_every_key_ends_sessions_and_is_audited(
    make_staff: Any, sealed_case: Any
) -> None:
    # Given an officer signed in on her own browser, holding keys
    make_staff("meg", roles=[Role.MANAGER])
    ivy = make_staff("ivy", roles=[Role.INTAKE_OFFICER, Role.CUSTODIAN])
    case = sealed_case()
    ivys_browser = sign_in("ivy")
    assert ivys_browser.get(reverse("cases:list")).status_code == 200

    # When a manager deactivates her on her page
    response = sign_in("meg").post(reverse("people:deactivate", args=[ivy.pk]), follow=True)
    assert "is deactivated: signed out everywhere" in response.content.decode()

    # Then every grant is gone and audited, her sessions are gone ...
    assert _grants(ivy) == set()
    assert _revoked(ivy) == [(case.reference, ["case", "identity"], 1, 2, "deactivated")]
    event = AuditEvent.objects.get(action="user.deactivated")
    assert event.details == {"grants_revoked": 2, "sessions_ended": 1}
    assert not any(
        str(s.get_decoded().get("_auth_user_id")) == str(ivy.pk) for s in Session.objects.all()
    )
    # ... and the browser she was signed in on is refused at its next request
    again = ivys_browser.get(reverse("cases:list"))
    assert again.status_code == 302 and again["Location"].startswith(reverse("accounts:login"))
    assert ivys_browser.get(case_file_url(case.reference)).status_code == 302
    # Nor can she sign in again
    refused = ivys_browser.post(
        reverse("accounts:login"), {"username": "ivy", "password": "a-long-staff-password"}
    )
    assert refused.status_code == 200


def test_reactivating_gives_no_old_keys_back_but_new_cases_and_assignment_do(
    make_staff: Any, sealed_case: Any
) -> None:
    make_staff("meg", roles=[Role.MANAGER])
    carl = make_staff("carl", roles=[Role.CASEWORKER])
    old = sealed_case()
    manager = sign_in("meg")
    manager.post(reverse("cases:assign", args=[old.reference]), {"handler": carl.pk})
    manager.post(reverse("people:deactivate", args=[carl.pk]))
    assert _grants(carl) == set()

    response = manager.post(reverse("people:reactivate", args=[carl.pk]), follow=True)
    assert "can sign in again" in response.content.decode()
    assert AuditEvent.objects.filter(action="user.reactivated", object_id="carl").exists()
    assert _grants(carl) == set()
    # The manager assigns the case again: the normal sealing path gives the key back
    manager.post(reverse("cases:assign", args=[old.reference]), {"handler": carl.pk})
    assert _grants(carl) == {(old.reference, "case")}
    assert _reads_narrative(sign_in("carl"), old.reference)


def test_ending_a_custodians_appointment_takes_their_identity_keys(
    make_staff: Any, sealed_case: Any
) -> None:
    # Given a custodian holding the identity keys of two cases
    make_staff("meg", roles=[Role.MANAGER])
    kim = make_staff("kim", roles=[Role.CUSTODIAN])
    first, second = sealed_case(), sealed_case()
    assert _grants(kim) == {(first.reference, "identity"), (second.reference, "identity")}

    # When a manager ends her appointment on her page
    response = sign_in("meg").post(
        reverse("people:custodian", args=[kim.pk]), {"appointment": "end"}, follow=True
    )
    assert "is no longer an identity custodian" in response.content.decode()

    # Then her identity keys are gone; the revocation and the end are audited
    assert _grants(kim) == set()
    assert _revoked(kim) == [(None, ["identity"], 2, 2, "roles_changed")]
    ended = AuditEvent.objects.get(action="user.custodian_ended")
    assert ended.details == {"added": [], "removed": ["custodian"], "grants_revoked": 2}


def test_appointing_a_custodian_is_audited_and_new_cases_are_sealed_to_them(
    make_staff: Any, sealed_case: Any
) -> None:
    make_staff("meg", roles=[Role.MANAGER])
    kim = make_staff("kim", roles=[Role.AUDITOR])
    sign_in("meg").post(reverse("people:custodian", args=[kim.pk]), {"appointment": "appoint"})
    appointed = AuditEvent.objects.get(action="user.custodian_appointed")
    assert appointed.details == {"added": ["custodian"], "removed": [], "grants_revoked": 0}
    case = sealed_case()
    assert _grants(kim) == {(case.reference, "identity")}


def test_an_approved_identity_request_survives_a_role_change_that_keeps_the_case(
    make_staff: Any, sealed_case: Any
) -> None:
    # A handler given the identity by a custodian keeps it while they keep the case...
    from tests.casefiles.conftest import private_key_of
    from whistledesk.identity.services import identity_access_approve, identity_access_request

    make_staff("meg", roles=[Role.MANAGER])
    kim = make_staff("kim", roles=[Role.CUSTODIAN])
    carl = make_staff("carl", roles=[Role.CASEWORKER, Role.SAFEGUARDING_LEAD])
    case = sealed_case()
    manager = sign_in("meg")
    manager.post(reverse("cases:assign", args=[case.reference]), {"handler": carl.pk})
    request = identity_access_request(
        actor=carl,
        disclosure=case,
        reason="Need to call them back.",
        private_key=private_key_of(carl),
    )
    identity_access_approve(actor=kim, request=request, private_key=private_key_of(kim))
    assert _grants(carl) == {(case.reference, "case"), (case.reference, "identity")}
    manager.post(reverse("people:roles", args=[carl.pk]), {"roles": ["caseworker"]})
    assert _grants(carl) == {(case.reference, "case"), (case.reference, "identity")}
    # ... and loses both with the case
    manager.post(reverse("people:roles", args=[carl.pk]), {"roles": ["auditor"]})
    assert _grants(carl) == set()
    assert _revoked(carl) == [(case.reference, ["case", "identity"], 1, 2, "roles_changed")]
    # The request says so (and is no longer live, so he may ask again once the case is his)
    request.refresh_from_db()
    assert request.status == "revoked"
    ended = AuditEvent.objects.get(action="identity.access_revoked")
    assert ended.details == {"requester": "carl", "grant_deleted": True, "cause": "roles_changed"}
    manager.post(reverse("people:roles", args=[carl.pk]), {"roles": ["caseworker"]})
    manager.post(reverse("cases:assign", args=[case.reference]), {"handler": carl.pk})
    assert _grants(carl) == {(case.reference, "case")}
    identity_access_request(
        actor=carl, disclosure=case, reason="Asking again.", private_key=private_key_of(carl)
    )


def test_a_custodian_passes_older_identity_keys_to_a_new_custodian(
    make_staff: Any, sealed_case: Any
) -> None:
    # Given two cases sealed while Kim was the only custodian, and a conflict for Kai on one
    make_staff("meg", roles=[Role.MANAGER])
    make_staff("kim", roles=[Role.CUSTODIAN])
    kai = make_staff("kai", roles=[Role.AUDITOR])
    clear, conflicted = sealed_case(), sealed_case()
    manager = sign_in("meg")
    manager.post(
        reverse("cases:conflict", args=[conflicted.reference]),
        {"user": kai.pk, "reason": "Used to work there."},
    )
    # When a manager appoints Kai, he holds none of the older identity keys
    manager.post(reverse("people:custodian", args=[kai.pk]), {"appointment": "appoint"})
    assert _grants(kai) == set()
    # Then Kim passes hers on from the hand-over page
    kim = sign_in("kim")
    queue = kim.get(reverse("identity:queue")).content.decode()
    assert reverse("identity:hand_over") in queue
    page = kim.get(reverse("identity:hand_over")).content.decode()
    assert "Pass on 1 key" in page
    response = kim.post(reverse("identity:hand_over"), {"custodian": kai.pk}, follow=True)
    assert "kai now holds the identity keys of 1 more case." in response.content.decode()
    assert _grants(kai) == {(clear.reference, "identity")}
    assert AuditEvent.objects.filter(
        action="identity.custodian_added", object_id="kai", disclosure_id=clear.pk
    ).exists()
    handed = AuditEvent.objects.get(action="identity.keys_handed_over")
    assert handed.actor_label == "kim" and handed.details == {"cases": 1}
    # Only custodians reach the page
    assert manager.get(reverse("identity:hand_over")).status_code == 403
