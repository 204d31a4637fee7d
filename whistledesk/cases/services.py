"""Writes to the register. Every write records its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from whistledesk.accounts.models import User
from whistledesk.audit.services import audit_record
from whistledesk.cases.assessment import normalise_setting
from whistledesk.cases.models import Channel, Disclosure
from whistledesk.cases.references import new_reference
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory


def disclosure_record(
    *,
    actor: Any,
    organisation: Organisation,
    received_on: dt.date,
    channel: Channel | str,
    service: ServiceCategory | None,
    qualifying: bool | None,
    anonymous: bool,
    outcome: Outcome | None = None,
    summary: str = "",
    reference: str = "",
    urgent: bool = False,
    immediate_risk_answer: str = "",
    setting_name: str = "",
    language: str = "en",
) -> Disclosure:
    """Add one disclosure to the register.

    `immediate_risk_answer` is the web form's answer ("yes"/"no"). A member of staff who
    records an urgent disclosure is kept as the one who marked it urgent. `setting_name`
    (the web form's answer) goes in the clear setting columns, searchable and linked like
    one staff type in (docs/adr/0002, "Kept in clear on purpose").
    """
    if immediate_risk_answer not in ("", "yes", "no"):
        raise DomainError("unknown answer about immediate risk", field="immediate_risk_answer")
    marked_by = actor if urgent and isinstance(actor, User) else None
    if channel not in Channel.values:
        raise DomainError(f"unknown channel {channel!r}", field="channel")
    if received_on > dt.date.today() + dt.timedelta(days=1):
        raise DomainError("the date received is in the future", field="received_on")
    for attempt in range(5):
        ref = reference or new_reference()
        try:
            with transaction.atomic():
                disclosure = Disclosure.objects.create(
                    organisation=organisation,
                    reference=ref,
                    received_on=received_on,
                    channel=channel,
                    service=service,
                    qualifying=qualifying,
                    anonymous=anonymous,
                    outcome=outcome,
                    summary=summary,
                    urgent=urgent,
                    immediate_risk_answer=immediate_risk_answer,
                    urgent_marked_by=marked_by,
                    urgent_marked_at=timezone.now() if marked_by else None,
                    setting_name=setting_name.strip()[:200],
                    setting_key=normalise_setting(setting_name),
                    language=language if language in ("en", "cy") else "en",
                )
                audit_record(
                    actor=actor,
                    action="disclosure.recorded",
                    disclosure_id=disclosure.pk,
                    object_type="disclosure",
                    object_id=disclosure.reference,
                    details={"channel": str(channel), "urgent": urgent},
                )
                return disclosure
        except IntegrityError as exc:
            if reference or attempt == 4:
                raise DomainError(
                    f"reference {ref} is already in the register", field="reference"
                ) from exc
    raise AssertionError("unreachable")
