"""Audit events in words, for a case's history: "Status changed: Acknowledged to Assessing".

The log itself keeps its codes (`disclosure.status_changed`, `recovery_fingerprint`): they are
what the chain hashes and what an auditor filters on. People reading a case's history get
these labels instead. An action or detail with no label here is still shown, its code
turned into words, so a new event never disappears from the history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whistledesk.core.templatetags.govuk_dates import govuk_date, govuk_datetime

ACTION_LABELS: dict[str, str] = {
    "disclosure.recorded": "Disclosure recorded",
    "disclosure.acknowledged": "Disclosure acknowledged",
    "disclosure.assessed": "Assessment recorded",
    "disclosure.assigned": "Handler assigned",
    "disclosure.conflict_recorded": "Conflict of interest recorded",
    "disclosure.setting_recorded": "Setting recorded",
    "disclosure.status_changed": "Status changed",
    "disclosures.imported": "Imported into the register",
    "casefile.created": "Case file sealed",
    "casefile.added": "Added to the case file",
    "mailintake.received": "Email taken in from the mailbox",
    "casefile.read": "Case file opened",
    "casefile.attachment_read": "File opened",
    "casefile.granted": "Access to the case file given",
    "casefile.revoked": "Access to the case file removed",
    "casefile.recovered": "Case file opened with the recovery key",
    "casework.notes_opened": "Casework notes opened",
    "case_action.recorded": "Action recorded",
    "consent.given_on_web_form": "Consent given on the web form",
    "consent.recorded": "Consent recorded",
    "referral.recorded": "Referral recorded",
    "referral.response_recorded": "Referral response recorded",
    "safeguarding.concern_raised": "Safeguarding concern raised",
    "safeguarding.action_confirmed": "Safeguarding action confirmed",
    "message.sent_to_source": "Message sent to the whistleblower",
    "message.received_from_source": "Message received from the whistleblower",
    "message.read_by_staff": "Messages read by staff",
    "message.read_by_source": "Messages read by the whistleblower",
    "source_email.set": "Whistleblower asked for new-message emails",
    "source_email.removed": "Whistleblower removed their email address",
    "identity.access_requested": "Access to the whistleblower's identity requested",
    "identity.access_approved": "Access to the whistleblower's identity approved",
    "identity.access_refused": "Access to the whistleblower's identity refused",
    "identity.access_withdrawn": "Request for the whistleblower's identity withdrawn",
    "identity.access_revoked": "Access to the whistleblower's identity removed",
    "identity.access_expired": "Access to the whistleblower's identity expired",
    "retention.destroyed": "Content destroyed at the end of its retention period",
    "retention.hold_placed": "Legal hold placed",
    "retention.hold_lifted": "Legal hold lifted",
    "signposting.signposted": "Signposted to another prescribed person",
}

_STATUS_WORDS = {
    "received": "Received",
    "acknowledged": "Acknowledged",
    "assessing": "Assessing",
    "action": "Action under way",
    "awaiting_reassurance": "Awaiting reassurance",
    "closed": "Closed",
}
_CONCERN_WORDS = {
    "web_answer": "the whistleblower said a child is at risk of immediate harm",
    "marked_at_intake": "marked urgent at intake",
}
_DOCUMENT_WORDS = {
    "narrative": "what happened",
    "answers": "answers to the form",
    "identity": "identity",
    "contact": "contact details",
    "call_notes": "call notes",
    "email": "email",
    "letter": "letter",
    "tribunal": "tribunal claim",
}


def _yes_no(value: Any) -> str:
    return "Yes" if value else "No"


def _status(value: Any) -> str:
    return _STATUS_WORDS.get(str(value), str(value))


def _documents(value: Any) -> str:
    items = value if isinstance(value, list) else [value]
    words = [_DOCUMENT_WORDS.get(str(v), str(v).replace("_", " ")) for v in items]
    return ", ".join(words) if words else "none"


def _recovery(value: Any) -> str:
    return str(value) if value else "none (no recovery key was set up)"


# detail key -> (label, how to show its value)
DETAIL_LABELS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "from": ("From", _status),
    "to": ("To", _status),
    "channel": ("Channel", lambda v: str(v).capitalize()),
    "urgent": ("Urgent", _yes_no),
    "qualifying": ("Qualifying", _yes_no),
    "risk_level": ("Risk", lambda v: str(v).capitalize() if v else "–"),
    "documents": ("Documents", _documents),
    "attachments": ("Files", str),
    "staff_grants": ("Staff given the key", str),
    "identity_grants": ("Staff given the identity key", str),
    "recovery_fingerprint": ("Recovery key", _recovery),
    "source_account": ("Follow-up inbox for the whistleblower", _yes_no),
    "identity_opened": ("Identity opened", _yes_no),
    "identity_hidden": ("Identity hidden from this reader", _yes_no),
    "key_sealed": ("Case key shared with the handler", _yes_no),
    "messages": ("Messages", str),
    "automatic": ("Opened automatically", _yes_no),
    "opened_for": ("Why", lambda v: _CONCERN_WORDS.get(str(v), str(v))),
    "identity_shared": ("Identity shared", _yes_no),
    "reassurance_due": ("Reassurance due", lambda v: _plain(v)),
}
# Internal ids that mean nothing to a reader of the case page (the audit log has them).
_HIDDEN = {"handler_id", "previous_handler_id", "service_id", "outcome_id", "body_id", "user_id"}


@dataclass(frozen=True)
class DescribedEvent:
    title: str
    details: list[tuple[str, str]]


def _words(code: str) -> str:
    return code.replace(".", " ").replace("_", " ").capitalize()


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _plain(value: Any) -> str:
    """An unlabelled detail: no "None", and ISO dates ("2026-12-30T09:52:00+00:00") as
    GOV.UK dates ("30 December 2026 at 9:52am")."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            if len(value) == 10:
                return govuk_date(dt.date.fromisoformat(value))
            return govuk_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def describe_event(action: str, details: dict[str, Any] | None) -> DescribedEvent:
    """The title and (label, value) lines for one event in a case's history."""
    lines = []
    for key, value in (details or {}).items():
        if key in _HIDDEN:
            continue
        label, show = DETAIL_LABELS.get(key, (_words(key), _plain))
        lines.append((label, show(value)))
    return DescribedEvent(title=ACTION_LABELS.get(action, _words(action)), details=lines)
