"""Forms for the deadlines section of the case page: a justified extension, a reminder.
They check shape; the services (cases.deadlines, cases.reminders) apply the rules."""

from __future__ import annotations

from django import forms

from whistledesk.cases.deadlines import EXTENSION_REASON_MAX
from whistledesk.cases.forms import _area, _date, _text
from whistledesk.cases.models.deadlines import REMINDER_NOTE_MAX


class FeedbackExtensionForm(forms.Form):
    new_due_on = _date(
        "New feedback deadline",
        help_text="At most 6 months from the acknowledgement. For example, 2026-08-07.",
        error_messages={
            "required": "Enter the new feedback deadline.",
            "invalid": "Enter the new deadline as a date, for example 2026-08-07.",
        },
    )
    reason = _area(
        "Why the extension is justified",
        EXTENSION_REASON_MAX,
        help_text="Kept encrypted with the case. The whistleblower should be told of it.",
        error_messages={"required": "Give the reason that justifies the extension."},
    )


class ReminderForm(forms.Form):
    remind_on = _date(
        "Remind me on",
        help_text="You get an email that day (the reference only) and it shows in your digest.",
        error_messages={
            "required": "Enter the date to be reminded on.",
            "invalid": "Enter the date as a date, for example 2026-08-07.",
        },
    )
    note = _text(
        "Note",
        REMINDER_NOTE_MAX,
        help_text="What to do. Kept encrypted with the case; it is never emailed.",
        error_messages={"required": "Write a short note of what to do."},
    )
