"""Follow-up for every channel: messages sent to the whistleblower, and call notes checked.

`FollowupSent` records each acknowledgement, feedback or outcome message: what was sent
(sealed under the case's notes key), when, by whom, from which template, and how (the
follow-up inbox, a PDF letter, or email text for staff to copy).

`CallNotesReview` is a helpline caller's check of the notes staff made of their call (EU
Directive 2019/1937 Art 18): a copy of the notes sealed under the conversation key (the key
the caller's receipt opens), and the caller's answer - agreed, or a correction in their own
words (sealed the same way).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from whistledesk.cases.models.disclosure import Disclosure


class FollowupKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    FEEDBACK = "feedback", "Feedback"
    OUTCOME = "outcome", "Outcome"


class FollowupVia(models.TextChoices):
    INBOX = "inbox", "Follow-up inbox"
    LETTER = "letter", "Letter (PDF)"
    EMAIL = "email", "Email text"


class FollowupSent(models.Model):
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="followups_sent"
    )
    kind = models.CharField(max_length=20, choices=FollowupKind.choices)
    via = models.CharField(max_length=10, choices=FollowupVia.choices)
    # The template's own text at the time (not sensitive: the organisation's wording).
    template_text = models.TextField(blank=True)
    # What was sent, which staff may have edited: under the case's notes key.
    body_sealed = models.BinaryField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.via} on disclosure {self.disclosure_id}"


class ReviewStatus(models.TextChoices):
    """AWAITING: shared, the caller has not answered. AGREED: the caller agreed the notes.
    CORRECTION: the caller asked for a correction (their text is sealed beside it).
    A new share supersedes earlier ones; only the newest is answered in the inbox."""

    AWAITING = "awaiting", "Waiting for the caller"
    AGREED = "agreed", "Agreed by the caller"
    CORRECTION = "correction", "Caller asked for a correction"


class CallNotesReview(models.Model):
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="call_notes_reviews"
    )
    # The call notes as shared, under the conversation key (the caller's receipt opens it).
    notes_ciphertext = models.BinaryField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.AWAITING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    correction_ciphertext = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["shared_at", "id"]

    def __str__(self) -> str:
        return f"call notes review {self.pk} ({self.status})"
