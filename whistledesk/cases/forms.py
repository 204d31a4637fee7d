"""Staff casework forms. They validate shape; the services apply the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from whistledesk.accounts.roles import Role
from whistledesk.cases.models import (
    ActionKind,
    Consent,
    Disclosure,
    ReferralBody,
    RiskLevel,
    Section43B,
    Status,
)
from whistledesk.cases.selectors import DisclosureFilters
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory
from whistledesk.organisation.selectors import outcome_list, service_list

_TEXT = {"class": "govuk-input"}
_AREA = {"class": "govuk-textarea", "rows": 4}
_DATE = {"class": "govuk-input govuk-input--width-10", "type": "date"}
_SELECT = {"class": "govuk-select"}


def _date(label: str, **kwargs: Any) -> forms.DateField:
    # ISO format: what an <input type="date"> reads and sends, whatever the locale.
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"), **kwargs
    )


def _text(label: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, widget=forms.TextInput(attrs=_TEXT), **kwargs
    )


def _area(label: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, widget=forms.Textarea(attrs=_AREA), **kwargs
    )


class DisclosureFilterForm(forms.Form):
    q = forms.CharField(
        label="Reference, Ofsted URN or start of the setting's name",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    year = forms.TypedChoiceField(
        label="Reporting year", required=False, coerce=int, empty_value=None
    )
    service = forms.TypedChoiceField(label="Service", required=False, coerce=int, empty_value=None)
    outcome = forms.TypedChoiceField(label="Outcome", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(
        self, *args: Any, organisation: Organisation, years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", "All years")] + [
            (y, f"{y}/{str(y + 1)[-2:]}") for y in years
        ]
        cast(forms.ChoiceField, self.fields["service"]).choices = [("", "All services")] + [
            (s.pk, s.label) for s in service_list(organisation=organisation)
        ]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
            ("", "All outcomes"),
            (0, "Not yet decided"),
        ] + [(o.pk, o.label) for o in outcome_list(organisation=organisation)]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", "All statuses"),
            *Status.choices,
        ]

    def to_filters(self) -> DisclosureFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DisclosureFilters(
            year=data.get("year"),
            service_id=data.get("service"),
            outcome_id=data.get("outcome"),
            status=data.get("status") or None,
            search=data.get("q") or "",
        )


class TransitionForm(forms.Form):
    outcome = forms.ModelChoiceField(
        label="Outcome",
        queryset=Outcome.objects.none(),
        required=False,
        help_text="This is what the annual report counts.",
        widget=forms.Select(attrs=_SELECT),
    )
    reason = _area(
        "Reason",
        1000,
        required=False,
        help_text="Encrypted: only staff with access to this case can read it.",
    )

    def __init__(self, *args: Any, disclosure: Disclosure, target: Status, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if target == Status.CLOSED:
            cast(forms.ModelChoiceField, self.fields["outcome"]).queryset = Outcome.objects.filter(
                organisation_id=disclosure.organisation_id, active=True
            )
            self.fields["outcome"].initial = disclosure.outcome_id
        else:
            del self.fields["outcome"]
        if disclosure.status != Status.CLOSED:
            del self.fields["reason"]


class AssessmentForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label="What does the information tend to show? (section 43B)",
        choices=Section43B.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. None means it is not a qualifying disclosure.",
        error_messages={
            "invalid_choice": "Select what the information tends to show from the list",
        },
    )
    # Each field says what to do in its own words (GOV.UK "Select yes if..."): the generic
    # "Select" + label made "Select is it within our prescribed matters".
    public_interest = forms.TypedChoiceField(
        label="Could the whistleblower reasonably believe it is in the public interest?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": (
                "Select yes if the whistleblower could reasonably believe it is in the "
                "public interest"
            ),
            "invalid_choice": "Select yes or no for the public interest",
        },
    )
    within_remit = forms.TypedChoiceField(
        label="Is it within our prescribed matters?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the disclosure is within our prescribed matters",
            "invalid_choice": "Select yes or no for our prescribed matters",
        },
    )
    service = forms.ModelChoiceField(
        label="Service the disclosure relates to",
        queryset=ServiceCategory.objects.none(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
        error_messages={"invalid_choice": "Select a service from the list"},
    )
    risk_level = forms.ChoiceField(
        label="Risk",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the risk to children: immediate, high, medium or low",
            "invalid_choice": "Select the risk to children from the list",
        },
    )
    urgent = forms.BooleanField(label="Urgent", required=False)
    setting_name = _text(
        "Setting or organisation",
        200,
        required=False,
        error_messages={"max_length": "Setting or organisation must be 200 characters or fewer"},
    )
    ofsted_urn = _text(
        "Ofsted URN",
        20,
        required=False,
        error_messages={"max_length": "Ofsted URN must be 20 characters or fewer"},
    )
    local_authority = _text(
        "Local authority",
        100,
        required=False,
        error_messages={"max_length": "Local authority must be 100 characters or fewer"},
    )

    def __init__(self, *args: Any, disclosure: Disclosure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["service"]
        ).queryset = ServiceCategory.objects.filter(
            organisation_id=disclosure.organisation_id, active=True
        )


def handler_choices(*, organisation_id: int) -> Any:
    """Who may handle the organisation's cases: its active caseworkers and managers."""
    roles = [Role.CASEWORKER.value, Role.MANAGER.value]
    return (
        get_user_model()
        .objects.filter(organisation_id=organisation_id, is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("username")
    )


# Another organisation's account (or a made-up id) is not on the list: say what to do.
_NOT_HERE = {"invalid_choice": "Choose a member of this organisation's staff from the list."}


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label="Handler",
        queryset=get_user_model().objects.none(),
        widget=forms.Select(attrs=_SELECT),
        error_messages=_NOT_HERE,
    )

    def __init__(self, *args: Any, disclosure: Disclosure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        excluded = disclosure.conflicts.values("user_id")
        cast(forms.ModelChoiceField, self.fields["handler"]).queryset = handler_choices(
            organisation_id=disclosure.organisation_id
        ).exclude(pk__in=excluded)


class ConflictForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Member of staff",
        queryset=get_user_model().objects.none(),
        widget=forms.Select(attrs=_SELECT),
        error_messages=_NOT_HERE,
    )
    reason = _text("Why", 300)

    def __init__(self, *args: Any, disclosure: Disclosure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = (
            get_user_model()
            .objects.filter(organisation_id=disclosure.organisation_id, is_active=True)
            .order_by("username")
        )


class ConsentForm(forms.Form):
    given_by = _text("Who gave consent", 200, initial="The whistleblower")
    scope = _text(
        "What they agreed to", 300, help_text="e.g. 'my name may be shared with the LADO'"
    )
    given_on = _date("Date given", initial=dt.date.today)
    reason = _text("Why it was asked for", 300)


class ReferralForm(forms.Form):
    body = forms.ModelChoiceField(
        label="Body",
        queryset=ReferralBody.objects.filter(active=True).order_by("name"),
        widget=forms.Select(attrs=_SELECT),
    )
    shared_summary = _area(
        "What was shared", 1000, help_text="A summary that does not identify the whistleblower."
    )
    referred_on = _date("Date referred", initial=dt.date.today)
    body_reference = _text("The body's reference", 100, required=False)
    reassurance_due = _date(
        "Reassurance expected by",
        required=False,
        help_text="Leave blank for the body's usual time.",
    )
    identity_shared = forms.BooleanField(
        label="The whistleblower's identity was shared", required=False
    )
    consent = forms.ModelChoiceField(
        label="Consent relied on",
        queryset=Consent.objects.none(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )

    def __init__(self, *args: Any, disclosure: Disclosure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["consent"]).queryset = Consent.objects.filter(
            Q(withdrawn_on__isnull=True), disclosure=disclosure
        )


class ResponseForm(forms.Form):
    received_on = _date("Date received", initial=dt.date.today)
    summary = _area("What the body told us", 1000)
    body_reference = _text("The body's reference", 100, required=False)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="Action", choices=ActionKind.choices, widget=forms.RadioSelect)
    recipient = _text("To whom", 200, required=False, help_text="Needed for a representation.")
    summary = _area("Summary", 1000)
    taken_on = _date("Date", initial=dt.date.today)


class ConcernForm(forms.Form):
    summary = _area("The concern", 1000, help_text="Describe the risk without naming anyone.")


class ConfirmSafeguardingForm(forms.Form):
    action_taken = _area("Safeguarding action taken", 1000)
    action_taken_by = _text("Taken by", 200, help_text="e.g. the local authority's duty team")
    action_taken_on = _date("Date taken", initial=dt.date.today)
