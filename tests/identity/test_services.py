"""The custodian flow, at the level of keys: who can decrypt the identity, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.identity.conftest import NAME, NARRATIVE, private_key_of
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.identity_keys import IdentityLocked
from whistledesk.casefiles.models import KeyGrant, KeyScope, SealedDocument
from whistledesk.casefiles.recovery import recover_casefile
from whistledesk.casefiles.services import casefile_open
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.identity import services
from whistledesk.identity.models import IdentityAccessRequest, RequestStatus
from whistledesk.identity.selectors import pending_requests, requests_open_notes

pytestmark = pytest.mark.django_db

REASON = "Need to check whether they are the worker named in the LADO referral."


def _open(user: Any, case: Any) -> Any:
    return casefile_open(actor=user, disclosure=case, private_key=private_key_of(user))


def _ask(handler: Any, case: Any) -> IdentityAccessRequest:
    return services.identity_access_request(
        actor=handler, private_key=private_key_of(handler), disclosure=case, reason=REASON
    )


def test_handler_keys_cannot_open_the_identity_documents(case: Any, handler: Any) -> None:
    # Given the handler holds the case key
    grant = KeyGrant.objects.get(disclosure=case, user=handler, scope=KeyScope.CASE)
    data_key = crypto.unseal(private_key_of(handler), bytes(grant.sealed_key))
    # Then the case key reads the narrative...
    opened = _open(handler, case)
    assert opened.documents["narrative"] == NARRATIVE
    # ...but neither it nor the handler's private key decrypts identity or contact
    docs = SealedDocument.objects.filter(disclosure=case, kind__in=["identity", "contact"])
    assert {d.scope for d in docs} == {KeyScope.IDENTITY}
    for doc in docs:
        with pytest.raises(crypto.DecryptionFailed):
            crypto.secret_decrypt(data_key, bytes(doc.ciphertext))
        with pytest.raises(crypto.DecryptionFailed):
            crypto.unseal(private_key_of(handler), bytes(doc.ciphertext))
    assert "identity" not in opened.documents and "contact" not in opened.documents
    assert opened.identity_hidden
    # And the handler holds no identity grant at all
    assert not KeyGrant.objects.filter(disclosure=case, user=handler, scope=KeyScope.IDENTITY)


def test_custodians_hold_the_identity_key_but_not_the_case(case: Any, custodian: Any) -> None:
    assert KeyGrant.objects.filter(disclosure=case, user=custodian, scope=KeyScope.IDENTITY)
    assert not KeyGrant.objects.filter(disclosure=case, user=custodian, scope=KeyScope.CASE)


def test_whole_flow_request_approve_read(case: Any, handler: Any, custodian: Any) -> None:
    # Given the handler asks with a reason
    request = _ask(handler, case)
    assert list(pending_requests(case.organisation)) == [request]
    # When a custodian approves with their own key
    services.identity_access_approve(
        actor=custodian, request=request, private_key=private_key_of(custodian)
    )
    # Then the handler's own key now opens the identity and contact details
    opened = _open(handler, case)
    assert NAME in opened.documents["identity"]
    assert "ottoline@example.org" in opened.documents["contact"]
    assert not opened.identity_hidden
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.decided_by == custodian
    assert list(pending_requests(case.organisation)) == []
    # And both steps are audited with no reason or identity in the log
    events = AuditEvent.objects.filter(action__startswith="identity.").order_by("seq")
    assert [e.action for e in events] == ["identity.access_requested", "identity.access_approved"]
    assert all(e.disclosure_id == case.pk for e in events)
    for event in AuditEvent.objects.all():
        assert "LADO" not in str(event.details) and "Ottoline" not in str(event.details)
    read = AuditEvent.objects.filter(action="casefile.read", actor=handler).last()
    assert read is not None and read.details["identity_opened"] is True


def test_refusal_gives_nothing_and_needs_a_reason(case: Any, handler: Any, custodian: Any) -> None:
    request = _ask(handler, case)
    with pytest.raises(DomainError):
        services.identity_access_refuse(
            actor=custodian, private_key=private_key_of(custodian), request=request, reason="  "
        )
    services.identity_access_refuse(
        actor=custodian,
        private_key=private_key_of(custodian),
        request=request,
        reason="Not needed for the referral.",
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    # The reason is sealed; the requester (case key) and the custodian (identity key) read it
    assert b"Not needed" not in bytes(request.decision_reason_sealed)
    for reader in (handler, custodian):
        requests_open_notes([request], user=reader, private_key=private_key_of(reader))
        assert request.decision_reason == "Not needed for the referral."
        assert request.reason == REASON
    assert _open(handler, case).identity_hidden
    assert AuditEvent.objects.filter(action="identity.access_refused").exists()
    # A refused request cannot then be approved
    with pytest.raises(DomainError):
        services.identity_access_approve(
            actor=custodian, request=request, private_key=private_key_of(custodian)
        )
    # But the handler may ask again
    assert _ask(handler, case).status == RequestStatus.PENDING


def test_custodian_cannot_approve_their_own_request(
    case: Any, make_staff: Any, manager: Any, custodian2: Any
) -> None:
    from whistledesk.casefiles.services import casefile_grant

    # Given a custodian who is also a caseworker with the case key, asking for themselves
    both = make_staff("bea", roles=[Role.CASEWORKER, Role.CUSTODIAN])
    casefile_grant(actor=manager, disclosure=case, user=both, private_key=private_key_of(manager))
    case.handler = both  # only the handler (or a manager) may ask
    case.save(update_fields=["handler"])
    request = _ask(both, case)
    # When they try to approve it themselves, they are refused
    with pytest.raises(NotPermitted, match="your own request"):
        services.identity_access_approve(
            actor=both, request=request, private_key=private_key_of(both)
        )
    with pytest.raises(NotPermitted):
        services.identity_access_refuse(
            actor=both, private_key=private_key_of(both), request=request, reason="no"
        )
    assert _open(both, case).identity_hidden
    # And another custodian can
    services.identity_access_approve(
        actor=custodian2, request=request, private_key=private_key_of(custodian2)
    )
    assert not _open(both, case).identity_hidden


@pytest.mark.parametrize("role", [Role.INTAKE_OFFICER, Role.AUDITOR, Role.CUSTODIAN])
def test_only_handler_caseworker_or_manager_may_ask(
    case: Any, make_staff: Any, manager: Any, role: Role
) -> None:
    from whistledesk.casefiles.services import casefile_grant

    user = make_staff("other", roles=[role])
    casefile_grant(actor=manager, disclosure=case, user=user, private_key=private_key_of(manager))
    with pytest.raises(NotPermitted):
        _ask(user, case)


def test_caseworker_without_the_case_key_or_with_a_conflict_may_not_ask(
    case: Any, make_staff: Any, manager: Any, handler: Any
) -> None:
    from whistledesk.cases.models import ConflictOfInterest

    # A caseworker who is not the handler may not ask (the access policy), and a manager
    # appointed after the case arrived holds no key to it yet.
    stranger = make_staff("sid", roles=[Role.CASEWORKER])
    with pytest.raises(NotPermitted, match="assigned to another member of staff"):
        _ask(stranger, case)
    keyless = make_staff("kim", roles=[Role.MANAGER])
    with pytest.raises(NotPermitted, match="access to the case file"):
        _ask(keyless, case)
    ConflictOfInterest.objects.create(disclosure=case, user=handler, recorded_by=manager)
    with pytest.raises(NotPermitted, match="conflict of interest"):
        _ask(handler, case)


def test_anonymous_case_has_no_identity_to_ask_for(
    organisation: Any, manager: Any, handler: Any, custodian: Any
) -> None:
    from tests.factories import DisclosureFactory
    from whistledesk.casefiles.services import casefile_create, casefile_grant

    d = DisclosureFactory(organisation=organisation)
    casefile_create(actor="public", disclosure=d, documents={"narrative": "x"})
    casefile_grant(actor=manager, disclosure=d, user=handler, private_key=private_key_of(manager))
    d.handler = handler
    d.save(update_fields=["handler"])
    assert not _open(handler, d).identity_hidden
    with pytest.raises(DomainError, match="no identity"):
        _ask(handler, d)


def test_one_pending_request_at_a_time_and_reason_required(case: Any, handler: Any) -> None:
    with pytest.raises(DomainError):
        services.identity_access_request(
            actor=handler, private_key=private_key_of(handler), disclosure=case, reason="   "
        )
    _ask(handler, case)
    with pytest.raises(DomainError, match="already asked"):
        _ask(handler, case)


def test_withdraw_only_by_the_requester(case: Any, handler: Any, custodian: Any) -> None:
    request = _ask(handler, case)
    with pytest.raises(NotPermitted):
        services.identity_access_withdraw(actor=custodian, request=request)
    services.identity_access_withdraw(actor=handler, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    with pytest.raises(DomainError):
        services.identity_access_approve(
            actor=custodian, request=request, private_key=private_key_of(custodian)
        )
    assert _open(handler, case).identity_hidden


def test_requests_expire(case: Any, handler: Any, custodian: Any) -> None:
    request = _ask(handler, case)
    IdentityAccessRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    request.refresh_from_db()
    assert list(pending_requests(case.organisation)) == []
    with pytest.raises(DomainError, match="expired"):
        services.identity_access_approve(
            actor=custodian, request=request, private_key=private_key_of(custodian)
        )
    assert services.identity_requests_expire() == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert AuditEvent.objects.filter(action="identity.access_expired").count() == 1
    assert _open(handler, case).identity_hidden


def test_revoke_deletes_the_grant(case: Any, handler: Any, custodian: Any) -> None:
    request = _ask(handler, case)
    services.identity_access_approve(
        actor=custodian, request=request, private_key=private_key_of(custodian)
    )
    assert not _open(handler, case).identity_hidden
    with pytest.raises(NotPermitted):
        services.identity_access_revoke(
            actor=handler, private_key=private_key_of(handler), request=request, reason="x"
        )
    with pytest.raises(DomainError):
        services.identity_access_revoke(
            actor=custodian, private_key=private_key_of(custodian), request=request, reason=""
        )
    services.identity_access_revoke(
        actor=custodian,
        private_key=private_key_of(custodian),
        request=request,
        reason="Referral done.",
    )
    assert _open(handler, case).identity_hidden
    assert not KeyGrant.objects.filter(disclosure=case, user=handler, scope=KeyScope.IDENTITY)
    event = AuditEvent.objects.get(action="identity.access_revoked")
    assert event.details["grant_deleted"] is True


def test_custodian_without_the_key_cannot_approve_until_given_it(
    case: Any, handler: Any, custodian: Any, make_staff: Any
) -> None:
    # Given a custodian appointed after the case was sealed
    late = make_staff("lena", roles=[Role.CUSTODIAN])
    request = _ask(handler, case)
    # Then they hold nothing to pass on
    with pytest.raises(IdentityLocked):
        services.identity_access_approve(
            actor=late, request=request, private_key=private_key_of(late)
        )
    # Until an existing custodian passes them the identity key
    assert services.identity_custodian_add(
        actor=custodian, disclosure=case, custodian=late, private_key=private_key_of(custodian)
    )
    services.identity_access_approve(actor=late, request=request, private_key=private_key_of(late))
    assert not _open(handler, case).identity_hidden
    assert AuditEvent.objects.filter(action="identity.custodian_added").exists()


def test_recovery_key_still_opens_everything(case: Any, recovery_private_key: bytes) -> None:
    recovered = recover_casefile(reference=case.reference, private_key=recovery_private_key)
    texts = {d.kind: d.text for d in recovered.documents}
    assert texts["narrative"] == NARRATIVE
    assert NAME in texts["identity"]
    assert "ottoline@example.org" in texts["contact"]


def test_staff_who_recorded_the_identity_can_read_it_back(
    organisation: Any, make_staff: Any, custodian: Any
) -> None:
    from tests.factories import DisclosureFactory
    from whistledesk.casefiles.services import casefile_create

    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    other = make_staff("ida", roles=[Role.INTAKE_OFFICER])
    d = DisclosureFactory(organisation=organisation)
    casefile_create(
        actor=officer, disclosure=d, documents={"identity": "A caller", "call_notes": "n"}
    )
    assert _open(officer, d).documents["identity"] == "A caller"
    assert _open(other, d).identity_hidden


def test_deactivating_an_approved_requester_removes_their_identity_grant(
    case: Any, handler: Any, custodian: Any, manager: Any
) -> None:
    from whistledesk.accounts.services import user_deactivate

    request = _ask(handler, case)
    services.identity_access_approve(
        actor=custodian, request=request, private_key=private_key_of(custodian)
    )
    user_deactivate(actor=manager, user=handler)
    assert not KeyGrant.objects.filter(user=handler).exists()


def test_staff_added_identity_is_sealed_apart_too(case: Any, manager: Any, handler: Any) -> None:
    from whistledesk.casefiles.services import casefile_add

    casefile_add(
        actor=manager,
        disclosure=case,
        private_key=private_key_of(manager),
        documents={"contact": "New phone 07700 900123", "call_notes": "Called back."},
    )
    opened = _open(handler, case)
    assert opened.documents["call_notes"] == "Called back."
    assert "New phone" not in str(opened.documents)
    assert opened.identity_hidden


def test_expire_command(case: Any, handler: Any) -> None:
    import io

    from django.core.management import call_command

    request = _ask(handler, case)
    out = io.StringIO()
    call_command("expire_identity_requests", stdout=out)
    assert "0 identity request(s) expired" in out.getvalue()
    IdentityAccessRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    call_command("expire_identity_requests", stdout=out)
    assert "1 identity request(s) expired" in out.getvalue()
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
