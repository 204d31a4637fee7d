"""Forms for the retention page. They check shape; the services apply the rules."""

from __future__ import annotations

from django import forms

from whistledesk.retention.services import REASON_MAX

_DATE = {"class": "govuk-input govuk-input--width-10", "type": "date"}
_TEXT = {"class": "govuk-input"}


class PreviewDateForm(forms.Form):
    on = forms.DateField(
        label="As of",
        required=False,
        help_text="See what would be destroyed on this date.",
        # ISO format: what an <input type="date"> reads and sends, whatever the locale.
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )


class HoldPlaceForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    reason = forms.CharField(
        label="Reason for the hold",
        max_length=REASON_MAX,
        help_text="For example 'tribunal claim pending'. Do not name anyone.",
        widget=forms.TextInput(attrs=_TEXT),
    )


class HoldLiftForm(forms.Form):
    lift_reason = forms.CharField(
        label="Reason for lifting",
        max_length=REASON_MAX,
        widget=forms.TextInput(attrs=_TEXT),
    )
