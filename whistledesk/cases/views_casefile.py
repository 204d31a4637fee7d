"""The sealed part of a staff case page: the case file (disclosure, documents, files and
messages), the reply to the whistleblower and file downloads, under /staff/cases/REF/.

Who may open, download or reply is decided by the one access policy (cases.permissions);
holding a key is necessary, never sufficient. Decryption uses the signed-in person's
private key from the session vault. Every read and download is audited by the casefiles
services. Nothing here changes the case's status: acknowledging is a workflow move made
with the button on the case page. Identity and contact details show only to holders of
the case's identity key; others see that they are hidden and may ask a custodian for
them (whistledesk.identity).
"""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.keyring import KeyLocked, staff_private_key
from whistledesk.accounts.models import User
from whistledesk.casefiles.models import Attachment, DocumentKind
from whistledesk.casefiles.services import (
    MAX_MESSAGE_CHARS,
    CaseFileLocked,
    attachment_open,
    casefile_open,
    message_list_for_staff,
    message_send_to_source,
)
from whistledesk.cases.clock import acknowledgement_due, feedback_due
from whistledesk.cases.models import Disclosure
from whistledesk.cases.permissions import Perm, can_act_on, refusal
from whistledesk.cases.views_permissions import case_or_404, locked, refused
from whistledesk.core.exceptions import DomainError
from whistledesk.identity.forms import AskForm
from whistledesk.identity.models import RequestStatus
from whistledesk.identity.selectors import (
    effective_status,
    latest_request,
    requests_open_notes,
)
from whistledesk.identity.services import may_request_problem

# Shown under their own headings, not in the list of other documents.
_OWN_SECTIONS = {"answers", "identity", "contact", "narrative"}


class StaffReplyForm(forms.Form):
    text = forms.CharField(
        label="Message to the whistleblower",
        help_text="They read this in their follow-up inbox when they sign in with their "
        "receipt. Do not name other people unless you must.",
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter a message",
            "max_length": f"Message must be {MAX_MESSAGE_CHARS:,} characters or fewer",
        },
    )


def _json(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}  # documents typed by staff are plain text
    return value if isinstance(value, dict) else {"text": text}


def _staff(request: HttpRequest) -> User:
    # Behind staff_required the user is always a signed-in User.
    return cast(User, request.user)


def _render_file(
    request: HttpRequest, disclosure: Disclosure, private_key: bytes, form: StaffReplyForm
) -> HttpResponse:
    user = _staff(request)
    opened = casefile_open(actor=user, disclosure=disclosure, private_key=private_key)
    thread = message_list_for_staff(actor=user, disclosure=disclosure, private_key=private_key)
    acknowledged_on = (
        disclosure.acknowledged_at.date()
        if disclosure.acknowledged_at
        else acknowledgement_due(disclosure.received_on)
    )
    docs = opened.documents
    latest = latest_request(user=user, disclosure=disclosure) if opened.identity_hidden else None
    if latest is not None:  # its reasons are sealed notes
        requests_open_notes([latest], user=user, private_key=private_key)
    kinds = dict(DocumentKind.choices)
    return render(
        request,
        "cases/case_file.html",
        {
            "disclosure": disclosure,
            "answers": _json(docs.get("answers")),
            "identity": _json(docs.get("identity")),
            "identity_hidden": opened.identity_hidden,
            "identity_request": latest,
            "identity_request_status": effective_status(latest) if latest else None,
            "identity_ask_problem": may_request_problem(user, disclosure)
            if opened.identity_hidden
            else None,
            "ask_form": AskForm(),
            "Status": RequestStatus,
            "contact": _json(docs.get("contact")),
            "narrative": docs.get("narrative", ""),
            "other_documents": [
                {"label": kinds.get(d.kind, d.kind.capitalize()), "doc": d}
                for d in opened.history
                if d.kind not in _OWN_SECTIONS
            ],
            "files": [a for a in opened.attachments if a.message_id is None],
            "thread": thread,
            "form": form,
            "may_reply": can_act_on(user, Perm.MESSAGE_SOURCE, disclosure),
            "acknowledgement_due": acknowledgement_due(disclosure.received_on),
            # The stored date is the effective one (an extension included).
            "feedback_due": disclosure.feedback_due_on
            or feedback_due(acknowledged_on, disclosure.received_on),
        },
        status=400 if form.errors else 200,
    )


def _get(request: HttpRequest, reference: str) -> Disclosure:
    return case_or_404(request, reference)


@never_cache
@require_GET
@staff_required
def case_file_view(request: HttpRequest, reference: str) -> HttpResponse:
    disclosure = _get(request, reference)
    problem = refusal(request.user, Perm.OPEN_CONTENT, disclosure)
    if problem:
        return refused(request, problem)
    try:
        private_key = staff_private_key(request)
        return _render_file(request, disclosure, private_key, StaffReplyForm())
    except KeyLocked as exc:
        return locked(request, exc.message, sign_in_again=True)
    except CaseFileLocked as exc:
        return locked(request, exc.message, sign_in_again=False)


@require_POST
@staff_required
def case_reply_view(request: HttpRequest, reference: str) -> HttpResponse:
    disclosure = _get(request, reference)
    problem = refusal(request.user, Perm.MESSAGE_SOURCE, disclosure)
    if problem:
        return refused(request, problem)
    form = StaffReplyForm(request.POST)
    try:
        private_key = staff_private_key(request)
        if form.is_valid():
            try:
                message_send_to_source(
                    actor=_staff(request),
                    disclosure=disclosure,
                    text=form.cleaned_data["text"],
                    private_key=private_key,
                )
            except (KeyLocked, CaseFileLocked):
                raise
            except DomainError as exc:
                form.add_error("text", exc.message)
            else:
                messages.success(request, "Your message has been sent to the whistleblower")
                return redirect("cases:casefile", reference=reference)
        # Re-rendering opens the file again: someone without a key to it gets the locked
        # page here, not a 500 from inside an error handler.
        return _render_file(request, disclosure, private_key, form)
    except KeyLocked as exc:
        return locked(request, exc.message, sign_in_again=True)
    except CaseFileLocked as exc:
        return locked(request, exc.message, sign_in_again=False)


@never_cache
@require_GET
@staff_required
def case_file_download_view(
    request: HttpRequest, reference: str, attachment_id: int
) -> HttpResponse:
    found = get_object_or_404(
        Attachment.objects.select_related("disclosure"),
        pk=attachment_id,
        disclosure__organisation=getattr(request, "organisation", None),
        disclosure__reference=reference,
    )
    problem = refusal(request.user, Perm.DOWNLOAD_FILES, found.disclosure)
    if problem:
        return refused(request, problem)
    try:
        name, content_type, data = attachment_open(
            actor=_staff(request), attachment=found, private_key=staff_private_key(request)
        )
    except KeyLocked as exc:
        return locked(request, exc.message, sign_in_again=True)
    except CaseFileLocked as exc:
        return locked(request, exc.message, sign_in_again=False)
    response = HttpResponse(data, content_type=content_type)
    # Always a download, never rendered in our origin (an uploaded file is untrusted).
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=name) or "attachment"
    )
    return response
