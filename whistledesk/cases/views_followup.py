"""Staff pages for follow-up on every channel, under /staff/cases/REF/ (thin views):

- receipt/        issue the whistleblower a receipt (POST), then see it once (GET);
- call-notes/share/  share the call notes with the caller again (POST);
- follow-up/KIND/ write an acknowledgement, feedback or outcome from the template and send
                  it (inbox) or make it (letter, email text);
- follow-up/sent/N/ and .../letter.pdf: a message made for a letter or email, to copy or print.

and /staff/follow-up-wording/ where managers word the templates.
"""

from __future__ import annotations

import struct

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.keyring import KeyLocked, staff_private_key
from whistledesk.casefiles.notes import notes_reader
from whistledesk.cases.call_notes import call_notes_share
from whistledesk.cases.followup import (
    followup_draft,
    followup_message_send,
    followup_vias,
    receipt_issue,
)
from whistledesk.cases.forms_followup import FollowupSendForm, FollowupWordingForm
from whistledesk.cases.letters import followup_letter_pdf
from whistledesk.cases.models import FollowupKind, FollowupSent, FollowupVia
from whistledesk.cases.permissions import Perm
from whistledesk.cases.views_permissions import case_load, locked, perm_required, refused
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.organisation.selectors import NotConfigured, organisation_get
from whistledesk.organisation.services import organisation_followup_wording_set
from whistledesk.organisation.texts import localised

# The receipt waits in the browser-keyed vault between the POST and the one page showing it.
RECEIPT_VAULT = "issued_receipt"
_RECEIPT_TOKEN = struct.Struct(">Q")


_load = case_load


def _private_key(request: HttpRequest) -> bytes | None:
    try:
        return staff_private_key(request)
    except DomainError:
        return None


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def receipt_view(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        disclosure = _load(request, reference, Perm.MESSAGE_SOURCE)
    except NotPermitted as exc:
        return refused(request, exc.message)
    vault = request.vault  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            receipt = receipt_issue(
                actor=request.user, disclosure=disclosure, private_key=_private_key(request)
            )
        except KeyLocked as exc:
            return locked(request, exc.message, sign_in_again=True)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", reference=disclosure.reference)
        vault.put(RECEIPT_VAULT, _RECEIPT_TOKEN.pack(disclosure.pk) + receipt.encode())
        return redirect("cases:receipt", reference=disclosure.reference)
    token = vault.get(RECEIPT_VAULT) or b""
    shown = None
    if len(token) > _RECEIPT_TOKEN.size:
        (disclosure_id,) = _RECEIPT_TOKEN.unpack(token[: _RECEIPT_TOKEN.size])
        if disclosure_id == disclosure.pk:
            shown = token[_RECEIPT_TOKEN.size :].decode()
            vault.delete(RECEIPT_VAULT)  # shown once: a reload finds nothing
    return render(request, "cases/followup/receipt.html", {"d": disclosure, "receipt": shown})


@staff_required
@require_POST
def call_notes_share_view(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        disclosure = _load(request, reference, Perm.MESSAGE_SOURCE)
        call_notes_share(
            actor=request.user, disclosure=disclosure, private_key=_private_key(request)
        )
    except NotPermitted as exc:
        return refused(request, exc.message)
    except KeyLocked as exc:
        return locked(request, exc.message, sign_in_again=True)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The call notes are in the caller's inbox for them to check.")
    return redirect("cases:detail", reference=reference)


_TITLES = {
    FollowupKind.ACKNOWLEDGEMENT: "Send an acknowledgement",
    FollowupKind.FEEDBACK: "Send feedback",
    FollowupKind.OUTCOME: "Send the outcome",
}


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def followup_send_view(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    if kind not in FollowupKind.values:
        raise Http404
    try:
        disclosure = _load(request, reference, Perm.MESSAGE_SOURCE)
    except NotPermitted as exc:
        return refused(request, exc.message)
    vias = followup_vias(disclosure)
    form = FollowupSendForm(
        request.POST if request.method == "POST" else None,
        vias=vias,
        initial={"body": followup_draft(disclosure=disclosure, kind=kind)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = followup_message_send(
                actor=request.user,
                disclosure=disclosure,
                kind=kind,
                body=form.cleaned_data["body"],
                via=form.cleaned_data["via"],
                private_key=_private_key(request),
            )
        except KeyLocked as exc:
            return locked(request, exc.message, sign_in_again=True)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if sent.via == FollowupVia.INBOX:
                messages.success(request, "Sent to the whistleblower's follow-up inbox.")
                return redirect("cases:detail", reference=reference)
            return redirect("cases:followup_sent", reference=reference, sent_id=sent.pk)
    return render(
        request,
        "cases/case_form.html",
        {"d": disclosure, "form": form, "title": _TITLES[FollowupKind(kind)], "submit": "Send"},
    )


def _opened_sent(request: HttpRequest, reference: str, sent_id: int) -> tuple[FollowupSent, str]:
    disclosure = _load(request, reference, Perm.MESSAGE_SOURCE)
    sent = FollowupSent.objects.filter(pk=sent_id, disclosure=disclosure).first()
    if sent is None:
        raise Http404
    private_key = _private_key(request)
    if private_key is None:
        raise KeyLocked()
    reader = notes_reader(disclosure=disclosure, user=request.user, private_key=private_key)
    if not reader.can_read:
        raise NotPermitted("You do not hold this case's key.")
    return sent, reader.text(bytes(sent.body_sealed))


@staff_required
@never_cache
def followup_sent_view(request: HttpRequest, reference: str, sent_id: int) -> HttpResponse:
    try:
        sent, body = _opened_sent(request, reference, sent_id)
    except KeyLocked as exc:
        return locked(request, exc.message, sign_in_again=True)
    except NotPermitted as exc:
        return refused(request, exc.message)
    return render(
        request,
        "cases/followup/sent.html",
        {"d": sent.disclosure, "sent": sent, "body": body},
    )


@staff_required
@never_cache
def followup_letter_view(request: HttpRequest, reference: str, sent_id: int) -> HttpResponse:
    try:
        sent, body = _opened_sent(request, reference, sent_id)
    except KeyLocked as exc:
        return locked(request, exc.message, sign_in_again=True)
    except NotPermitted as exc:
        return refused(request, exc.message)
    pdf = followup_letter_pdf(
        organisation=sent.disclosure.organisation.name,
        reference=sent.disclosure.reference,
        kind=sent.kind,
        body=body,
        sent_on=timezone.localtime(sent.sent_at).date(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{sent.disclosure.reference}-{sent.kind}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@perm_required(Perm.EDIT_FOLLOWUP_WORDING)
@require_http_methods(["GET", "POST"])
def followup_wording_view(request: HttpRequest) -> HttpResponse:
    try:
        organisation = request.organisation or organisation_get()  # type: ignore[attr-defined]
    except NotConfigured as exc:
        return render(request, "cases/not_configured.html", {"message": str(exc)})
    initial = {k: getattr(organisation, f"followup_{k}") for k in FollowupKind.values}
    initial |= {
        f"{k}_cy": localised(organisation, f"followup_{k}", "cy") for k in FollowupKind.values
    }
    form = FollowupWordingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        languages=tuple(organisation.language_codes),
    )
    if request.method == "POST" and form.is_valid():
        organisation_followup_wording_set(
            actor=request.user, organisation=organisation, texts=form.cleaned_data
        )
        messages.success(request, "The messages to whistleblowers have been saved.")
        return redirect("cases:followup_wording")
    return render(request, "cases/followup/wording.html", {"form": form})
