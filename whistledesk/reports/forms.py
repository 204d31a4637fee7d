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
