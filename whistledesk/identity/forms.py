"""Forms for identity access. Reasons are checked again by the services."""

from __future__ import annotations

from django import forms

from whistledesk.identity.services import MAX_REASON_CHARS

_REASON_ERRORS = {"max_length": f"Reason must be {MAX_REASON_CHARS:,} characters or fewer"}


class AskForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to know who they are?",
        help_text="A custodian reads this to decide. Do not include anyone's name or details.",
        max_length=MAX_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
        error_messages={"required": "Enter why you need to know who they are", **_REASON_ERRORS},
    )


class DecisionForm(forms.Form):
    ACTIONS = ("approve", "refuse", "revoke", "withdraw")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Reason",
        help_text="Needed to refuse or revoke; the requester is shown it.",
        required=False,
        max_length=MAX_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
        error_messages=_REASON_ERRORS,
    )
