"""Emails from the office's mailbox become sealed email intakes awaiting an intake officer.

`mailbox_poll` (run by the worker, mailintake.tasks) reads each email in the folder and calls
`mail_intake_record`, which registers it (reference, channel=email, date received: all that
is in clear) and seals its text, headers and cleaned files in a new case file, the same way
as an email recorded by staff (cases.staff_intake). Then, and only then, the email is moved
to the done folder.

Nothing is lost and nothing is taken twice:
- every email makes an intake, even one that is malformed or too large (MailboxMessage.Outcome
  says which); a file that does not clean is listed as refused, with why, in the sealed text;
- a keyed digest of the Message-ID and the content is stored in the intake's transaction, so
  an email whose move failed (connection dropped after the commit) is recognised on the next
  poll and only moved; two pollers at once collide on the digest's unique column;
- if the connection drops before the commit, nothing was written and the email is still in
  the folder for the next poll.
"""

from __future__ import annotations

import email
import hashlib
import logging
import time
from dataclasses import dataclass, field
from email import policy
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from whistledesk.audit.services import audit_record
from whistledesk.casefiles.attachments import (
    MAX_ATTACHMENTS,
    AttachmentRejected,
    CleanAttachment,
    clean_attachment,
    safe_filename,
)
from whistledesk.casefiles.services import (
    MAX_DOCUMENT_CHARS,
    PreparedCaseFile,
    casefile_create,
    casefile_prepare,
)
from whistledesk.cases.models import Channel, Disclosure
from whistledesk.cases.services import disclosure_record
from whistledesk.cases.staff_intake import MAX_EML_BYTES, MalformedEmail, parse_eml
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError
from whistledesk.mailintake.config import (
    MailboxConfig,
    mailbox_organisation,
    mailbox_poll_every,
)
from whistledesk.mailintake.imap import Envelope, mailbox_session
from whistledesk.mailintake.models import MailboxMessage, Outcome
from whistledesk.notifications.tasks import disclosure_received
from whistledesk.organisation import tenancy
from whistledesk.organisation.models import Organisation

logger = logging.getLogger(__name__)

# Who the audit log names: the mailbox, never the sender.
MAILBOX_ACTOR = "mailbox"
# Over this, the whole text also goes into the case file as a text file (nothing is cut).
_TEXT_FILE = "email.txt"


@dataclass
class _Content:
    outcome: Outcome
    documents: dict[str, str]
    files: list[CleanAttachment] = field(default_factory=list)
    refused: int = 0


@dataclass(frozen=True)
class IntakeResult:
    reference: str
    created: bool  # False: the email was already in the register (an earlier poll)


@dataclass
class PollResult:
    taken: list[str] = field(default_factory=list)  # references of new intakes
    already: int = 0  # in the register already, now moved
    left: int = 0  # left in the folder to try again (see the log)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


