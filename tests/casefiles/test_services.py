"""Sealing, opening, granting, revoking, messaging and the whistleblower's receipt."""

from __future__ import annotations

from typing import Any

import pytest

from tests.casefiles.conftest import private_key_of
from whistledesk.audit.models import AuditEvent
from whistledesk.casefiles import services
from whistledesk.casefiles.models import KeyGrant, RecipientKind, SourceAccount
from whistledesk.core import crypto

DOCS = {"narrative": "The manager locks children in the quiet room.", "identity": "Ann Canary"}


@pytest.fixture
def sealed(disclosure: Any, intake_officer: Any, recovery_private_key: bytes) -> str:
    receipt = services.casefile_create(actor="public", disclosure=disclosure, documents=DOCS)
    assert receipt
    return receipt


def test_case_sealed_to_intake_and_recovery_opens_for_each_and_not_for_others(
    sealed: str, disclosure: Any, intake_officer: Any, caseworker: Any, recovery_private_key: bytes
) -> None:
    # Given a case sealed at intake
    # When the intake officer opens it with their key
    opened = services.casefile_open(
        actor=intake_officer, disclosure=disclosure, private_key=private_key_of(intake_officer)
    )
    # Then they read what was submitted except the identity, which is sealed apart,
    # and the read is audited
    assert opened.documents == {"narrative": DOCS["narrative"]}
    assert opened.identity_hidden
    assert AuditEvent.objects.filter(action="casefile.read", actor=intake_officer).exists()
    # And the recovery key opens the data key too
    grant = KeyGrant.objects.get(disclosure=disclosure, kind=RecipientKind.RECOVERY)
    data_key = crypto.unseal(recovery_private_key, bytes(grant.sealed_key))
    assert len(data_key) == 32
    # But a caseworker who was not given the case cannot open it, even with their own key
    with pytest.raises(services.CaseFileLocked):
        services.casefile_open(
            actor=caseworker, disclosure=disclosure, private_key=private_key_of(caseworker)
        )
    # And the intake officer's grant does not open with someone else's key
    with pytest.raises(services.CaseFileLocked):
        services.casefile_open(
            actor=intake_officer, disclosure=disclosure, private_key=private_key_of(caseworker)
        )


def test_grant_then_revoke(
    sealed: str, disclosure: Any, intake_officer: Any, caseworker: Any
) -> None:
    services.casefile_grant(
        actor=intake_officer,
        disclosure=disclosure,
        user=caseworker,
        private_key=private_key_of(intake_officer),
    )
    disclosure.handler = caseworker  # a key opens only what the access policy allows
    disclosure.save(update_fields=["handler"])
    opened = services.casefile_open(
        actor=caseworker, disclosure=disclosure, private_key=private_key_of(caseworker)
    )
    assert opened.documents["narrative"] == DOCS["narrative"]
    assert services.casefile_revoke(actor=intake_officer, disclosure=disclosure, user=caseworker)
    with pytest.raises(services.CaseFileLocked):
        services.casefile_open(
            actor=caseworker, disclosure=disclosure, private_key=private_key_of(caseworker)
        )
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "casefile.granted" in actions and "casefile.revoked" in actions


def test_staff_member_without_the_case_cannot_grant_it(
    sealed: str, disclosure: Any, caseworker: Any, make_staff: Any
) -> None:
    other = make_staff("olga")
    with pytest.raises(services.CaseFileLocked):
        services.casefile_grant(
            actor=caseworker,
            disclosure=disclosure,
            user=other,
            private_key=private_key_of(caseworker),
        )


def test_receipt_signs_the_whistleblower_in_and_a_staff_reply_reaches_them(
    sealed: str, disclosure: Any, intake_officer: Any
) -> None:
    key = private_key_of(intake_officer)
    services.message_send_to_source(
        actor=intake_officer, disclosure=disclosure, text="Which room?", private_key=key
    )
    # The person types the receipt back as they wrote it down
    source = services.source_authenticate(receipt=sealed.upper().replace(" ", "-"))
    assert source.disclosure == disclosure
    inbox = services.message_list_for_source(source=source)
    assert [m.text for m in inbox] == ["Which room?"]
    services.message_from_source(source=source, text="The one by the hall.")
    thread = services.message_list_for_staff(
        actor=intake_officer, disclosure=disclosure, private_key=key
    )
    assert [(m.from_source, m.text) for m in thread] == [
        (False, "Which room?"),
        (True, "The one by the hall."),
    ]
    assert thread[0].read_by_source_at is not None


@pytest.mark.parametrize(
    "attempt",
    ["", "abacus " * 7, "not a receipt at all", "x" * 5000],
)
def test_wrong_receipts_are_rejected_with_one_message(sealed: str, attempt: str) -> None:
    with pytest.raises(services.ReceiptRejected) as exc:
        services.source_authenticate(receipt=attempt)
    assert attempt.strip() == "" or attempt.strip() not in exc.value.message


