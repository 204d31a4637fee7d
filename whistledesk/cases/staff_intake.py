"""Staff intake of disclosures that arrive by letter, email, helpline call or tribunal claim.

Same register as the web form (`disclosure_record` with the channel) and the same sealed
case file (`casefile_create`, with no whistleblower account: they did not use the web
inbox). Identity, narrative, call notes and files go only into the sealed case file.
"""

from __future__ import annotations

import datetime as dt
import email
import email.utils
from dataclasses import dataclass, field
from email import policy
from email.errors import MessageDefect
from email.message import EmailMessage
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.casefiles.attachments import UploadedAttachment
from whistledesk.casefiles.services import PreparedCaseFile, casefile_create, casefile_prepare
from whistledesk.cases.assessment import disclosure_set_setting
from whistledesk.cases.models import Channel, ConcernReason, Disclosure
from whistledesk.cases.permissions import Perm, require
from whistledesk.cases.safeguarding import SAFEGUARDING_ROLES, safeguarding_concern_open_for_risk
from whistledesk.cases.services import disclosure_record
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.models import Organisation

STAFF_CHANNELS = (Channel.LETTER, Channel.EMAIL, Channel.HELPLINE, Channel.TRIBUNAL)
MAX_EML_BYTES = 25 * 1024 * 1024


class MalformedEmail(DomainError):
    """The file is not an email we can read. The message never repeats its content."""

    def __init__(self, why: str) -> None:
        super().__init__(
            f"This is not an email we can read ({why}). Save the message from your mail "
            "program as an .eml file, or paste its full source including the headers.",
            field="eml",
        )


# Defects that mean the structure is broken, not just untidy: refuse rather than guess.
_FATAL_DEFECTS = (
    "NoBoundaryInMultipartDefect",
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "MissingHeaderBodySeparatorDefect",
    "MultipartInvariantViolationDefect",
    "InvalidBase64CharactersDefect",
    "InvalidBase64PaddingDefect",
    "InvalidBase64LengthDefect",
)


@dataclass(frozen=True)
class ParsedEmail:
    sender: str
    sent_at: dt.datetime | None
    subject: str
    body: str
    attachments: list[UploadedAttachment] = field(default_factory=list)

    def as_document(self) -> str:
        sent = self.sent_at.isoformat() if self.sent_at else "unknown"
        return f"From: {self.sender}\nDate: {sent}\nSubject: {self.subject}\n\n{self.body}"


def _fatal(defects: list[MessageDefect]) -> str | None:
    for defect in defects:
        if type(defect).__name__ in _FATAL_DEFECTS:
            return "its structure is broken"
    return None


def parse_eml(data: bytes) -> ParsedEmail:
    """Parse an RFC 5322 message (policy=default: decoded non-ASCII headers, RFC 2231 names).

    Raises MalformedEmail for anything that is not a whole email with a sender.
    """
    if not data.strip():
        raise MalformedEmail("the file is empty")
    if len(data) > MAX_EML_BYTES:
        raise MalformedEmail("it is larger than 25 MB")
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        sender = str(msg.get("From", "") or "").strip()
        date_header = msg.get("Date")
        subject = str(msg.get("Subject", "") or "").strip()
        # No sender first: text pasted without headers is the commonest mistake.
        if not sender or "@" not in sender:
            raise MalformedEmail("it has no sender")
        parts = [msg, *msg.walk()]
        why = next((w for p in parts if (w := _fatal(list(p.defects)))), None)
        if why:
            raise MalformedEmail(why)
        sent_at = _parse_date(date_header)
        body_part = msg.get_body(preferencelist=("plain", "html"))
        body = body_part.get_content() if body_part is not None else ""
        body = body.replace("\r\n", "\n")
        if body_part is not None and body_part.get_content_type() == "text/html":
            body = _strip_html(body)
        attachments = []
        for part in msg.iter_attachments():
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            name = part.get_filename() or "attachment"
            attachments.append(UploadedAttachment(filename=name, data=payload))
    except MalformedEmail:
        raise
    except (ValueError, LookupError, TypeError, AttributeError, AssertionError, IndexError) as exc:
        # Broken encodings, charsets or headers: the library's message could echo content.
        raise MalformedEmail("part of it could not be decoded") from exc
    if not body.strip() and not attachments:
        raise MalformedEmail("it has no text and no attachments")
    return ParsedEmail(
        sender=sender, sent_at=sent_at, subject=subject, body=body, attachments=attachments
    )


def _parse_date(header: Any) -> dt.datetime | None:
    if header is None:
        return None
    parsed = getattr(header, "datetime", None)
    if parsed is None:
        try:
            parsed = email.utils.parsedate_to_datetime(str(header))
        except (TypeError, ValueError):
            return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _strip_html(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html)


@dataclass
class StaffIntake:
    """What staff enter for any channel. `documents` uses casefiles.DocumentKind keys."""

    channel: Channel
    received_on: dt.date
    anonymous: bool
    summary: str = ""
    urgent: bool = False
    setting_name: str = ""
    ofsted_urn: str = ""
    local_authority: str = ""
    documents: dict[str, str] = field(default_factory=dict)
    attachments: list[UploadedAttachment] = field(default_factory=list)


def disclosure_record_from_staff(
    *, actor: Any, organisation: Organisation, intake: StaffIntake
) -> Disclosure:
    """Register and seal a disclosure received by letter, email, call or tribunal claim.

    All-or-nothing: a refused attachment or missing key leaves no register row behind.
    Marked urgent (a child may be at immediate risk), it opens a safeguarding concern in
    the same transaction, so it cannot close until a safeguarding lead confirms.
    """
    require(actor, Perm.RECORD_DISCLOSURE)
    if intake.channel not in STAFF_CHANNELS:
        raise DomainError("Choose how the disclosure arrived.", field="channel")
    if not any(v.strip() for v in intake.documents.values()) and not intake.attachments:
        raise DomainError("Record what the disclosure says, or attach it.")
    # Files are cleaned before the transaction: never under the audit chain's lock.
    prepared = casefile_prepare(
        documents={k: v for k, v in intake.documents.items() if v.strip()},
        attachments=intake.attachments,
        with_source=False,
    )
    with transaction.atomic():
        return _record(actor, organisation, intake, prepared)


def _record(
    actor: Any, organisation: Organisation, intake: StaffIntake, prepared: PreparedCaseFile
) -> Disclosure:
    disclosure = disclosure_record(
        actor=actor,
        organisation=organisation,
        received_on=intake.received_on,
        channel=intake.channel,
        service=None,
        qualifying=None,
        anonymous=intake.anonymous,
        summary=intake.summary.strip()[:500],
        urgent=intake.urgent,
    )
    if intake.setting_name or intake.ofsted_urn or intake.local_authority:
        disclosure = disclosure_set_setting(
            actor=actor,
            disclosure=disclosure,
            setting_name=intake.setting_name,
            ofsted_urn=intake.ofsted_urn,
            local_authority=intake.local_authority,
        )
    casefile_create(
        actor=actor,
        disclosure=disclosure,
        prepared=prepared,
        extra_roles=SAFEGUARDING_ROLES if intake.urgent else (),
    )
    if intake.urgent:
        safeguarding_concern_open_for_risk(
            actor=actor, disclosure=disclosure, reason=ConcernReason.MARKED_AT_INTAKE
        )
    return disclosure
