"""The whistleblower's follow-up inbox: sign in with the receipt, read, reply, add files.

The unlocked source key lives only in the session vault (encrypted under the browser's
cookie). Wrong receipts and messages are throttled per client (intake.throttle: a keyed
digest, never the address) and wrong receipts are slowed; the receipt is length-capped by
the form before any key derivation.

Each organisation has its own inbox (ADR 0017): a receipt signs in only at its own case's
organisation (another's is refused exactly as a wrong receipt is: same message, same path
through the key derivation, same delay), and a whistleblower signed in at A is not signed
in at B. The wrong-receipt limit is counted per client for the installation: one client
guessing at A and at B gets no more tries; a busy organisation locks out nobody, as each
client has its own counter (docs/adr/0017, "public").
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from whistledesk.casefiles.attachments import AttachmentRejected, UploadedAttachment
from whistledesk.casefiles.inbox_caps import InboxCapReached
from whistledesk.casefiles.services import (
    ReceiptRejected,
    SourceSession,
    attachment_open_for_source,
    message_from_source,
    message_list_for_source,
    source_authenticate,
    source_session_restore,
)
from whistledesk.cases.call_notes import call_notes_for_source
from whistledesk.core.exceptions import DomainError
from whistledesk.intake.draft import vault_name
from whistledesk.intake.forms import ReceiptForm, SourceMessageForm
from whistledesk.intake.status import status_for_source
from whistledesk.intake.throttle import (
    INBOX_MESSAGES,
    RECEIPT_FAILURES,
    UPLOADS,
    Throttled,
    failure_delay,
    throttle_hit,
    throttle_refund,
)
from whistledesk.intake.uploads import TOO_LARGE, body_too_large, capped_uploads
from whistledesk.notifications.tasks import source_message_received
from whistledesk.organisation.tenancy import request_organisation

SOURCE_VAULT = "source"


def _source(request: HttpRequest) -> SourceSession | None:
    """The whistleblower signed in at this request's organisation, or None."""
    organisation = request_organisation(request)
    if organisation is None:
        return None
    token = request.vault.get(vault_name(request, SOURCE_VAULT))  # type: ignore[attr-defined]
    try:
        source = source_session_restore(token)
    except ReceiptRejected:
        return None
    if source.disclosure.organisation_id != organisation.pk:
        return None
    return source


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            # Counted before the check, so parallel guesses cannot overrun the limit.
            attempt = throttle_hit(request, RECEIPT_FAILURES)
            source = source_authenticate(
                receipt=form.cleaned_data["receipt"], organisation=request_organisation(request)
            )
        except Throttled as exc:
            form.add_error("receipt", exc.message)
            status = 429
        except ReceiptRejected as exc:
            failure_delay()
            form.add_error("receipt", exc.message)
            status = 400
        else:
            throttle_refund(attempt)  # only wrong receipts count
            # A new session id at sign-in: a planted session cannot ride on this one.
            request.session.cycle_key()
            # And a new vault key: a cookie planted or seen before cannot open the source key.
            request.vault.rotate(keep=True)  # type: ignore[attr-defined]
            request.vault.put(vault_name(request, SOURCE_VAULT), source.vault_token())  # type: ignore[attr-defined]
            return redirect("intake:inbox")
    elif request.method == "POST":
        status = 400
    return render(request, "intake/inbox_sign_in.html", {"form": form}, status=status)


def _inbox(
    request: HttpRequest, source: SourceSession, form: SourceMessageForm, status: int = 200
) -> HttpResponse:
    thread = message_list_for_source(source=source)
    return render(
        request,
        "intake/inbox.html",
        {
            "disclosure": source.disclosure,
            "status": status_for_source(source.disclosure),
            "thread": thread,
            "form": form,
            "call_notes": call_notes_for_source(source=source),  # helpline callers (Art 18)
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@capped_uploads
def inbox(request: HttpRequest) -> HttpResponse:
    source = _source(request)
    if source is None:
        messages.info(request, gettext("Sign in with your receipt to see your messages."))
        return redirect("intake:inbox_sign_in")
    if request.method == "GET":
        return _inbox(request, source, SourceMessageForm())

    if body_too_large(request):
        # Not read: the typed message cannot be offered back, only the reason.
        form = SourceMessageForm()
        form.full_clean()
        form.cleaned_data = {}
        form.add_error("file", TOO_LARGE)
        return _inbox(request, source, form, status=413)
    form = SourceMessageForm(request.POST, request.FILES)
    if request.upload_handler.too_large:  # type: ignore[attr-defined]
        form.is_valid()
        form.add_error("file", TOO_LARGE)
    if not form.is_valid():
        return _inbox(request, source, form, status=400)
    upload = form.cleaned_data.get("file")
    try:
        throttle_hit(request, INBOX_MESSAGES)  # before any file is cleaned
        if upload:
            # Per client, as for the form's files; the caps per case are in the service.
            throttle_hit(request, UPLOADS)
        files = [UploadedAttachment.from_upload(upload)] if upload else []
        message_from_source(source=source, text=form.cleaned_data["text"], attachments=files)
        transaction.on_commit(partial(source_message_received.enqueue, source.disclosure.pk))
    except AttachmentRejected as exc:
        form.add_error("file", exc.message)
        return _inbox(request, source, form, status=400)
    except (Throttled, InboxCapReached) as exc:
        form.add_error("file" if exc.field == "file" else "text", exc.message)
        return _inbox(request, source, form, status=429)
    except DomainError as exc:
        form.add_error("text", exc.message)
        return _inbox(request, source, form, status=400)
    messages.success(request, gettext("Your message has been sent"))
    return redirect("intake:inbox")


@never_cache
@require_safe
def source_file(request: HttpRequest, attachment_id: int) -> HttpResponse:
    source = _source(request)
    if source is None:
        return redirect("intake:inbox_sign_in")
    try:
        name, content_type, data = attachment_open_for_source(
            source=source, attachment_id=attachment_id
        )
    except DomainError:
        return render(request, "intake/file_missing.html", status=404)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=name) or "attachment"
    )
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    # Everything goes: the source key, any draft, the session id itself.
    request.vault.clear()  # type: ignore[attr-defined]
    request.session.flush()
    messages.success(request, gettext("You have signed out"))
    return redirect("intake:inbox_sign_in")
