"""A Django form for one configured page of questions, and the questionnaire a draft answers.

Each question becomes one field named by its id, rendered with the GOV.UK patterns in
intake/step.html. Error messages say what to do: the question's own `error`, or a plain
default built from its label.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from whistledesk.intake.draft import Draft
from whistledesk.intake.flow import Flow
from whistledesk.intake.forms import StepForm
from whistledesk.organisation.models import Organisation, ServiceCategory
from whistledesk.organisation.questionnaire import NOT_SURE, Page, Question
from whistledesk.organisation.questionnaire_services import (
    questionnaire_current,
    questionnaire_version,
)
from whistledesk.organisation.texts import active_language, localised

NOT_SURE_LABEL = gettext_noop("I'm not sure")


def draft_flow(draft: Draft, *, organisation: Organisation) -> Flow:
    """The flow of the version the draft started with (a new draft takes the current one).

    The draft remembers the number, so publishing a new version never changes the pages
    under someone half-way through.
    """
    # The pages in the active language (organisation/texts.py); submitting reads the English.
    language = active_language()
    if draft.questionnaire < 0:
        current = questionnaire_current(organisation=organisation, language=language)
        draft.questionnaire = current.number
    else:
        current = questionnaire_version(
            organisation=organisation, number=draft.questionnaire, language=language
        )
    services = service_labels(organisation)
    words = services
    if language != "en" and language in organisation.language_codes:
        words = {
            str(s.pk): localised(s, "label", language, organisation=organisation)
            for s in ServiceCategory.objects.filter(organisation=organisation)
        }
    return Flow(current.questionnaire, services=services, service_words=words)


def service_labels(organisation: Organisation) -> dict[str, str]:
    """Every service's label by its answer value (the id), retired ones too."""
    return {
        str(pk): label
        for pk, label in ServiceCategory.objects.filter(organisation=organisation).values_list(
            "pk", "label"
        )
    }


class DatePartsWidget(forms.MultiWidget):
    def __init__(self) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, str) and value:
            try:
                d = dt.date.fromisoformat(value)
            except ValueError:
                return ["", "", ""]
            return [str(d.day), str(d.month), str(d.year)]
        return ["", "", ""]


class DatePartsField(forms.MultiValueField):
    """The GOV.UK date input: day, month and year boxes; the answer is an ISO date."""

    widget = DatePartsWidget

    def __init__(self, *, question: Question, **kwargs: Any) -> None:
        fields = (
            forms.CharField(max_length=2),
            forms.CharField(max_length=2),
            forms.CharField(max_length=4),
        )
        self.question = question
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> str:
        parts = [str(v or "").strip() for v in (value or ["", "", ""])][:3]
        label = self.question.row_label
        if not any(parts):
            if self.required:
                raise forms.ValidationError(
                    self.question.error
                    or gettext("Enter the date: {label}").format(label=label.lower())
                )
            return ""
        if not all(parts):
            raise forms.ValidationError(
                gettext("{label} must include a day, month and year").format(label=label)
            )
        # ASCII digits only, and no longer than a day, month and year can be.
        if any(not (p.isascii() and p.isdigit()) or len(p) > 4 for p in parts):
            raise forms.ValidationError(gettext("{label} must be a real date").format(label=label))
        try:
            day, month, year = (int(p) for p in parts)
            date = dt.date(year, month, day)
        except (ValueError, OverflowError):
            raise forms.ValidationError(
                gettext("{label} must be a real date").format(label=label)
            ) from None
        if year < 1900:
            raise forms.ValidationError(gettext("{label} must be a real date").format(label=label))
        if date > timezone.localdate():
            raise forms.ValidationError(
                gettext("{label} must be today or in the past").format(label=label)
            )
        return date.isoformat()

    def compress(self, data_list: list[Any]) -> str:  # clean() above does the work
        return ""


def _field(question: Question, services: list[ServiceCategory]) -> forms.Field:
    hint = question.hint
    kind = question.kind
    if kind in ("short_text", "long_text"):
        limit = question.max_length
        return forms.CharField(
            label=question.label,
            help_text=hint,
            required=question.required,
            max_length=limit,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 10}) if kind == "long_text" else None,
            error_messages={
                "required": question.error
                or gettext("Enter {label}").format(label=question.row_label.lower()),
                "max_length": question.too_long
                or gettext("{label} must be {limit:,} characters or fewer").format(
                    label=question.row_label, limit=limit
                ),
            },
        )
    if kind == "date":
        return DatePartsField(
            question=question, label=question.label, help_text=hint, required=question.required
        )
    if kind == "service":
        org = services[0].organisation if services else None
        choices = [(str(s.pk), localised(s, "label", organisation=org)) for s in services] + [
            (NOT_SURE, gettext(NOT_SURE_LABEL))
        ]
    else:
        choices = [(o.value, o.label) for o in question.options]
    message = question.error or gettext("Select {label}").format(label=question.row_label.lower())
    if kind == "several_choices":
        return forms.MultipleChoiceField(
            label=question.label,
            help_text=hint,
            required=question.required,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": message, "invalid_choice": message},
        )
    return forms.ChoiceField(
        label=question.label,
        help_text=hint,
        required=question.required,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class PageForm(StepForm):
    """The form of one configured page of questions."""

    def __init__(
        self, *args: Any, page: Page, services: list[ServiceCategory], **kwargs: Any
    ) -> None:
        self.page = page
        self.heading_field = page.questions[0].id if len(page.questions) == 1 else ""
        super().__init__(*args, **kwargs)
        for q in page.questions:
            self.fields[q.id] = _field(q, services)
            hints = {o.value: o.hint for o in q.options if o.hint}
            if hints:
                self.fields[q.id].item_hints = hints  # type: ignore[attr-defined]

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for q in self.page.questions:
            value = self.cleaned_data.get(q.id)
            out[q.id] = list(value) if isinstance(value, list | tuple) else (value or "")
        return out

    @staticmethod
    def initial_from(page: Page, answers: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for q in page.questions:
            value = answers.get(q.id)
            if q.kind == "date":
                initial[q.id] = DatePartsWidget().decompress(value)
            elif value is not None:
                initial[q.id] = value
        return initial
