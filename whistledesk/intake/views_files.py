"""The "Add files" page: upload, remove, continue. Works without JavaScript.

Each upload is size-checked before the body is read, held in memory (never spooled to
disk by Django), cleaned of metadata, then encrypted into the draft. A refused file
leaves every other answer and file as it was.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from whistledesk.casefiles.attachments import UploadedAttachment, clean_attachment
from whistledesk.core.exceptions import DomainError
from whistledesk.intake.draft import (
    Draft,
    draft_file_add,
    draft_file_remove,
    draft_load,
    draft_save,
)
from whistledesk.intake.flow import CHECK
from whistledesk.intake.forms import UploadForm
from whistledesk.intake.questions import draft_flow
from whistledesk.intake.throttle import UPLOADS, throttle_check, throttle_hit
from whistledesk.intake.uploads import MAX_FILES, TOO_LARGE, body_too_large, capped_uploads
from whistledesk.organisation.selectors import NotConfigured, organisation_get

SLUG = "files"


def _refused(message: str) -> UploadForm:
    """A fresh upload form carrying one error (the refused file is not offered back)."""
    form = UploadForm()
    form.full_clean()
    form.cleaned_data = {}
    form.add_error("file", message)
    return form


def _render(request: HttpRequest, form: UploadForm, *, status: int = 200) -> HttpResponse:
    draft = draft_load(request)
    back = draft_flow(draft, organisation=organisation_get()).before(SLUG, draft.answers)
    return render(
        request,
        "intake/step_files.html",
        {
            "form": form,
            "files": draft.files,
            "max_files": MAX_FILES,
            "back_url": reverse("intake:step", args=[back]) if back else reverse("intake:start"),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@capped_uploads
def files_view(request: HttpRequest) -> HttpResponse:
    try:
        organisation = organisation_get()
    except NotConfigured:
        return render(request, "intake/not_available.html", status=503)
    draft = draft_load(request)
    flow = draft_flow(draft, organisation=organisation)
    if not flow.may_visit(SLUG, draft.answers):
        first = flow.first_incomplete(draft.answers)
        return redirect(
            reverse("intake:check") if first == CHECK else reverse("intake:step", args=[first])
        )
    if request.method == "GET":
        return _render(request, UploadForm())

    # Refuse an oversized body from its declared length, before reading any of it.
    if body_too_large(request):
        return _render(request, _refused(str(TOO_LARGE)), status=413)

    action = request.POST.get("action", "upload")
    if action == "remove":
        draft_file_remove(draft, file_id=request.POST.get("file_id", ""))
        draft_save(request, draft)
        return redirect(reverse("intake:files"))
    if getattr(request, "upload_handler", None) and request.upload_handler.too_large:  # type: ignore[attr-defined]
        return _render(request, _refused(str(TOO_LARGE)), status=413)
    # "Continue" is in the same form as the file input, so a file chosen and not yet
    # uploaded arrives with it (with or without JavaScript): it is uploaded, not dropped.
    if action == "continue" and not request.FILES.get("file"):
        return _continue(request, draft)

    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    if len(draft.files) >= MAX_FILES:
        form.add_error(
            "file",
            gettext("You can add up to {count} files. Remove one to add another").format(
                count=MAX_FILES
            ),
        )
        return _render(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        throttle_check(request, UPLOADS)
        throttle_hit(request, UPLOADS)
        cleaned = clean_attachment(UploadedAttachment.from_upload(upload))
    except DomainError as exc:
        # A file chosen before pressing Continue and refused: stay here and say why.
        return _render(request, _refused(exc.message), status=400)
    draft_file_add(
        draft, name=cleaned.filename, content_type=cleaned.content_type, data=cleaned.data
    )
    draft.answers.pop("files_done", None)
    # The name is not repeated: messages may travel in a cookie.
    messages.success(request, gettext("Your file has been added"))
    if action == "continue":
        return _continue(request, draft)
    draft_save(request, draft)
    return redirect(reverse("intake:files"))


def _continue(request: HttpRequest, draft: Draft) -> HttpResponse:
    draft.answers["files_done"] = True
    draft_save(request, draft)
    return redirect(reverse("intake:check"))
