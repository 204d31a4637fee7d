"""Backup and restore: a populated system comes back whole, and a damaged archive is refused."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.casefiles.conftest import private_key_of
from whistledesk.audit.models import AuditEvent, AuditHead
from whistledesk.audit.verify import verify_chain
from whistledesk.backup.archive import BackupError, key_generate, key_load
from whistledesk.backup.services import _models, backup_create, backup_restore
from whistledesk.casefiles import services as casefiles
from whistledesk.casefiles.recovery import recover_casefile
from whistledesk.cases.models import Disclosure

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = {"narrative": "The manager locks children in the quiet room.", "identity": "Ann Canary"}


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every kept row of every table, with binary columns as bytes."""
    snap = {}
    for model in _models():
        rows = []
        for row in model._default_manager.order_by(model._meta.pk.name).values():
            rows.append({k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()})
        snap[model._meta.label] = rows
    return snap


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def media(tmp_path: Path) -> Any:
    root = tmp_path / "media"
    (root / "exports").mkdir(parents=True)
    (root / "exports" / "report.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 40)
    (root / "logo.svg").write_text("<svg/>")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture
def populated(
    disclosure: Any,
    intake_officer: Any,
    recovery_private_key: bytes,
    media: Path,
) -> dict[str, Any]:
    with transaction.atomic():
        receipt = casefiles.casefile_create(actor="public", disclosure=disclosure, documents=DOCS)
    assert receipt
    with transaction.atomic():
        casefiles.message_send_to_source(
            actor=intake_officer,
            disclosure=disclosure,
            text="Thank you. Can you tell us which home?",
            private_key=private_key_of(intake_officer),
        )
    source = casefiles.source_authenticate(receipt=receipt)
    with transaction.atomic():
        casefiles.message_from_source(source=source, text="Oak House, on the first floor.")
    TOTPDevice.objects.create(user=intake_officer, name="Authenticator app", confirmed=True)
    return {
        "receipt": receipt,
        "disclosure": disclosure,
        "officer": intake_officer,
        "recovery_private_key": recovery_private_key,
    }


def _wipe(media: Path) -> None:
    """What a lost server leaves: a freshly migrated, empty database and no files."""
    call_command("flush", interactive=False, verbosity=0)
    for p in sorted(media.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()


def test_round_trip_brings_back_every_record_file_message_and_the_chain(
    populated: dict[str, Any], media: Path, tmp_path: Path
) -> None:
    # Given a populated system and its backup
    key_path = tmp_path / "backup.key"
    key_generate(key_path)
    before, files_before = _snapshot(), _files(media)
    assert before["cases.Disclosure"] and before["casefiles.Message"]
    archive = tmp_path / "whistledesk.backup"
    info = backup_create(actor="system", out_path=archive, key=key_load(key_path))
    assert info.files == 2
    before = _snapshot()  # now including the backup.started event
    # The archive reveals nothing in clear
    raw = archive.read_bytes()
    for secret in (b"Oak House", b"Disclosure", b"PDF", b"ivy", b"casefile"):
        assert secret not in raw
    # When everything is lost and the backup is restored on a clean install
    _wipe(media)
    assert not Disclosure.objects.exists()
    result = backup_restore(actor="system", in_path=archive, key=key_load(key_path))
    # Then every row of every table is back exactly
    after = _snapshot()
    restored_event = after["audit.AuditEvent"].pop()
    assert restored_event["action"] == "backup.restored"
    after["audit.AuditHead"] = before["audit.AuditHead"]  # moved on by that one event
    assert after == before
    # ...every file...
    assert _files(media) == files_before
    assert result.files == 2
    # ...the audit chain verifies, through the pre-backup head
    chain = verify_chain()
    assert chain.ok, chain.problem
    assert AuditHead.objects.get().last_seq == AuditEvent.objects.count()
    # ...and the sealed case still opens: staff read the account, the whistleblower the inbox
    restored = Disclosure.objects.get()
    officer = populated["officer"].__class__.objects.get(pk=populated["officer"].pk)
    opened = casefiles.casefile_open(
        actor=officer, disclosure=restored, private_key=private_key_of(officer)
    )
    # The identity is sealed to the identity key, not the case key: staff see the account only
    assert opened.documents == {"narrative": DOCS["narrative"]}
    # ...and the recovery key still opens everything, identity included
    recovered = recover_casefile(
        reference=restored.reference, private_key=populated["recovery_private_key"]
    )
    assert {d.kind: d.text for d in recovered.documents} == DOCS
    source = casefiles.source_authenticate(receipt=populated["receipt"])
    texts = [m.text for m in casefiles.message_list_for_source(source=source)]
    assert texts == ["Thank you. Can you tell us which home?", "Oak House, on the first floor."]


@pytest.mark.parametrize("damage", ["flip", "truncate", "wrong_key", "not_a_backup"])
def test_damaged_or_foreign_archives_are_refused_and_nothing_changes(
    populated: dict[str, Any], tmp_path: Path, damage: str
) -> None:
    key_path, other_key = tmp_path / "k", tmp_path / "other"
    key_generate(key_path)
    key_generate(other_key)
    archive = tmp_path / "b"
    backup_create(actor="system", out_path=archive, key=key_load(key_path))
    data = bytearray(archive.read_bytes())
    key = key_load(key_path)
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        del data[-100:]
    elif damage == "wrong_key":
        key = key_load(other_key)
    else:
        data = bytearray(b"PK\x03\x04 not a backup")
    archive.write_bytes(bytes(data))
    rows_before = _snapshot()
    with pytest.raises(BackupError):
        backup_restore(actor="system", in_path=archive, key=key)
    assert _snapshot() == rows_before


def test_commands_round_trip(populated: dict[str, Any], media: Path, tmp_path: Path) -> None:
    key_path, archive = tmp_path / "backup.key", tmp_path / "nightly.backup"
    out = StringIO()
    call_command("backup", str(archive), "--key-file", str(key_path), "--new-key", stdout=out)
    assert "Backed up" in out.getvalue() and oct(key_path.stat().st_mode)[-3:] == "600"
    # A second --new-key never overwrites the key the backups need
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "x"), "--key-file", str(key_path), "--new-key")
    _wipe(media)
    out = StringIO()
    call_command("restore", str(archive), "--key-file", str(key_path), "--yes", stdout=out)
    assert "Restored" in out.getvalue() and "events verified" in out.getvalue()
    assert Disclosure.objects.count() == 1
