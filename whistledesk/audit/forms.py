"""Filters for the staff audit log page and its CSV export."""

from __future__ import annotations

from django import forms

from whistledesk.audit.selectors import AuditFilters


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label="Action", required=False, max_length=80, help_text="For example case. or user.created"
    )
    actor = forms.CharField(label="By (username)", required=False, max_length=150)
    disclosure = forms.IntegerField(label="Disclosure id", required=False, min_value=1)
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, field in self.fields.items():
            css = "govuk-input govuk-input--width-10"
            if name in ("action", "actor"):
                css = "govuk-input govuk-input--width-20"
            field.widget.attrs.update({"class": css, "spellcheck": "false"})
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def to_filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilters(
            action=(data.get("action") or "").strip(),
            actor=(data.get("actor") or "").strip(),
            disclosure_id=data.get("disclosure"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
