"""audit_record refuses details that look like sensitive content, before anything is chained."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from whistledesk.audit.guard import AuditDetailsRejected
from whistledesk.audit.models import AuditEvent
from whistledesk.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "details",
    [
        {"narrative": "The head teacher ..."},
        {"email": "someone@example.org"},
        {"Name": "Jo Bloggs"},
        {"reporter_name": "Jo"},
        {"receipt": "ABCD-EFGH"},
        {"identity": {"phone": "0123"}},
        {"changes": {"contact_email": "x@example.org"}},
        {"note": "x" * 201},
        {"score": 1.5},
    ],
)
def test_sensitive_looking_details_are_refused(details: dict[str, Any]) -> None:
    with pytest.raises(AuditDetailsRejected) as exc, transaction.atomic():
        audit_record(actor="system", action="test", details=details)
    # the message names the key, never the value
    for value in ("Jo", "someone@example.org", "ABCD-EFGH", "head teacher"):
        assert value not in str(exc.value)
    assert not AuditEvent.objects.filter(action="test").exists()


def test_ordinary_details_are_accepted() -> None:
    with transaction.atomic():
        event = audit_record(
            actor="system",
            action="case.assigned",
            details={"to_user_id": 4, "roles": ["caseworker"], "urgent": True, "from": None},
        )
    assert event.details["roles"] == ["caseworker"]


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        audit_record(actor="system", action="test")
