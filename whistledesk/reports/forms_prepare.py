"""Forms of the prepare page: a report text, the small-cell threshold, and a decision on
a disclosure warning. Limits come from reports/preparation.py."""

from __future__ import annotations

from typing import Any

from django import forms

from whistledesk.reports.disclosure_control import MERGE, PUBLISH, SUPPRESS
from whistledesk.reports.preparation import MAX_REASON, MAX_TEXT, MAX_THRESHOLD, MIN_THRESHOLD

REASON_TOO_LONG = f"The reason must be {MAX_REASON:,} characters or fewer"


class ReportTextForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 14, "class": "govuk-textarea"}),
        help_text="Paragraphs are separated by a blank line. Lines starting with “- ” make a "
        "list; **two stars** make bold; [words](https://example.org) make a link. Nothing "
        "else is formatted.",
        error_messages={"max_length": f"The text must be {MAX_TEXT:,} characters or fewer"},
    )

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        label="Small-cell threshold",
        min_value=MIN_THRESHOLD,
        max_value=MAX_THRESHOLD,
        help_text="A table cell counting fewer disclosures than this, but at least one, is "
        "flagged. 1 flags none.",
        widget=forms.NumberInput(
            attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter the threshold, a whole number from 1 to 100",
            "invalid": "Enter the threshold as a whole number, like 3",
            "min_value": "The threshold must be a whole number from 1 to 100",
            "max_value": "The threshold must be a whole number from 1 to 100",
        },
    )


class CellDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label="What to publish for this cell",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to publish for this cell"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=MAX_REASON,
        help_text="Needed to publish the number as it is. Kept with the published report.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
        error_messages={"max_length": REASON_TOO_LONG},
    )

    def __init__(self, *args: Any, can_merge: bool, threshold: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(SUPPRESS, "Suppress it: show [c] instead of the number")]
        if can_merge:
            choices.append((MERGE, "Merge it into the table's “other” row"))
        choices.append((PUBLISH, f"Publish the number as it is, although below {threshold}"))
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == PUBLISH and not data.get("reason", "").strip():
            self.add_error("reason", "Enter the reason for publishing the number as it is")
        return data


class TextDecisionForm(forms.Form):
    reason = forms.CharField(
        label="Reason for publishing the text as it is",
        max_length=MAX_REASON,
        help_text="Or change the text so that it no longer names it. Kept with the published "
        "report.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
        error_messages={
            "required": "Enter the reason for publishing the text as it is, or change the text",
            "max_length": REASON_TOO_LONG,
        },
    )
