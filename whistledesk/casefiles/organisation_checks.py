"""Keys stay inside their organisation (ADR 0017).

A case's keys are sealed only to staff of the case's organisation and to that
organisation's recovery key. Every place that seals a key to a person calls
`require_same_organisation` first, and every query for recipients uses `staff_of`; the
message says what to do, and names nobody of the other organisation.

An account made before any organisation existed (`createsuperuser`, a first manager) has
none yet: it joins the installation's first organisation while that is the only one
(accounts/middleware.py, at its next request). Until then it counts as that organisation's
here too, so such a manager is not left out of the first cases.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from whistledesk.core.exceptions import DomainError


class OtherOrganisation(DomainError):
    """A key of one organisation's case was to be sealed to another organisation's account."""

    def __init__(self) -> None:
        super().__init__(
            "That account belongs to another organisation: a case's keys can be given only "
            "to staff of the case's own organisation."
        )


def _is_sole(organisation_id: int) -> bool:
    from whistledesk.organisation.tenancy import sole_organisation

    sole = sole_organisation()
    return sole is not None and sole.pk == organisation_id


def staff_of(organisation_id: int | None) -> Q:
    """Accounts of the organisation `organisation_id` (see the module docstring)."""
    if organisation_id is None:
        return Q(pk__in=[])
    if _is_sole(organisation_id):
        return Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
    return Q(organisation_id=organisation_id)


def belongs_to(user: Any, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    own = getattr(user, "organisation_id", None)
    return own == organisation_id or (own is None and _is_sole(organisation_id))


def require_same_organisation(user: Any, organisation_id: int | None) -> None:
    """Raise OtherOrganisation unless `user` is staff of the organisation `organisation_id`."""
    if not belongs_to(user, organisation_id):
        raise OtherOrganisation()
