"""Reads of the organisation and its taxonomy."""

from __future__ import annotations

from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory


class NotConfigured(Exception):
    """No organisation has been configured yet."""


def organisation_get() -> Organisation:
    org = Organisation.objects.order_by("id").first()
    if org is None:
        raise NotConfigured(
            "No organisation is configured. Run `whistledesk configure_organisation FILE.toml` "
            "or `whistledesk load_demo`."
        )
    return org


def organisation_name_or_default() -> str:
    org = Organisation.objects.order_by("id").values_list("name", flat=True).first()
    return org or "Whistledesk"


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
