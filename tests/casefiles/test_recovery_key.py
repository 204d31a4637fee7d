"""The recovery key: made once, shown once, opens cases when nobody on the staff can."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from whistledesk.casefiles import services
from whistledesk.casefiles.management.commands.create_recovery_key import (
    decode_private_key,
    encode_private_key,
)
from whistledesk.casefiles.models import KeyGrant, RecipientKind, RecoveryKey
from whistledesk.core import crypto


def test_only_the_public_half_is_stored(recovery_private_key: bytes) -> None:
    stored = RecoveryKey.objects.get(active=True)
    assert bytes(stored.public_key) == crypto.public_key_of(recovery_private_key)
    for value in (bytes(stored.public_key), stored.fingerprint.encode()):
        assert recovery_private_key not in value


def test_refuses_to_replace_without_rotate(recovery_private_key: bytes) -> None:
    with pytest.raises(CommandError, match="--rotate"):
        call_command("create_recovery_key", stdout=io.StringIO())
    assert RecoveryKey.objects.count() == 1


def test_rotate_keeps_old_cases_on_the_old_key(
    recovery_private_key: bytes, disclosure: Any, organisation: Any
) -> None:
    from tests.factories import DisclosureFactory

    services.casefile_create(actor="public", disclosure=disclosure, documents={"narrative": "a"})
    out = io.StringIO()
    call_command("create_recovery_key", "--rotate", stdout=out)
    match = re.search(r"Recovery key: (\S+)", out.getvalue())
    assert match
    new_private = decode_private_key(match.group(1))
    assert RecoveryKey.objects.filter(active=True).count() == 1
    later = DisclosureFactory(organisation=organisation)
    services.casefile_create(actor="public", disclosure=later, documents={"narrative": "b"})
    old_grant = KeyGrant.objects.get(disclosure=disclosure, kind=RecipientKind.RECOVERY)
    new_grant = KeyGrant.objects.get(disclosure=later, kind=RecipientKind.RECOVERY)
    assert crypto.unseal(recovery_private_key, bytes(old_grant.sealed_key))
    assert crypto.unseal(new_private, bytes(new_grant.sealed_key))
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(recovery_private_key, bytes(new_grant.sealed_key))


def test_printed_key_round_trips_as_written_down() -> None:
    _, private = crypto.generate_keypair()
    printed = encode_private_key(private)
    assert decode_private_key(printed) == private
    assert decode_private_key(" " + printed.lower().replace("-", " ") + "\n") == private
    with pytest.raises(CommandError):
        decode_private_key("WDRK1-AAAA")


def test_recover_case_reads_the_key_from_stdin(
    recovery_private_key: bytes, disclosure: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    from tests.casefiles.test_attachments import pdf_with_author
    from whistledesk.casefiles.attachments import UploadedAttachment

    services.casefile_create(
        actor="public",
        disclosure=disclosure,
        documents={"narrative": "What happened, in full."},
        attachments=[UploadedAttachment("letter.pdf", pdf_with_author())],
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(encode_private_key(recovery_private_key) + "\n"))
    out = io.StringIO()
    call_command(
        "recover_case", disclosure.reference, "--attachments", str(tmp_path / "f"), stdout=out
    )
    assert "What happened, in full." in out.getvalue()
    assert [p.name.split("-", 1)[1] for p in (tmp_path / "f").iterdir()] == ["letter.pdf"]

    _, wrong = crypto.generate_keypair()
    monkeypatch.setattr("sys.stdin", io.StringIO(encode_private_key(wrong) + "\n"))
    with pytest.raises(CommandError, match="does not open"):
        call_command("recover_case", disclosure.reference, stdout=io.StringIO())
