"""The staff page's year picker."""

from __future__ import annotations

from django import forms


class ReportYearForm(forms.Form):
    year = forms.TypedChoiceField(label="Reporting year", coerce=int)

    def __init__(self, *args: object, years: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = years
        field.error_messages["invalid_choice"] = "Choose a reporting year from the list"


class PublishForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the correction",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )
