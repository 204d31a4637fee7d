"""Forms of the signposting pages. Limits come from the models."""

from __future__ import annotations

from django import forms

from whistledesk.signposting.models import MAX_KEY, MAX_MESSAGE_TEMPLATE

CONFIRM_LABEL = "The concern is outside the matters we are prescribed for"


class ConfirmForm(forms.Form):
    """The last step: the body chosen (carried over) and the staff member's confirmation."""

    body = forms.CharField(widget=forms.HiddenInput, max_length=MAX_KEY)
    out_of_remit = forms.BooleanField(
        label=CONFIRM_LABEL,
        help_text="Only signpost when nothing in the concern is for us to take forward.",
        error_messages={"required": "Confirm that the concern is outside our prescribed matters"},
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Signposting message",
        max_length=MAX_MESSAGE_TEMPLATE,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Placeholders: {reference}, {organisation}, {body}, {matters}, {contact}. "
        "{body} and {contact} are required. Leave a blank line between paragraphs.",
        error_messages={
            "required": "Enter the message",
            "max_length": f"Message must be {MAX_MESSAGE_TEMPLATE:,} characters or fewer",
        },
    )
