"""What the mailbox poller remembers about each email it has taken in: a keyed digest only.

The row is written in the same transaction as the intake, so "this email is in the
register" and "this email has a row" are one fact. The message is moved out of the inbox
folder only after that commit; if the move never happens (the connection dropped), the next
poll finds the row and moves the message without making a second intake.
"""

from __future__ import annotations

from django.db import models

from whistledesk.cases.models import Disclosure


class Outcome(models.TextChoices):
    """How an email was taken in. Every outcome makes an intake: nothing is dropped.

    TAKEN: read as an email; text, headers and any files that clean are sealed.
    MALFORMED: not readable as an email; its source is sealed as it came.
    TOO_LARGE: over the size limit; not downloaded, its headers are sealed and the
        message stays in the done folder for an intake officer to deal with.
    """

    TAKEN = "taken", "Taken in"
    MALFORMED = "malformed", "Not readable as an email"
    TOO_LARGE = "too_large", "Over the size limit"


class MailboxMessage(models.Model):
    # crypto.mailbox_message_digest(Message-ID, content digest): never the address or the
    # Message-ID in clear, and useless without SECRET_KEY.
    # Unique per organisation: the same email sent to two offices' mailboxes is taken in by each.
    digest = models.CharField(max_length=64)
    # The organisation the mailbox feeds (WHISTLEDESK_IMAP_ORGANISATION).
    organisation = models.ForeignKey(
        "organisation.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    disclosure = models.ForeignKey(
        Disclosure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    attachments_refused = models.PositiveSmallIntegerField(default=0)
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "digest"], name="mailbox_message_org_digest"
            )
        ]

    def __str__(self) -> str:
        return f"mailbox message {self.pk} ({self.outcome})"