def test_source_session_survives_the_vault_round_trip(sealed: str, disclosure: Any) -> None:
    source = services.source_authenticate(receipt=sealed)
    restored = services.source_session_restore(source.vault_token())
    assert restored.disclosure == disclosure
    assert restored.conversation_key == source.conversation_key
    tampered = bytearray(source.vault_token())
    tampered[-1] ^= 1
    with pytest.raises(services.ReceiptRejected):
        services.source_session_restore(bytes(tampered))
    with pytest.raises(services.ReceiptRejected):
        services.source_session_restore(None)


def test_receipt_is_stored_nowhere_only_its_peppered_derivation(
    sealed: str, disclosure: Any
) -> None:
    account = SourceAccount.objects.get(disclosure=disclosure)
    assert account.receipt_lookup == crypto.receipt_lookup(sealed)
    assert sealed not in account.receipt_lookup


def test_without_source_no_receipt_and_no_account(
    disclosure: Any, intake_officer: Any, recovery_private_key: bytes
) -> None:
    receipt = services.casefile_create(
        actor=intake_officer,
        disclosure=disclosure,
        documents={"call_notes": "Caller rang at 3pm."},
        with_source=False,
    )
    assert receipt is None
    assert not SourceAccount.objects.filter(disclosure=disclosure).exists()
    with pytest.raises(services.DomainError):
        services.message_send_to_source(
            actor=intake_officer,
            disclosure=disclosure,
            text="hello",
            private_key=private_key_of(intake_officer),
        )


def test_production_refuses_a_case_with_no_recovery_key(
    settings: Any, disclosure: Any, intake_officer: Any
) -> None:
    settings.WHISTLEDESK_REQUIRE_RECOVERY_KEY = True
    with pytest.raises(services.RecoveryKeyMissing):
        services.casefile_create(actor="public", disclosure=disclosure, documents=DOCS)
    assert not KeyGrant.objects.exists()


def test_audit_details_hold_nothing_sensitive(sealed: str, disclosure: Any) -> None:
    text = repr(list(AuditEvent.objects.values()))
    assert "Canary" not in text and "quiet room" not in text
    for word in sealed.split():
        assert f"'{word}'" not in text


def test_documents_of_unknown_kind_or_too_long_are_refused(
    disclosure: Any, intake_officer: Any
) -> None:
    with pytest.raises(services.DomainError):
        services.casefile_create(actor="public", disclosure=disclosure, documents={"x": "y"})
    with pytest.raises(services.DomainError):
        services.casefile_create(
            actor="public",
            disclosure=disclosure,
            documents={"narrative": "a" * (services.MAX_DOCUMENT_CHARS + 1)},
        )


def test_receipt_opens_the_conversation_but_not_the_staff_documents(
    sealed: str, disclosure: Any
) -> None:
    from whistledesk.casefiles.models import SealedDocument

    # Given the whistleblower's key material, as a receipt and a stolen database would give
    source = services.source_authenticate(receipt=sealed)
    # Then it does not decrypt the case documents (staff notes, identity, narrative)
    for doc in SealedDocument.objects.filter(disclosure=disclosure):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt_text(source.conversation_key, bytes(doc.ciphertext))


def test_files_sent_with_a_reply_open_for_both_sides(
    sealed: str, disclosure: Any, intake_officer: Any
) -> None:
    from whistledesk.casefiles.attachments import UploadedAttachment
    from whistledesk.casefiles.models import Attachment

    source = services.source_authenticate(receipt=sealed)
    services.message_from_source(
        source=source, text="", attachments=[UploadedAttachment("rota.txt", b"Mon: AB\n")]
    )
    thread = services.message_list_for_source(source=source)
    [info] = thread[0].attachments
    assert services.attachment_open_for_source(source=source, attachment_id=info.id) == (
        "rota.txt",
        "text/plain",
        b"Mon: AB\n",
    )
    key = private_key_of(intake_officer)
    opened = services.casefile_open(actor=intake_officer, disclosure=disclosure, private_key=key)
    assert [a.filename for a in opened.attachments] == ["rota.txt"]
    name, _, data = services.attachment_open(
        actor=intake_officer, attachment=Attachment.objects.get(pk=info.id), private_key=key
    )
    assert (name, data) == ("rota.txt", b"Mon: AB\n")


def test_receipts_never_reach_a_log(sealed: str, caplog: Any) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    source = services.source_authenticate(receipt=sealed)
    wrong = " ".join(reversed(sealed.split()))
    with pytest.raises(services.ReceiptRejected) as exc:
        services.source_authenticate(receipt=wrong)
    logged = caplog.text + repr(source) + str(exc.value) + repr(exc.value)
    for receipt in (sealed, wrong):
        assert receipt not in logged
        assert receipt.split()[0] + " " + receipt.split()[1] not in logged