def _with_text_file(outcome: Outcome, text: str, files: list[CleanAttachment]) -> _Content:
    """The email document, and its whole text as a file too when it is over the limit."""
    if len(text) <= MAX_DOCUMENT_CHARS:
        return _Content(outcome, {"email": text}, files)
    note = (
        f"This email is longer than {MAX_DOCUMENT_CHARS:,} characters. All of it is in the "
        f"file {_TEXT_FILE} in this case file; it begins:\n\n"
    )
    whole = CleanAttachment(filename=_TEXT_FILE, content_type="text/plain", data=text.encode())
    return _Content(outcome, {"email": note + text[: MAX_DOCUMENT_CHARS // 2]}, [*files, whole])


def _too_large(envelope: Envelope, headers: bytes, config: MailboxConfig) -> _Content:
    size_mb = envelope.size / (1024 * 1024)
    text = (
        f"This email is {size_mb:.1f} MB, over the {MAX_EML_BYTES // (1024 * 1024)} MB limit, "
        "so it was not taken in. It has been moved to the mailbox folder "
        f"{config.done_folder!r}: ask the sender to send it again in smaller parts. Its "
        "headers (who sent it) are with the identity and contact details."
    )
    content = _with_text_file(Outcome.TOO_LARGE, text, [])
    content.documents["contact"] = _headers_document(_decode(headers))
    return content


def _split_source(raw: bytes) -> tuple[str, str]:
    """Header block and the rest, for a message the email parser would not read."""
    text = _decode(raw)
    head, _, rest = text.partition("\n\n")
    return head, rest


def _malformed(raw: bytes, config: MailboxConfig) -> _Content:
    head, rest = _split_source(raw)
    text = (
        "This message could not be read as an email (its structure is broken or it has no "
        "sender or text). Its source follows as it arrived, without its headers (they are "
        "with the identity and contact details); the original is in the mailbox folder "
        f"{config.done_folder!r}.\n\n{rest}"
    )
    content = _with_text_file(Outcome.MALFORMED, text, [])
    content.documents["contact"] = _headers_document(head)
    return content


def _header_block(raw: bytes) -> str:
    msg = email.message_from_bytes(raw, policy=policy.compat32)
    return "".join(f"{name}: {value}\n" for name, value in msg.items())


def _headers_document(headers: str) -> str:
    # Headers name the sender (From, Reply-To, Received, originating addresses): they are
    # sealed to the identity key, like a web disclosure's contact details (ADR 0004).
    headers = headers.strip()
    if len(headers) > MAX_DOCUMENT_CHARS - 100:
        headers = (
            headers[: MAX_DOCUMENT_CHARS - 100] + "\n[headers cut: the rest is in the mailbox]"
        )
    return f"Headers as received:\n\n{headers}"


def _content(
    envelope: Envelope, raw: bytes | None, headers: bytes, config: MailboxConfig
) -> _Content:
    if raw is None:
        return _too_large(envelope, headers, config)
    try:
        parsed = parse_eml(raw)
    except MalformedEmail:
        return _malformed(raw, config)
    sent = parsed.sent_at.isoformat() if parsed.sent_at else "unknown"
    text = f"Date: {sent}\nSubject: {parsed.subject}\n\n{parsed.body}"
    # A place is kept for the text file when the text may be too long for a document.
    long_text = len(text) > MAX_DOCUMENT_CHARS - 10_000
    room = MAX_ATTACHMENTS - 1 if long_text else MAX_ATTACHMENTS
    files: list[CleanAttachment] = []
    refusals: list[str] = []
    total = len(parsed.attachments)
    for position, upload in enumerate(parsed.attachments, start=1):
        name = safe_filename(upload.filename)
        if len(files) >= room:
            refusals.append(
                f"File {position} of {total}, {name}: only {room} files are taken from one "
                "email; the email in the mailbox's done folder still has it."
            )
            continue
        try:
            files.append(clean_attachment(upload))
        except AttachmentRejected as exc:
            refusals.append(f"File {position} of {total}, {name}: {exc.message}")
    if refusals:
        text += "\n\nFiles refused (not in this case file):\n" + "\n".join(
            f"- {line}" for line in refusals
        )
    content = _with_text_file(Outcome.TAKEN, text, files)
    content.documents["identity"] = parsed.sender
    content.documents["contact"] = _headers_document(_header_block(raw))
    content.refused = len(refusals)
    return content


def message_digest(envelope: Envelope, raw: bytes | None, headers: bytes) -> str:
    """The keyed digest stored for an email (an over-limit one by its headers and size)."""
    if raw is not None:
        content = hashlib.sha256(raw).hexdigest()
    else:
        content = f"{hashlib.sha256(headers).hexdigest()}:{envelope.size}"
    return crypto.mailbox_message_digest(message_id=envelope.message_id, content_digest=content)


def _earlier(organisation: Organisation, digest: str) -> IntakeResult | None:
    row = (
        MailboxMessage.objects.filter(organisation=organisation, digest=digest)
        .select_related("disclosure")
        .first()
    )
    if row is None:
        return None
    return IntakeResult(row.disclosure.reference if row.disclosure else "", created=False)


def mail_intake_record(
    *,
    organisation: Organisation,
    envelope: Envelope,
    raw: bytes | None,
    headers: bytes = b"",
    config: MailboxConfig,
) -> IntakeResult:
    """Register and seal one email from the mailbox, once. `raw` is None when over the limit
    (then `headers` holds its header block). An email seen before returns the earlier result."""
    digest = message_digest(envelope, raw, headers)
    earlier = _earlier(organisation, digest)
    if earlier is not None:
        return earlier
    content = _content(envelope, raw, headers, config)
    # Files cleaned (above) before the transaction: never under the audit chain's lock.
    prepared = casefile_prepare(
        documents=content.documents, attachments=content.files, with_source=False
    )
    received = envelope.internal_date or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = MailboxMessage.objects.create(
                    organisation=organisation,
                    digest=digest,
                    outcome=content.outcome,
                    attachments_refused=content.refused,
                )
        except IntegrityError:
            # Another poller took this email in at the same moment.
            return _earlier(organisation, digest) or IntakeResult("", created=False)
        disclosure = _register(organisation, received, content, prepared)
        row.disclosure = disclosure
        row.save(update_fields=["disclosure"])
        transaction.on_commit(partial(disclosure_received.enqueue, disclosure.pk))
    return IntakeResult(disclosure.reference, created=True)


def _register(
    organisation: Organisation, received: Any, content: _Content, prepared: PreparedCaseFile
) -> Disclosure:
    disclosure = disclosure_record(
        actor=MAILBOX_ACTOR,
        organisation=organisation,
        received_on=timezone.localdate(received),
        channel=Channel.EMAIL,
        service=None,
        qualifying=None,
        # The sender's address is known; an intake officer records otherwise if it is not theirs.
        anonymous=False,
    )
    casefile_create(actor=MAILBOX_ACTOR, disclosure=disclosure, prepared=prepared)
    audit_record(
        actor=MAILBOX_ACTOR,
        action="mailintake.received",
        disclosure_id=disclosure.pk,
        object_type="disclosure",
        object_id=disclosure.reference,
        details={
            "outcome": content.outcome.value,
            "attachments": len(prepared.files),
            "attachments_refused": content.refused,
        },
    )
    return disclosure


def mailbox_poll(*, config: MailboxConfig | None = None) -> PollResult:
    """Take in every email in the folder (up to `config.batch`). Raises MailboxUnavailable
    if the server cannot be reached or the connection drops: what was committed stays
    committed, and the rest is taken on the next poll."""
    config = config or MailboxConfig.from_env()
    # The organisation the mailbox names (WHISTLEDESK_IMAP_ORGANISATION), never "the current".
    organisation = mailbox_organisation(config)
    with tenancy.activate(organisation):
        return _poll(config, organisation)


def _poll(config: MailboxConfig, organisation: Organisation) -> PollResult:
    result = PollResult()
    # Stop taking new emails when the next poll is due, so polls seldom overlap (if they do,
    # the digest's unique column still lets only one of them take an email in).
    stop_at = time.monotonic() + mailbox_poll_every().total_seconds()
    with mailbox_session(config) as box:
        for position, uid in enumerate(box.uids()):
            if position and time.monotonic() > stop_at:
                break
            envelope = box.envelope(uid)
            if envelope is None:
                continue
            if envelope.size > MAX_EML_BYTES:
                raw, headers = None, box.headers(uid)
            else:
                raw, headers = box.message(uid), b""
            try:
                intake = mail_intake_record(
                    organisation=organisation,
                    envelope=envelope,
                    raw=raw,
                    headers=headers,
                    config=config,
                )
            except DomainError as exc:
                # E.g. no recovery key yet: the email stays in the folder and is tried again.
                logger.warning("Email uid %s left in the mailbox: %s", uid, type(exc).__name__)
                result.left += 1
                continue
            box.move_done(uid)
            if intake.created:
                logger.info("Email uid %s taken in as %s", uid, intake.reference)
                result.taken.append(intake.reference)
            else:
                result.already += 1
    return result
