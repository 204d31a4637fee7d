"""Reads of the organisation and its taxonomy."""

from __future__ import annotations

from whistledesk.organisation import tenancy
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory


class NotConfigured(Exception):
    """No organisation has been configured yet."""


def organisation_get() -> Organisation:
    """The organisation this request, command or task is for (organisation/tenancy.py).

    Outside a request or `tenancy.activate()`, only an installation with exactly one
    organisation has an answer; with several, the caller must say which.
    """
    org = tenancy.current()
    if org is not None:
        return org
    org = tenancy.sole_organisation()
    if org is None:
        if Organisation.objects.exists():
            raise NotConfigured(
                "This installation has several organisations and none was chosen for this "
                "work: name one (--organisation SLUG, or its address)."
            )
        raise NotConfigured(
            "No organisation is configured. Run `whistledesk configure_organisation FILE.toml` "
            "or `whistledesk load_demo`."
        )
    return org


def organisation_name_or_default() -> str:
    try:
        return organisation_get().name
    except NotConfigured:
        return "Whistledesk"


def service_list(*, organisation: Organisation, active_only: bool = False) -> list[ServiceCategory]:
    qs = ServiceCategory.objects.filter(organisation=organisation)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by("position", "id"))


def outcome_list(*, organisation: Organisation, active_only: bool = False) -> list[Outcome]:
    qs = Outcome.objects.filter(organisation=organisation)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by("position", "id"))
