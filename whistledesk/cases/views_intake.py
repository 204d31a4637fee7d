"""Staff intake pages: choose the channel, then one form per channel. Thin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from whistledesk.casefiles.attachments import UploadedAttachment
from whistledesk.cases.forms_intake import EmailForm, HelplineForm, LetterForm, TribunalForm
from whistledesk.cases.models import Channel
from whistledesk.cases.permissions import Perm
from whistledesk.cases.staff_intake import (
    StaffIntake,
    disclosure_record_from_staff,
    parse_eml,
)
from whistledesk.cases.views_permissions import perm_required
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.selectors import NotConfigured, organisation_get

FORMS: dict[str, tuple[type, str]] = {
    Channel.LETTER: (LetterForm, "Record a letter"),
    Channel.EMAIL: (EmailForm, "Record an email"),
    Channel.HELPLINE: (HelplineForm, "Record a helpline call"),
    Channel.TRIBUNAL: (TribunalForm, "Record an employment tribunal claim"),
}


@perm_required(Perm.RECORD_DISCLOSURE)
def record_start_view(request: HttpRequest) -> HttpResponse:
    choices = [(c, Channel(c).label, title) for c, (_, title) in FORMS.items()]
    return render(request, "cases/record_start.html", {"choices": choices})


def _common(data: dict[str, Any], channel: Channel) -> StaffIntake:
    return StaffIntake(
        channel=channel,
        received_on=data.get("received_on"),  # type: ignore[arg-type]
        anonymous=data["anonymous"],
        summary=data["summary"],
        urgent=data["urgent"],
        setting_name=data["setting_name"],
        ofsted_urn=data["ofsted_urn"],
        local_authority=data["local_authority"],
    )


def _build(channel: Channel, data: dict[str, Any]) -> StaffIntake:
    """Map a channel's form onto sealed documents and attachments."""
    intake = _common(data, channel)
    if channel == Channel.LETTER:
        intake.documents = {
            "identity": data["sender_name"],
            "contact": data["sender_contact"],
            "narrative": data["letter_text"],
        }
        intake.attachments = [UploadedAttachment.from_upload(f) for f in data["scans"]]
    elif channel == Channel.EMAIL:
        raw = data["eml"].read() if data.get("eml") else data["pasted"].encode("utf-8")
        parsed = parse_eml(raw)
        intake.documents = {"identity": parsed.sender, "email": parsed.as_document()}
        intake.attachments = parsed.attachments
        if intake.received_on is None:
            sent = timezone.localtime(parsed.sent_at).date() if parsed.sent_at else None
            intake.received_on = sent or timezone.localdate()
    elif channel == Channel.HELPLINE:
        intake.documents = {
            "identity": data["caller_name"],
            "contact": data["caller_contact"],
            "call_notes": (
                f"{data['call_notes']}\n\nAnonymity and confidentiality discussed:\n"
                f"{data['anonymity_discussion']}"
            ),
        }
    elif channel == Channel.TRIBUNAL:
        intake.documents = {
            "identity": data["claimant_name"],
            "other": (
                f"Employment tribunal claim {data['claim_reference']}\n"
                "The claimant asked for the claim to be forwarded to us (ET1).\n\n"
                f"{data['notes']}"
            ),
        }
        intake.attachments = [UploadedAttachment.from_upload(data["et1"])]
    return intake


@perm_required(Perm.RECORD_DISCLOSURE)
def record_view(request: HttpRequest, channel: str) -> HttpResponse:
    if channel not in FORMS:
        raise Http404
    form_class, title = FORMS[channel]
    try:
        # The new disclosure is the request's organisation's (organisation/tenancy.py).
        organisation = request.organisation or organisation_get()  # type: ignore[attr-defined]
    except NotConfigured as exc:
        return render(request, "cases/not_configured.html", {"message": str(exc)})
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake = _build(Channel(channel), form.cleaned_data)
            disclosure = disclosure_record_from_staff(
                actor=request.user, organisation=organisation, intake=intake
            )
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            if exc.field == "attachments":
                field = next((f for f in ("scans", "et1", "eml") if f in form.fields), None)
            form.add_error(field, exc.message)
        else:
            messages.success(request, f"Recorded as {disclosure.reference}.")
            return redirect("cases:detail", reference=disclosure.reference)
    return render(
        request,
        "cases/record_form.html",
        {"form": form, "title": title, "channel": channel},
    )
