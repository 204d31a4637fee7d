"""Writes a person makes on the alerts page: their choices, and a manager's "send again"."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from whistledesk.accounts.roles import Role
from whistledesk.audit.services import audit_record
from whistledesk.core.exceptions import DomainError
from whistledesk.notifications.models import AlertKind, AlertPreference
from whistledesk.notifications.outbox import email_retry


@transaction.atomic
def alert_preferences_save(*, actor: Any, choices: dict[AlertKind, bool]) -> None:
    for kind, enabled in choices.items():
        AlertPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"enabled": enabled}
        )
    audit_record(
        actor=actor,
        action="notifications.alerts_chosen",
        object_type="user",
        object_id=actor.pk,
        details={kind.value: enabled for kind, enabled in choices.items()},
    )


def _enqueue_send(email_id: int) -> None:
    from whistledesk.notifications.tasks import email_send

    email_send.enqueue(email_id)


@transaction.atomic
def email_send_again(*, actor: Any, email_id: int) -> None:
    if not actor.has_role(Role.MANAGER):
        raise DomainError("Only a manager can send a failed email again.")
    # Only an email of the manager's own organisation: another's is "not waiting".
    if not email_retry(organisation=actor.organisation, email_id=email_id, enqueue=_enqueue_send):
        raise DomainError("That email is not waiting to be sent again.")
    audit_record(
        actor=actor,
        action="notifications.email_resent",
        object_type="outbound_email",
        object_id=email_id,
    )
