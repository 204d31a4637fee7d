"""What the whistleblower is told about where their disclosure stands, in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from whistledesk.cases.models import Disclosure

# Keyed by Status value; an unknown (newer) status falls back to its display label.
_PLAIN = {
    "received": ("Received", "We have your disclosure. Nobody has read it yet."),
    "acknowledged": ("Acknowledged", "We have read your disclosure."),
    "assessing": ("Being assessed", "We are deciding what we can do about your concern."),
    "action": (
        "Action under way",
        "We are acting on your concern, for example by passing it to the body that can deal "
        "with it.",
    ),
    "awaiting_reassurance": (
        "Waiting for a response",
        "We are waiting for the bodies involved to tell us what they have done.",
    ),
    "closed": ("Closed", "We have finished our work on your concern."),
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
    return SourceStatus(label, explanation, colour)
