"""Forms for follow-up messages and the managers' wording page."""

from __future__ import annotations

from typing import Any

from django import forms

from whistledesk.casefiles.services import MAX_MESSAGE_CHARS
from whistledesk.cases.models import FollowupVia
from whistledesk.organisation import followup_wording

_AREA = {"class": "govuk-textarea", "rows": 12}


class FollowupSendForm(forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs=_AREA),
        help_text="From the organisation's template. Change it as you need: write in plain "
        "words and do not name anyone.",
        error_messages={"required": "Write the message."},
    )
    via = forms.ChoiceField(
        label="How to send it",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to send it."},
    )

    def __init__(self, *args: Any, vias: list[FollowupVia], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            FollowupVia.INBOX: "Put it in the whistleblower's follow-up inbox",
            FollowupVia.LETTER: "Make a letter (PDF) to print and post",
            FollowupVia.EMAIL: "Make email text to copy into an email",
        }
        via = self.fields["via"]
        assert isinstance(via, forms.ChoiceField)
        via.choices = [(v.value, labels[v]) for v in vias]
        if len(vias) == 1:
            self.fields["via"].initial = vias[0].value


class FollowupWordingForm(forms.Form):
    def __init__(self, *args: Any, languages: tuple[str, ...] = ("en",), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for t in followup_wording.TEMPLATES:
            self.fields[t.kind] = forms.CharField(
                label=f"{t.label} message",
                max_length=followup_wording.MAX_LENGTH,
                widget=forms.Textarea(attrs=_AREA),
                help_text="Placeholders: " + ", ".join(f"{{{p}}}" for p in sorted(t.placeholders)),
                validators=[followup_wording.FollowupTemplateValidator(t.kind)],
                error_messages={"required": f"Write the {t.label.lower()} message."},
            )
            # Welsh enabled: each message in Welsh too (organisation/texts.py), checked alike.
            if "cy" in languages:
                self.fields[f"{t.kind}_cy"] = forms.CharField(
                    label=f"{t.label} message in Welsh",
                    max_length=followup_wording.MAX_LENGTH,
                    widget=forms.Textarea(attrs=_AREA | {"lang": "cy"}),
                    help_text="The same placeholders, in braces as they are.",
                    validators=[followup_wording.FollowupTemplateValidator(t.kind)],
                    error_messages={
                        "required": f"Write the {t.label.lower()} message in Welsh: Welsh is "
                        "enabled, so every message needs its Welsh."
                    },
                )
