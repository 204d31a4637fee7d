"""The public form, one small Django form per page. Each page's answers land in the draft.

Error messages follow the GOV.UK pattern: they say what to do, in plain words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from whistledesk.organisation.models import ServiceCategory

NARRATIVE_MAX = 10_000
MESSAGE_MAX = 10_000
SHORT_MAX = 200
# A receipt is a handful of words; anything longer is refused before it reaches the KDF.
RECEIPT_INPUT_MAX = 200

NOT_SURE = "not_sure"

YES_NO = [("yes", "Yes"), ("no", "No")]

RAISED_TIMES = [
    ("once", "Once"),
    ("2-3", "2 or 3 times"),
    ("4+", "4 times or more"),
]

ROLES = [
    ("employee", "Employee", "You have a contract of employment with the organisation."),
    ("agency", "Agency worker", "An agency places you there."),
    ("contractor", "Contractor or self-employed", "You provide services under a contract."),
    ("volunteer", "Volunteer", ""),
    ("student", "Student or trainee", "For example a student nurse or social work student."),
    ("other", "Other", "For example a former worker, a parent or a member of the public."),
]

IDENTITY = [
    (
        "anonymous",
        _("Anonymous"),
        _(
            "You do not tell us who you are. We cannot contact you except through the "
            "follow-up inbox, so check it. We may be less able to act if we cannot ask you "
            "questions, and it may be harder for you to show later that you made this "
            "disclosure."
        ),
    ),
    (
        "confidential",
        _("Confidential"),
        _(
            "You tell us who you are but we will not share your identity with anyone outside "
            "our office without your agreement, unless the law requires it (we would tell you "
            "first)."
        ),
    ),
    (
        "open",
        _("Open"),
        _(
            "You tell us who you are and agree that we may share your identity with the bodies "
            "we pass your concern to, such as a local authority or regulator."
        ),
    ),
]

CONTACT_HOW = [
    ("email", _("Email")),
    ("phone", _("Phone")),
    ("inbox", _("Only through the follow-up inbox")),
]


def _labels(choices: list[tuple[str, Any, Any]]) -> list[tuple[str, Any]]:
    return [(value, label) for value, label, _hint in choices]


def _hints(choices: list[tuple[str, Any, Any]]) -> dict[str, Any]:
    return {value: hint for value, _label, hint in choices}


class StepForm(forms.Form):
    """A page of the form. `heading_field` is the field whose label is the page's h1."""

    heading_field: str = ""
    item_hints: dict[str, dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, hints in self.item_hints.items():
            self.fields[name].item_hints = hints  # type: ignore[attr-defined]
        for field in self.fields.values():
            # A value that is not one of the options (a tampered or garbled form) gets the
            # same plain instruction as no answer, never Django's message echoing the value.
            if (
                isinstance(field, forms.ChoiceField)
                and field.error_messages["invalid_choice"]
                == forms.ChoiceField.default_error_messages["invalid_choice"]
            ):
                field.error_messages["invalid_choice"] = field.error_messages["required"]

    def answers(self) -> dict[str, Any]:
        """The cleaned values as JSON-safe answers for the draft."""
        return {k: v for k, v in self.cleaned_data.items()}


class RiskForm(StepForm):
    heading_field = "risk"
    risk = forms.ChoiceField(
        label="Is a child at risk of immediate harm?",
        help_text="For example, a child is in danger now or will be in the next few hours.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if a child is at risk of immediate harm"},
    )


class ServiceForm(StepForm):
    heading_field = "service"
    service = forms.ChoiceField(
        label="What is your concern about?",
        help_text="Choose the kind of service or setting. If it fits more than one, choose the "
        "main one.",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what your concern is about, or select I'm not sure",
            "invalid_choice": "Select what your concern is about, or select I'm not sure",
        },
    )

    def __init__(self, *args: Any, services: list[ServiceCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(s.pk), s.label) for s in services] + [(NOT_SURE, "I'm not sure")]


class SettingForm(StepForm):
    setting_name = forms.CharField(
        label="Name of the organisation or setting",
        help_text="For example the name of the school, children's home, hospital ward or council "
        "department. We keep this name unencrypted so that we can find and link concerns about "
        "the same place. Do not put your own name here.",
        max_length=SHORT_MAX,
        error_messages={
            "required": "Enter the name of the organisation or setting",
            "max_length": f"Name must be {SHORT_MAX} characters or fewer",
        },
    )
    setting_area = forms.CharField(
        label="Town, city or local authority area",
        max_length=SHORT_MAX,
        required=False,
        error_messages={"max_length": f"Area must be {SHORT_MAX} characters or fewer"},
    )


