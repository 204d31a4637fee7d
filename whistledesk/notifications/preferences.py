"""Who gets which alert: one authority for the defaults per role and each person's choice."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from whistledesk.accounts.roles import Role
from whistledesk.notifications.models import AlertKind, AlertPreference
from whistledesk.organisation.models import Organisation

# On by default for these roles; anyone may turn any kind on or off for themselves.
DEFAULT_ROLES: dict[AlertKind, frozenset[Role]] = {
    AlertKind.NEW_DISCLOSURE: frozenset({Role.INTAKE_OFFICER, Role.MANAGER}),
    AlertKind.IMMEDIATE_RISK: frozenset({Role.SAFEGUARDING_LEAD}),
    AlertKind.SOURCE_MESSAGE: frozenset({Role.CASEWORKER, Role.MANAGER}),
    AlertKind.DAILY_DIGEST: frozenset({Role.CASEWORKER, Role.INTAKE_OFFICER, Role.MANAGER}),
    # To the handler (managers when there is none) and, on urgent cases, safeguarding leads.
    AlertKind.REASSURANCE_OVERDUE: frozenset(
        {Role.CASEWORKER, Role.MANAGER, Role.SAFEGUARDING_LEAD}
    ),
    # A person set it for themselves: on whatever their role.
    AlertKind.CASE_REMINDER: frozenset(Role),
}


def default_on(user: Any, kind: AlertKind) -> bool:
    return any(user.has_role(role) for role in DEFAULT_ROLES[kind])


def alert_choices(user: Any) -> dict[AlertKind, bool]:
    chosen = dict(AlertPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: chosen.get(kind.value, default_on(user, kind)) for kind in AlertKind}


def _staff(organisation: Organisation) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(organisation=organisation, is_active=True)
        .exclude(email="")
    )


def wants(user: Any, kind: AlertKind) -> bool:
    return alert_choices(user)[kind]


def recipients(
    kind: AlertKind, *, organisation: Organisation, among: QuerySet[Any] | None = None
) -> list[Any]:
    """Active staff of `organisation` with an email address who want `kind` (defaults by
    role). `among` narrows it; nobody of another organisation is ever among them."""
    people = _staff(organisation)
    if among is not None:
        people = people.filter(pk__in=among.values("pk"))
    people = people.prefetch_related("groups")
    return [user for user in people if wants(user, kind)]
