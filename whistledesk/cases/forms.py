from __future__ import annotations

from django import forms

from whistledesk.cases.selectors import DisclosureFilters
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.selectors import outcome_list, service_list


class DisclosureFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Reporting year", required=False, coerce=int, empty_value=None
    )
    service = forms.TypedChoiceField(label="Service", required=False, coerce=int, empty_value=None)
    outcome = forms.TypedChoiceField(label="Outcome", required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: object, organisation: Organisation, years: list[int], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].choices = [("", "All years")] + [
            (y, f"{y}/{str(y + 1)[-2:]}") for y in years
        ]
        self.fields["service"].choices = [("", "All services")] + [
            (s.pk, s.label) for s in service_list(organisation=organisation)
        ]
        self.fields["outcome"].choices = [("", "All outcomes"), (0, "Not yet decided")] + [
            (o.pk, o.label) for o in outcome_list(organisation=organisation)
        ]

    def to_filters(self) -> DisclosureFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DisclosureFilters(
            year=data.get("year"), service_id=data.get("service"), outcome_id=data.get("outcome")
        )
