"""Forms for staff intake by channel. Identity and content fields go to the sealed file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from whistledesk.cases.forms import _AREA, _DATE, _TEXT

_FILE_ATTRS = {"class": "govuk-file-upload"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={**_FILE_ATTRS, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CommonIntakeForm(forms.Form):
    received_on = forms.DateField(
        label="Date received",
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        initial=dt.date.today,
    )
    anonymous = forms.BooleanField(
        label="The whistleblower did not give their name", required=False
    )
    summary = forms.CharField(
        label="Short summary",
        max_length=500,
        required=False,
        help_text=(
            "Kept unencrypted so it can be shown in lists and searched: it must not identify "
            "anyone (no names, roles or details that point to a person). The setting goes "
            "below; everything else goes in the encrypted notes."
        ),
        widget=forms.TextInput(attrs=_TEXT),
    )
    urgent = forms.BooleanField(label="Urgent: a child may be at immediate risk", required=False)
    setting_name = forms.CharField(
        label="Setting or organisation",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
    )
    ofsted_urn = forms.CharField(
        label="Ofsted URN", max_length=20, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    local_authority = forms.CharField(
        label="Local authority",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
    )


def _text(label: str, required: bool = False, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=300, widget=forms.TextInput(attrs=_TEXT), **kw
    )


def _area(label: str, required: bool = False, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=100_000,
        widget=forms.Textarea(attrs={**_AREA, "rows": 8}),
        **kw,
    )


class LetterForm(CommonIntakeForm):
    sender_name = _text("Writer's name", help_text="Leave blank if anonymous.")
    sender_contact = _text("Writer's address or contact details")
    letter_text = _area("What the letter says", help_text="Or attach the scan below.")
    scans = MultipleFileField(label="Scanned letter (PDF or photos)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("letter_text", "").strip() and not data.get("scans"):
            raise forms.ValidationError("Attach the scanned letter or type what it says.")
        return data


class EmailForm(CommonIntakeForm):
    eml = forms.FileField(
        label="The email as an .eml file",
        required=False,
        widget=forms.ClearableFileInput(attrs={**_FILE_ATTRS, "accept": ".eml,message/rfc822"}),
    )
    pasted = _area("Or paste the email's full source", help_text="Including its headers.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The email's own Date header is used when left blank.
        self.fields["received_on"].required = False
        self.fields["received_on"].initial = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("eml") and not data.get("pasted", "").strip():
            raise forms.ValidationError("Upload the .eml file or paste the email.")
        return data


class HelplineForm(CommonIntakeForm):
    caller_name = _text("Caller's name", help_text="Leave blank if they did not give it.")
    caller_contact = _text("How to contact the caller")
    call_notes = _area("Call notes", required=True)
    anonymity_discussion = _area(
        "What was discussed about anonymity and confidentiality",
        required=True,
        help_text="What the caller was told and what they want.",
    )


class TribunalForm(CommonIntakeForm):
    claim_reference = _text("Tribunal claim reference", required=True)
    claimant_name = _text("Claimant's name")
    consent_to_forwarding = forms.BooleanField(
        label="The claimant ticked the box asking for the claim to be forwarded to us",
        required=True,
        error_messages={"required": "Only claims the claimant asked to forward can be recorded."},
    )
    et1 = forms.FileField(
        label="The ET1 claim form (PDF)",
        widget=forms.ClearableFileInput(attrs={**_FILE_ATTRS, "accept": "application/pdf"}),
    )
    notes = _area("Notes")
