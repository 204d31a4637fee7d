"""`apply_retention`: what is destroyed, what is kept, and what stops it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models

from tests.casefiles.conftest import private_key_of
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent
from whistledesk.audit.verify import verify_chain
from whistledesk.casefiles import services as casefiles
from whistledesk.casefiles.models import KeyGrant, Message, SealedDocument, SourceAccount
from whistledesk.casefiles.notes import note_seal
from whistledesk.cases.models import ActionKind, CaseAction, Disclosure, Status
from whistledesk.retention.destruction import BLANKED, CONTENT_APPS, SEALED, content_relations
from whistledesk.retention.models import LegalHold, RetentionRecord
from whistledesk.retention.services import legal_hold_lift, legal_hold_place

D = dt.date
CANARY = "Canary: Ottoline Brackenbury saw the ledger burn"
SUMMARY = "Concerns about night staffing at Brackenbury House"
REPORTING_FIELDS = (
    "reference",
    "received_on",
    "channel",
    "service_id",
    "qualifying",
    "anonymous",
    "outcome_id",
    "status",
    "closed_at",
    "acknowledged_at",
    "assessed_at",
    "organisation_id",
)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def sealed_case(closed_case: Any, recovery_key: Any, manager: Any) -> Any:
    """A closed web case with identity, narrative, a reply, and a staff note in clear."""
    d = closed_case(
        channel="web", summary=SUMMARY, setting_name="Brackenbury House", ofsted_urn="SC123456"
    )
    receipt = casefiles.casefile_create(
        actor="public", disclosure=d, documents={"identity": CANARY, "narrative": CANARY}
    )
    source = casefiles.source_authenticate(receipt=receipt or "")
    casefiles.message_from_source(source=source, text=CANARY)
    CaseAction.objects.create(
        disclosure=d,
        kind=ActionKind.ADVICE,
        recipient="Brackenbury House manager",
        summary_sealed=note_seal(
            disclosure=d, text=CANARY, private_key=private_key_of(manager), actor=manager
        ),
        taken_on=D(2020, 3, 1),
        recorded_by=manager,
    )
    return d


def _content_rows(d: Any) -> int:
    return sum(
        rel.related_model._base_manager.filter(**{rel.field.name: d.pk}).count()
        for rel in content_relations()
    )


def _snapshot(d: Any) -> dict[str, Any]:
    return Disclosure.objects.filter(pk=d.pk).values(*REPORTING_FIELDS).get()


def test_destroys_content_and_identity_keeps_the_reporting_fields(
    sealed_case: Any, default_policy: Any
) -> None:
    # Given a closed case past its period, with sealed content and notes in clear
    before = _snapshot(sealed_case)
    assert _content_rows(sealed_case) > 0
    assert SourceAccount.objects.filter(disclosure=sealed_case).exists()
    # When retention runs
    out = _run("--today", "2026-05-11")
    # Then the case file and the whistleblower's account are gone
    assert f"Destroyed {sealed_case.reference}" in out
    assert _content_rows(sealed_case) == 0
    for model in (SealedDocument, Message, KeyGrant, SourceAccount):
        assert not model.objects.filter(disclosure=sealed_case).exists()
    # And the clear notes are blank, the reporting fields unchanged
    d = Disclosure.objects.get(pk=sealed_case.pk)
    assert (d.summary, d.setting_name, d.setting_key, d.ofsted_urn) == ("", "", "", "")
    action = CaseAction.objects.get(disclosure=d)
    assert (bytes(action.summary_sealed), action.recipient) == (b"", "")
    assert _snapshot(d) == before
    record = RetentionRecord.objects.get(disclosure=d)
    assert (record.keep_years, record.kept_until, record.policy) == (
        6,
        D(2026, 5, 10),
        default_policy,
    )


def test_the_receipt_no_longer_opens_anything(
    closed_case: Any, recovery_key: Any, default_policy: Any
) -> None:
    d = closed_case(channel="web")
    receipt = casefiles.casefile_create(actor="public", disclosure=d, documents={"narrative": "x"})
    _run("--today", "2030-01-01")
    with pytest.raises(casefiles.ReceiptRejected):
        casefiles.source_authenticate(receipt=receipt or "")


def test_destruction_is_audited_without_content(sealed_case: Any, default_policy: Any) -> None:
    _run("--today", "2026-05-11")
    event = AuditEvent.objects.get(action="retention.destroyed")
    assert event.disclosure_id == sealed_case.pk
    assert event.actor_label == "apply_retention"
    assert event.details["kept_until"] == "2026-05-10"
    assert event.details["rows_deleted"] > 0
    text = str(event.details) + event.object_id
    assert "Brackenbury" not in text and "Ottoline" not in text
    assert verify_chain().ok


def test_dry_run_changes_nothing(sealed_case: Any, default_policy: Any) -> None:
    rows, events = _content_rows(sealed_case), AuditEvent.objects.count()
    out = _run("--dry-run", "--today", "2026-05-11")
    assert f"Would destroy {sealed_case.reference}" in out
    assert _content_rows(sealed_case) == rows
    assert AuditEvent.objects.count() == events
    assert Disclosure.objects.get(pk=sealed_case.pk).summary == SUMMARY
    assert not RetentionRecord.objects.exists()


def test_a_case_not_yet_due_is_kept(sealed_case: Any, default_policy: Any) -> None:
    out = _run("--today", "2026-05-10")
    assert "Destroyed 0 case(s)" in out
    assert _content_rows(sealed_case) > 0


@pytest.mark.parametrize(
    "status", [s for s in Status if s != Status.CLOSED], ids=lambda s: str(s.value)
)
def test_open_cases_are_never_destroyed(
    organisation: Any, default_policy: Any, status: Status, recovery_key: Any
) -> None:
    from tests.factories import DisclosureFactory

    # An old case, even one reopened after closing (its closure date is cleared on reopening)
    d = DisclosureFactory(organisation=organisation, received_on=D(2001, 1, 1), status=status)
    casefiles.casefile_create(actor="public", disclosure=d, documents={"narrative": CANARY})
    _run("--today", "2040-01-01")
    assert _content_rows(d) > 0
    assert not RetentionRecord.objects.exists()


def test_legal_hold_blocks_destruction_until_lifted(
    sealed_case: Any, default_policy: Any, manager: Any
) -> None:
    # Given a due case on legal hold
    hold = legal_hold_place(actor=manager, disclosure=sealed_case, reason="Tribunal claim pending")
    # When retention runs, it is kept and said to be held
    out = _run("--today", "2030-01-01")
    assert f"Kept {sealed_case.reference}: on legal hold" in out
    assert _content_rows(sealed_case) > 0
    assert Disclosure.objects.get(pk=sealed_case.pk).summary == SUMMARY
    # When the hold is lifted, the next run destroys it, and the hold's reason too
    legal_hold_lift(actor=manager, hold=hold, reason="Claim withdrawn")
    _run("--today", "2030-01-01")
    assert _content_rows(sealed_case) == 0
    lifted = LegalHold.objects.get(pk=hold.pk)
    assert (lifted.reason, lifted.lift_reason) == ("", "")
    assert lifted.lifted_by == manager


def test_a_hold_placed_after_the_preview_still_stops_destruction(
    sealed_case: Any, default_policy: Any, manager: Any
) -> None:
    from whistledesk.retention.destruction import DestructionRefused, disclosure_destroy

    legal_hold_place(actor=manager, disclosure=sealed_case, reason="Police enquiry")
    with pytest.raises(DestructionRefused, match="legal hold"):
        disclosure_destroy(actor="test", disclosure_id=sealed_case.pk, today=D(2030, 1, 1))
    assert _content_rows(sealed_case) > 0


def test_only_managers_place_holds_and_not_on_destroyed_cases(
    sealed_case: Any, default_policy: Any, manager: Any, make_staff: Any
) -> None:
    from whistledesk.core.exceptions import DomainError, NotPermitted

    worker = make_staff("carl", roles=[Role.CASEWORKER])
    with pytest.raises(NotPermitted):
        legal_hold_place(actor=worker, disclosure=sealed_case, reason="x")
    with pytest.raises(DomainError, match="Give a reason"):
        legal_hold_place(actor=manager, disclosure=sealed_case, reason="  ")
    _run("--today", "2030-01-01")
    with pytest.raises(DomainError, match="already been destroyed"):
        legal_hold_place(actor=manager, disclosure=sealed_case, reason="Too late")


def test_a_second_run_destroys_nothing_more(sealed_case: Any, default_policy: Any) -> None:
    _run("--today", "2030-01-01")
    out = _run("--today", "2030-01-01")
    assert "Destroyed 0 case(s)" in out
    assert AuditEvent.objects.filter(action="retention.destroyed").count() == 1


def test_a_bad_date_is_a_clear_error(organisation: Any) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--today", "11/05/2026")


# Text fields of register models that are kept on purpose: codes, not prose.
KEPT_TEXT = {
    "cases.Disclosure": {"reference", "risk_level"},
    "cases.StatusChange": {"from_status", "to_status"},
    "retention.RetentionPolicy": {"basis"},
    # A keyed digest, not prose: it keeps a destroyed case's email from being taken in again.
    "mailintake.MailboxMessage": {"digest"},
    # The organisation's template the message started from (no case detail: the sent text
    # itself is sealed in body_sealed).
    "cases.FollowupSent": {"template_text"},
}
# Models pointing at a disclosure that destruction keeps as they are (no free text).
KEPT_MODELS = {"retention.RetentionRecord"}


def test_every_free_text_field_about_a_case_is_destroyed_or_kept_on_purpose() -> None:
    """Fails when someone adds a model, a text field or a sealed column about a case without
    deciding its fate.

    Add a clear text field to `BLANKED` (retention/destruction.py), or here if it holds no
    prose; add a ciphertext (binary) column to `SEALED`.
    """
    about_a_case = {Disclosure}
    for f in Disclosure._meta.get_fields(include_hidden=True):
        if f.is_relation and f.auto_created and not f.concrete:
            about_a_case.add(f.related_model)
    for model in about_a_case:
        label = model._meta.label
        if model._meta.app_label in CONTENT_APPS or label in KEPT_MODELS:
            continue
        text = {
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        }
        undecided = text - set(BLANKED.get(label, ())) - KEPT_TEXT.get(label, set())
        assert not undecided, f"{label}: decide whether retention blanks {sorted(undecided)}"
        binary = {f.name for f in model._meta.get_fields() if isinstance(f, models.BinaryField)}
        unsealed = binary - set(SEALED.get(label, ()))
        assert not unsealed, f"{label}: add {sorted(unsealed)} to SEALED"
    for label, names in [*BLANKED.items(), *SEALED.items()]:
        present = {f.name for f in apps.get_model(label)._meta.get_fields()}
        assert set(names) <= present, f"{label}: {sorted(set(names) - present)} do not exist"
