"""The management information page's choices: a period by date received, and a span of
reporting years for the trends. Left empty, the current reporting year and the five years
up to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms

from whistledesk.organisation.models import Organisation
from whistledesk.reports.management_info import MAX_TREND_YEARS
from whistledesk.reports.selectors import MAX_YEAR, MIN_YEAR

TREND_YEARS = 5


@dataclass(frozen=True)
class Choice:
    start: dt.date
    end: dt.date
    first_year: int
    last_year: int


class ManagementForm(forms.Form):
    date_from = forms.DateField(
        label="From (YYYY-MM-DD)",
        required=False,
        error_messages={"invalid": "Enter the start date as YYYY-MM-DD, for example 2022-04-01"},
    )
    date_to = forms.DateField(
        label="To (YYYY-MM-DD)",
        required=False,
        error_messages={"invalid": "Enter the end date as YYYY-MM-DD, for example 2023-03-31"},
    )
    first_year = forms.IntegerField(
        label="Trends from reporting year",
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "min_value": f"Enter a year from {MIN_YEAR} to {MAX_YEAR}",
            "max_value": f"Enter a year from {MIN_YEAR} to {MAX_YEAR}",
            "invalid": "Enter the first year as a number, for example 2018",
        },
    )
    last_year = forms.IntegerField(
        label="Trends to reporting year",
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "min_value": f"Enter a year from {MIN_YEAR} to {MAX_YEAR}",
            "max_value": f"Enter a year from {MIN_YEAR} to {MAX_YEAR}",
            "invalid": "Enter the last year as a number, for example 2022",
        },
    )

    def __init__(self, *args: object, organisation: Organisation, today: dt.date, **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.organisation, self.today = organisation, today
        for field in self.fields.values():
            field.widget.attrs.update({"class": "govuk-input govuk-input--width-10"})

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        for name, day in (("date_from", start), ("date_to", end)):
            if isinstance(day, dt.date) and not MIN_YEAR <= day.year <= MAX_YEAR:
                self.add_error(name, f"Enter a date in the years {MIN_YEAR} to {MAX_YEAR}")
                data[name] = None
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        first, last = data.get("first_year"), data.get("last_year")
        if isinstance(first, int) and isinstance(last, int):
            if first > last:
                self.add_error("last_year", "The last year must be the same as or after the first")
            elif last - first + 1 > MAX_TREND_YEARS:
                self.add_error("last_year", f"Choose a span of at most {MAX_TREND_YEARS} years")
        return data

    def choice(self) -> Choice:
        """What to show: the valid choices, defaults for the rest."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        current = self.organisation.year_of(self.today)
        year_start, year_end = self.organisation.period_for_year(current)
        last = data.get("last_year") or current
        first = data.get("first_year") or max(MIN_YEAR, last - TREND_YEARS + 1)
        return Choice(
            start=data.get("date_from") or year_start,
            end=data.get("date_to") or year_end,
            first_year=first,
            last_year=max(first, last),
        )