class NarrativeForm(StepForm):
    heading_field = "narrative"
    narrative = forms.CharField(
        label="What happened?",
        help_text="Tell us what you saw or know, when it happened and who was involved. Include "
        "what you think the risk to children is. Do not include your own name if you want to "
        "stay anonymous.",
        max_length=NARRATIVE_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": "Enter what happened",
            "max_length": f"What happened must be {NARRATIVE_MAX:,} characters or fewer",
        },
    )


class RaisedForm(StepForm):
    heading_field = "raised"
    raised = forms.ChoiceField(
        label="Have you raised this concern before?",
        help_text="For example with a manager, the organisation's whistleblowing officer, the "
        "local authority or another regulator.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have raised this concern before"},
    )


class RaisedDetailsForm(StepForm):
    raised_with = forms.CharField(
        label="Who did you raise it with?",
        help_text="Their role, not their name: for example 'the headteacher' or 'the council's "
        "designated officer'.",
        max_length=SHORT_MAX,
        error_messages={
            "required": "Enter who you raised the concern with",
            "max_length": f"Who you raised it with must be {SHORT_MAX} characters or fewer",
        },
    )
    raised_times = forms.ChoiceField(
        label="How many times have you raised it?",
        choices=RAISED_TIMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how many times you have raised the concern"},
    )


class RoleForm(StepForm):
    heading_field = "role"
    item_hints = {"role": _hints(ROLES)}
    role = forms.ChoiceField(
        label="What is your connection to the organisation?",
        help_text="The law protects workers who blow the whistle. Tell us how you work there so "
        "we can tell you what protection may apply. We still want to hear from you if you "
        "are not a worker.",
        choices=_labels(ROLES),
        widget=forms.RadioSelect,
        error_messages={"required": "Select your connection to the organisation"},
    )


class IdentityForm(StepForm):
    heading_field = "identity"
    item_hints = {"identity": _hints(IDENTITY)}
    identity = forms.ChoiceField(
        label=_("Do you want to tell us who you are?"),
        help_text=_(
            "Whatever you choose, what you tell us is encrypted and only our staff can read it."
        ),
        choices=_labels(IDENTITY),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select anonymous, confidential or open")},
    )


class ContactForm(StepForm):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=SHORT_MAX,
        error_messages={
            "required": _("Enter your full name"),
            "max_length": format_lazy(_("Name must be {max} characters or fewer"), max=SHORT_MAX),
        },
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        help_text=_("Use a personal address, not a work one."),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=40,
        error_messages={"max_length": _("Phone number must be 40 characters or fewer")},
    )
    contact_how = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=CONTACT_HOW,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how we should contact you")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        how = data.get("contact_how")
        # A field that already has an error (say, an address in the wrong format) keeps that
        # one message: "enter an email address" beside it would contradict it.
        if how == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email", _("Enter an email address, or choose another way to contact you")
            )
        if how == "phone" and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Enter a phone number, or choose another way to contact you"))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        error_messages={
            "required": _("Select a file to upload"),
            "empty": _("The selected file is empty"),
        },
    )


class SubmitForm(forms.Form):
    # A honeypot: hidden from people by a stylesheet class, filled in only by bots.
    confirm_address = forms.CharField(required=False, max_length=200)


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"),
        help_text=_("The words or numbers you were given when you sent your disclosure."),
        max_length=RECEIPT_INPUT_MAX,
        strip=True,
        error_messages={
            "required": _("Enter your receipt"),
            "max_length": _("Enter your receipt exactly as it was shown to you"),
        },
    )


class SourceMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        help_text=_("Answer our questions or add anything you have remembered since."),
        max_length=MESSAGE_MAX,
        required=False,  # a file alone is a message too; the service says what is missing
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Enter your message"),
            "max_length": format_lazy(
                _("Your message must be {max:,} characters or fewer"), max=MESSAGE_MAX
            ),
        },
    )
    file = forms.FileField(label=_("Add a file (optional)"), required=False)
