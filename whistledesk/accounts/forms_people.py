"""Forms for the people pages and the own-password page. They check shape; the services in
accounts.services apply the rules (who may, what happens to keys)."""

from __future__ import annotations

from typing import Any

from django import forms

from whistledesk.accounts.roles import Role
from whistledesk.core.crypto import MAX_SECRET_CHARS

_TEXT = {"class": "govuk-input govuk-input--width-20", "spellcheck": "false"}
_PASSWORD = {"class": "govuk-input govuk-input--width-20", "autocomplete": "new-password"}

ROLE_HELP = {
    Role.INTAKE_OFFICER: "records disclosures; holds the key to every case",
    Role.CASEWORKER: "handles the cases assigned to them",
    Role.SAFEGUARDING_LEAD: "signs off safeguarding concerns; holds the key to cases with one",
    Role.MANAGER: "assigns cases, manages staff, publishes the report; holds every case key",
    Role.CUSTODIAN: "decides requests to see a whistleblower's identity; holds identity keys",
    Role.AUDITOR: "reads the register, reports and audit log; holds no keys",
}


def _role_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=[(r.value, f"{r.label}: {ROLE_HELP[r]}") for r in Role],
        widget=forms.CheckboxSelectMultiple,
    )


class _NewPasswordMixin(forms.Form):
    """Two new-password boxes that must match."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new, again = cleaned.get("new_password"), cleaned.get("new_password_again")
        if new and again and new != again:
            self.add_error(
                "new_password_again",
                "The two new passwords are different: type the same one twice",
            )
        return cleaned


def _password(
    label: str, help_text: str = "", autocomplete: str = "new-password"
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=MAX_SECRET_CHARS,
        strip=False,
        error_messages={"required": f"Enter the {label.lower()}"},
        widget=forms.PasswordInput(attrs={**_PASSWORD, "autocomplete": autocomplete}),
    )


class PersonAddForm(_NewPasswordMixin):
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they type to sign in. Letters, digits and @ . + - _ only.",
        error_messages={"required": "Enter a username"},
        widget=forms.TextInput(attrs={**_TEXT, "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label="First name", max_length=150, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
        widget=forms.EmailInput(attrs={**_TEXT, "autocomplete": "off"}),
    )
    roles = _role_field("Roles")
    new_password = _password(
        "First password",
        "At least 12 characters. Give it to them in person; they change it after signing in.",
    )
    new_password_again = _password("First password again")

    def clean_username(self) -> str:
        from django.contrib.auth.validators import UnicodeUsernameValidator

        value: str = self.cleaned_data["username"].strip()
        try:
            UnicodeUsernameValidator()(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                "Enter a username made of letters, digits and @ . + - _ only"
            ) from exc
        return value


class RolesForm(forms.Form):
    roles = _role_field("Roles")


class PasswordResetForm(_NewPasswordMixin):
    new_password = _password("New password", "At least 12 characters. Give it to them in person.")
    new_password_again = _password("New password again")
    understood = forms.BooleanField(
        label="I understand that their case keys will be deleted",
        error_messages={"required": "Confirm that you understand their case keys will be deleted"},
    )


class PasswordChangeForm(_NewPasswordMixin):
    old_password = _password("Current password", autocomplete="current-password")
    new_password = _password("New password", "At least 12 characters.")
    new_password_again = _password("New password again")
