"""Keys stay inside their organisation (ADR 0017).

A case's keys are sealed only to staff of the case's organisation and to that
organisation's recovery key. Every place that seals a key to a person calls
`require_same_organisation` first; the message says what to do, and names nobody of the
other organisation.
"""

from __future__ import annotations

from typing import Any

from whistledesk.core.exceptions import DomainError


class OtherOrganisation(DomainError):
    """A key of one organisation's case was to be sealed to another organisation's account."""

    def __init__(self) -> None:
        super().__init__(
            "That account belongs to another organisation: a case's keys can be given only "
            "to staff of the case's own organisation."
        )


def require_same_organisation(user: Any, organisation_id: int | None) -> None:
    """Raise OtherOrganisation unless `user` is staff of the organisation `organisation_id`."""
    if organisation_id is None or getattr(user, "organisation_id", None) != organisation_id:
        raise OtherOrganisation()
