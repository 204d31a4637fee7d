"""The whistleblower's optional notice address: stored sealed, opened only to send.

Design and trade-off: docs/adr/0011-whistleblower-new-message-email.md. In short:
- the address is sealed (a sealed box) to the *sending key*, a key pair whose private half
  is in the environment of the process that sends (WHISTLEDESK_SOURCE_EMAIL_KEY; made under
  the data directory in local mode), never in the database or its backups. A web server
  needs only the public half (WHISTLEDESK_SOURCE_EMAIL_PUBLIC_KEY) to seal;
- the sealed text binds the disclosure's id, so a sealed address moved onto another row
  in the database does not open;
- a second copy is sealed to the whistleblower's own key (`SourceAccount.public_key`), so
  they, and only they (with their receipt), can read back what they typed;
- no staff key opens either copy, and no staff page, API or admin reads this table.

Like the rest of casefiles this stores and opens; the follow-up inbox (intake) decides when
to ask, the notifications outbox when to send.
"""

from __future__ import annotations

import base64
import binascii
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction

from whistledesk.audit.services import audit_record
from whistledesk.casefiles.models import SourceAccount, SourceEmail
from whistledesk.casefiles.services import SOURCE_ACTOR, SourceSession
from whistledesk.core import crypto
from whistledesk.core.exceptions import DomainError

# RFC 5321's limit on a forward path; also caps what reaches the validator.
MAX_ADDRESS_CHARS = 254


class SourceEmailUnavailable(DomainError):
    """No sending key is configured here (or it does not open this address)."""

    def __init__(self) -> None:
        super().__init__("This service does not send email notices at the moment.")


class AddressRejected(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "Enter an email address in the correct format, like name@example.com",
            field="address",
        )


def _decode_key(value: str) -> bytes | None:
    if not value:
        return None
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == 32 else None


def key_is_readable(value: str) -> bool:
    return _decode_key(value) is not None


def _private_key() -> bytes:
    key = _decode_key(settings.WHISTLEDESK_SOURCE_EMAIL_KEY)
    if key is None:
        raise SourceEmailUnavailable()
    return key


def sending_public_key() -> bytes | None:
    """The public half: from WHISTLEDESK_SOURCE_EMAIL_PUBLIC_KEY, else from the private key."""
    public = _decode_key(settings.WHISTLEDESK_SOURCE_EMAIL_PUBLIC_KEY)
    if public is not None:
        return public
    private = _decode_key(settings.WHISTLEDESK_SOURCE_EMAIL_KEY)
    return crypto.public_key_of(private) if private is not None else None


def source_email_available() -> bool:
    """Whether this service offers the emails (a sending key is configured)."""
    return sending_public_key() is not None


def _checked(address: str) -> str:
    address = address.strip()
    if not address or len(address) > MAX_ADDRESS_CHARS:
        raise AddressRejected()
    try:
        EmailValidator()(address)
    except ValidationError as exc:
        raise AddressRejected() from exc
    return address


def _for_sending(disclosure_id: int, address: str) -> bytes:
    return json.dumps({"disclosure": disclosure_id, "address": address}).encode("utf-8")


def source_email_set(*, source: SourceSession, address: str) -> None:
    """Keep (or replace) the address the whistleblower gave. Audited without it."""
    address = _checked(address)
    public = sending_public_key()
    if public is None:
        raise SourceEmailUnavailable()
    disclosure = source.disclosure
    account = SourceAccount.objects.get(disclosure=disclosure)
    with transaction.atomic():
        _, created = SourceEmail.objects.update_or_create(
            disclosure=disclosure,
            defaults={
                "sealed_for_sending": crypto.seal_to(public, _for_sending(disclosure.pk, address)),
                "sending_key_fingerprint": crypto.key_fingerprint(public),
                "sealed_for_source": crypto.seal_to(
                    bytes(account.public_key), address.encode("utf-8")
                ),
            },
        )
        audit_record(
            actor=SOURCE_ACTOR,
            action="source_email.set",
            disclosure_id=disclosure.pk,
            object_type="disclosure",
            object_id=disclosure.reference,
            details={"replaced": not created},
        )


def source_email_remove(*, source: SourceSession) -> bool:
    """Forget the address (and any notice still waiting to go to it). Audited."""
    disclosure = source.disclosure
    with transaction.atomic():
        # Queued notices point at the row and are deleted with it (on_delete=CASCADE).
        deleted, _ = SourceEmail.objects.filter(disclosure=disclosure).delete()
        if deleted:
            audit_record(
                actor=SOURCE_ACTOR,
                action="source_email.removed",
                disclosure_id=disclosure.pk,
                object_type="disclosure",
                object_id=disclosure.reference,
            )
    return bool(deleted)


def source_email_show(*, source: SourceSession) -> str | None:
    """The address as the whistleblower typed it, opened with their own key; None if none."""
    row = SourceEmail.objects.filter(disclosure=source.disclosure).first()
    if row is None:
        return None
    try:
        return crypto.unseal(source.private_key, bytes(row.sealed_for_source)).decode("utf-8")
    except crypto.DecryptionFailed:
        return None


def source_email_open_for_sending(row: SourceEmail) -> str:
    """The address, for the outbox's sending path only (the worker). Never log it."""
    try:
        plain = json.loads(crypto.unseal(_private_key(), bytes(row.sealed_for_sending)))
    except (crypto.DecryptionFailed, ValueError) as exc:
        raise SourceEmailUnavailable() from exc
    if plain.get("disclosure") != row.disclosure_id:
        raise SourceEmailUnavailable()  # a sealed address moved onto another case
    return str(plain["address"])
