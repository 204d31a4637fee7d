"""What the whistleblower is told about where their disclosure stands, in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from whistledesk.cases.models import Disclosure

# Keyed by Status value; an unknown (newer) status falls back to its display label.
_PLAIN = {
    "received": (_("Received"), _("We have your disclosure. Nobody has read it yet.")),
    "acknowledged": (_("Acknowledged"), _("We have read your disclosure.")),
    "assessing": (
        _("Being assessed"),
        _("We are deciding what we can do about your concern."),
    ),
    "action": (
        _("Action under way"),
        _(
            "We are acting on your concern, for example by passing it to the body that can "
            "deal with it."
        ),
    ),
    "awaiting_reassurance": (
        _("Waiting for a response"),
        _("We are waiting for the bodies involved to tell us what they have done."),
    ),
    "closed": (_("Closed"), _("We have finished our work on your concern.")),
}


@dataclass(frozen=True)
class SourceStatus:
    label: str
    explanation: str
    colour: str  # a GOV.UK tag modifier


def status_for_source(disclosure: Disclosure) -> SourceStatus:
    label, explanation = _PLAIN.get(disclosure.status, (disclosure.get_status_display(), ""))
    colour = {"received": "grey", "acknowledged": "blue", "closed": "green"}.get(
        disclosure.status, "light-blue"
    )
    return SourceStatus(str(label), str(explanation), colour)
