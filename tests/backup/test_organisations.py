"""A backup is the installation's: it holds every organisation, and a restore verifies each
organisation's audit chain in turn, naming it (ADR 0017, section "keys")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import OrganisationFactory
from whistledesk.audit.models import AuditEvent
from whistledesk.audit.services import audit_record
from whistledesk.backup.archive import BackupError, key_generate, key_load
from whistledesk.backup.services import backup_create, backup_restore
from whistledesk.organisation.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


def _record(org: Any, action: str) -> AuditEvent:
    with transaction.atomic():
        return audit_record(actor="system", action=action, organisation=org)


def test_backup_holds_every_organisation_and_restore_verifies_each_chain(
    tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    alpha, beta = OrganisationFactory(slug="alpha"), OrganisationFactory(slug="beta")
    a = [_record(alpha, "test.a1"), _record(alpha, "test.a2")]
    b = [_record(beta, "test.b1")]
    key_path = tmp_path / "backup.key"
    key_generate(key_path)
    archive = tmp_path / "whistledesk.backup"
    info = backup_create(actor="system", out_path=archive, key=key_load(key_path))
    # The manifest names each chain's head (the backup's own event is the installation's)
    assert f"alpha 2:{a[1].hash}" in info.audit_head
    assert f"beta 1:{b[0].hash}" in info.audit_head
    # When everything is lost and restored
    call_command("flush", interactive=False, verbosity=0)
    assert not Organisation.objects.exists()
    result = backup_restore(actor="system", in_path=archive, key=key_load(key_path))
    # Then both organisations are back, and each chain verified by name
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == ["alpha", "beta"]
    assert "alpha: 2 events verified" in result.audit
    assert "beta: 1 events verified" in result.audit
    # And a restore whose chain of one organisation was tampered with names it
    AuditEvent.objects.filter(organisation__slug="beta", seq=1).update(action="forged")
    archive2 = tmp_path / "tampered.backup"
    backup_create(actor="system", out_path=archive2, key=key_load(key_path))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(BackupError) as exc:
        backup_restore(actor="system", in_path=archive2, key=key_load(key_path))
    assert exc.value.message == (
        "Restored, but the audit chain of beta does not verify: "
        "edited event: hash mismatch at seq 1"
    )
