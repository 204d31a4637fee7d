"""The form for a new API token."""

from __future__ import annotations

from django import forms

from whistledesk.api.services import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="What the token is for, for example 'monthly statistics script'",
        max_length=100,
        error_messages={
            "required": "Enter a name that says what the token is for",
            "max_length": "The name must be 100 characters or fewer",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds"}),
    )
    lifetime_days = forms.IntegerField(
        label="Days until it expires",
        help_text=f"Between 1 and {MAX_LIFETIME_DAYS}",
        initial=DEFAULT_LIFETIME_DAYS,
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        error_messages={
            "required": "Enter the number of days until the token expires",
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "A token must last at least 1 day",
            "max_value": f"A token can last at most {MAX_LIFETIME_DAYS} days",
        },
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
        ),
    )
