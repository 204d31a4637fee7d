"""The consent ledger and the consent rule on sharing identity with an outside body."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests.identity.conftest import private_key_of
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles.notes import notes_reader
from whistledesk.cases.models import Referral, ReferralBody, Status
from whistledesk.core.exceptions import DomainError
from whistledesk.identity import services
from whistledesk.identity.models import WebFormConsent
from whistledesk.identity.selectors import consent_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(db: Any) -> ReferralBody:
    return ReferralBody.objects.create(name="Northshire LADO", kind="lado")


@pytest.fixture
def active(case: Any) -> Any:
    case.status = Status.ACTION
    case.save(update_fields=["status"])
    return case


def test_web_form_open_choice_is_recorded_as_consent(
    organisation: Any, recovery_private_key: bytes
) -> None:
    from tests.factories import DisclosureFactory
    from whistledesk.casefiles.services import casefile_create

    # Given two web disclosures, one "open" and one "confidential"
    open_case = DisclosureFactory(organisation=organisation)
    confidential = DisclosureFactory(organisation=organisation)
    casefile_create(
        actor="public",
        disclosure=open_case,
        documents={"identity": '{"choice": "open", "name": "A"}', "narrative": "n"},
    )
    casefile_create(
        actor="public",
        disclosure=confidential,
        documents={"identity": '{"choice": "confidential", "name": "B"}', "narrative": "n"},
    )
    # Then only the open one has consent in its ledger, and it is audited
    assert WebFormConsent.objects.filter(disclosure=open_case).exists()
    assert not WebFormConsent.objects.filter(disclosure=confidential).exists()
    [entry] = consent_ledger(open_case)
    assert entry.kind == "consent" and entry.who == "The whistleblower"
    assert "bodies we refer" in entry.what and "web form" in entry.why.lower()
    assert consent_ledger(confidential) == []
    assert AuditEvent.objects.filter(action="consent.given_on_web_form").count() == 1


def test_sharing_identity_outside_without_consent_is_refused(
    active: Any, handler: Any, body: ReferralBody
) -> None:
    from whistledesk.cases.actions import referral_record

    # When the handler records a referral that shares the identity without consent
    with pytest.raises(DomainError, match="consent"):
        referral_record(
            actor=handler,
            private_key=private_key_of(handler),
            disclosure=active,
            body=body,
            shared_summary="Concern about night staffing",
            referred_on=dt.date.today(),
            identity_shared=True,
        )
    # And the database refuses it even if a service forgot
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            disclosure=active,
            body=body,
            identity_shared=True,
            referred_on=dt.date.today(),
            reassurance_due=dt.date.today(),
            recorded_by=handler,
        )
    # Then the ledger shows no sharing
    assert [e for e in consent_ledger(active) if e.kind == "shared_outside"] == []


def test_ledger_records_consent_sharing_and_internal_access(
    active: Any, handler: Any, custodian: Any, body: ReferralBody
) -> None:
    from whistledesk.cases.actions import consent_record, referral_record

    today = dt.date.today()
    # Given consent recorded by the handler, a referral sharing the identity with it,
    # and identity access approved inside the office then revoked
    consent = consent_record(
        actor=handler,
        private_key=private_key_of(handler),
        disclosure=active,
        given_by="The whistleblower, by phone",
        scope="Share my name with the LADO",
        given_on=today,
        reason="LADO needs to interview them",
    )
    request = services.identity_access_request(
        actor=handler,
        private_key=private_key_of(handler),
        disclosure=active,
        reason="To pass the name to the LADO",
    )
    services.identity_access_approve(
        actor=custodian, request=request, private_key=private_key_of(custodian)
    )
    referral_record(
        actor=handler,
        private_key=private_key_of(handler),
        disclosure=active,
        body=body,
        shared_summary="Night staffing concern",
        referred_on=today,
        identity_shared=True,
        consent=consent,
    )
    services.identity_access_revoke(
        actor=custodian, private_key=private_key_of(custodian), request=request, reason="Done"
    )
    # Then the ledger says who was told what, when and why
    key = private_key_of(handler)
    notes = notes_reader(disclosure=active, user=handler, private_key=key)
    entries = {
        e.kind: e for e in consent_ledger(active, notes=notes, user=handler, private_key=key)
    }
    assert set(entries) == {"consent", "shared_outside", "access_granted", "access_revoked"}
    assert entries["consent"].who == "The whistleblower, by phone"
    assert entries["consent"].what == "Share my name with the LADO"
    assert entries["shared_outside"].who == "Northshire LADO"
    assert entries["shared_outside"].when == today
    assert "The whistleblower, by phone" in entries["shared_outside"].why
    assert entries["access_granted"].who == "hal (staff)"
    assert entries["access_granted"].why == "To pass the name to the LADO"
    assert "cora" in entries["access_granted"].recorded_by
    assert entries["access_revoked"].why == "Done"


def test_open_choice_through_the_web_form_reaches_the_ledger(organisation: Any) -> None:
    from django.core.cache import cache
    from django.test import Client

    from tests.intake.conftest import submit
    from whistledesk.cases.models import Disclosure

    cache.clear()  # intake throttles by client; start from a clean count
    reference, _ = submit(Client(), organisation, identity="open")
    [entry] = consent_ledger(Disclosure.objects.get(reference=reference))
    assert entry.kind == "consent" and entry.recorded_by == "Web form"


def test_sharing_identity_outside_needs_identity_access_as_well_as_consent(
    active: Any, handler: Any, body: ReferralBody
) -> None:
    from whistledesk.cases.actions import consent_record, referral_record
    from whistledesk.core.exceptions import DomainError

    # Given the whistleblower's recorded consent, but no identity access from a custodian
    today = dt.date.today()
    consent = consent_record(
        actor=handler,
        private_key=private_key_of(handler),
        disclosure=active,
        given_by="The whistleblower, by phone",
        scope="Share my name with the LADO",
        given_on=today,
        reason="LADO needs to interview them",
    )
    # When the handler records a referral that shares the identity, it is refused
    with pytest.raises(DomainError, match="do not have access to the whistleblower's identity"):
        referral_record(
            actor=handler,
            private_key=private_key_of(handler),
            disclosure=active,
            body=body,
            shared_summary="Night staffing concern",
            referred_on=today,
            identity_shared=True,
            consent=consent,
        )
    assert not active.referrals.exists()
