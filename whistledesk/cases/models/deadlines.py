"""Justified extensions of the feedback deadline and the reminders staff set on a case.

The written reason for an extension and a reminder's note may describe the case, so both
are sealed under the case key (`casefiles.notes`), like every casework note. The dates stay
in clear for the register, the digest and the worker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from whistledesk.cases.models.disclosure import Disclosure


class FeedbackExtension(models.Model):
    """One extension of the feedback deadline (EU 2019/1937 Art 11(2)(d)): at most 6 months."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="feedback_extensions"
    )
    previous_due_on = models.DateField()
    new_due_on = models.DateField()
    reason_sealed = models.BinaryField(default=b"", blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    extended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["extended_at", "id"]

    def __str__(self) -> str:
        return f"feedback extended to {self.new_due_on:%d %b %Y}"


# A reminder's note: short, it is a prompt, not a case note.
REMINDER_NOTE_MAX = 200


class CaseReminder(models.Model):
    """A date a person chose to be reminded of a case, with a short sealed note.

    - open: `done_at` empty; the worker emails the person on `remind_on` (`sent_at` set when
      the email is queued, once).
    - done: the person marked it done.
    """

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    remind_on = models.DateField()
    note_sealed = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["remind_on", "id"]
        indexes = [
            # The worker's sweep: open reminders whose date has come and no email yet.
            models.Index(fields=["remind_on", "sent_at", "done_at"], name="reminder_due"),
            models.Index(fields=["user", "done_at", "remind_on"], name="reminder_user"),
        ]

    def __str__(self) -> str:
        return f"reminder on {self.remind_on:%d %b %Y}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
